//! A labelled drop-down list.

use web_sys::{Event, HtmlElement, HtmlOptionElement, HtmlSelectElement};

use super::{dom, Handler, Listener};
use crate::error::WebResult;

/// A labelled drop-down list.
pub struct Select {
    /// The `<label>` wrapping caption and list; insert this into the page.
    pub root: HtmlElement,
    /// The `<select>` itself.
    pub element: HtmlSelectElement,
}

impl Select {
    /// A list of `(value, text)` options with `selected` chosen.
    #[inline(always)]
    pub fn new(caption: &str, options: &[(&str, &str)], selected: &str) -> WebResult<Select> {
        Ok(Select::build(caption, options, selected))
    }

    #[inline(never)]
    fn build(caption: &str, options: &[(&str, &str)], selected: &str) -> Select {
        let root: HtmlElement = dom::create_as("label", "field");
        dom::append_node(&root, &dom::text_node("span", "field-label", caption));
        let element: HtmlSelectElement = dom::create_as("select", "");
        for (value, text) in options {
            let option: HtmlOptionElement = dom::create_as("option", "");
            option.set_value(value);
            option.set_text_content(Some(text));
            dom::append_node(&element, &option);
        }
        element.set_value(selected);
        dom::append_node(&root, &element);
        Select { root, element }
    }

    /// The value of the chosen option.
    pub fn value(&self) -> String {
        self.element.value()
    }

    /// Shows `value` as chosen (no change event fires).
    pub fn set_value(&self, value: &str) {
        if self.element.value() != value {
            self.element.set_value(value);
        }
    }

    /// Calls `f` with the new value whenever the user picks another option.
    #[inline(always)]
    pub fn on_change(
        &self,
        f: impl FnMut(String) -> WebResult<()> + 'static,
    ) -> WebResult<Listener> {
        Ok(self.on_change_boxed(Box::new(f)))
    }

    /// The body of [`Select::on_change`], compiled once (see [`Handler`]).
    fn on_change_boxed(&self, mut f: Handler<String>) -> Listener {
        let element = self.element.clone();
        Listener::on(&self.element, "change", move |_: Event| f(element.value()))
    }
}
