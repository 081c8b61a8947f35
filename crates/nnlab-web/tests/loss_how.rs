//! Browser tests of the loss lesson and the how-it-works lesson: mounted into
//! a test page, their canvases really show the bars (green for the true
//! class, orange for positive gradients) and a decision map that changes as
//! the network trains.
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

fn pixels(id: &'static str) -> Vec<u8> {
    let canvas: HtmlCanvasElement = dom::by_id(id).unwrap();
    let (w, h) = (canvas.width(), canvas.height());
    context_2d(&canvas)
        .unwrap()
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .unwrap()
        .data()
        .0
}

/// Pixels of canvas `id` within 12 of the colour `rgb` in every channel.
fn pixels_like(id: &'static str, rgb: [u8; 3]) -> usize {
    pixels(id)
        .chunks_exact(4)
        .filter(|p| (0..3).all(|c| p[c].abs_diff(rgb[c]) < 12))
        .count()
}

fn text_of(id: &str) -> String {
    dom::document()
        .unwrap()
        .get_element_by_id(id)
        .unwrap()
        .text_content()
        .unwrap()
}

/// The view's colours: the light palette's true_class, accent and warm (draw/palette.rs, LIGHT).
const TRUE_GREEN: [u8; 3] = [0x17, 0x80, 0x44];
const OTHER_BLUE: [u8; 3] = [0x3b, 0x4f, 0xd8];
const PUSH_ORANGE: [u8; 3] = [0xb9, 0x50, 0x1c];

#[wasm_bindgen_test]
fn loss_lesson_draws_probability_and_gradient_bars() {
    let root = root();
    let mut lesson = LessonId::from_slug("loss-and-optimizer")
        .unwrap()
        .build()
        .unwrap();
    lesson.mount(&root, Lang::En).unwrap();
    lesson.draw().unwrap();
    // Uniform logits: nine blue probability bars, one green, and nine orange gradient bars (+0.1).
    assert_eq!(text_of("loss-value"), "2.303");
    let green_uniform = pixels_like("loss-canvas", TRUE_GREEN);
    let blue = pixels_like("loss-canvas", OTHER_BLUE);
    let orange = pixels_like("loss-canvas", PUSH_ORANGE);
    assert!(green_uniform > 300, "green bars: {green_uniform}");
    assert!(blue > 1000, "blue bars: {blue}");
    assert!(orange > 200, "orange gradient bars: {orange}");

    // Confident and right: the green probability bar grows to ~96 %, the blue ones all but vanish.
    lesson.command(Command::Preset(1)).unwrap();
    lesson.draw().unwrap();
    assert_eq!(text_of("loss-value"), "0.037");
    let green_right = pixels_like("loss-canvas", TRUE_GREEN);
    assert!(
        green_right > green_uniform + 1000,
        "{green_uniform} → {green_right}"
    );
    assert!(
        pixels_like("loss-canvas", OTHER_BLUE) < blue,
        "other bars shrink"
    );

    // Confident and wrong: the dog bar (blue) takes the probability; the truth's gradient is ≈ −1.
    lesson.command(Command::Preset(4)).unwrap();
    lesson.draw().unwrap();
    assert_eq!(text_of("loss-value"), "6.022");
    assert!(text_of("loss-predicted").contains('✗'));
    lesson.unmount();
    root.remove();
}

#[wasm_bindgen_test]
fn how_it_works_map_changes_while_training() {
    let root = root();
    let mut lesson = LessonId::from_slug("how-it-works")
        .unwrap()
        .build()
        .unwrap();
    lesson.mount(&root, Lang::Zh).unwrap();
    lesson.draw().unwrap();
    let before = pixels("how-map");
    // A heat map: many distinct colours, no blank canvas.
    let mut colours: Vec<u32> = before
        .chunks_exact(4)
        .map(|p| u32::from(p[0]) << 16 | u32::from(p[1]) << 8 | u32::from(p[2]))
        .collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 100, "{} colours", colours.len());

    // 300 whole steps by hand (three stages each from a fresh start, then four).
    lesson.command(Command::Step).unwrap();
    for _ in 0..(4 * 300) {
        lesson.command(Command::Step).unwrap();
    }
    lesson.draw().unwrap();
    let steps: usize = text_of("how-steps").parse().unwrap();
    assert!(steps >= 300, "{steps}");
    let loss: f64 = text_of("how-loss").parse().unwrap();
    assert!(loss < 0.2, "loss after {steps} steps: {loss}");
    let after = pixels("how-map");
    let changed = before
        .chunks_exact(4)
        .zip(after.chunks_exact(4))
        .filter(|(a, b)| (0..3).map(|c| a[c].abs_diff(b[c]) as u32).sum::<u32>() > 30)
        .count();
    assert!(
        changed > before.len() / 4 / 10,
        "{changed} of {} pixels changed",
        before.len() / 4
    );
    // The loss curve is drawn in the accent blue.
    assert!(pixels_like("how-curve", OTHER_BLUE) > 100);
    lesson.unmount();
    root.remove();
}
