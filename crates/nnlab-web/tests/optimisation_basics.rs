//! Browser tests of the optimisation lessons' pictures (headless Chromium
//! through wasm-bindgen-test-runner): the derivative lesson draws its orange
//! tangent through p, the gradient lesson its arrow field and red step, and
//! the 1-D descent lesson its red ball on the curve and a loss chart.
//!
//! Run: `cargo test --target wasm32-unknown-unknown -p nnlab-web --test optimisation_basics`
//! (with `CHROMEDRIVER` and the wasm-bindgen-test-runner, see tests/web.rs).
#![cfg(target_arch = "wasm32")]

use nnlab::surfaces;
use nnlab_web::draw::{context_2d, SurfaceView};
use nnlab_web::lessons::derivative::{self, model::tangent};
use nnlab_web::lessons::descent_1d::{self, model::Model, model::Preset};
use nnlab_web::lessons::gradient::{self, model::preview};
use nnlab_web::widgets::{dom, HiDpiCanvas};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlCanvasElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh canvas of `width × height` CSS pixels in the test page.
fn canvas(width: u32, height: u32) -> HiDpiCanvas {
    let element: HtmlCanvasElement = dom::create("canvas", "").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &element).unwrap();
    let mut canvas = HiDpiCanvas::wrap(element);
    canvas.resize(width, height).unwrap();
    canvas
}

struct Image {
    width: u32,
    height: u32,
    data: Vec<u8>,
    dpr: f64,
}

impl Image {
    fn of(canvas: &HiDpiCanvas) -> Image {
        let element = &canvas.element;
        let (w, h) = (element.width(), element.height());
        let data = context_2d(element)
            .unwrap()
            .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
            .unwrap()
            .data()
            .0;
        Image {
            width: w,
            height: h,
            data,
            dpr: canvas.device_pixel_ratio(),
        }
    }

    /// Whether a pixel matching `is` lies within `radius` CSS pixels of the CSS point `(x, y)`.
    fn near(&self, (x, y): (f64, f64), radius: f64, is: impl Fn(&[u8]) -> bool) -> bool {
        let (cx, cy) = ((x * self.dpr).round() as i32, (y * self.dpr).round() as i32);
        let r = (radius * self.dpr).round() as i32;
        for dy in -r..=r {
            for dx in -r..=r {
                let (px, py) = (cx + dx, cy + dy);
                if px < 0 || py < 0 || px >= self.width as i32 || py >= self.height as i32 {
                    continue;
                }
                let i = (py as usize * self.width as usize + px as usize) * 4;
                if is(&self.data[i..i + 4]) {
                    return true;
                }
            }
        }
        false
    }

    fn count(&self, is: impl Fn(&[u8]) -> bool) -> usize {
        self.data.chunks(4).filter(|p| is(p)).count()
    }
}

/// The tangent's orange (255, 140, 0), with room for anti-aliasing.
fn is_orange(p: &[u8]) -> bool {
    p[0] > 220 && (110..=175).contains(&p[1]) && p[2] < 70
}

/// The red of the ball and of the step (240, 60, 60).
fn is_red(p: &[u8]) -> bool {
    p[0] > 190 && p[1] < 110 && p[2] < 110
}

/// The field's sky blue (140, 210, 255): viridis never has this much blue with green.
fn is_sky(p: &[u8]) -> bool {
    (100..=190).contains(&p[0]) && p[1] > 180 && p[2] > 230
}

