//! Lesson: the input data. CIFAR-10's images with their classes, and one
//! image normalised and reshaped into the `(1, 3072)` row the network reads.
//!
//! - [`model`]: gallery paging and the vector ↔ pixel arithmetic (tested natively);
//! - [`photo`]: the student's own photo as the same `(1, 3072)` row;
//! - [`query`]: the gallery's filter and chosen image in a link;
//! - [`view`]: the page (with the kit's CIFAR-10 [`data_panel`](crate::lessons::kit::data_panel)
//!   and [`pictures`](crate::lessons::kit::pictures), which the other CIFAR-10 lessons share).

pub mod model;
pub mod photo;
pub mod query;
pub mod view;
