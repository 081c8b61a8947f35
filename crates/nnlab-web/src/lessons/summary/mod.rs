//! Lesson: the summary — "so far". A map of the whole lecture built from the
//! lessons table (every lesson with its key sentence, a small drawing and a
//! link, so new lessons appear by themselves), the lecture's closing summary
//! and message (short-term expectations unrealistic, long-term bright), and
//! the democratisation of deep learning: the lecture's Paddle code beside the
//! nnlab command and Rust calls that do the same.
//!
//! - [`model`]: which lessons the map shows, by part (tested natively);
//! - [`thumbnails`]: a small drawing per lesson, on a canvas;
//! - [`view`]: the page.

pub mod model;
pub mod thumbnails;
pub mod view;
