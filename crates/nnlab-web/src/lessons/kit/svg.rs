//! Building SVG pictures in the DOM: crisp at any zoom, text a screen reader
//! (and a test) can read, and each shape a node the page can restyle.

use web_sys::Element;

use crate::error::WebResult;
use crate::widgets::dom;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// A new `<tag>` in the SVG namespace with `attributes`.
pub fn element(tag: &str, attributes: &[(&str, &str)]) -> WebResult<Element> {
    let element = dom::document()?.create_element_ns(Some(SVG_NS), tag)?;
    for (name, value) in attributes {
        element.set_attribute(name, value)?;
    }
    Ok(element)
}

/// An `<svg>` drawing in a `width × height` coordinate box that scales to its container.
pub fn canvas(width: f64, height: f64, class: &str) -> WebResult<Element> {
    element(
        "svg",
        &[
            ("viewBox", &format!("0 0 {width} {height}")),
            ("class", class),
            ("preserveAspectRatio", "xMidYMid meet"),
        ],
    )
}

/// Appends `<tag attributes>` to `parent` and returns it.
pub fn add(parent: &Element, tag: &str, attributes: &[(&str, &str)]) -> WebResult<Element> {
    let child = element(tag, attributes)?;
    parent.append_child(&child)?;
    Ok(child)
}

/// Appends a `<text>` at (x, y) with `class` (anchor and size come from CSS).
pub fn text(parent: &Element, x: f64, y: f64, class: &str, content: &str) -> WebResult<Element> {
    let t = add(
        parent,
        "text",
        &[("x", &num(x)), ("y", &num(y)), ("class", class)],
    )?;
    t.set_text_content(Some(content));
    Ok(t)
}

/// A coordinate with at most one decimal (keeps the markup short).
pub fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}
