//! Small, reused building blocks for lesson controls. Each widget owns its
//! elements; event handlers are [`Listener`]s that detach when dropped, so a
//! lesson rebuilt in another language leaves no stale handlers behind.

pub mod button;
pub mod canvas;
pub mod dom;
pub mod listener;
pub mod select;
pub mod slider;

pub use button::Button;
pub use canvas::HiDpiCanvas;
pub use listener::Listener;
pub use select::Select;
pub use slider::{Scale, Slider};
