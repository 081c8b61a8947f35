//! Thin helpers over web-sys for creating and finding elements.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Node, Window};

use crate::error::{WebError, WebResult};

/// The browser window (an error outside a page).
pub fn window() -> WebResult<Window> {
    web_sys::window().ok_or(WebError::MissingElement("window"))
}

/// The page's document.
pub fn document() -> WebResult<Document> {
    window()?
        .document()
        .ok_or(WebError::MissingElement("document"))
}

// `create`, `text_element` and `append` run hundreds of times while the
// lessons build their pages, each call followed by `?`. They cannot fail on a
// page (the tags are the code's own, the parents new elements), so they
// always return `Ok` — a wrong element type is a bug and panics, which the
// banner shows — and are inlined down to a call: the compiler then drops the
// callers' error paths, each of which dropped every element the caller held
// (about 70 KB of the page's wasm, 12 KB gzipped).

/// A new `<tag class="class">`, cast to the element type `T`.
#[inline(always)]
pub fn create<T: JsCast>(tag: &str, class: &str) -> WebResult<T> {
    Ok(create_as::<T>(tag, class))
}

#[inline(never)]
pub(crate) fn create_as<T: JsCast>(tag: &str, class: &str) -> T {
    match element(tag, class).dyn_into::<T>() {
        Ok(element) => element,
        Err(_) => wrong_type(tag),
    }
}

/// Only the cast is generic: this is compiled once, not per element type.
#[inline(never)]
fn element(tag: &str, class: &str) -> Element {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element(tag).ok())
        .expect("a page to build elements in");
    if !class.is_empty() {
        element.set_class_name(class);
    }
    element
}

#[cold]
#[inline(never)]
fn wrong_type(tag: &str) -> ! {
    panic!("<{tag}> has an unexpected type")
}

/// A new `<tag class="class">text</tag>`.
#[inline(always)]
pub fn text_element(tag: &str, class: &str, text: &str) -> WebResult<HtmlElement> {
    Ok(text_node(tag, class, text))
}

#[inline(never)]
pub(crate) fn text_node(tag: &str, class: &str, text: &str) -> HtmlElement {
    let element: HtmlElement = create_as(tag, class);
    element.set_text_content(Some(text));
    element
}

/// A new `<tag class="class">text</tag>` appended to `parent`; returns it.
#[inline(always)]
pub fn add_text(
    parent: &impl AsRef<Node>,
    tag: &str,
    class: &str,
    text: &str,
) -> WebResult<HtmlElement> {
    Ok(child_text(parent.as_ref(), tag, class, text))
}

/// [`add_text`] for code that builds without `?` (it cannot fail either way).
pub(crate) fn child_text(parent: &Node, tag: &str, class: &str, text: &str) -> HtmlElement {
    let element = text_node(tag, class, text);
    append_node(parent, &element);
    element
}

/// [`add`] of an `HtmlElement`, for code that builds without `?`.
pub(crate) fn child(parent: &Node, tag: &str, class: &str) -> HtmlElement {
    let element: HtmlElement = create_as(tag, class);
    append_node(parent, &element);
    element
}

/// A new, empty `<tag class="class">` appended to `parent`; returns it.
#[inline(always)]
pub fn add<T: JsCast + AsRef<Node>>(
    parent: &impl AsRef<Node>,
    tag: &str,
    class: &str,
) -> WebResult<T> {
    let element: T = create_as(tag, class);
    append_node(parent.as_ref(), element.as_ref());
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
#[inline(always)]
pub fn append(parent: &impl AsRef<Node>, child: &impl AsRef<Node>) -> WebResult<()> {
    append_node(parent.as_ref(), child.as_ref());
    Ok(())
}

/// Only a cycle (an element appended into itself) could make this throw; the banner would say so.
#[inline(never)]
pub(crate) fn append_node(parent: &Node, child: &Node) {
    if let Err(err) = parent.append_child(child) {
        crate::banner::show_error(&err.into());
    }
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

/// Names `element` as the control `name` of its lesson (`data-control="name"`),
/// so a link's `hide=name` hides it (see [`crate::link`]). Infallible: setting
/// an attribute of a valid name cannot fail, and the many call sites stay small.
pub fn name_control(element: &Element, name: &str) {
    let _ = element.set_attribute(crate::link::CONTROL_ATTRIBUTE, name);
}

/// [`name_control`] for several elements at once.
pub fn name_controls(parts: &[(&HtmlElement, &str)]) {
    for (element, name) in parts {
        name_control(element, name);
    }
}

/// Sets an attribute the code names itself (which cannot fail).
#[inline(never)]
pub fn set_attr(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}
