//! Press-and-drag on a plot: the world point under the pointer is reported on
//! press and on every move until release, so a click sets a point and a drag
//! slides it. Moves are followed on the window, so a drag that leaves the
//! canvas keeps working (positions outside the plot are clamped to its edge).

use std::cell::Cell;
use std::rc::Rc;

use nnlab_figures::Frame;
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlCanvasElement, KeyboardEvent, MouseEvent};

use crate::error::WebResult;
use crate::widgets::{dom, Listener};

/// Calls `f([x, y])` (world coordinates of `frame`) on press inside the plot and
/// on every move while the button is held.
pub fn on_drag(
    canvas: &HtmlCanvasElement,
    frame: Rc<Cell<Option<Frame>>>,
    f: impl FnMut([f64; 2]) -> WebResult<()> + 'static,
) -> WebResult<Vec<Listener>> {
    let dragging = Rc::new(Cell::new(false));
    let f = Rc::new(std::cell::RefCell::new(f));

    let (c, fr, d, h) = (canvas.clone(), frame.clone(), dragging.clone(), f.clone());
    let down = Listener::new(canvas, "pointerdown", move |event: Event| {
        let Some((px, py, frame)) = position(&c, fr.get(), &event) else {
            return Ok(());
        };
        if !frame.in_plot((px, py)) {
            return Ok(());
        }
        event.prevent_default();
        d.set(true);
        let (x, y) = frame.from_pixel((px, py));
        (h.borrow_mut())([x, y])
    })?;

    let window = dom::window()?;
    let (c, d, h) = (canvas.clone(), dragging.clone(), f);
    let moved = Listener::new(&window, "pointermove", move |event: Event| {
        if !d.get() {
            return Ok(());
        }
        let Some((px, py, frame)) = position(&c, frame.get(), &event) else {
            return Ok(());
        };
        let (l, t, r, b) = frame.plot;
        let inside = (
            px.clamp(f64::from(l), f64::from(r)),
            py.clamp(f64::from(t), f64::from(b)),
        );
        let (x, y) = frame.from_pixel(inside);
        (h.borrow_mut())([x, y])
    })?;
    let up = Listener::new(&window, "pointerup", move |_: Event| {
        dragging.set(false);
        Ok(())
    })?;
    Ok(vec![down, moved, up])
}

/// The attribute that marks a canvas whose arrow keys move a point: the
/// page's shared keys (→ is "one step") leave them to it while it has focus.
pub const ARROW_KEYS_ATTRIBUTE: &str = "data-arrow-keys";
/// How far one arrow key press moves the point, in CSS pixels (Shift: five times).
const ARROW_STEP_PX: f64 = 8.0;

/// Makes `canvas` focusable and, while it has focus, moves the point `at()`
/// with the arrow keys: `f([x, y])` with the point a few pixels over (clamped
/// to the plot), so the keyboard can do what a drag does.
pub fn on_arrow_keys(
    canvas: &HtmlCanvasElement,
    frame: Rc<Cell<Option<Frame>>>,
    at: impl Fn() -> [f64; 2] + 'static,
    mut f: impl FnMut([f64; 2]) -> WebResult<()> + 'static,
) -> WebResult<Listener> {
    canvas.set_tab_index(0);
    canvas.set_attribute(ARROW_KEYS_ATTRIBUTE, "")?;
    Listener::new(canvas, "keydown", move |event: Event| {
        let (Some(key), Some(frame)) = (event.dyn_ref::<KeyboardEvent>(), frame.get()) else {
            return Ok(());
        };
        let Some((dx, dy)) = arrow_direction(&key.key()) else {
            return Ok(());
        };
        if key.ctrl_key() || key.meta_key() || key.alt_key() {
            return Ok(());
        }
        event.prevent_default();
        let step = if key.shift_key() {
            5.0 * ARROW_STEP_PX
        } else {
            ARROW_STEP_PX
        };
        let [x, y] = at();
        let (px, py) = frame.to_pixel_f((x, y));
        let (l, t, r, b) = frame.plot;
        let moved = (
            (px + dx * step).clamp(f64::from(l), f64::from(r)),
            (py + dy * step).clamp(f64::from(t), f64::from(b)),
        );
        let (x, y) = frame.from_pixel(moved);
        f([x, y])
    })
}

/// The pixel direction of an arrow key (y grows downwards).
fn arrow_direction(key: &str) -> Option<(f64, f64)> {
    Some(match key {
        "ArrowLeft" => (-1.0, 0.0),
        "ArrowRight" => (1.0, 0.0),
        "ArrowUp" => (0.0, -1.0),
        "ArrowDown" => (0.0, 1.0),
        _ => return None,
    })
}

/// The event's position in the frame's CSS pixels.
fn position(
    canvas: &HtmlCanvasElement,
    frame: Option<Frame>,
    event: &Event,
) -> Option<(f64, f64, Frame)> {
    let (frame, mouse) = (frame?, event.dyn_ref::<MouseEvent>()?);
    let rect = canvas.get_bounding_client_rect();
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return None;
    }
    // Client pixels → the frame's CSS pixels (they differ if the canvas is scaled).
    let px = (f64::from(mouse.client_x()) - rect.left()) * f64::from(frame.width) / rect.width();
    let py = (f64::from(mouse.client_y()) - rect.top()) * f64::from(frame.height) / rect.height();
    Some((px, py, frame))
}
