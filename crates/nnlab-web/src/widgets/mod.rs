//! Small, reused building blocks for lesson controls. Each widget owns its
//! elements; event handlers are [`Listener`]s that detach when dropped, so a
//! lesson rebuilt in another language leaves no stale handlers behind.
//!
//! Building a widget or attaching a handler cannot fail on a page, so these
//! return `WebResult` only to fit the lessons' `?`: each public constructor
//! and `on_*` method is an inlined `Ok(…)` around a body compiled once, and
//! the compiler then drops the error paths at the hundreds of call sites (see
//! [`dom::create`]). A bug such as a wrong element type panics, and the
//! banner shows it.

pub mod button;
pub mod canvas;
pub mod dom;
pub mod export_buttons;
pub mod listener;
pub mod number_field;
pub mod select;
pub mod slider;
pub mod transport;

pub use button::Button;
pub use canvas::{on_pointer, pointer_offset, HiDpiCanvas};
pub use export_buttons::{ExportButtons, ExportFormat};
pub use listener::Listener;
pub use number_field::NumberField;
pub use select::Select;
pub use slider::{Scale, Slider};
pub use transport::{Transport, TransportButtons};

/// A widget's event handler, boxed. Widgets take `impl FnMut` for
/// convenience and box it at once, so their own bodies are compiled once
/// rather than once per call site (the page has well over a hundred
/// handlers; the generic copies were tens of KB of the shipped wasm).
pub type Handler<T> = Box<dyn FnMut(T) -> crate::error::WebResult<()>>;
