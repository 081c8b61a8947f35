//! "Your own photo", shared by the input-data and live-training lessons: a
//! card where the student chooses a file, takes a picture (phones), drops an
//! image or pastes one (Ctrl+V), and sees its centre square and the 32×32
//! the network reads ([`photo_decode`](super::photo_decode)). The photo is
//! the page's, not one lesson's: chosen in one lesson, it is there in the
//! other, and after switching the language.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{
    ClipboardEvent, DragEvent, Event, File, HtmlCanvasElement, HtmlElement, HtmlInputElement,
};

use super::photo_decode::{self, smooth_high, Photo, PhotoError};
use super::pictures;
use crate::draw::context_2d;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::training::client::ImageDrop;
use crate::widgets::{dom, HiDpiCanvas, Listener};
use nnlab::photo::CIFAR_SIDE;

/// What the card says besides the pictures.
#[derive(Clone, Debug, Default, PartialEq)]
enum News {
    #[default]
    Nothing,
    /// A file is being read (its name).
    Reading(String),
    /// A file could not be used (its name, and why).
    Failed(String, PhotoError),
}

#[derive(Default)]
struct Current {
    /// Bumped on every change.
    revision: u64,
    /// Reads started; a read that finishes after a newer one began is dropped.
    started: u64,
    /// The photo and the number of the read that made it.
    photo: Option<(u64, Rc<Photo>)>,
    news: News,
}

thread_local! {
    static CURRENT: RefCell<Current> = RefCell::new(Current::default());
}

/// A photo and a number that is new with every photo read.
pub type Numbered = (u64, Rc<Photo>);

/// A revision that changes with anything the cards show, and the page's
/// photo, if one was read.
pub fn current() -> (u64, Option<Numbered>) {
    CURRENT.with(|c| {
        let c = c.borrow();
        (c.revision, c.photo.clone())
    })
}

/// Reads `file` in the background; the cards show "Reading…", then the photo
/// or why it cannot be used (a failed file clears the photo before it, so the
/// message and the pictures never disagree).
pub fn take(file: File) {
    let name = file.name();
    let id = CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        c.started += 1;
        c.revision += 1;
        c.news = News::Reading(name.clone());
        c.started
    });
    wasm_bindgen_futures::spawn_local(async move {
        let result = photo_decode::decode(file).await;
        CURRENT.with(|c| {
            let mut c = c.borrow_mut();
            if c.started != id {
                return;
            }
            c.revision += 1;
            match result {
                Ok(photo) => {
                    c.photo = Some((id, Rc::new(photo)));
                    c.news = News::Nothing;
                }
                Err(e) => {
                    c.photo = None;
                    c.news = News::Failed(name, e);
                }
            }
        });
    });
}

/// The sentence for `news` in `lang` (empty when there is nothing to say).
fn say(lang: Lang, news: &News) -> String {
    let (name, error) = match news {
        News::Nothing => return String::new(),
        News::Reading(name) => return lang.fill(Key::PhotoReading, &[("name", name)]),
        News::Failed(name, error) => (name.as_str(), error),
    };
    let number = |v: usize| v.to_string();
    match error {
        PhotoError::NotAnImage(kind) => {
            lang.fill(Key::PhotoNotImage, &[("name", name), ("type", kind)])
        }
        PhotoError::FileTooLarge(bytes) => lang.fill(
            Key::PhotoFileTooLarge,
            &[("name", name), ("size", &format!("{:.0}", bytes / 1e6))],
        ),
        PhotoError::TooManyPixels(w, h) => lang.fill(
            Key::PhotoTooManyPixels,
            &[
                ("name", name),
                ("width", &number(*w)),
                ("height", &number(*h)),
            ],
        ),
        PhotoError::Broken => lang.fill(Key::PhotoBroken, &[("name", name)]),
        PhotoError::Unreadable(message) => lang.fill(
            Key::PhotoUnreadable,
            &[("name", name), ("message", message)],
        ),
    }
}

/// A button-like label around a visually hidden file input (the browser's
/// own "Choose file" would speak the browser's language, not the page's).
fn file_button(parent: &HtmlElement, text: &str, id: &str) -> WebResult<HtmlInputElement> {
    let label: HtmlElement = dom::add(parent, "label", "btn photo-pick")?;
    dom::add_text(&label, "span", "", text)?;
    let input: HtmlInputElement = dom::add(&label, "input", "visually-hidden")?;
    input.set_type("file");
    input.set_accept("image/*");
    input.set_id(id);
    Ok(input)
}

