//! The data lesson's page: the data panel, the facts of the dataset, a
//! gallery filtered by class, and one image taken apart into its R, G, B
//! planes and the `(1, 3072)` row the network reads; then the student's own
//! photo, made into the same row.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::data::Dataset;
use web_sys::{Event, HtmlElement};

use super::model::{Model, Position, GALLERY_COLUMNS, GALLERY_ROWS, PLANE, SIDE};
use super::photo::InputPhoto;
use crate::data_store;
use crate::draw::{context_2d, palette};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::data_panel::DataPanel;
use crate::lessons::kit::pictures::{self, CLASS_KEYS};
use crate::lessons::{LessonView, Mount};
use crate::training::client;
use crate::widgets::on_pointer;
use crate::widgets::{dom, Button, HiDpiCanvas, Listener, Select};

const PLANE_KEYS: [Key; 3] = [Key::VecPlaneR, Key::VecPlaneG, Key::VecPlaneB];
/// Height of the label under a gallery image, CSS pixels.
const LABEL_HEIGHT: f64 = 16.0;

/// The layout of the vector figure, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
struct VectorLayout {
    width: f64,
    /// Side of the image and of each plane.
    side: f64,
    gap: f64,
    top: f64,
    strip_top: f64,
    strip_height: f64,
}

impl VectorLayout {
    fn new(width: f64) -> VectorLayout {
        let gap = 18.0;
        let side = ((width - 3.0 * gap) / 4.0).clamp(64.0, 140.0).floor();
        let top = 22.0;
        VectorLayout {
            width,
            side,
            gap,
            top,
            strip_top: top + side + 40.0,
            strip_height: 34.0,
        }
    }

    fn height(&self) -> f64 {
        self.strip_top + self.strip_height + 24.0
    }

    /// Left edge of panel `k` (0 = image, 1–3 = R, G, B planes).
    fn panel_x(&self, k: usize) -> f64 {
        k as f64 * (self.side + self.gap)
    }

    /// The vector entry under CSS point (`x`, `y`), if any.
    fn index_at(&self, x: f64, y: f64) -> Option<usize> {
        if y >= self.strip_top
            && y < self.strip_top + self.strip_height
            && x >= 0.0
            && x < self.width
        {
            return Some(((x / self.width) * 3072.0) as usize);
        }
        if y < self.top || y >= self.top + self.side {
            return None;
        }
        (1..4).find_map(|k| {
            let left = self.panel_x(k);
            (x >= left && x < left + self.side).then(|| {
                let column = ((x - left) / self.side * SIDE as f64) as usize;
                let row = ((y - self.top) / self.side * SIDE as f64) as usize;
                Position {
                    channel: k - 1,
                    row: row.min(SIDE - 1),
                    column: column.min(SIDE - 1),
                }
                .index()
            })
        })
    }
}

/// The input data page: the gallery with its class filter, and the selected image as a vector.
pub struct View {
    lang: Lang,
    panel: DataPanel,
    content: HtmlElement,
    filter: Select,
    more: Button,
    gallery: HiDpiCanvas,
    /// "Images of the test set", or of the held-out training images.
    gallery_title: HtmlElement,
    vector: HiDpiCanvas,
    hover_text: HtmlElement,
    /// The student's own photo, made into the same 3072 numbers.
    photo: InputPhoto,
    layout: Rc<RefCell<Option<VectorLayout>>>,
    cell: Rc<RefCell<f64>>,
    drawn: Option<(u64, u64, u32)>,
    listeners: Vec<Listener>,
}

