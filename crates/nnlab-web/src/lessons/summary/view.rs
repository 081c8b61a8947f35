//! The summary page: the map of the lecture (a card per lesson, each a link
//! with its number, drawing, title and key sentence), the lecture's closing
//! summary and message, and the lecture's Paddle code beside nnlab's.

use web_sys::HtmlElement;

use super::model::{lecture_map, Model};
use super::thumbnails::{self, sketch_of, HEIGHT, WIDTH};
use crate::error::WebResult;
use crate::i18n::Key;
use crate::lessons::kit::page::{line_list, section_card, Redraw};
use crate::lessons::{LessonView, Mount};
use crate::widgets::dom::{child as add, child_text as text};
use crate::widgets::{dom, HiDpiCanvas, Listener};

/// A lesson's card on the map: its drawing, redrawn when the screen changes.
struct Thumb {
    canvas: HiDpiCanvas,
    sketch: Option<&'static thumbnails::Sketch>,
    number: usize,
}

/// The summary page.
pub struct View {
    thumbs: Vec<Thumb>,
    redraw: Redraw,
    _listeners: Vec<Listener>,
}

/// A card named `name` for `hide=`, with its heading.
fn card(parent: &HtmlElement, class: &str, name: &str, heading: &str) -> HtmlElement {
    section_card(parent, class, &format!("sum-{name}"), name, heading)
}

/// The lecture's Paddle code, step by step (its comments are the page's language).
const PADDLE_MODEL: &str = "class myMLP(nn.Layer):
    def __init__(self, num_classes=10):
        super(myMLP, self).__init__()
        self.features = nn.Sequential(
            nn.Linear(in_features=3*100*100, out_features=100),
            nn.ReLU(),
            nn.Linear(in_features=100, out_features=256),
            nn.ReLU(),
            nn.Linear(in_features=256, out_features=256),
            nn.ReLU(),
            nn.Linear(in_features=256, out_features=num_classes))";
const PADDLE_PREPARE: &str = "model.prepare(
    paddle.optimizer.Adam(learning_rate=0.001,
                          parameters=model.parameters()),
    paddle.nn.CrossEntropyLoss(),
    paddle.metric.Accuracy())";
const PADDLE_TRAIN: &str = "train_reader = DataLoader(dataset_train, batch_size=64,
                          shuffle=True, drop_last=True)
total_epoch = 30";
/// The same with the `nnlab` command (crates/nnlab-cli): the lecture's
/// table, then its training settings on CIFAR-10.
const NNLAB_SUMMARY: &str = "nnlab summary --preset lecture";
const NNLAB_TRAIN: &str = "nnlab train --optimizer adam --lr 0.001 --batch 64 \\
    --epochs 30 --layers 100,256,256,10";

/// Code chunks, each under its comment, a blank line between.
fn commented(steps: &[(&str, &str)]) -> String {
    let chunks: Vec<String> = steps
        .iter()
        .map(|(c, code)| format!("{c}\n{code}"))
        .collect();
    chunks.join("\n\n")
}

/// A code listing with a caption.
fn listing(parent: &HtmlElement, caption: &str, code: &str, id: &str) {
    let figure = add(parent, "figure", "sum-listing");
    text(&figure, "figcaption", "", caption);
    let pre = add(&figure, "pre", "sum-code");
    pre.set_id(id);
    text(&pre, "code", "", code);
}

impl LessonView for View {
    type Model = Model;

    fn build(&Mount { root, lang, id, .. }: &Mount, _model: &Model) -> WebResult<View> {
        let t = |key| lang.text(key);
        let map = card(root, "sum-map", "map", t(Key::SumMapHeading));
        let mut thumbs = Vec::new();
        for (part, lessons) in lecture_map(id) {
            text(&map, "h4", "sum-part", t(part.title()));
            let list = add(&map, "ol", "sum-lessons");
            for lesson in lessons {
                let link = add(&add(&list, "li", ""), "a", "sum-lesson");
                dom::set_attr(&link, "href", &format!("#{}", lesson.slug()));
                dom::set_attr(&link, "data-lesson", lesson.slug());
                let canvas = HiDpiCanvas::wrap(dom::create_as("canvas", "sum-thumb"));
                dom::set_attr(&canvas.element, "aria-hidden", "true");
                dom::append_node(&link, &canvas.element);
                let words = add(&link, "span", "sum-lesson-text");
                let title = format!("{} · {}", lesson.number(), t(lesson.title()));
                text(&words, "strong", "sum-lesson-title", &title);
                text(
                    &words,
                    "span",
                    "sum-lesson-sentence",
                    t(lesson.key_sentence()),
                );
                thumbs.push(Thumb {
                    canvas,
                    sketch: sketch_of(lesson.slug()),
                    number: lesson.number(),
                });
            }
        }

        let recap = card(root, "sum-recap", "recap", t(Key::SumRecapHeading));
        line_list(&recap, "ul", "sum-points", t(Key::SumRecapPoints));

        let closing = card(root, "sum-closing", "closing", t(Key::SumClosingHeading));
        let message = add(&closing, "p", "sum-message");
        message.set_id("sum-message");
        text(&message, "span", "sum-short", t(Key::SumShortTerm));
        text(&message, "span", "sum-long", t(Key::SumLongTerm));
        text(&closing, "p", "sum-note", t(Key::SumFutureQuestion));
        line_list(&closing, "ul", "sum-points", t(Key::SumProperties));

        let frameworks = card(
            root,
            "sum-frameworks",
            "frameworks",
            t(Key::SumFrameworksHeading),
        );
        text(&frameworks, "p", "sum-note", t(Key::SumFrameworksText));
        let pair = add(&frameworks, "div", "sum-pair");
        let paddle = commented(&[
            (t(Key::SumPaddleStep1), PADDLE_MODEL),
            (t(Key::SumPaddleStep2), PADDLE_PREPARE),
            (t(Key::SumPaddleStep3), PADDLE_TRAIN),
        ]);
        listing(&pair, t(Key::SumPaddleCaption), &paddle, "sum-paddle");
        let nnlab = commented(&[
            (t(Key::SumNnlabStep1), NNLAB_SUMMARY),
            (t(Key::SumNnlabStep2), NNLAB_TRAIN),
        ]);
        listing(&pair, t(Key::SumNnlabCaption), &nnlab, "sum-nnlab");

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
            thumbnails::draw(&thumb.canvas, thumb.sketch, thumb.number);
        }
        Ok(())
    }
}
