//! Lesson: how a neural network works — the lecture's three pictures as one
//! live loop.
//!
//! A tiny network (2 inputs → hidden → 2 classes) learns to separate 200
//! points of a toy data set the student sees whole. (1) The network is
//! parameterised by its weights, shown as the string of numbers they are;
//! (2) the loss compares its predictions with the targets — the loss value
//! and the points it gets wrong; (3) the optimiser uses the loss as a
//! feedback signal to adjust the weights. The decision regions are a heat
//! map that changes while training, beside the loss curve, and the stage of
//! the loop is lit as it runs.
//!
//! - [`toy_data`]: the two moons and the ring around a disc;
//! - [`model`]: the network, the loop's stages, the clock (tested natively);
//! - [`view`]: the page.

pub mod model;
pub mod toy_data;
pub mod view;
