//! Browser tests of the initialisation and training-loop lessons: mounted
//! into a test page, ticked and drawn, their canvases really show histogram
//! bars, thumbnails and a loss curve.
#![cfg(target_arch = "wasm32")]

use nnlab_web::commands::Command;
use nnlab_web::draw::context_2d;
use nnlab_web::i18n::Lang;
use nnlab_web::lessons::LessonId;
use nnlab_web::widgets::dom;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh, visible container in the test page.
fn root() -> HtmlElement {
    let root: HtmlElement = dom::create("main", "lesson").unwrap();
    root.style().set_property("width", "1000px").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &root).unwrap();
    root
}

/// Pixels of canvas `id` within 12 of the colour `rgb` in every channel.
fn pixels_like(id: &'static str, rgb: [u8; 3]) -> usize {
    let canvas: HtmlCanvasElement = dom::by_id(id).unwrap();
    let (w, h) = (canvas.width(), canvas.height());
    let data = context_2d(&canvas)
        .unwrap()
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .unwrap()
        .data()
        .0;
    data.chunks_exact(4)
        .filter(|p| (0..3).all(|c| p[c].abs_diff(rgb[c]) < 12))
        .count()
}

const WEIGHT_BLUE: [u8; 3] = [0x3b, 0x4f, 0xd8];
/// The light palette's warm colour (draw/palette.rs, LIGHT.warm).
const ACTIVATION_ORANGE: [u8; 3] = [0xb9, 0x50, 0x1c];

#[wasm_bindgen_test]
fn init_lesson_draws_weight_and_activation_histograms() {
    let root = root();
    let mut lesson = LessonId::from_slug("weight-init").unwrap().build().unwrap();
    lesson.mount(&root, Lang::En).unwrap();
    lesson.draw().unwrap();
    // Nothing computed yet: only the blue column title, no bars.
    let title_only = pixels_like("init-canvas", WEIGHT_BLUE);
    assert!(title_only < 1500, "{title_only}");
    for _ in 0..200 {
        lesson.tick(16.0).unwrap();
    }
    lesson.draw().unwrap();
    let blue = pixels_like("init-canvas", WEIGHT_BLUE);
    let orange = pixels_like("init-canvas", ACTIVATION_ORANGE);
    assert!(blue > title_only + 2000, "weight bars: {blue} px");
    assert!(orange > 500, "activation bars: {orange} px");
    // Preset 5 (all zeros): every value is exactly 0, counted but not drawn.
    lesson.command(Command::Preset(5)).unwrap();
    for _ in 0..400 {
        lesson.tick(16.0).unwrap();
    }
    lesson.draw().unwrap();
    assert_eq!(pixels_like("init-canvas", WEIGHT_BLUE), title_only);
    let verdict = dom::document()
        .unwrap()
        .get_element_by_id("init-verdict")
        .unwrap();
    assert!(verdict.text_content().unwrap().contains("symmetry"));
    lesson.unmount();
    root.remove();
}

#[wasm_bindgen_test]
fn training_lesson_draws_the_batch_and_the_loss_curve() {
    let root = root();
    let mut lesson = LessonId::from_slug("training").unwrap().build().unwrap();
    lesson.mount(&root, Lang::Zh).unwrap();
    lesson.draw().unwrap();
    assert_eq!(pixels_like("train-curve", WEIGHT_BLUE), 0);
    // Three iterations by hand, five phases each (→ is one phase).
    for _ in 0..15 {
        lesson.command(Command::Step).unwrap();
    }
    lesson.draw().unwrap();
    // The stand-in images' noise is grey and dark: the thumbnails canvas is far from empty.
    let canvas: HtmlCanvasElement = dom::by_id("train-thumbs").unwrap();
    let data = context_2d(&canvas)
        .unwrap()
        .get_image_data(
            0.0,
            0.0,
            f64::from(canvas.width()),
            f64::from(canvas.height()),
        )
        .unwrap()
        .data()
        .0;
    let opaque = data.chunks_exact(4).filter(|p| p[3] == 255).count();
    assert!(opaque > 4000, "thumbnail pixels: {opaque}");
    assert!(pixels_like("train-curve", WEIGHT_BLUE) > 50);
    let updates = dom::document()
        .unwrap()
        .get_element_by_id("train-updates")
        .unwrap();
    assert_eq!(updates.text_content().unwrap(), "3");
    lesson.unmount();
    root.remove();
}

#[wasm_bindgen_test]
fn the_loss_curve_shows_the_first_update_as_a_dot() {
    let root = root();
    let mut lesson = LessonId::from_slug("training").unwrap().build().unwrap();
    lesson.mount(&root, Lang::En).unwrap();
    // One iteration: five phases, one weight update, one loss.
    for _ in 0..5 {
        lesson.command(Command::Step).unwrap();
    }
    lesson.draw().unwrap();
    let updates = dom::document()
        .unwrap()
        .get_element_by_id("train-updates")
        .unwrap();
    assert_eq!(updates.text_content().unwrap(), "1");
    // A line of one point draws nothing; the dot is a disc of radius ≥ 3.
    let dot = pixels_like("train-curve", WEIGHT_BLUE);
    assert!(dot >= 12, "the first loss is a visible dot: {dot} px");
    lesson.unmount();
    root.remove();
}
