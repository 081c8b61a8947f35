//! A push button.

use web_sys::{Event, HtmlButtonElement};

use super::{dom, Listener};
use crate::error::WebResult;

pub struct Button {
    pub element: HtmlButtonElement,
}

impl Button {
    /// A `<button type="button">` with `label`; `class` adds a style (e.g. "primary").
    pub fn new(label: &str, class: &str) -> WebResult<Button> {
        let element: HtmlButtonElement = dom::create("button", format!("btn {class}").trim())?;
        element.set_type("button");
        element.set_text_content(Some(label));
        Ok(Button { element })
    }

    pub fn set_label(&self, label: &str) {
        dom::set_text_if_changed(&self.element, label);
    }

    /// Calls `f` on every click.
    pub fn on_click(&self, f: impl FnMut() -> WebResult<()> + 'static) -> WebResult<Listener> {
        self.on_click_boxed(Box::new(f))
    }

    /// The body of [`Button::on_click`], compiled once (see [`super::Handler`]).
    fn on_click_boxed(&self, mut f: Box<dyn FnMut() -> WebResult<()>>) -> WebResult<Listener> {
        Listener::new(&self.element, "click", move |_: Event| f())
    }
}
