//! The web crate's error type. Core errors ([`nnlab::Error`]) and JavaScript
//! exceptions become a [`WebError`] here, and a message for the page only at
//! the boundary ([`crate::banner`]).

use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// Something that stopped a lesson from building, ticking or drawing.
#[derive(Debug, Clone, PartialEq)]
pub enum WebError {
    /// Bad input rejected by the core, e.g. a learning rate out of range.
    Core(nnlab::Error),
    /// A browser API threw (the exception's text).
    Js(String),
    /// Plotters could not draw a figure.
    Draw(String),
    /// A page element the app needs is missing.
    MissingElement(&'static str),
}

/// What building, ticking or drawing a lesson returns.
pub type WebResult<T> = Result<T, WebError>;

impl fmt::Display for WebError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebError::Core(e) => write!(f, "{e}"),
            WebError::Js(msg) => write!(f, "browser error: {msg}"),
            WebError::Draw(msg) => write!(f, "drawing failed: {msg}"),
            WebError::MissingElement(what) => write!(f, "the page has no {what}"),
        }
    }
}

impl std::error::Error for WebError {}

impl From<nnlab::Error> for WebError {
    fn from(e: nnlab::Error) -> Self {
        WebError::Core(e)
    }
}

impl From<JsValue> for WebError {
    fn from(value: JsValue) -> Self {
        WebError::Js(js_message(&value))
    }
}

impl From<WebError> for JsValue {
    fn from(e: WebError) -> Self {
        js_sys::Error::new(&e.to_string()).into()
    }
}

/// The readable text of a thrown JavaScript value (an `Error`'s message, a string, or its debug form).
pub fn js_message(value: &JsValue) -> String {
    if let Some(err) = value.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
