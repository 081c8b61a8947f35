//! The summary page: the map of the lecture (a card per lesson, each a link
//! with its number, drawing, title and key sentence), the lecture's closing
//! summary and message, and the lecture's Paddle code beside nnlab's.

use web_sys::{HtmlAnchorElement, HtmlElement};

use super::model::{lecture_map, Model};
use super::thumbnails::{self, sketch_of, HEIGHT, WIDTH};
use crate::error::WebResult;
use crate::i18n::Key;
use crate::lessons::kit::page::Redraw;
use crate::lessons::{LessonView, Mount};
use crate::widgets::{dom, HiDpiCanvas, Listener};

/// A lesson's card on the map: its drawing, redrawn when the screen changes.
struct Thumb {
    canvas: HiDpiCanvas,
    sketch: Option<thumbnails::Sketch>,
    number: usize,
}

/// The summary page.
pub struct View {
    thumbs: Vec<Thumb>,
    redraw: Redraw,
    _listeners: Vec<Listener>,
}

/// A card with a heading, appended to `parent` and named for `hide=`.
fn card(parent: &HtmlElement, class: &str, name: &str, heading: &str) -> WebResult<HtmlElement> {
    let card: HtmlElement = dom::add(parent, "section", &format!("card {class}"))?;
    card.set_id(&format!("sum-{name}"));
    dom::name_control(&card, name);
    dom::add_text(&card, "h3", "", heading)?;
    Ok(card)
}

/// A code listing with a caption.
fn listing(parent: &HtmlElement, caption: &str, code: &str, id: &str) -> WebResult<()> {
    let figure: HtmlElement = dom::add(parent, "figure", "sum-listing")?;
    dom::add_text(&figure, "figcaption", "", caption)?;
    let pre: HtmlElement = dom::add(&figure, "pre", "sum-code")?;
    pre.set_id(id);
    dom::add_text(&pre, "code", "", code)?;
    Ok(())
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, id, .. }: &Mount, _model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let map = card(root, "sum-map", "map", t(Key::SumMapHeading))?;
        let mut thumbs = Vec::new();
        for (part, lessons) in lecture_map(id) {
            dom::add_text(&map, "h4", "sum-part", t(part.title()))?;
            let list: HtmlElement = dom::add(&map, "ol", "sum-lessons")?;
            for lesson in lessons {
                let item: HtmlElement = dom::add(&list, "li", "")?;
                let link: HtmlAnchorElement = dom::add(&item, "a", "sum-lesson")?;
                link.set_href(&format!("#{}", lesson.slug()));
                link.set_attribute("data-lesson", lesson.slug())?;
                let canvas = HiDpiCanvas::new("sum-thumb")?;
                canvas.element.set_attribute("aria-hidden", "true")?;
                dom::append(&link, &canvas.element)?;
                let text: HtmlElement = dom::add(&link, "span", "sum-lesson-text")?;
                let title = format!("{} · {}", lesson.number(), t(lesson.title()));
                dom::add_text(&text, "strong", "sum-lesson-title", &title)?;
                dom::add_text(
                    &text,
                    "span",
                    "sum-lesson-sentence",
                    t(lesson.key_sentence()),
                )?;
                thumbs.push(Thumb {
                    canvas,
                    sketch: sketch_of(lesson.slug()),
                    number: lesson.number(),
                });
            }
        }

        let recap = card(root, "sum-recap", "recap", t(Key::SumRecapHeading))?;
        let list: HtmlElement = dom::add(&recap, "ul", "sum-points")?;
        for line in t(Key::SumRecapPoints).lines() {
            dom::add_text(&list, "li", "", line)?;
        }

        let closing = card(root, "sum-closing", "closing", t(Key::SumClosingHeading))?;
        let message: HtmlElement = dom::add(&closing, "p", "sum-message")?;
        message.set_id("sum-message");
        dom::add_text(&message, "span", "sum-short", t(Key::SumShortTerm))?;
        dom::add_text(&message, "span", "sum-long", t(Key::SumLongTerm))?;
        dom::add_text(&closing, "p", "sum-note", t(Key::SumFutureQuestion))?;
        let properties: HtmlElement = dom::add(&closing, "ul", "sum-points")?;
        for line in t(Key::SumProperties).lines() {
            dom::add_text(&properties, "li", "", line)?;
        }

        let frameworks = card(
            root,
            "sum-frameworks",
            "frameworks",
            t(Key::SumFrameworksHeading),
        )?;
        dom::add_text(&frameworks, "p", "sum-note", t(Key::SumFrameworksText))?;
        let pair: HtmlElement = dom::add(&frameworks, "div", "sum-pair")?;
        listing(
            &pair,
            t(Key::SumPaddleCaption),
            t(Key::SumPaddleCode),
            "sum-paddle",
        )?;
        listing(
            &pair,
            t(Key::SumNnlabCaption),
            t(Key::SumNnlabCode),
            "sum-nnlab",
        )?;
        listing(
            &frameworks,
            t(Key::SumRustCaption),
            t(Key::SumRustCode),
            "sum-rust",
        )?;

        let (redraw, on_resize) = Redraw::new()?;
        Ok(View {
            thumbs,
            redraw,
            _listeners: vec![on_resize],
        })
    }

    /// The drawings are drawn once, and again when the screen's pixel density may have changed.
    fn catch_up(&mut self, _model: &Model) -> WebResult<()> {
        let resized = self.redraw.take_resize();
        if !self.redraw.due(resized, 0) {
            return Ok(());
        }
        for thumb in &mut self.thumbs {
            thumb.canvas.resize(WIDTH, HEIGHT)?;
            thumbnails::draw(&thumb.canvas, thumb.sketch, thumb.number)?;
        }
        Ok(())
    }
}