#[wasm_bindgen_test]
fn derivative_draws_the_tangent_through_p_with_the_autodiff_slope() {
    let surface = surfaces::by_name("double-well").unwrap();
    let mut view = SurfaceView::new(canvas(800, 500)).unwrap();
    // p = 0.5, a = −1.5 (see the model's tests); ε = 1.
    let t = tangent(&surface, 0.5, 1.0);
    let frame = derivative::draw_picture(&mut view, &surface, &t)
        .unwrap()
        .expect("the canvas has a size");
    let image = Image::of(view.canvas());
    // Orange along the tangent y = −0.1875 − 1.5(x − 0.5), away from the points: at x = −0.5 and x = 1.2.
    for x in [-0.5, 1.2] {
        let on_tangent = frame.to_pixel_f((x, t.y + t.slope * (x - t.p)));
        assert!(
            image.near(on_tangent, 2.0, is_orange),
            "no tangent colour at x = {x}"
        );
    }
    // No orange well off the line: at x = −1.5 the tangent is at y = 2.81, not 5.
    assert!(!image.near(frame.to_pixel_f((-1.5, 5.0)), 4.0, is_orange));
    // The red gap at p + ε = 1.5, between the linear guess −0.1875 − 1.5 = −1.6875 and
    // f(1.5) = 5.0625 − 6.75 + 1.5 = −0.1875: red half-way, at y = −0.9375.
    let mid = frame.to_pixel_f((1.5, 0.5 * (t.linear_at + t.curve_at)));
    let is_gap_red = |p: &[u8]| p[0] > 190 && p[1] < 90 && p[2] < 90;
    assert!(
        image.near(mid, 3.0, is_gap_red),
        "no gap colour at {mid:?}; {} red pixels in all",
        image.count(is_gap_red)
    );
}

#[wasm_bindgen_test]
fn gradient_draws_the_arrow_field_and_the_step() {
    let surface = surfaces::by_name("himmelblau").unwrap();
    let mut view = SurfaceView::new(canvas(800, 600)).unwrap();
    // Himmelblau at W₀ = (0, 0): ∇f = (−14, −22); step 0.05 → W₁ = (0.7, 1.1).
    let next = preview(&surface, &[0.0, 0.0], 0.05);
    assert_eq!(next.grad, [-14.0, -22.0]);
    let path = vec![vec![0.0, 0.0]];
    gradient::draw_picture(&mut view, &surface, &path, &next).unwrap();
    let frame = view.frame().unwrap();
    let image = Image::of(view.canvas());
    // The field: hundreds of sky-blue pixels spread over the map.
    let sky = image.count(is_sky);
    assert!(sky > 500, "only {sky} arrow-field pixels");
    // The red step: half-way from W₀ to W₁ (the current-point marker covers W₀ itself).
    let half = frame.to_pixel_f((0.35, 0.55));
    assert!(
        image.near(half, 2.0, is_red),
        "no step arrow half-way to W₁"
    );
    // No red far from the step: the top-left corner of the map.
    assert!(!image.near(frame.to_pixel_f((-5.0, 5.0)), 6.0, is_red));
}

#[wasm_bindgen_test]
fn descent_1d_draws_the_ball_and_the_loss_chart() {
    let mut model = Model::new(Preset::TooSmall).unwrap();
    model.run_to_end();
    let surface = model.surface().clone();
    let mut view = SurfaceView::new(canvas(800, 400)).unwrap();
    let frame = descent_1d::draw_curve(&mut view, &surface, model.path().points())
        .unwrap()
        .expect("the canvas has a size");
    let image = Image::of(view.canvas());
    // The ball sits in the local minimum (1.131, −1.070) …
    let ball = frame.to_pixel_f((model.x(), model.descent().loss()));
    assert!(
        image.near(ball, 3.0, is_red),
        "no ball at the local minimum"
    );
    // … and nowhere near the global one (−1.301, −3.514).
    assert!(!image.near(frame.to_pixel_f((-1.3, -3.51)), 6.0, is_red));

    let chart = canvas(800, 220);
    let labels = descent_1d::ChartLabels {
        step: "step",
        loss: "loss",
        global: "global minimum",
        local: "local minimum",
    };
    let area = plotters::prelude::IntoDrawingArea::into_drawing_area(chart.backend().unwrap());
    descent_1d::draw_loss_chart(
        &area,
        &surface,
        model.losses().points(),
        &labels,
        1.0,
        nnlab_web::draw::palette::current(),
    )
    .unwrap();
    let red = Image::of(&chart).count(is_red);
    assert!(red > 300, "only {red} pixels of the loss line");
}
