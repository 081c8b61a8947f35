//! Lesson: what artificial intelligence, machine learning and deep learning
//! are. The three as nested regions (AI ⊃ ML ⊃ DL), each opening the
//! lecture's definition and examples; classical programming (rules + data →
//! answers) beside machine learning (data + answers → rules); the technical
//! definition ("a multi-stage way to learn data representations"); and the
//! lecture's caution that deep learning models are not models of the brain.
//!
//! - [`model`]: which region is open, and what the keys do (tested natively);
//! - [`query`]: the open region in a link (`region=ml`);
//! - [`view`]: the page (the regions as an SVG drawing, the rest as text).

pub mod model;
pub mod query;
pub mod view;
