//! The live-training lesson's part of "your own photo": the network being
//! trained (in the Worker) classifies the photo again whenever it has
//! changed (each snapshot), the page shows its three most likely classes,
//! says plainly how weak a CIFAR-10 MLP is on real photos, and puts a
//! CIFAR-10 test image of the top class (or of the class the student says
//! it is) beside it with the network's probability for each.

use std::cell::Cell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::model::{compared_class, example_of, top_three};
use crate::data_store;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::format::percent;
use crate::lessons::kit::own_photo::{draw_small, PhotoCard};
use crate::lessons::kit::pictures::CLASS_KEYS;
use crate::training::client;
use crate::widgets::{dom, HiDpiCanvas, Listener, Select};
use nnlab_worker::protocol::ToWorker;

/// The option of the comparison list that means "the network's top class".
const TOP: &str = "top";

/// The photo card with the network's guesses and the comparison.
pub struct LivePhoto {
    lang: Lang,
    card: PhotoCard,
    /// No network yet, untrained, asking…
    note: HtmlElement,
    guesses_title: HtmlElement,
    guesses: HtmlElement,
    compare: Select,
    /// The student's class for the comparison (None: the top class).
    choice: Rc<Cell<Option<usize>>>,
    example: HiDpiCanvas,
    example_caption: HtmlElement,
    /// (photo number, snapshot revision) of the last request.
    asked_for: Option<(u64, u64)>,
    /// The first request about the photo shown: older answers are not about it.
    first_request: u64,
    drawn: Option<(u64, u64, Option<usize>, i32)>,
    _listeners: Vec<Listener>,
}

impl LivePhoto {
    /// Builds the card at the end of `parent`.
    pub fn mount(parent: &HtmlElement, lang: Lang) -> WebResult<LivePhoto> {
        let t = |key| lang.text(key);
        let card = PhotoCard::mount(parent, lang, "live", Key::PhotoLiveExplain)?;
        // The test image beside the photo's 32×32, at the same size.
        let figure: HtmlElement = dom::add(&card.figures, "figure", "photo-figure photo-example")?;
        let example = HiDpiCanvas::picture(
            "photo-canvas",
            "live-photo-example",
            t(Key::PhotoCompareLabel),
        )?;
        dom::append(&figure, &example.element)?;
        let example_caption = dom::add_text(&figure, "figcaption", "", "")?;
        example_caption.set_id("live-photo-example-caption");

        let extra = &card.extra;
        let note = dom::add_text(extra, "p", "photo-note", "")?;
        note.set_id("live-photo-note");
        let guesses_title = dom::add_text(extra, "p", "live-card-true", "")?;
        let guesses: HtmlElement = dom::add(extra, "div", "photo-guesses")?;
        guesses.set_id("live-photo-guesses");
        let mut options: Vec<(&str, &str)> = vec![(TOP, t(Key::PhotoCompareTop))];
        let values: Vec<String> = (0..CLASS_KEYS.len()).map(|c| c.to_string()).collect();
        for (value, key) in values.iter().zip(CLASS_KEYS) {
            options.push((value, t(key)));
        }
        let compare = Select::new(t(Key::PhotoCompareLabel), &options, TOP)?;
        compare.element.set_id("live-photo-compare");
        dom::append(extra, &compare.root)?;
        dom::add_text(extra, "p", "photo-honest", t(Key::PhotoHonest))?;

        let choice = Rc::new(Cell::new(None));
        let chosen = choice.clone();
        let listener = compare.on_change(move |value: String| {
            chosen.set(value.parse().ok());
            Ok(())
        })?;
        Ok(LivePhoto {
            lang,
            card,
            note,
            guesses_title,
            guesses,
            compare,
            choice,
            example,
            example_caption,
            asked_for: None,
            first_request: u64::MAX,
            drawn: None,
            _listeners: vec![listener],
        })
    }