/// The first file of a drop or a paste.
fn first_file(transfer: Option<web_sys::DataTransfer>) -> Option<File> {
    transfer.and_then(|t| t.files()).and_then(|f| f.get(0))
}

/// The mounted card.
pub struct PhotoCard {
    lang: Lang,
    /// The card; it is added to the page by [`PhotoCard::mount`].
    pub root: HtmlElement,
    /// The row of pictures; a lesson may add its own after the two.
    pub figures: HtmlElement,
    /// Below the pictures: the lesson's own part.
    pub extra: HtmlElement,
    status: HtmlElement,
    crop: HiDpiCanvas,
    small: HiDpiCanvas,
    crop_caption: HtmlElement,
    small_caption: HtmlElement,
    drawn: Option<(u64, i32)>,
    _listeners: Vec<Listener>,
    _drop: ImageDrop,
}

impl PhotoCard {
    /// Builds the card at the end of `parent`, explained by `explain`;
    /// element ids start with `prefix` (`{prefix}-photo-file`, …).
    pub fn mount(
        parent: &HtmlElement,
        lang: Lang,
        prefix: &str,
        explain: Key,
    ) -> WebResult<PhotoCard> {
        let t = |key| lang.text(key);
        let id = |part: &str| format!("{prefix}-photo{part}");
        let root: HtmlElement = dom::add(parent, "section", "card photo-card")?;
        root.set_id(&id(""));
        dom::name_control(&root, "photo");
        dom::add_text(&root, "h3", "card-title", t(Key::PhotoTitle))?;
        dom::add_text(&root, "p", "muted", t(Key::PhotoExplainCommon))?;
        dom::add_text(&root, "p", "muted", t(explain))?;
        let row: HtmlElement = dom::add(&root, "div", "photo-buttons")?;
        let choose = file_button(&row, t(Key::PhotoChoose), &id("-file"))?;
        let camera = file_button(&row, t(Key::PhotoCamera), &id("-camera"))?;
        // Phones open the camera for this one; elsewhere it would only be a
        // second "choose", so it is shown only on touch screens.
        camera.set_attribute("capture", "environment")?;
        let coarse = dom::window()?
            .match_media("(pointer: coarse)")?
            .is_some_and(|m| m.matches());
        if let Some(label) = camera.parent_element() {
            label.toggle_attribute_with_force("hidden", !coarse)?;
        }
        dom::add_text(&row, "span", "muted photo-hint", t(Key::PhotoHint))?;
        let status = dom::add_text(&root, "p", "photo-status", "")?;
        status.set_id(&id("-status"));
        status.set_attribute("role", "status")?;

        let figures: HtmlElement = dom::add(&root, "div", "photo-figures")?;
        let picture =
            |class: &str, key: Key, part: &str| -> WebResult<(HiDpiCanvas, HtmlElement)> {
                let figure: HtmlElement = dom::add(&figures, "figure", class)?;
                let canvas = HiDpiCanvas::picture("photo-canvas", &id(part), t(key))?;
                dom::append(&figure, &canvas.element)?;
                let caption = dom::add_text(&figure, "figcaption", "", "")?;
                Ok((canvas, caption))
            };
        let (crop, crop_caption) = picture("photo-figure", Key::PhotoCropDescription, "-crop")?;
        dom::add_text(&figures, "span", "photo-arrow", "→")?;
        let (small, small_caption) = picture("photo-figure", Key::PhotoSmallDescription, "-small")?;
        let extra: HtmlElement = dom::add(&root, "div", "photo-extra")?;

        let mut listeners = Vec::new();
        for input in [choose, camera] {
            let picked = input.clone();
            listeners.push(Listener::new(&input, "change", move |_: Event| {
                if let Some(file) = picked.files().and_then(|f| f.get(0)) {
                    take(file);
                }
                picked.set_value("");
                Ok(())
            })?);
        }
        // Dropped on the card: whatever it is, the card says what it made of it.
        let zone = root.clone();
        listeners.push(Listener::new(&root, "dragover", move |event: Event| {
            event.prevent_default();
            zone.class_list().add_1("over")?;
            Ok(())
        })?);
        let zone = root.clone();
        listeners.push(Listener::new(&root, "dragleave", move |_: Event| {
            zone.class_list().remove_1("over")?;
            Ok(())
        })?);
        let zone = root.clone();
        listeners.push(Listener::new(&root, "drop", move |event: Event| {
            zone.class_list().remove_1("over")?;
            let file = first_file(event.dyn_ref::<DragEvent>().and_then(|d| d.data_transfer()));
            if let Some(file) = file {
                event.prevent_default();
                event.stop_propagation();
                take(file);
            }
            Ok(())
        })?);
        // Pasted anywhere on the page: only a picture is taken, text pastes as usual.
        listeners.push(Listener::new(
            &dom::document()?,
            "paste",
            |event: Event| {
                let transfer = event
                    .dyn_ref::<ClipboardEvent>()
                    .and_then(|e| e.clipboard_data());
                if let Some(file) = first_file(transfer).filter(|f| f.type_().starts_with("image/"))
                {
                    event.prevent_default();
                    take(file);
                }
                Ok(())
            },
        )?);
        Ok(PhotoCard {
            lang,
            root,
            figures,
            extra,
            status,
            crop,
            small,
            crop_caption,
            small_caption,
            drawn: None,
            _listeners: listeners,
            _drop: ImageDrop::new(take),
        })
    }