impl View {
    fn draw_gallery(&mut self, model: &Model, samples: &Dataset) -> WebResult<()> {
        let parent = self
            .gallery
            .element
            .parent_element()
            .map_or(640, |p| p.client_width() - 44);
        let cell = (f64::from(parent.max(300)) / GALLERY_COLUMNS as f64)
            .clamp(40.0, 76.0)
            .floor();
        *self.cell.borrow_mut() = cell;
        let width = (cell * GALLERY_COLUMNS as f64) as u32;
        let height = ((cell + LABEL_HEIGHT) * GALLERY_ROWS as f64) as u32;
        self.gallery.resize(width, height)?;
        let dpr = self.gallery.device_pixel_ratio();
        let context = context_2d(&self.gallery.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        context.clear_rect(
            0.0,
            0.0,
            f64::from(self.gallery.element.width()),
            f64::from(self.gallery.element.height()),
        );
        let scale = (((cell - 6.0) * dpr) / SIDE as f64).floor().max(1.0) as usize;
        let image_css = (scale * SIDE) as f64 / dpr;
        let page = model.gallery(samples.labels());
        for (k, &index) in page.iter().enumerate() {
            let (col, row) = (k % GALLERY_COLUMNS, k / GALLERY_COLUMNS);
            let x = col as f64 * cell + (cell - image_css) / 2.0;
            let y = row as f64 * (cell + LABEL_HEIGHT) + 2.0;
            pictures::blit(
                &context,
                &samples.image_rgba(index),
                SIDE,
                SIDE,
                scale,
                (x * dpr, y * dpr),
            )?;
        }
        context.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
        context.set_font("11px system-ui, sans-serif");
        context.set_text_align("center");
        for (k, &index) in page.iter().enumerate() {
            let (col, row) = (k % GALLERY_COLUMNS, k / GALLERY_COLUMNS);
            let cx = col as f64 * cell + cell / 2.0;
            let y = row as f64 * (cell + LABEL_HEIGHT) + 2.0;
            if index == model.selected {
                context.set_stroke_style_str(palette::current().accent);
                context.set_line_width(2.5);
                context.stroke_rect(
                    cx - image_css / 2.0 - 2.0,
                    y - 1.5,
                    image_css + 4.0,
                    image_css + 3.0,
                );
            }
            let label = samples.label(index);
            context.set_fill_style_str(&pictures::css(pictures::CLASS_COLORS[label % 10]));
            let name =
                pictures::class_key(label).map_or(String::new(), |k| self.lang.text(k).to_string());
            context.fill_text(&name, cx, y + image_css + 12.0)?;
        }
        Ok(())
    }

    fn draw_vector(&mut self, model: &Model, samples: &Dataset) -> WebResult<()> {
        let parent = self
            .vector
            .element
            .parent_element()
            .map_or(640, |p| p.client_width() - 44);
        let layout = VectorLayout::new(f64::from(parent.clamp(300, 900)));
        *self.layout.borrow_mut() = Some(layout);
        self.vector
            .resize(layout.width as u32, layout.height() as u32)?;
        let dpr = self.vector.device_pixel_ratio();
        let context = context_2d(&self.vector.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        let (dw, dh) = (self.vector.element.width(), self.vector.element.height());
        context.clear_rect(0.0, 0.0, f64::from(dw), f64::from(dh));
        let index = model.selected.min(samples.len() - 1);
        let bytes = samples.image(index);
        let scale = ((layout.side * dpr) / SIDE as f64).floor().max(1.0) as usize;
        pictures::blit(
            &context,
            &samples.image_rgba(index),
            SIDE,
            SIDE,
            scale,
            (0.0, layout.top * dpr),
        )?;
        for channel in 0..3 {
            let mut plane = Vec::with_capacity(PLANE * 4);
            for &b in &bytes[channel * PLANE..(channel + 1) * PLANE] {
                let mut px = [0, 0, 0, 255];
                px[channel] = b;
                plane.extend_from_slice(&px);
            }
            let x = layout.panel_x(channel + 1) * dpr;
            pictures::blit(&context, &plane, SIDE, SIDE, scale, (x, layout.top * dpr))?;
        }
        // The row: device column → vector entry, coloured by its plane.
        let strip_w = (layout.width * dpr) as usize;
        let strip_h = (layout.strip_height * dpr) as usize;
        let mut strip = vec![0u8; strip_w * strip_h * 4];
        for x in 0..strip_w {
            let i = (x * 3072 / strip_w).min(3071);
            let mut px = [0, 0, 0, 255];
            px[i / PLANE] = bytes[i];
            for y in 0..strip_h {
                strip[(y * strip_w + x) * 4..(y * strip_w + x) * 4 + 4].copy_from_slice(&px);
            }
        }
        pictures::blit(
            &context,
            &strip,
            strip_w,
            strip_h,
            1,
            (0.0, layout.strip_top * dpr),
        )?;

        context.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
        context.set_font("13px system-ui, sans-serif");
        context.set_fill_style_str(palette::current().ink);
        context.set_text_align("left");
        let label = pictures::class_key(samples.label(index)).map_or("", |k| self.lang.text(k));
        context.fill_text(&format!("#{index} · {label}"), 0.0, 15.0)?;
        for (channel, key) in PLANE_KEYS.iter().enumerate() {
            context.fill_text(self.lang.text(*key), layout.panel_x(channel + 1), 15.0)?;
        }
        context.fill_text(
            self.lang.text(Key::VecStripLabel),
            0.0,
            layout.strip_top - 8.0,
        )?;
        context.set_font("11px system-ui, sans-serif");
        context.set_fill_style_str(palette::current().muted);
        for (k, text) in ["0", "1024", "2048"].iter().enumerate() {
            let x = k as f64 * layout.width / 3.0;
            context.fill_text(text, x + 2.0, layout.strip_top + layout.strip_height + 14.0)?;
        }
        context.set_text_align("right");
        context.fill_text(
            "3071",
            layout.width - 2.0,
            layout.strip_top + layout.strip_height + 14.0,
        )?;

        if let Some(pos) = model.hovered.and_then(Position::of_index) {
            context.set_stroke_style_str("#ffffff");
            context.set_line_width(2.0);
            let cell = layout.side / SIDE as f64;
            let x = layout.panel_x(pos.channel + 1) + pos.column as f64 * cell;
            let y = layout.top + pos.row as f64 * cell;
            context.stroke_rect(x - 1.0, y - 1.0, cell + 2.0, cell + 2.0);
            context.stroke_rect(
                pos.column as f64 * cell - 1.0,
                y - 1.0,
                cell + 2.0,
                cell + 2.0,
            );
            let sx = (pos.index() as f64 + 0.5) / 3072.0 * layout.width;
            context.set_stroke_style_str(palette::current().accent);
            context.begin_path();
            context.move_to(sx, layout.strip_top - 4.0);
            context.line_to(sx, layout.strip_top + layout.strip_height + 4.0);
            context.stroke();
        }
        Ok(())
    }

    fn write_hover(&self, model: &Model, samples: &Dataset) {
        let lang = self.lang;
        let text = match model.hovered.and_then(Position::of_index) {
            Some(pos) => {
                let byte = samples.image(model.selected.min(samples.len() - 1))[pos.index()];
                lang.fill(
                    Key::VecHover,
                    &[
                        ("index", &pos.index().to_string()),
                        ("byte", &byte.to_string()),
                        ("value", &format!("{:.3}", f32::from(byte) / 255.0)),
                        ("plane", lang.text(PLANE_KEYS[pos.channel])),
                        ("row", &pos.row.to_string()),
                        ("column", &pos.column.to_string()),
                    ],
                )
            }
            None => lang.text(Key::VecHoverHint).to_string(),
        };
        dom::set_text_if_changed(&self.hover_text, &text);
    }
}

impl LessonView for View {
    type Model = Model;

    fn build(at: &Mount, model: &Model) -> WebResult<View> {
        client::ensure_started()?;
        let (root, lang) = (at.root, at.lang);
        let t = |key| lang.text(key);
        let panel = DataPanel::mount(at.root, at.lang, "input")?;

        let facts: HtmlElement = dom::create("section", "card data-facts")?;
        facts.set_id("input-facts");
        dom::name_control(&facts, "facts");
        dom::add_text(&facts, "p", "", t(Key::InputFacts))?;
        dom::add_text(&facts, "p", "data-correction", t(Key::InputCorrection))?;
        dom::append(root, &facts)?;

        let content: HtmlElement = dom::create("div", "data-content")?;
        let gallery_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&gallery_card, "gallery");
        let gallery_title = dom::add_text(&gallery_card, "h3", "card-title", t(Key::GalleryTitle))?;
        let bar: HtmlElement = dom::add(&gallery_card, "div", "data-gallery-bar")?;
        let mut options: Vec<(String, &str)> = vec![("all".into(), t(Key::GalleryAllClasses))];
        for (i, key) in CLASS_KEYS.iter().enumerate() {
            options.push((i.to_string(), t(*key)));
        }
        let options: Vec<(&str, &str)> = options.iter().map(|(v, l)| (v.as_str(), *l)).collect();
        let selected = model.class.map_or("all".to_string(), |c| c.to_string());
        let filter = Select::new(t(Key::GalleryFilter), &options, &selected)?;
        filter.element.set_id("input-filter");
        let more = Button::new(t(Key::GalleryMore), "")?;
        more.element.set_id("input-more");
        dom::append(&bar, &filter.root)?;
        dom::append(&bar, &more.element)?;
        let gallery = HiDpiCanvas::picture("data-gallery", "input-gallery", t(Key::GalleryTitle))?;
        dom::append(&gallery_card, &gallery.element)?;
        dom::add_text(&gallery_card, "p", "muted", t(Key::GalleryHint))?;

        let vector_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&vector_card, "vector");
        dom::add_text(&vector_card, "h3", "card-title", t(Key::VecTitle))?;
        dom::add_text(&vector_card, "p", "muted", t(Key::VecExplain))?;
        let vector = HiDpiCanvas::picture("data-vector", "input-vector", t(Key::VecTitle))?;
        dom::append(&vector_card, &vector.element)?;
        let hover_text = dom::add_text(&vector_card, "p", "data-hover", t(Key::VecHoverHint))?;
        hover_text.set_id("input-hover");
        dom::append(root, &content)?;
        // Outside the content: a photo needs no CIFAR-10 data.
        let photo = InputPhoto::mount(root, lang)?;

        Ok(View {
            lang,
            panel,
            content,
            filter,
            more,
            gallery,
            gallery_title,
            vector,
            hover_text,
            photo,
            layout: Rc::new(RefCell::new(None)),
            cell: Rc::new(RefCell::new(60.0)),
            drawn: None,
            listeners: Vec::new(),
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        let filter = bind.with(|m: &mut Model, value: String| {
            if let Some(samples) = data_store::samples() {
                m.set_class(value.parse().ok(), samples.labels());
            }
        });
        bind.keep(self.filter.on_change(filter)?);
        let more = bind.act(|m: &mut Model| {
            if let Some(samples) = data_store::samples() {
                m.next_page(samples.labels());
            }
        });
        bind.keep(self.more.on_click(more)?);
        // A click on a picture of the gallery picks it.
        let cell = self.cell.clone();
        let pick = bind.with(move |m: &mut Model, (x, y): (f64, f64)| {
            let cell = *cell.borrow();
            let (col, row) = ((x / cell) as usize, (y / (cell + LABEL_HEIGHT)) as usize);
            let Some(samples) = data_store::samples().filter(|_| col < GALLERY_COLUMNS) else {
                return;
            };
            let page = m.gallery(samples.labels());
            if let Some(&index) = page.get(row * GALLERY_COLUMNS + col) {
                m.select(index);
            }
        });
        bind.keep(on_pointer(&self.gallery.element, "click", pick)?);
        // Hovering the vector names the pixel and channel under the pointer.
        let layout = self.layout.clone();
        let hover = bind.with(move |m: &mut Model, (x, y): (f64, f64)| {
            m.hover(layout.borrow().and_then(|l| l.index_at(x, y)));
        });
        bind.keep(on_pointer(&self.vector.element, "mousemove", hover)?);
        let mut leave = bind.act(|m: &mut Model| m.hover(None));
        let vector = &self.vector.element;
        bind.keep(Listener::new(vector, "mouseleave", move |_: Event| {
            leave()
        })?);
        self.listeners.extend(bind.finish());
        Ok(())
    }

    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        self.photo.catch_up()?;
        let Some(samples) = self.panel.samples(&self.content)? else {
            return Ok(());
        };
        let width = self.content.client_width().max(320) as u32;
        let key = (model.revision, samples.len() as u64, width);
        if self.drawn == Some(key) {
            return Ok(());
        }
        let title = if data_store::samples_held_out() {
            Key::GalleryTitleHeldOut
        } else {
            Key::GalleryTitle
        };
        dom::set_text_if_changed(&self.gallery_title, self.lang.text(title));
        self.draw_gallery(model, &samples)?;
        self.draw_vector(model, &samples)?;
        self.write_hover(model, &samples);
        self.drawn = Some(key);
        Ok(())
    }
}
