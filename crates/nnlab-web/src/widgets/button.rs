//! A push button.

use web_sys::{Event, HtmlButtonElement};

use super::{dom, Listener};
use crate::error::WebResult;

/// A button with a text label.
pub struct Button {
    /// The `<button>`; insert this into the page.
    pub element: HtmlButtonElement,
}

impl Button {
    /// A `<button type="button">` with `label`; `class` adds a style (e.g. "primary").
    #[inline(always)]
    pub fn new(label: &str, class: &str) -> WebResult<Button> {
        Ok(Button::build(label, class))
    }

    #[inline(never)]
    pub(crate) fn build(label: &str, class: &str) -> Button {
        let element: HtmlButtonElement = dom::create_as("button", format!("btn {class}").trim());
        element.set_type("button");
        element.set_text_content(Some(label));
        Button { element }
    }

    /// Changes the text (untouched when it is the same).
    pub fn set_label(&self, label: &str) {
        dom::set_text_if_changed(&self.element, label);
    }

    /// Calls `f` on every click. Always `Ok` (see [`Listener::new`]).
    #[inline(always)]
    pub fn on_click(&self, f: impl FnMut() -> WebResult<()> + 'static) -> WebResult<Listener> {
        Ok(self.on_click_boxed(Box::new(f)))
    }

    /// The body of [`Button::on_click`], compiled once (see [`super::Handler`]).
    pub(crate) fn on_click_boxed(&self, mut f: Box<dyn FnMut() -> WebResult<()>>) -> Listener {
        Listener::on(&self.element, "click", move |_: Event| f())
    }
}
