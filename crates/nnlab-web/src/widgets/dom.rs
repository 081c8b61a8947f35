//! Thin helpers over web-sys for creating and finding elements.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Node, Window};

use crate::error::{WebError, WebResult};

pub fn window() -> WebResult<Window> {
    web_sys::window().ok_or(WebError::MissingElement("window"))
}

pub fn document() -> WebResult<Document> {
    window()?
        .document()
        .ok_or(WebError::MissingElement("document"))
}

/// A new `<tag class="class">`, cast to the element type `T`.
pub fn create<T: JsCast>(tag: &str, class: &str) -> WebResult<T> {
    // Only the cast is generic: the rest is compiled once, not per element type.
    fn element(tag: &str, class: &str) -> WebResult<web_sys::Element> {
        let element = document()?.create_element(tag)?;
        if !class.is_empty() {
            element.set_class_name(class);
        }
        Ok(element)
    }
    element(tag, class)?
        .dyn_into::<T>()
        .map_err(|_| WebError::Js(format!("<{tag}> has an unexpected type")))
}

/// A new `<tag class="class">text</tag>`.
pub fn text_element(tag: &str, class: &str, text: &str) -> WebResult<HtmlElement> {
    let element: HtmlElement = create(tag, class)?;
    element.set_text_content(Some(text));
    Ok(element)
}

/// The element with `id`, cast to `T`.
pub fn by_id<T: JsCast>(id: &'static str) -> WebResult<T> {
    document()?
        .get_element_by_id(id)
        .ok_or(WebError::MissingElement(id))?
        .dyn_into::<T>()
        .map_err(|_| WebError::MissingElement(id))
}

/// Appends `child` to `parent`.
pub fn append(parent: &impl AsRef<Node>, child: &impl AsRef<Node>) -> WebResult<()> {
    parent.as_ref().append_child(child.as_ref())?;
    Ok(())
}

/// Removes every child of `parent`.
pub fn clear(parent: &Element) {
    parent.set_inner_html("");
}

/// Sets `element`'s text only when it differs, so per-frame updates cost no DOM work when nothing changed.
pub fn set_text_if_changed(element: &Element, text: &str) {
    if element.text_content().as_deref() != Some(text) {
        element.set_text_content(Some(text));
    }
}
