//! A canvas whose bitmap matches the screen's device pixels, so lines and text
//! stay crisp at any `devicePixelRatio`, while all layout is done in CSS pixels.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, MouseEvent};

use super::dom;
use crate::draw::{context_2d, text_size, FigureBackend};
use crate::error::WebResult;

/// A `<canvas>` sized in CSS pixels with a bitmap in device pixels.
pub struct HiDpiCanvas {
    /// The `<canvas>`; insert this into the page.
    pub element: HtmlCanvasElement,
    css: (u32, u32),
    dpr: f64,
    /// Whether the text on it was sized for presenter mode (see [`text_size`]).
    presenter_text: bool,
}

impl HiDpiCanvas {
    /// A new, not yet sized `<canvas class="class">`.
    #[inline(always)]
    pub fn new(class: &str) -> WebResult<HiDpiCanvas> {
        Ok(HiDpiCanvas::wrap(dom::create_as("canvas", class)))
    }

    /// A lesson's picture: `<canvas class id role="img" aria-label=description>`,
    /// so screen readers say what it shows.
    #[inline(always)]
    pub fn picture(class: &str, id: &str, description: &str) -> WebResult<HiDpiCanvas> {
        Ok(HiDpiCanvas::build_picture(class, id, description))
    }

    #[inline(never)]
    fn build_picture(class: &str, id: &str, description: &str) -> HiDpiCanvas {
        let canvas = HiDpiCanvas::wrap(dom::create_as("canvas", class));
        canvas.element.set_id(id);
        dom::set_attr(&canvas.element, "role", "img");
        dom::set_attr(&canvas.element, "aria-label", description);
        canvas
    }

    /// Adopts an existing canvas (tests create their own).
    pub fn wrap(element: HtmlCanvasElement) -> HiDpiCanvas {
        HiDpiCanvas {
            element,
            css: (0, 0),
            dpr: 1.0,
            presenter_text: false,
        }
    }

    /// Sets the size in CSS pixels and the bitmap to match the current
    /// `devicePixelRatio`. Returns whether anything changed (the picture must
    /// then be redrawn) — also when presenter mode changed the text size.
    pub fn resize(&mut self, css_width: u32, css_height: u32) -> WebResult<bool> {
        let dpr = HiDpiCanvas::screen_ratio()?;
        let presenter_text = text_size::presenter();
        if (css_width, css_height) == self.css
            && dpr == self.dpr
            && presenter_text == self.presenter_text
        {
            return Ok(false);
        }
        self.css = (css_width, css_height);
        self.dpr = dpr;
        self.presenter_text = presenter_text;
        self.element
            .set_width((f64::from(css_width) * dpr).round() as u32);
        self.element
            .set_height((f64::from(css_height) * dpr).round() as u32);
        let style = self.element.style();
        style.set_property("width", &format!("{css_width}px"))?;
        style.set_property("height", &format!("{css_height}px"))?;
        Ok(true)
    }

    /// Sizes the canvas to its parent's width (at most `max_width`) with
    /// `height = width × aspect`, keeping it within the window's height so
    /// the whole figure fits on a projector screen. In presenter mode the
    /// first screen holds it together with what is above it and what
    /// follows it in its column (a chart, read-outs).
    pub fn fit_to_parent(&mut self, aspect: f64, max_width: u32) -> WebResult<bool> {
        self.fit(aspect, max_width, text_size::presenter())
    }

    /// [`HiDpiCanvas::fit_to_parent`] without presenter mode's first-screen
    /// rule: for a secondary canvas sized before the picture above it.
    pub fn fit_to_parent_width(&mut self, aspect: f64, max_width: u32) -> WebResult<bool> {
        self.fit(aspect, max_width, false)
    }

    fn fit(&mut self, aspect: f64, max_width: u32, first_screen: bool) -> WebResult<bool> {
        let parent = self.element.parent_element();
        let parent_width = parent
            .as_ref()
            .map(|p| p.client_width().max(0) as u32)
            .unwrap_or(max_width);
        let window = dom::window()?;
        let window_height = window.inner_height()?.as_f64().unwrap_or(800.0);
        let room = if first_screen {
            let top = self.element.get_bounding_client_rect().top() + window.scroll_y()?;
            let below = parent.as_ref().map_or(Ok(0.0), canvases_after)?;
            (window_height - top - below - 12.0).max(160.0)
        } else if text_size::presenter() {
            // A secondary chart on a projector: at most 30 % of the screen.
            (window_height * 0.3).max(160.0)
        } else {
            (window_height - 120.0).max(240.0)
        };
        let height_cap = (room / aspect) as u32;
        let width = parent_width.min(max_width).min(height_cap).max(160);
        let height = (f64::from(width) * aspect).round() as u32;
        self.resize(width, height)
    }

