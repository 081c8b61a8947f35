//! Browser tests of the network lessons' pictures: the activation chart
//! really draws its curves and marks each neuron's z where it belongs, the
//! backprop graph has a box per tape node and highlights the node being
//! visited, and the network drawing cuts wide layers.
//!
//! Run: `cargo test --target wasm32-unknown-unknown -p nnlab-web --test network_lessons`
//! (with the runner set up as described in tests/web.rs).
#![cfg(target_arch = "wasm32")]

use nnlab::nn::{Activation, MlpSpec};
use nnlab_web::draw::context_2d;
use nnlab_web::i18n::Lang;
use nnlab_web::lessons::backprop::draw_graph;
use nnlab_web::lessons::backprop::presets::PresetId;
use nnlab_web::lessons::backprop::replay::Replay;
use nnlab_web::lessons::backprop::trace::Trace;
use nnlab_web::lessons::network::drawing;
use nnlab_web::lessons::neurons::plot;
use nnlab_web::widgets::{dom, HiDpiCanvas};
use plotters::prelude::{IntoDrawingArea, RGBColor};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

type Image = (u32, u32, Vec<u8>);

fn canvas(width: u32, height: u32) -> HiDpiCanvas {
    let element: HtmlCanvasElement = dom::create("canvas", "").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &element).unwrap();
    let mut canvas = HiDpiCanvas::wrap(element);
    canvas.resize(width, height).unwrap();
    canvas
}

fn pixels(element: &HtmlCanvasElement) -> Image {
    let (w, h) = (element.width(), element.height());
    let image = context_2d(element)
        .unwrap()
        .get_image_data(0.0, 0.0, w as f64, h as f64)
        .unwrap();
    (w, h, image.data().0)
}

fn near_colour(p: &[u8], c: RGBColor) -> bool {
    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs();
    d(p[0], c.0) < 40 && d(p[1], c.1) < 40 && d(p[2], c.2) < 40
}

fn count(image: &Image, c: RGBColor) -> usize {
    image.2.chunks(4).filter(|p| near_colour(p, c)).count()
}

/// Whether a pixel of colour `c` lies within `radius` device pixels of (x, y).
fn colour_near(image: &Image, (x, y): (i32, i32), radius: i32, c: RGBColor) -> bool {
    let (w, h, data) = image;
    (-radius..=radius).any(|dy| {
        (-radius..=radius).any(|dx| {
            let (px, py) = (x + dx, y + dy);
            if px < 0 || py < 0 || px >= *w as i32 || py >= *h as i32 {
                return false;
            }
            let i = (py as usize * *w as usize + px as usize) * 4;
            near_colour(&data[i..i + 4], c)
        })
    })
}

fn draw_chart(activation: Activation, pre: &[f32]) -> (Image, Vec<(i32, i32)>) {
    let canvas = canvas(600, 372);
    let markers = vec!["z₁".to_string(), "z₂".to_string()];
    let labels = plot::Labels {
        function: "f(z)",
        derivative: "f′(z)",
        markers: &markers,
    };
    let area = canvas.backend().unwrap().into_drawing_area();
    let placed = plot::draw(&area, activation, pre, &labels).unwrap().markers;
    area.present().unwrap();
    let dpr = canvas.device_pixel_ratio();
    let device = placed
        .into_iter()
        .map(|(x, y)| ((f64::from(x) * dpr) as i32, (f64::from(y) * dpr) as i32))
        .collect();
    (pixels(&canvas.element), device)
}

#[wasm_bindgen_test]
fn the_activation_chart_draws_both_curves_and_marks_each_z() {
    // The worked example of the lesson: z = (−0.25, 1.25) under ReLU.
    let (image, markers) = draw_chart(Activation::Relu, &[-0.25, 1.25]);
    assert!(
        count(&image, plot::curve_color()) > 300,
        "the function is drawn"
    );
    assert!(count(&image, plot::SLOPE) > 200, "the derivative is drawn");
    assert_eq!(markers.len(), 2);
    for &m in &markers {
        assert!(
            colour_near(&image, m, 2, plot::marker_color()),
            "no marker at {m:?}"
        );
    }
    // relu(−0.25) = 0 and relu(1.25) = 1.25: the second marker is higher
    // (smaller y) and to the right of the first.
    assert!(markers[1].0 > markers[0].0 && markers[1].1 < markers[0].1);
}

