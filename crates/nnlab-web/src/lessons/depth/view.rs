//! The Depth lesson's page: pick a test image, follow it through the layers,
//! and see every layer's representation of 300 test images side by side.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::data::Dataset;
use web_sys::{HtmlAnchorElement, HtmlElement};

use super::activations::{self, Row};
use super::model::{class_separation, predicted, ActivationSummary, Model, PROBE_CHOICES};
use super::scatter::draw_scatter;
use crate::data_store;
use crate::draw::{context_2d, palette};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::bind::Binder;
use crate::lessons::kit::data_panel::DataPanel;
use crate::lessons::kit::format::percent;
use crate::lessons::kit::pictures::{self, CLASS_COLORS, CLASS_KEYS};
use crate::lessons::{LessonView, Mount};
use crate::training::client;
use crate::training::record::TrainingRecord;
use crate::widgets::{dom, on_pointer, Button, HiDpiCanvas, Listener};
use nnlab_worker::protocol::{Snapshot, ToWorker};

/// The stages of the lecture's network: pixels, three hidden layers, output.
const STAGES: usize = 5;
const CLOUD_GAP: f64 = 14.0;

/// One layer's scatter and its captions.
struct Cloud {
    figure: HtmlElement,
    canvas: HiDpiCanvas,
    variance: HtmlElement,
    purity_fill: HtmlElement,
    separation: HtmlElement,
}

/// The depth lesson's page: the probe images, the activations layer by layer, the PCA clouds.
pub struct View {
    lang: Lang,
    panel: DataPanel,
    content: HtmlElement,
    status: HtmlElement,
    run: Button,
    thumbs: HiDpiCanvas,
    /// Thumbnail cell size and columns, for clicks.
    thumb_grid: Rc<RefCell<(f64, usize)>>,
    activations: HiDpiCanvas,
    clouds_box: HtmlElement,
    clouds: Vec<Cloud>,
    /// The probe index last asked of the Worker.
    requested: Option<usize>,
    drawn: Option<(u64, u64, i32, usize)>,
    listeners: Vec<Listener>,
}

impl View {
    fn write_status(&self, record: &TrainingRecord) {
        let lang = self.lang;
        let stats = record.stats.as_ref();
        let running = record.running();
        let updates = record.updates();
        self.run.set_label(lang.text(match stats {
            Some(_) if running => Key::Pause,
            Some(s) if s.updates > 0 => Key::LiveResume,
            _ => Key::LiveStart,
        }));
        let shown = record.snapshot.as_ref().map_or(0, |s| s.updates);
        let text = if stats.is_some_and(|s| s.diverged) {
            lang.text(Key::LiveDiverged).to_string()
        } else if record.network.is_none() {
            lang.text(Key::DataLooking).to_string()
        } else if updates == 0 && record.network.as_ref().is_some_and(|n| n.from_file) {
            lang.text(Key::DepthFromFile).to_string()
        } else if updates == 0 {
            lang.text(Key::DepthUntrained).to_string()
        } else {
            let last = record.tests.last();
            let accuracy = last.map_or("—".into(), |t| percent(f64::from(t.accuracy)));
            let key = if last.is_some_and(|t| t.held_out) {
                Key::DepthTrainedHeldOut
            } else {
                Key::DepthTrained
            };
            lang.fill(
                key,
                &[
                    ("updates", &nnlab::nn::thousands(updates)),
                    ("shown", &nnlab::nn::thousands(shown)),
                    ("accuracy", &accuracy),
                ],
            )
        };
        dom::set_text_if_changed(&self.status, &text);
    }

    /// Width available inside a card, CSS pixels.
    fn inner_width(&self) -> f64 {
        f64::from((self.content.client_width() - 44).max(260))
    }

