//! The error banner: a panic or an error shows a readable message in the page
//! instead of leaving a dead canvas.

use std::cell::Cell;

use wasm_bindgen::JsCast;

use crate::error::WebError;
use crate::i18n::{Key, Lang};

/// The `id` of the banner element in `www/index.html`.
pub const BANNER_ID: &str = "error-banner";

thread_local! {
    /// The language the banner speaks; the app updates it on every switch.
    static BANNER_LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

/// Makes later banners speak `lang`.
pub fn set_lang(lang: Lang) {
    BANNER_LANG.with(|l| l.set(lang));
}

/// The page's language, for the few widgets that speak without a lesson
/// handing them texts (a slider refusing a typed number).
pub fn lang() -> Lang {
    BANNER_LANG.with(Cell::get)
}

/// Shows `err` in the banner (and the console).
pub fn show_error(err: &WebError) {
    show_message(&err.to_string());
}

/// Shows a message in the banner, prefixed by "Something went wrong" in the current language.
pub fn show_message(detail: &str) {
    web_sys::console::error_1(&detail.into());
    let lang = BANNER_LANG.with(Cell::get);
    let text = format!(
        "{}{} {}",
        lang.text(Key::ErrorPrefix),
        detail,
        lang.text(Key::ErrorReload)
    );
    let banner = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(BANNER_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(banner) = banner {
        banner.set_text_content(Some(&text));
        banner.set_hidden(false);
    }
}

/// Hides the banner (used when a new page state replaces a failed one).
pub fn clear() {
    let banner = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(BANNER_ID))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(banner) = banner {
        banner.set_hidden(true);
        banner.set_text_content(None);
    }
}

/// Panics are bugs, but a student should still see what happened: log the
/// panic with its stack (console_error_panic_hook) and show it in the banner.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        show_message(&format!("panic: {payload}{place}"));
    }));
}
