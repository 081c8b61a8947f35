//! Lesson: the training loop.
//!
//! The lecture's five steps — take a batch, forward, loss, backward, update —
//! run one at a time on the lecture's MLP, with the line of the lecture's
//! loop that does each step highlighted, the counters `epoch`, `batch_id` and
//! updates, what each step produced, and the loss curve. It trains on the
//! CIFAR-10 images once they are loaded and on a small, clearly labelled
//! stand-in set until then.
//!
//! - [`synthetic`]: the stand-in images (a coloured patch per class);
//! - [`model`]: the loop as phases, its counters and read-outs (tested natively);
//! - [`text`]: the code, step names, epoch arithmetic and number formats;
//! - [`query`]: the settings in a link;
//! - [`view`]: the page.

pub mod model;
pub mod query;
pub mod synthetic;
pub mod text;
pub mod view;