    fn draw_thumbs(&mut self, model: &Model, samples: &Dataset) -> WebResult<()> {
        let width = self.inner_width();
        let count = PROBE_CHOICES.min(samples.len());
        // 64-pixel thumbnails (two pixels per image pixel) in one row of 16
        // when there is room, else two rows of 8.
        let columns = if width >= 16.0 * 72.0 { 16 } else { 8 };
        let cell = (width / columns as f64).clamp(36.0, 72.0).floor();
        *self.thumb_grid.borrow_mut() = (cell, columns);
        let rows = count.div_ceil(columns).max(1);
        self.thumbs
            .resize((cell * columns as f64) as u32, (cell * rows as f64) as u32)?;
        let dpr = self.thumbs.device_pixel_ratio();
        let context = context_2d(&self.thumbs.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        context.clear_rect(
            0.0,
            0.0,
            f64::from(self.thumbs.element.width()),
            f64::from(self.thumbs.element.height()),
        );
        let scale = (((cell - 8.0) * dpr) / 32.0).floor().max(1.0) as usize;
        let image = (scale * 32) as f64 / dpr;
        for index in 0..count {
            let (col, row) = ((index % columns) as f64, (index / columns) as f64);
            let at = (
                col * cell + (cell - image) / 2.0,
                row * cell + (cell - image) / 2.0,
            );
            pictures::blit(
                &context,
                &samples.image_rgba(index),
                32,
                32,
                scale,
                (at.0 * dpr, at.1 * dpr),
            )?;
            if index == model.selected {
                context.set_stroke_style_str(palette::current().accent);
                context.set_line_width(3.0 * dpr);
                context.stroke_rect(
                    (at.0 - 2.5) * dpr,
                    (at.1 - 2.5) * dpr,
                    (image + 5.0) * dpr,
                    (image + 5.0) * dpr,
                );
            }
        }
        Ok(())
    }

    fn draw_activations(&mut self, shot: &Snapshot, samples: &Dataset) -> WebResult<()> {
        let lang = self.lang;
        let index = shot.probe_index.min(samples.len() - 1);
        let truth = samples.label(index);
        let name = |c: usize| {
            CLASS_KEYS
                .get(c)
                .map_or(String::new(), |k| lang.text(*k).to_string())
        };
        let mut rows = vec![Row::Pixels {
            title: lang.fill(
                Key::DepthActInput,
                &[("index", &index.to_string()), ("class", &name(truth))],
            ),
            bytes: samples.image(index),
        }];
        let last = shot.probe_layers.len().saturating_sub(1);
        for (l, values) in shot.probe_layers.iter().enumerate() {
            if l < last {
                let s = ActivationSummary::of(values);
                rows.push(Row::Bars {
                    title: lang.fill(
                        Key::DepthActHidden,
                        &[
                            ("layer", &(l + 1).to_string()),
                            ("units", &s.units.to_string()),
                            ("zeros", &s.zeros.to_string()),
                            ("max", &format!("{:.2}", s.max)),
                        ],
                    ),
                    values,
                });
            } else {
                let guess = predicted(values).map_or(String::new(), name);
                rows.push(Row::Probabilities {
                    title: lang.fill(
                        Key::DepthActOutput,
                        &[("predicted", &guess), ("truth", &name(truth))],
                    ),
                    values,
                    names: (0..values.len()).map(name).collect(),
                    truth,
                });
            }
        }
        let width = self.inner_width().min(900.0);
        self.activations
            .resize(width as u32, activations::height(&rows).ceil() as u32)?;
        activations::draw_activations(&self.activations, &rows)?;
        // Which image is drawn, for tests and assistive tools.
        self.activations
            .element
            .set_attribute("data-probe", &format!("#{index} "))?;
        Ok(())
    }

    fn draw_clouds(&mut self, shot: &Snapshot, samples: &Dataset) -> WebResult<()> {
        let lang = self.lang;
        // Less a scrollbar's width: one may appear once the pictures are in.
        let width = f64::from((self.clouds_box.client_width() - 16).max(260));
        let per_row = if width >= 5.0 * 150.0 + 4.0 * CLOUD_GAP {
            5
        } else if width >= 3.0 * 150.0 + 2.0 * CLOUD_GAP {
            3
        } else {
            2
        };
        let size = ((width - (per_row - 1) as f64 * CLOUD_GAP) / per_row as f64)
            .floor()
            .min(240.0) as u32;
        let labels = samples.labels();
        let ring = (shot.probe_index < PROBE_CHOICES).then_some(shot.probe_index);
        for (k, cloud) in self.clouds.iter_mut().enumerate() {
            cloud.canvas.resize(size, size)?;
            // Captions wrap within the picture's width.
            cloud
                .figure
                .style()
                .set_property("width", &format!("{size}px"))?;
            let Some(layer) = shot.clouds.get(k) else {
                draw_scatter(&cloud.canvas, &[], &[], None)?;
                dom::set_text_if_changed(&cloud.variance, lang.text(Key::DepthNoCloud));
                dom::set_text_if_changed(&cloud.separation, "");
                cloud.purity_fill.style().set_property("width", "0%")?;
                continue;
            };
            let n = layer.points.len().min(labels.len());
            draw_scatter(&cloud.canvas, &layer.points[..n], &labels[..n], ring)?;
            let explained = f64::from(layer.explained[0] + layer.explained[1]);
            dom::set_text_if_changed(
                &cloud.variance,
                &lang.fill(Key::DepthCloudVariance, &[("percent", &percent(explained))]),
            );
            let separation = class_separation(&layer.points[..n], &labels[..n]);
            let value = separation.map_or("—".into(), |s| format!("{s:.2}"));
            dom::set_text_if_changed(
                &cloud.separation,
                &lang.fill(Key::DepthSeparation, &[("value", &value)]),
            );
            cloud.purity_fill.style().set_property(
                "width",
                &format!("{:.0}%", separation.unwrap_or(0.0) * 100.0),
            )?;
        }
        Ok(())
    }
}

impl LessonView for View {
    type Model = Model;

