//! Browser tests of the CIFAR-10 lessons' drawing, on synthetic data built
//! here (never the real dataset): the input-data gallery and colour planes,
//! the live-training weight images, and the depth lesson's scatter plots and
//! activation rows.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use nnlab::data::{Dataset, ImageShape};
use nnlab::tensor::Tensor;
use nnlab_web::data_store::{self, DataStatus};
use nnlab_web::draw::context_2d;
use nnlab_web::i18n::Lang;
use nnlab_web::lessons::depth::activations::{self, Row};
use nnlab_web::lessons::depth::scatter::draw_scatter;
use nnlab_web::lessons::kit::pictures::CLASS_COLORS;
use nnlab_web::lessons::live_training::charts::draw_weight_grid;
use nnlab_web::lessons::LessonId;
use nnlab_web::widgets::{dom, HiDpiCanvas};
use nnlab_worker::snapshot::weight_images;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh canvas of `width × height` CSS pixels in the test page.
fn canvas(width: u32, height: u32) -> HiDpiCanvas {
    let element: HtmlCanvasElement = dom::create("canvas", "").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &element).unwrap();
    let mut canvas = HiDpiCanvas::wrap(element);
    canvas.resize(width, height).unwrap();
    canvas
}

/// The canvas's device pixels, RGBA, with its width.
fn pixels(element: &HtmlCanvasElement) -> (usize, Vec<u8>) {
    let (w, h) = (element.width(), element.height());
    let data = context_2d(element)
        .unwrap()
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .unwrap()
        .data()
        .0;
    (w as usize, data)
}

/// Pixels exactly `rgb` (opaque).
fn exactly(data: &[u8], rgb: [u8; 3]) -> usize {
    data.chunks_exact(4)
        .filter(|p| p[..3] == rgb && p[3] == 255)
        .count()
}

/// Pixels within `tolerance` of `rgb` in every channel, in the device-pixel
/// rectangle `x0..x1 × y0..y1`.
fn near_in(
    (width, data): &(usize, Vec<u8>),
    rgb: [u8; 3],
    tolerance: u8,
    (x0, x1, y0, y1): (usize, usize, usize, usize),
) -> usize {
    let mut n = 0;
    for y in y0..y1 {
        for x in x0..x1 {
            let p = &data[(y * width + x) * 4..(y * width + x) * 4 + 4];
            if p[3] > 0 && (0..3).all(|c| p[c].abs_diff(rgb[c]) <= tolerance) {
                n += 1;
            }
        }
    }
    n
}

/// 50 one-colour images: image i is R 200, G 4i + 20, B 90; label i % 10.
fn synthetic() -> Dataset {
    let shape = ImageShape::CIFAR;
    let mut images = Vec::with_capacity(50 * shape.len());
    for i in 0..50u8 {
        for value in [200, 4 * i + 20, 90] {
            images.extend(std::iter::repeat_n(value, 1024));
        }
    }
    let labels = (0..50u8).map(|i| i % 10).collect();
    let names = (0..10).map(|c| format!("class {c}")).collect();
    Dataset::new(images, labels, shape, names).unwrap()
}

#[wasm_bindgen_test]
fn input_lesson_draws_the_gallery_and_the_colour_planes() {
    data_store::set(
        DataStatus::Ready { train: 0, test: 50 },
        Some(Rc::new(synthetic())),
    );
    let root: HtmlElement = dom::create("main", "lesson").unwrap();
    root.style().set_property("width", "1000px").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &root).unwrap();
    let mut lesson = LessonId::from_slug("input-data").unwrap().build().unwrap();
    lesson.mount(&root, Lang::En).unwrap();
    lesson.draw().unwrap();

    let gallery: HtmlCanvasElement = dom::by_id("input-gallery").unwrap();
    let (_, data) = pixels(&gallery);
    // The first page holds images 0–39: image 0 (G 20) is there as a block
    // of at least 32×32 device pixels; image 45 (G 200) is on page 2.
    assert!(exactly(&data, [200, 20, 90]) >= 1024, "image 0 missing");
    assert!(exactly(&data, [200, 176, 90]) >= 1024, "image 39 missing");
    assert_eq!(exactly(&data, [200, 200, 90]), 0, "image 45 on page 1");

    // Image 0 taken apart: its R plane is pure (200, 0, 0), its B plane
    // (0, 0, 90), each at least 64×64 device pixels (the layout's smallest side).
    let vector: HtmlCanvasElement = dom::by_id("input-vector").unwrap();
    let (_, data) = pixels(&vector);
    assert!(exactly(&data, [200, 0, 0]) >= 64 * 64, "no R plane");
    assert!(exactly(&data, [0, 0, 90]) >= 64 * 64, "no B plane");
    assert!(exactly(&data, [200, 20, 90]) >= 64 * 64, "no image");
    lesson.unmount();
    root.remove();
}

