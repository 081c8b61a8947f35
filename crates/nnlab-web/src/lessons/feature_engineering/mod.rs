//! Lesson: feature engineering against end-to-end learning (the lecture's
//! 特征工程 slide). Three pipelines race in the training Worker on the same
//! CIFAR-10 images and budget — softmax regression on raw pixels, the same on
//! hand-made HOG + hue features, the lecture's MLP on pixels — and the page
//! draws the features of one image as HOG glyphs and a hue histogram.
//!
//! - [`model`]: the budget, the image shown, what Space asks of the Worker
//!   and what the finished race says (tested natively);
//! - [`query`]: budget and image in a link;
//! - [`view`]: the race's chart and read-outs, the glyphs, the conclusion.

pub mod model;
pub mod query;
pub mod view;