    /// Asks the Worker about a new photo or a changed network, and shows the
    /// latest answer (cheap when nothing changed).
    pub fn catch_up(&mut self) -> WebResult<()> {
        let (photo, _) = self.card.catch_up()?;
        let Some((photo_id, photo)) = photo else {
            return Ok(());
        };
        let record = client::record();
        let (ready, diverged, untrained, snapshot, pending) = {
            let r = record.borrow();
            let diverged = r.stats.as_ref().is_some_and(|s| s.diverged);
            (
                r.network.is_some(),
                diverged,
                r.updates() == 0,
                r.snapshot_revision,
                r.photo.pending(),
            )
        };
        let now = (photo_id, snapshot);
        if ready && !diverged && !pending && self.asked_for != Some(now) {
            let request = record.borrow_mut().ask_classification();
            if self.asked_for.is_none_or(|(id, _)| id != photo_id) {
                self.first_request = request;
            }
            self.asked_for = Some(now);
            client::send(&ToWorker::Classify {
                request,
                pixels: photo.planes.clone(),
            })?;
        }
        let record = record.borrow();
        let answered = record.photo.answered;
        let width = self.card.root.client_width();
        let key = (photo_id, answered, self.choice.get(), width);
        let note = if !ready {
            Key::PhotoNoNetwork
        } else if diverged {
            Key::PhotoDiverged
        } else if untrained {
            Key::PhotoUntrained
        } else {
            Key::PhotoTrained
        };
        dom::set_text_if_changed(&self.note, self.lang.text(note));
        if self.drawn == Some(key) {
            return Ok(());
        }
        self.drawn = Some(key);
        // Only an answer about this photo.
        let first = self.first_request;
        let result = (record.photo.result.as_ref()).filter(|r| r.request >= first && !diverged);
        let Some(result) = result else {
            dom::clear(&self.guesses);
            dom::set_text_if_changed(&self.guesses_title, "");
            self.compare.root.set_hidden(true);
            self.example.element.set_hidden(true);
            dom::set_text_if_changed(&self.example_caption, "");
            return Ok(());
        };
        let lang = self.lang;
        let name = |c: usize| CLASS_KEYS.get(c).map_or("", |k| lang.text(*k));
        let title = lang.fill(
            Key::PhotoGuessesTitle,
            &[(
                "updates",
                &crate::lessons::kit::data_panel::thousands(result.updates),
            )],
        );
        dom::set_text_if_changed(&self.guesses_title, &title);
        dom::clear(&self.guesses);
        for (class, p) in top_three(&result.probabilities) {
            let row: HtmlElement = dom::add(&self.guesses, "div", "live-card-row")?;
            dom::add_text(&row, "span", "", name(class))?;
            let bar: HtmlElement = dom::add(&row, "span", "live-card-bar")?;
            bar.style()
                .set_property("width", &format!("{:.0}%", f64::from(p) * 100.0))?;
            dom::add_text(&row, "span", "live-card-p", &percent(f64::from(p)))?;
        }
        self.compare.root.set_hidden(false);
        let class = compared_class(&result.probabilities, self.choice.get());
        let samples = data_store::samples();
        let example = example_of(result, class)
            .zip(samples)
            .filter(|(e, s)| e.index < s.len());
        let caption = match &example {
            Some((e, samples)) => {
                draw_small(
                    &mut self.example,
                    &samples.image_rgba(e.index),
                    self.card.side(),
                )?;
                let p = |probabilities: &[f32]| {
                    percent(f64::from(probabilities.get(class).copied().unwrap_or(0.0)))
                };
                lang.fill(
                    Key::PhotoCompareCaption,
                    &[
                        ("index", &e.index.to_string()),
                        ("class", name(class)),
                        ("p", &p(&e.probabilities)),
                        ("q", &p(&result.probabilities)),
                    ],
                )
            }
            None => lang.fill(Key::PhotoCompareNone, &[("class", name(class))]),
        };
        self.example.element.set_hidden(example.is_none());
        dom::set_attr(&self.example.element, "aria-label", &caption);
        dom::set_text_if_changed(&self.example_caption, &caption);
        Ok(())
    }
}
