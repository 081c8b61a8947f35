//! Page parts lessons share: the two columns of a picture lesson (the figure
//! with its legend and read-outs, the card of controls), a picture with a
//! status line over it, read-outs, a live status line, and [`Redraw`], which
//! tells a view when its pictures are stale.

use std::cell::Cell;
use std::rc::Rc;

use web_sys::HtmlElement;

use crate::error::WebResult;
use crate::widgets::{dom, HiDpiCanvas, Listener};

/// The layout of the picture lessons: the figure on the left (its canvas,
/// legend and read-outs), the controls in a card on the right; one column on
/// a phone. Both are appended to the lesson's root at once, in that order.
pub struct Columns {
    /// The figure's column.
    pub figure: HtmlElement,
    /// The card of controls.
    pub controls: HtmlElement,
}

impl Columns {
    /// The two columns, appended to `root`.
    pub fn new(root: &HtmlElement) -> WebResult<Columns> {
        let layout: HtmlElement = dom::create("div", "descent-layout")?;
        let figure: HtmlElement = dom::add(&layout, "div", "figure-panel")?;
        let controls: HtmlElement = dom::add(&layout, "aside", "controls card")?;
        dom::append(root, &layout)?;
        Ok(Columns { figure, controls })
    }

    /// Adds controls to the card in order, each named for `hide=` links
    /// (see [`dom::name_control`]); `""` leaves a part unnamed (always shown).
    pub fn add(&self, parts: &[(&HtmlElement, &str)]) -> WebResult<()> {
        for (part, name) in parts {
            dom::append(&self.controls, part)?;
            if !name.is_empty() {
                dom::name_control(part, name);
            }
        }
        Ok(())
    }

    /// Ends the card with the keys that drive the lesson.
    pub fn keyboard_hint(&self, text: &str) -> WebResult<()> {
        dom::append(
            &self.controls,
            &dom::text_element("p", "keyboard-hint", text)?,
        )
    }
}

/// A canvas in a framed wrapper with a status line over it; returns (canvas, status).
pub fn picture(
    parent: &HtmlElement,
    id: &str,
    description: &str,
) -> WebResult<(HiDpiCanvas, HtmlElement)> {
    let wrap: HtmlElement = dom::create("div", "canvas-wrap")?;
    let canvas = HiDpiCanvas::picture("surface-canvas opt-canvas", id, description)?;
    dom::append(&wrap, &canvas.element)?;
    let status = status_line("p", "status", &format!("{id}-status"))?;
    dom::append(&wrap, &status)?;
    dom::append(parent, &wrap)?;
    Ok((canvas, status))
}

/// A `<tag class id>` that screen readers announce when its text changes.
pub fn status_line(tag: &str, class: &str, id: &str) -> WebResult<HtmlElement> {
    let status = dom::text_element(tag, class, "")?;
    status.set_id(id);
    status.set_attribute("role", "status")?;
    status.set_attribute("aria-live", "polite")?;
    Ok(status)
}

/// A `<section class="card {class}" id>` with an `<h3>` heading, appended to
/// `parent` and named `name` for `hide=` links (text lessons are a column of
/// such cards). Infallible and compiled once, like [`dom::create`].
#[inline(never)]
pub fn section_card(
    parent: &HtmlElement,
    class: &str,
    id: &str,
    name: &str,
    heading: &str,
) -> HtmlElement {
    let card: HtmlElement = dom::create_as("section", &format!("card {class}"));
    card.set_id(id);
    dom::name_control(&card, name);
    dom::append_node(&card, &dom::text_node("h3", "", heading));
    dom::append_node(parent, &card);
    card
}

/// A list (`tag` is `ul` or `ol`) with one item per line of `text`,
/// appended to `parent`: the texts keep a list's items one a line.
#[inline(never)]
pub fn line_list(parent: &HtmlElement, tag: &str, class: &str, text: &str) -> HtmlElement {
    let list: HtmlElement = dom::create_as(tag, class);
    for line in text.lines() {
        dom::append_node(&list, &dom::text_node("li", "", line));
    }
    dom::append_node(parent, &list);
    list
}

/// A legend of coloured swatches, one per `(colour, text)`, appended to `parent`.
pub fn legend(parent: &HtmlElement, items: &[([u8; 3], &str)]) -> WebResult<HtmlElement> {
    let legend: HtmlElement = dom::create("p", "opt-legend")?;
    for &([r, g, b], text) in items {
        let item = dom::add_text(&legend, "span", "opt-swatch", text)?;
        item.style()
            .set_property("--swatch", &format!("rgb({r}, {g}, {b})"))?;
    }
    dom::append(parent, &legend)?;
    Ok(legend)
}

/// A strip of read-outs, `(label, id)` each, appended to `parent`; returns
/// the strip and the elements holding the values, in order.
pub fn readouts<const N: usize>(
    parent: &HtmlElement,
    items: [(&str, &str); N],
) -> WebResult<(HtmlElement, [HtmlElement; N])> {
    let strip: HtmlElement = dom::create("dl", "readouts")?;
    let mut values = Vec::with_capacity(N);
    for (label, id) in items {
        values.push(readout(&strip, label, id)?);
    }
    dom::append(parent, &strip)?;
    let values = values
        .try_into()
        .unwrap_or_else(|_| unreachable!("one value per item"));
    Ok((strip, values))
}

/// "Steps: n" in a line of the controls; returns (line, the element holding n).
pub fn steps_line(label: &str, id: &str) -> WebResult<(HtmlElement, HtmlElement)> {
    let line: HtmlElement = dom::create("p", "opt-steps")?;
    dom::add_text(&line, "span", "", label)?;
    let steps = dom::add_text(&line, "span", "opt-steps-value", "")?;
    steps.set_id(id);
    Ok((line, steps))
}

/// One labelled value in a read-out strip; returns the element holding the value.
pub fn readout(strip: &HtmlElement, label: &str, id: &str) -> WebResult<HtmlElement> {
    let item: HtmlElement = dom::create("div", "readout")?;
    dom::add_text(&item, "dt", "", label)?;
    let value = dom::add_text(&item, "dd", "", "")?;
    value.set_id(id);
    dom::append(strip, &item)?;
    Ok(value)
}

/// When a view's pictures are stale: after the window was resized (the
/// canvases refit to the page) or when the model changed since they were drawn.
pub struct Redraw {
    resized: Rc<Cell<bool>>,
    drawn: Option<u64>,
}

impl Redraw {
    /// Stale at first (nothing is drawn yet); the listener flags resizes and
    /// lives with the view.
    pub fn new() -> WebResult<(Redraw, Listener)> {
        let resized = Rc::new(Cell::new(true));
        let listener = Listener::flag_on_resize(&resized)?;
        Ok((
            Redraw {
                resized,
                drawn: None,
            },
            listener,
        ))
    }

    /// Whether the window was resized since the last call (or this is the
    /// first frame): the view fits its canvases again.
    pub fn take_resize(&self) -> bool {
        self.resized.replace(false)
    }

    /// Whether the pictures of model state `revision` must be drawn, given
    /// whether the canvases were just `resized`; if so, they count as drawn.
    pub fn due(&mut self, resized: bool, revision: u64) -> bool {
        let due = resized || self.drawn != Some(revision);
        self.drawn = Some(revision);
        due
    }

    /// Draw again on the next frame whatever the revision.
    pub fn invalidate(&mut self) {
        self.drawn = None;
    }
}
