//! Page parts lessons share: a picture with a status line over it, and read-outs.

use web_sys::HtmlElement;

use crate::error::WebResult;
use crate::widgets::{dom, HiDpiCanvas};

/// A canvas in a framed wrapper with a status line over it; returns (canvas, status).
pub fn picture(
    parent: &HtmlElement,
    id: &str,
    description: &str,
) -> WebResult<(HiDpiCanvas, HtmlElement)> {
    let wrap: HtmlElement = dom::create("div", "canvas-wrap")?;
    let canvas = HiDpiCanvas::picture("surface-canvas opt-canvas", id, description)?;
    dom::append(&wrap, &canvas.element)?;
    let status = dom::text_element("p", "status", "")?;
    status.set_id(&format!("{id}-status"));
    status.set_attribute("role", "status")?;
    status.set_attribute("aria-live", "polite")?;
    dom::append(&wrap, &status)?;
    dom::append(parent, &wrap)?;
    Ok((canvas, status))
}

/// One labelled value in a read-out strip; returns the element holding the value.
pub fn readout(strip: &HtmlElement, label: &str, id: &str) -> WebResult<HtmlElement> {
    let item: HtmlElement = dom::create("div", "readout")?;
    dom::append(&item, &dom::text_element("dt", "", label)?)?;
    let value = dom::text_element("dd", "", "")?;
    value.set_id(id);
    dom::append(&item, &value)?;
    dom::append(strip, &item)?;
    Ok(value)
}