    /// Device pixels per CSS pixel of the screen now: what the next
    /// [`HiDpiCanvas::resize`] uses. A picture laid out in device pixels
    /// before its first resize must use this, not [`HiDpiCanvas::device_pixel_ratio`].
    pub fn screen_ratio() -> WebResult<f64> {
        Ok(dom::window()?.device_pixel_ratio().clamp(1.0, 4.0))
    }

    /// Size in CSS pixels.
    pub fn css_size(&self) -> (u32, u32) {
        self.css
    }

    /// Device pixels per CSS pixel, as of the last resize.
    pub fn device_pixel_ratio(&self) -> f64 {
        self.dpr
    }

    /// The 2-D context scaled so that one unit is one CSS pixel, with the
    /// canvas's width and height in CSS pixels; `None` while it has no size
    /// (hidden, or not yet fitted), when there is nothing to draw on.
    pub fn context(&self) -> WebResult<Option<(CanvasRenderingContext2d, f64, f64)>> {
        let (w, h) = self.css;
        if w == 0 || h == 0 {
            return Ok(None);
        }
        let context = context_2d(&self.element)?;
        context.set_transform(self.dpr, 0.0, 0.0, self.dpr, 0.0, 0.0)?;
        Ok(Some((context, f64::from(w), f64::from(h))))
    }

    /// A plotters backend drawing on this canvas in CSS pixels.
    pub fn backend(&self) -> WebResult<FigureBackend<'static>> {
        FigureBackend::canvas(&self.element, self.css, self.dpr)
    }

    /// Where a mouse event happened, in this canvas's CSS pixels.
    pub fn event_position(&self, event: &MouseEvent) -> (f64, f64) {
        let rect = self.element.get_bounding_client_rect();
        let sx = if rect.width() > 0.0 {
            f64::from(self.css.0) / rect.width()
        } else {
            1.0
        };
        let sy = if rect.height() > 0.0 {
            f64::from(self.css.1) / rect.height()
        } else {
            1.0
        };
        (
            (f64::from(event.client_x()) - rect.left()) * sx,
            (f64::from(event.client_y()) - rect.top()) * sy,
        )
    }
}

/// Calls `f` with where each `kind` event ("click", "mousemove"…) happened
/// on `element`, in CSS pixels from its top-left corner.
pub fn on_pointer(
    element: &web_sys::Element,
    kind: &'static str,
    mut f: impl FnMut((f64, f64)) -> WebResult<()> + 'static,
) -> WebResult<super::Listener> {
    let target = element.clone();
    super::Listener::new(
        element,
        kind,
        move |event: web_sys::Event| match pointer_offset(&target, &event) {
            Some(at) => f(at),
            None => Ok(()),
        },
    )
}

/// Where a mouse or pointer event happened, in CSS pixels from the top-left
/// corner of `element` (as laid out now); `None` for other events.
pub fn pointer_offset(element: &web_sys::Element, event: &web_sys::Event) -> Option<(f64, f64)> {
    let mouse = wasm_bindgen::JsCast::dyn_ref::<MouseEvent>(event)?;
    let rect = element.get_bounding_client_rect();
    Some((
        f64::from(mouse.client_x()) - rect.left(),
        f64::from(mouse.client_y()) - rect.top(),
    ))
}

/// The height the canvases after `wrap` in its column take (with a margin
/// each): the first screen keeps room for a chart under the picture, not for
/// the text that may follow it.
fn canvases_after(wrap: &web_sys::Element) -> WebResult<f64> {
    let mut total = 0.0;
    let mut next = wrap.next_element_sibling();
    while let Some(sibling) = next {
        // Not the charts' read-out overlays (kit::hover): they lie over a chart.
        let canvases = sibling.query_selector_all("canvas:not(.readout-overlay)")?;
        for i in 0..canvases.length() {
            if let Some(canvas) = canvases
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                total += canvas.get_bounding_client_rect().height() + 16.0;
            }
        }
        next = sibling.next_element_sibling();
    }
    Ok(total)
}