#[wasm_bindgen_test]
fn a_sigmoid_marker_sits_half_way_up() {
    // σ(0) = ½ on a y range of [−0.15, 1.12]; z = 3 gives σ ≈ 0.95, higher up.
    let (image, markers) = draw_chart(Activation::Sigmoid, &[0.0, 3.0]);
    for &m in &markers {
        assert!(
            colour_near(&image, m, 2, plot::marker_color()),
            "no marker at {m:?}"
        );
    }
    assert!(markers[1].1 < markers[0].1);
    // Far from both markers (top-right corner of the plot) there is no marker colour.
    let (w, _, _) = image;
    assert!(!colour_near(
        &image,
        (w as i32 - 40, 40),
        10,
        plot::marker_color()
    ));
}

fn attach(element: &Element) {
    dom::append(&dom::document().unwrap().body().unwrap(), element).unwrap();
}

#[wasm_bindgen_test]
fn the_backprop_graph_has_a_box_per_node_and_highlights_the_visit() {
    // The lecture's f = a(W₁, b(W₂, c(W₃))): tape nodes W₁, W₂, W₃, c, W₂·c, tanh, f.
    let preset = PresetId::Lecture.preset();
    let trace = Trace::record(&preset, &[2.0, 0.7, 1.0]);
    let mut replay = Replay::new(&trace);
    replay.step(&trace); // the output f
    replay.step(&trace); // then b = tanh
    let picture = draw_graph(&trace, &replay, Lang::En).unwrap();
    attach(&picture);

    let nodes = picture.query_selector_all(".bp-node").unwrap();
    assert_eq!(nodes.length(), 7);
    let rect = picture
        .query_selector(".bp-node rect")
        .unwrap()
        .unwrap()
        .get_bounding_client_rect();
    assert!(
        rect.width() > 20.0 && rect.height() > 10.0,
        "boxes are laid out"
    );
    // One arrow per (node, parent): c←W₃, W₂·c←W₂,c, tanh←W₂·c, f←W₁,b.
    assert_eq!(
        picture.query_selector_all("path.bp-edge").unwrap().length(),
        6
    );
    let current = picture.query_selector(".bp-node.current").unwrap().unwrap();
    assert_eq!(current.get_attribute("data-node").as_deref(), Some("5"));
    // Reached so far: f and tanh (visited), W₁ (from f) and W₂·c (from tanh).
    let grads = picture.query_selector_all("[data-grad]").unwrap();
    assert_eq!(grads.length(), 4);
    // The edges into tanh are the hot ones, labelled with tanh′(0.7) = 1 − tanh²(0.7).
    let hot = picture
        .query_selector("text.bp-local.hot")
        .unwrap()
        .unwrap();
    let local: f64 = hot.get_attribute("data-local").unwrap().parse().unwrap();
    assert!((local - (1.0 - 0.7f64.tanh().powi(2))).abs() < 1e-12);
    assert!(!picture.text_content().unwrap().contains("NaN"));
}

#[wasm_bindgen_test]
fn the_network_drawing_cuts_wide_layers() {
    // myMLP: 30000 → 100 → 256 → 256 → 10, every column wider than 8 neurons,
    // so each shows 3 + 3 neurons around a "⋮".
    let picture = drawing::draw(&MlpSpec::lecture(), Lang::En).unwrap();
    attach(&picture);
    assert_eq!(picture.query_selector_all("circle").unwrap().length(), 30);
    assert_eq!(
        picture
            .query_selector_all(".net-ellipsis")
            .unwrap()
            .length(),
        5
    );
    let text = picture.text_content().unwrap();
    for label in [
        "30,000",
        "3,000,100 params",
        "25,856 params",
        "2,570 params",
    ] {
        assert!(text.contains(label), "{label} missing from {text}");
    }
    // A small network is drawn whole: 4 + 3 + 2 neurons.
    let small = MlpSpec {
        input: 4,
        layers: vec![3, 2],
        activation: Activation::Relu,
    };
    let picture = drawing::draw(&small, Lang::Zh).unwrap();
    attach(&picture);
    assert_eq!(picture.query_selector_all("circle").unwrap().length(), 9);
    assert!(picture.text_content().unwrap().contains("15 个参数"));
}
