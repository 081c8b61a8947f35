//! The lessons, one folder each, in the order of the lecture.
//!
//! - [`table`]: the one table of lessons (slug, part, title, key sentence,
//!   introduction, hideable parts, constructor) everything else reads;
//! - [`lesson`]: what a lesson is — a model, its link state and a view,
//!   joined by the one adapter [`Page`](lesson::Page);
//! - [`kit`]: what lessons share (formatting, read-outs, pictures, drawing,
//!   event binding), so that no lesson imports another;
//! - one folder per lecture section, each with `model.rs`, `view.rs` and,
//!   where a link can carry its state, `query.rs`.
//!
//! The app ticks and draws only the visible lesson.

pub mod kit;
pub mod lesson;
pub mod table;

pub mod backprop;
pub mod deep_training;
pub mod depth;
pub mod derivative;
pub mod descent_1d;
pub mod descent_2d;
pub mod feature_engineering;
pub mod gradient;
pub mod how_it_works;
pub mod input_data;
pub mod live_training;
pub mod loss_optimizer;
pub mod momentum;
pub mod network;
pub mod neurons;
pub mod summary;
pub mod training_loop;
pub mod weight_init;
pub mod what_is_dl;
pub mod why_now;

pub use lesson::{FromLink, Lesson, LessonModel, LessonView, LinkState, Mount, Playback};
pub use table::{build_all, LessonId};
