//! Lesson: momentum, step by step.
//!
//! The lecture's code for SGD with momentum runs here line by line against the
//! core's Nesterov optimiser (the lecture's form): the line that just ran is
//! highlighted and every variable's value shows beside it, while two pictures
//! compare the walk with momentum and plain SGD from the same start — in a
//! narrow valley, and on a double well where momentum rolls through the local
//! minimum that traps SGD.
//!
//! - [`program`]: the code and the line-by-line machine (tested natively);
//! - [`model`]: the two walks, the scenes, play state (tested natively);
//! - [`query`]: the lesson in a link;
//! - [`plot`]: a picture with cached background and arrows;
//! - [`view`]: the page.

pub mod model;
pub mod plot;
pub mod program;
pub mod query;
pub mod view;
