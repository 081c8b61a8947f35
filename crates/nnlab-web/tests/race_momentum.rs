//! Browser tests of the race and momentum pictures: six optimisers leave six
//! colours on the map, and the momentum lesson's arrows are drawn where the
//! walk is.
//!
//! Run: `cargo test --target wasm32-unknown-unknown -p nnlab-web --test race_momentum`
//! (see tests/web.rs for the runner setup).
#![cfg(target_arch = "wasm32")]

use nnlab::optim::OptimizerKind;
use nnlab::surfaces;
use nnlab_figures::Track;
use nnlab_web::draw::{context_2d, SurfaceView};
use nnlab_web::lessons::descent_2d::model::Model;
use nnlab_web::lessons::descent_2d::runner_color;
use nnlab_web::lessons::kit::walk::Walk;
use nnlab_web::lessons::momentum::plot::{self, Arrow};
use nnlab_web::widgets::{dom, HiDpiCanvas};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

fn canvas(width: u32, height: u32) -> HiDpiCanvas {
    let element: HtmlCanvasElement = dom::create("canvas", "").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &element).unwrap();
    let mut canvas = HiDpiCanvas::wrap(element);
    canvas.resize(width, height).unwrap();
    canvas
}

/// Pixels within `tol` of `color` in the whole canvas.
fn count(element: &HtmlCanvasElement, color: [u8; 3], tol: i32) -> usize {
    let (w, h) = (element.width(), element.height());
    let data = context_2d(element)
        .unwrap()
        .get_image_data(0.0, 0.0, w as f64, h as f64)
        .unwrap()
        .data()
        .0;
    data.chunks(4)
        .filter(|p| (0..3).all(|k| (i32::from(p[k]) - i32::from(color[k])).abs() <= tol))
        .count()
}

#[wasm_bindgen_test]
fn six_racers_leave_six_colours_on_the_map() {
    let mut model = Model::new().unwrap();
    for _ in 0..300 {
        model.step_once();
    }
    let labels: Vec<String> = OptimizerKind::ALL
        .iter()
        .map(|k| k.name().to_string())
        .collect();
    let tracks: Vec<Track> = model
        .enabled()
        .zip(&labels)
        .map(|(r, label)| Track {
            points: r.path().points(),
            color: runner_color(r.kind()),
            label,
        })
        .collect();
    assert_eq!(tracks.len(), 6);
    let mut view = SurfaceView::new(canvas(800, 600)).unwrap();
    let element = view.canvas().element.clone();
    // The heat map alone holds none of the track colours (they were picked to stand out).
    view.draw(model.surface(), &[]).unwrap();
    let before: Vec<usize> = tracks.iter().map(|t| count(&element, t.color, 4)).collect();
    view.draw(model.surface(), &tracks).unwrap();
    for (track, before) in tracks.iter().zip(before) {
        let after = count(&element, track.color, 4);
        assert!(
            after > before + 40,
            "{}: {before} → {after} pixels",
            track.label
        );
    }
}

#[wasm_bindgen_test]
fn momentum_arrows_start_at_the_point() {
    // The valley 0.5(x² + 50y²): an arrow from (0, 0) pointing right by 2 units.
    let surface = surfaces::by_name("ill-conditioned").unwrap();
    let mut plot = SurfaceView::new(canvas(600, 430)).unwrap();
    let element = plot.canvas().element.clone();
    let magenta = [235, 90, 235];
    plot::draw(&mut plot, &surface, &[], &[], 1.0).unwrap();
    assert_eq!(
        count(&element, magenta, 6),
        0,
        "no arrow colour on the bare map"
    );
    let arrow = Arrow {
        from: (0.0, 0.0),
        delta: (2.0, 0.0),
        color: magenta,
    };
    plot::draw(&mut plot, &surface, &[], &[arrow], 1.0).unwrap();
    assert!(count(&element, magenta, 6) > 60);
    // The arrow lies to the right of the point, not to its left.
    let frame = plot.frame().unwrap();
    let dpr = plot.canvas().device_pixel_ratio();
    let (x0, y0) = frame.to_pixel((0.0, 0.0));
    let (x1, _) = frame.to_pixel((1.5, 0.0));
    let at = |x: i32| {
        let image = context_2d(&element)
            .unwrap()
            .get_image_data(f64::from(x) * dpr, f64::from(y0) * dpr, 1.0, 1.0)
            .unwrap()
            .data()
            .0;
        (0..3).all(|k| (i32::from(image[k]) - i32::from(magenta[k])).abs() <= 6)
    };
    assert!(at((x0 + x1) / 2), "the shaft is drawn right of the start");
    assert!(!at(x0 - (x1 - x0) / 2), "nothing on the left");
}