#[wasm_bindgen_test]
fn weight_rows_are_drawn_as_images() {
    // Row 0: the R plane all 1, G and B 0 → stretched to red (255, 0, 0).
    // Row 1: constant → mid grey (128, 128, 128).
    let mut data = vec![0.0f32; 2 * 3072];
    data[..1024].fill(1.0);
    data[3072..].fill(0.5);
    let rgba = weight_images(&Tensor::new(&[2, 3072], data), ImageShape::CIFAR);
    let canvas = canvas(140, 70);
    let context = context_2d(&canvas.element).unwrap();
    // Two columns, 2 device pixels per weight, a 2-pixel gap: two 64×64 images.
    draw_weight_grid(&context, &rgba, 2, 2, 2, 2).unwrap();
    let (width, data) = pixels(&canvas.element);
    assert_eq!(exactly(&data, [255, 0, 0]), 64 * 64);
    assert_eq!(exactly(&data, [128, 128, 128]), 64 * 64);
    // The grey image starts at x = 64 + 2 = 66.
    let at = |x: usize, y: usize| data[(y * width + x) * 4..(y * width + x) * 4 + 3].to_vec();
    assert_eq!(at(65, 10), vec![0, 0, 0]);
    assert_eq!(at(66, 10), vec![128, 128, 128]);
}

#[wasm_bindgen_test]
fn scatter_puts_each_class_where_its_points_are() {
    // Class 0 around (−1, −1) (bottom left), class 3 around (1, 1) (top right).
    let mut points = Vec::new();
    let mut labels = Vec::new();
    for k in 0..20 {
        let d = k as f32 * 0.01;
        points.push([-1.0 + d, -1.0 - d]);
        labels.push(0);
        points.push([1.0 - d, 1.0 + d]);
        labels.push(3);
    }
    let canvas = canvas(200, 200);
    draw_scatter(&canvas, &points, &labels, Some(1)).unwrap();
    let dpr = canvas.device_pixel_ratio();
    let image = pixels(&canvas.element);
    let half = (100.0 * dpr) as usize;
    let full = (200.0 * dpr) as usize;
    let (bottom_left, top_right) = ((0, half, half, full), (half, full, 0, half));
    // Dots are drawn at 80 % opacity over white: within 50 of the class colour.
    let blue = CLASS_COLORS[0];
    let red = CLASS_COLORS[3];
    assert!(near_in(&image, blue, 50, bottom_left) > 30);
    assert_eq!(near_in(&image, blue, 50, top_right), 0);
    assert!(near_in(&image, red, 50, top_right) > 30);
    assert_eq!(near_in(&image, red, 50, bottom_left), 0);
    // The ring around point 1 (a class-3 point) is dark ink.
    assert!(near_in(&image, [0x1b, 0x22, 0x33], 40, top_right) > 10);
    assert_eq!(near_in(&image, [0x1b, 0x22, 0x33], 40, bottom_left), 0);
}

#[wasm_bindgen_test]
fn activation_bars_stand_where_the_units_fire() {
    // Four units, only the last two positive: bars only in the right half.
    let values = [0.0, 0.0, 1.0, 2.0];
    let rows = [Row::Bars {
        title: String::new(),
        values: &values,
    }];
    let mut canvas = canvas(400, 10);
    canvas
        .resize(400, activations::height(&rows).ceil() as u32)
        .unwrap();
    activations::draw_activations(&canvas, &rows).unwrap();
    let image = pixels(&canvas.element);
    let dpr = canvas.device_pixel_ratio();
    let (w, h) = ((400.0 * dpr) as usize, canvas.element.height() as usize);
    let accent = [0x3b, 0x4f, 0xd8];
    assert_eq!(near_in(&image, accent, 10, (0, w / 2 - 1, 0, h)), 0);
    assert!(near_in(&image, accent, 10, (w / 2 + 1, w, 0, h)) > 1000);
}