    /// Brings the page up to date (cheap when nothing changed).
    fn catch_up(&mut self, model: &Model) -> WebResult<()> {
        let Some(samples) = self.panel.samples(&self.content)? else {
            return Ok(());
        };
        let record = client::record();
        let record = record.borrow();
        self.write_status(&record);
        if record.network.is_some() && self.requested != Some(model.selected) {
            self.requested = Some(model.selected);
            client::send(&ToWorker::Probe {
                index: model.selected,
            })?;
        }
        let width = self.content.client_width();
        let key = (
            record.snapshot_revision,
            model.revision,
            width,
            samples.len(),
        );
        if self.drawn == Some(key) {
            return Ok(());
        }
        self.drawn = Some(key);
        self.draw_thumbs(model, &samples)?;
        if let Some(shot) = record.snapshot.as_ref() {
            self.draw_activations(shot, &samples)?;
            self.draw_clouds(shot, &samples)?;
        }
        Ok(())
    }

    fn build(at: &Mount, _: &Model) -> WebResult<View> {
        client::ensure_started()?;
        let (root, lang) = (at.root, at.lang);
        let t = |key| lang.text(key);
        dom::add_text(&at.head, "blockquote", "depth-quote", t(Key::DepthQuote))?;
        let panel = DataPanel::mount(at.root, at.lang, "depth")?;
        let content: HtmlElement = dom::create("div", "depth-content")?;

        let status_card: HtmlElement = dom::add(&content, "section", "card depth-status-card")?;
        dom::name_control(&status_card, "run");
        let status = dom::add_text(&status_card, "p", "depth-status", "")?;
        status.set_id("depth-status");
        status.set_attribute("role", "status")?;
        let buttons: HtmlElement = dom::add(&status_card, "div", "depth-actions")?;
        let run = Button::new(t(Key::LiveStart), "primary")?;
        run.element.set_id("depth-run");
        dom::append(&buttons, &run.element)?;
        let go_live: HtmlAnchorElement = dom::add(&buttons, "a", "depth-go-live")?;
        go_live.set_href("#live-training");
        go_live.set_text_content(Some(t(Key::DepthGoLive)));

        let pick_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&pick_card, "pick");
        dom::add_text(&pick_card, "h3", "card-title", t(Key::DepthPickTitle))?;
        let thumbs = HiDpiCanvas::picture("depth-thumbs", "depth-thumbs", t(Key::DepthPickTitle))?;
        dom::append(&pick_card, &thumbs.element)?;
        dom::add_text(&pick_card, "p", "muted", t(Key::DepthPickHint))?;

