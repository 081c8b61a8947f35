//! # nnlab-web — the browser front end of nnlab
//!
//! The page (`www/index.html`, built by Trunk) calls [`start`]. Everything
//! else is plain Rust: the app shell ([`app`]), the lessons ([`lessons`]),
//! small widgets ([`widgets`]), drawing ([`draw`]) in the page's colour
//! theme ([`theme`]) and every user-visible string ([`i18n`]). Core errors become page messages only at the edge
//! ([`error`], [`banner`]).

#![warn(missing_docs)]

pub mod app;
pub mod banner;
pub mod commands;
pub mod data_store;
pub mod draw;
pub mod error;
pub mod export;
pub mod host_bridge;
pub mod i18n;
pub mod lessons;
pub mod link;
pub mod theme;
pub mod training;
pub mod url_state;
pub mod widgets;

use wasm_bindgen::prelude::wasm_bindgen;

/// Starts the app in `#app`: installs the panic hook (panics show in the
/// error banner) and builds the page. Errors are shown in the banner too.
#[wasm_bindgen]
pub fn start() {
    banner::install_panic_hook();
    if let Err(err) = app::start() {
        banner::show_error(&err);
    }
}
