//! Browser tests (headless Chromium through wasm-bindgen-test-runner):
//! the 2-D descent picture really puts a heat map and a path on a canvas, and
//! the app builds its page and shows errors in the banner.
//!
//! Run: `cargo test --target wasm32-unknown-unknown -p nnlab-web` with
//! `CHROMEDRIVER=/usr/bin/chromedriver` and
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner`
//! (or `wasm-pack test --headless --chrome --mode no-install crates/nnlab-web`).
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use nnlab::surfaces;
use nnlab_figures::{colormap, Track};
use nnlab_web::draw::{context_2d, SurfaceView};
use nnlab_web::widgets::{dom, HiDpiCanvas};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlCanvasElement, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

const TRACK: [u8; 3] = colormap::TRACK_COLORS[0];

/// A fresh canvas of `width × height` CSS pixels in the test page.
fn canvas(width: u32, height: u32) -> HiDpiCanvas {
    let element: HtmlCanvasElement = dom::create("canvas", "").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &element).unwrap();
    let mut canvas = HiDpiCanvas::wrap(element);
    canvas.resize(width, height).unwrap();
    canvas
}

/// The canvas's pixels (device pixels, RGBA rows).
fn pixels(element: &HtmlCanvasElement) -> (u32, u32, Vec<u8>) {
    let (w, h) = (element.width(), element.height());
    let image = context_2d(element)
        .unwrap()
        .get_image_data(0.0, 0.0, w as f64, h as f64)
        .unwrap();
    (w, h, image.data().0)
}

/// Red like the track, and unlike any viridis colour (viridis is never
/// strongly red with little green: its warm end is yellow, 254/232/37).
fn is_track_red(p: &[u8]) -> bool {
    p[0] > 170 && p[1] < 110 && p[2] < 110
}

/// Whether a track-red pixel lies within `radius` device pixels of (x, y).
fn red_near(image: &(u32, u32, Vec<u8>), (x, y): (i32, i32), radius: i32) -> bool {
    let (w, h, data) = image;
    for dy in -radius..=radius {
        for dx in -radius..=radius {
            let (px, py) = (x + dx, y + dy);
            if px < 0 || py < 0 || px >= *w as i32 || py >= *h as i32 {
                continue;
            }
            let i = (py as usize * *w as usize + px as usize) * 4;
            if is_track_red(&data[i..i + 4]) {
                return true;
            }
        }
    }
    false
}

#[wasm_bindgen_test]
fn descent_picture_has_a_heat_map_and_the_path() {
    let surface = surfaces::by_name("rosenbrock").unwrap();
    // A hand-made path across the view (Rosenbrock's view is x ∈ [−2, 2], y ∈ [−1, 3]).
    let path = vec![
        vec![-1.5, 2.0],
        vec![-1.0, 1.0],
        vec![0.0, 0.5],
        vec![1.0, 1.0],
    ];
    let mut view = SurfaceView::new(canvas(640, 480)).unwrap();
    let track = Track {
        points: &path,
        color: TRACK,
        label: "path",
    };
    view.draw(&surface, &[track]).unwrap();
    let frame = view.frame().expect("drawing sets the frame");
    let dpr = view.canvas().device_pixel_ratio();
    let image = pixels(&view.canvas().element);

    // The heat map: a smooth colour ramp gives hundreds of distinct colours
    // (a blank or single-colour canvas has one or two).
    let distinct: HashSet<[u8; 3]> = image.2.chunks(4).map(|p| [p[0], p[1], p[2]]).collect();
    assert!(
        distinct.len() > 200,
        "only {} distinct colours",
        distinct.len()
    );

    // The path: red at every point and half-way along every segment.
    let device = |p: (f64, f64)| {
        let (x, y) = frame.to_pixel_f(p);
        ((x * dpr).round() as i32, (y * dpr).round() as i32)
    };
    for pair in path.windows(2) {
        let (a, b) = ((pair[0][0], pair[0][1]), (pair[1][0], pair[1][1]));
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        assert!(
            red_near(&image, device(mid), 2),
            "no path colour half-way from {a:?} to {b:?}"
        );
        assert!(red_near(&image, device(b), 2), "no path colour at {b:?}");
    }
    // ...and none far from it: the bottom-right corner of the plot (x = 1.8, y = −0.8).
    assert!(
        !red_near(&image, device((1.8, -0.8)), 6),
        "path colour where there is no path"
    );
}

#[wasm_bindgen_test]
fn redrawing_the_same_surface_reuses_the_background() {
    let surface = surfaces::by_name("himmelblau").unwrap();
    let mut view = SurfaceView::new(canvas(400, 300)).unwrap();
    assert!(view.needs_background(&surface));
    view.draw(&surface, &[]).unwrap();
    assert!(!view.needs_background(&surface));
    // A new size or another surface needs a new background.
    view.canvas_mut().resize(420, 315).unwrap();
    assert!(view.needs_background(&surface));
    view.draw(&surface, &[]).unwrap();
    assert!(view.needs_background(&surfaces::by_name("saddle").unwrap()));
}

#[wasm_bindgen_test]
fn the_app_builds_its_menu_and_opens_on_the_first_lesson() {
    let document = dom::document().unwrap();
    let body = document.body().unwrap();
    for id in ["error-banner", "app"] {
        let element: HtmlElement = dom::create("div", "").unwrap();
        element.set_id(id);
        dom::append(&body, &element).unwrap();
    }
    dom::by_id::<HtmlElement>("error-banner")
        .unwrap()
        .set_hidden(true);
    nnlab_web::start();

    let links = document.query_selector_all(".nav-link").unwrap();
    assert_eq!(
        links.length() as usize,
        nnlab_web::lessons::LessonId::all().count(),
        "one menu item per section"
    );
    // The lecture's first section opens when the URL names none.
    let lesson = document.get_element_by_id("lesson").unwrap();
    assert_eq!(
        lesson.get_attribute("data-lesson").as_deref(),
        Some("what-is-dl")
    );
    let regions = document
        .query_selector_all("#wid-regions .wid-region")
        .unwrap();
    assert_eq!(regions.length(), 3, "AI, ML and DL, each a button");
    let banner: HtmlElement = dom::by_id("error-banner").unwrap();
    assert!(
        banner.hidden(),
        "no error at start: {:?}",
        banner.text_content()
    );

    // An error reaches the page as readable text.
    nnlab_web::banner::show_error(&nnlab_web::error::WebError::Core(nnlab::Error::unknown(
        "surface",
        "banana",
        &["rosenbrock"],
    )));
    assert!(!banner.hidden());
    let text = banner.text_content().unwrap();
    assert!(text.contains("unknown surface 'banana'"), "{text}");
    nnlab_web::banner::clear();
    assert!(banner.hidden());
}