        let act_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&act_card, "activations");
        dom::add_text(&act_card, "h3", "card-title", t(Key::DepthActTitle))?;
        dom::add_text(&act_card, "p", "muted", t(Key::DepthActExplain))?;
        let activations = HiDpiCanvas::picture(
            "depth-activations",
            "depth-activations",
            t(Key::DepthActTitle),
        )?;
        dom::append(&act_card, &activations.element)?;

        let clouds_card: HtmlElement = dom::add(&content, "section", "card")?;
        dom::name_control(&clouds_card, "clouds");
        dom::add_text(&clouds_card, "h3", "card-title", t(Key::DepthCloudsTitle))?;
        dom::add_text(&clouds_card, "p", "muted", t(Key::DepthCloudsExplain))?;
        let legend: HtmlElement = dom::add(&clouds_card, "ul", "depth-legend")?;
        for (c, key) in CLASS_KEYS.iter().enumerate() {
            let item: HtmlElement = dom::add(&legend, "li", "")?;
            let chip: HtmlElement = dom::add(&item, "span", "depth-chip")?;
            chip.style()
                .set_property("background", &pictures::css(CLASS_COLORS[c]))?;
            dom::add_text(&item, "span", "", t(*key))?;
        }
        let clouds_box: HtmlElement = dom::add(&clouds_card, "div", "depth-clouds")?;
        let titles = [
            t(Key::DepthCloudPixels).to_string(),
            lang.fill(Key::DepthCloudHidden, &[("layer", "1"), ("units", "100")]),
            lang.fill(Key::DepthCloudHidden, &[("layer", "2"), ("units", "256")]),
            lang.fill(Key::DepthCloudHidden, &[("layer", "3"), ("units", "256")]),
            t(Key::DepthCloudOutput).to_string(),
        ];
        let mut clouds = Vec::with_capacity(STAGES);
        for (k, title) in titles.iter().enumerate() {
            let figure: HtmlElement = dom::add(&clouds_box, "figure", "depth-cloud")?;
            dom::add_text(&figure, "figcaption", "", title)?;
            let canvas =
                HiDpiCanvas::picture("depth-cloud-canvas", &format!("depth-cloud-{k}"), title)?;
            dom::append(&figure, &canvas.element)?;
            let variance = dom::add_text(&figure, "p", "depth-variance", "")?;
            let purity: HtmlElement = dom::add(&figure, "div", "depth-purity")?;
            let purity_fill: HtmlElement = dom::add(&purity, "div", "depth-purity-fill")?;
            let separation = dom::add_text(&figure, "p", "depth-sep", "")?;
            separation.set_id(&format!("depth-sep-{k}"));
            clouds.push(Cloud {
                figure,
                canvas,
                variance,
                purity_fill,
                separation,
            });
        }
        dom::add_text(&clouds_card, "p", "muted", t(Key::DepthSeparationExplain))?;
        dom::append(root, &content)?;

        let thumb_grid = Rc::new(RefCell::new((60.0, 16)));
        Ok(View {
            lang,
            panel,
            content,
            status,
            run,
            thumbs,
            thumb_grid,
            activations,
            clouds_box,
            clouds,
            requested: None,
            drawn: None,
            listeners: Vec::new(),
        })
    }

    fn listen(&mut self, model: &Rc<RefCell<Model>>) -> WebResult<()> {
        let mut bind = Binder::new(model);
        // A click on a thumbnail picks the image whose layers are shown.
        let grid = self.thumb_grid.clone();
        let pick = bind.with(move |m: &mut Model, (x, y): (f64, f64)| {
            let (cell, columns) = *grid.borrow();
            let (col, row) = ((x / cell).floor(), (y / cell).floor());
            let index = row as usize * columns + col as usize;
            let available = data_store::samples().map_or(0, |s| s.len());
            if col >= 0.0
                && row >= 0.0
                && (col as usize) < columns
                && index < PROBE_CHOICES.min(available)
            {
                m.select(index);
            }
        });
        bind.keep(on_pointer(&self.thumbs.element, "click", pick)?);
        // Run and pause go to the training Worker, which the lesson shares with live training.
        bind.keep(self.run.on_click(client::run_or_pause)?);
        self.listeners = bind.finish();
        Ok(())
    }
}
