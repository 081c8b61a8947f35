//! A compact labelled number box for rows of settings (a runner's learning
//! rate, its momentum): typing a valid number and pressing Enter (or leaving
//! the box) applies it; text that is not a number in range is marked, not applied.

use std::ops::RangeInclusive;

use web_sys::{Event, HtmlElement, HtmlInputElement};

use super::{dom, Handler, Listener};
use crate::error::WebResult;

/// A labelled number box that checks what is typed.
pub struct NumberField {
    /// The `<label>` holding caption and box; insert this into the page.
    pub root: HtmlElement,
    /// The `<input>` box.
    pub input: HtmlInputElement,
    range: RangeInclusive<f64>,
    format: fn(f64) -> String,
}

impl NumberField {
    /// `caption` may be empty (then `title` names the box for screen readers).
    #[inline(always)]
    pub fn new(
        caption: &str,
        title: &str,
        range: RangeInclusive<f64>,
        value: f64,
        format: fn(f64) -> String,
    ) -> WebResult<NumberField> {
        Ok(NumberField::build(caption, title, range, value, format))
    }

    #[inline(never)]
    fn build(
        caption: &str,
        title: &str,
        range: RangeInclusive<f64>,
        value: f64,
        format: fn(f64) -> String,
    ) -> NumberField {
        let root: HtmlElement = dom::create_as("label", "number-field");
        if !caption.is_empty() {
            dom::append_node(&root, &dom::text_node("span", "number-caption", caption));
        }
        let input: HtmlInputElement = dom::create_as("input", "number-input");
        input.set_type("text");
        dom::set_attr(&input, "inputmode", "decimal");
        dom::set_attr(&input, "spellcheck", "false");
        dom::set_attr(&input, "aria-label", title);
        input.set_title(title);
        dom::append_node(&root, &input);
        let field = NumberField {
            root,
            input,
            range,
            format,
        };
        field.set_value(value);
        field
    }

    /// Shows `value`, unless the reader is typing in the box.
    pub fn set_value(&self, value: f64) {
        let typing = dom::document()
            .ok()
            .and_then(|d| d.active_element())
            .is_some_and(|active| active == **self.input);
        if !typing {
            let text = (self.format)(value);
            if self.input.value() != text {
                self.input.set_value(&text);
            }
            self.input.class_list().remove_1("invalid").ok();
        }
    }

    /// Calls `f` with each valid typed value (Enter or leaving the box).
    #[inline(always)]
    pub fn on_change(&self, f: impl FnMut(f64) -> WebResult<()> + 'static) -> WebResult<Listener> {
        Ok(self.on_change_boxed(Box::new(f)))
    }

    /// The body of [`NumberField::on_change`], compiled once (see [`Handler`]).
    fn on_change_boxed(&self, mut f: Handler<f64>) -> Listener {
        let (input, range) = (self.input.clone(), self.range.clone());
        Listener::on(&self.input, "change", move |_: Event| {
            match input.value().trim().parse::<f64>() {
                Ok(v) if v.is_finite() && range.contains(&v) => {
                    input.class_list().remove_1("invalid").ok();
                    f(v)
                }
                _ => {
                    input.class_list().add_1("invalid").ok();
                    Ok(())
                }
            }
        })
    }
}