    /// The side of the pictures in CSS pixels: the centre square and its
    /// 32×32 side by side, also on a phone.
    pub fn side(&self) -> u32 {
        let width = match self.figures.client_width() {
            0 => self.root.client_width() - 40,
            w => w,
        };
        // Two pictures, the arrow and two gaps.
        ((width - 72) / 2).clamp(96, 160) as u32
    }

    /// Brings the card in line with the page's photo (cheap when nothing
    /// changed). Returns the photo and whether the card was redrawn, so the
    /// lesson redraws its own part then.
    pub fn catch_up(&mut self) -> WebResult<(Option<Numbered>, bool)> {
        let (revision, photo) = current();
        let key = (revision, self.root.client_width());
        if self.drawn == Some(key) {
            return Ok((photo, false));
        }
        self.drawn = Some(key);
        let news = CURRENT.with(|c| c.borrow().news.clone());
        let text = say(self.lang, &news);
        dom::set_text_if_changed(&self.status, &text);
        self.status.set_hidden(text.is_empty());
        self.status
            .class_list()
            .toggle_with_force("warning", matches!(news, News::Failed(..)))?;
        self.figures.set_hidden(photo.is_none());
        self.extra.set_hidden(photo.is_none());
        if let Some((_, photo)) = &photo {
            self.draw(photo)?;
        }
        Ok((photo, true))
    }

    fn draw(&mut self, photo: &Photo) -> WebResult<()> {
        let lang = self.lang;
        let side = self.side();
        self.crop.resize(side, side)?;
        let device = f64::from(self.crop.element.width());
        let context = context_2d(&self.crop.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        smooth_high(&context);
        context.draw_image_with_html_canvas_element_and_dw_and_dh(
            &photo.preview,
            0.0,
            0.0,
            device,
            device,
        )?;
        draw_small(&mut self.small, &photo.small, side)?;
        let (w, h) = photo.size;
        let s = photo.crop.side;
        let crop_text = lang.fill(
            Key::PhotoCropCaption,
            &[
                ("side", &s.to_string()),
                ("width", &w.to_string()),
                ("height", &h.to_string()),
            ],
        );
        dom::set_text_if_changed(&self.crop_caption, &crop_text);
        let n = s as f64 / CIFAR_SIDE as f64;
        let n = if n.fract() == 0.0 {
            format!("{n:.0}")
        } else {
            format!("{n:.1}")
        };
        let small_text = lang.fill(Key::PhotoSmallCaption, &[("n", &n)]);
        dom::set_text_if_changed(&self.small_caption, &small_text);
        Ok(())
    }
}

/// A 32×32 RGBA picture on `canvas`, `side` CSS pixels a side, enlarged
/// with nearest-neighbour sampling so every pixel is a crisp block.
pub fn draw_small(canvas: &mut HiDpiCanvas, rgba: &[u8], side: u32) -> WebResult<()> {
    canvas.resize(side, side)?;
    let small: HtmlCanvasElement = dom::create("canvas", "")?;
    small.set_width(CIFAR_SIDE as u32);
    small.set_height(CIFAR_SIDE as u32);
    pictures::blit(
        &context_2d(&small)?,
        rgba,
        CIFAR_SIDE,
        CIFAR_SIDE,
        1,
        (0.0, 0.0),
    )?;
    let device = f64::from(canvas.element.width());
    let context = context_2d(&canvas.element)?;
    context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
    context.set_image_smoothing_enabled(false);
    context.draw_image_with_html_canvas_element_and_dw_and_dh(&small, 0.0, 0.0, device, device)?;
    Ok(())
}
