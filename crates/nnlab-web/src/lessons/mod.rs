//! The lessons, one file each, in the order of the lecture.
//!
//! A lesson owns its state and exposes three things: [`Lesson::mount`] builds
//! its controls, [`Lesson::tick`] advances it, [`Lesson::draw`] paints it. The
//! app's frame loop ticks and draws only the visible lesson.

pub mod descent_2d;
// @lesson: each helper adds its `pub mod` lines below this line
pub mod backprop;
pub mod depth;
pub mod derivative;
pub mod descent_1d;
pub mod gradient;
pub mod how_it_works;
pub mod input_data;
pub mod kit;
pub mod live_training;
pub mod loss_optimizer;
pub mod momentum;
pub mod network;
pub mod neurons;
pub mod training_loop;
pub mod weight_init;

use web_sys::HtmlElement;

use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::widgets::dom;

/// The sections of the lecture, as they appear in the menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LessonId {
    Depth,
    HowItWorks,
    Neurons,
    Network,
    InputData,
    WeightInit,
    Training,
    LiveTraining,
    LossAndOptimizer,
    DerivativeAndGradient,
    Gradient,
    Sgd,
    LocalMinima,
    Descent2d,
    Momentum,
    Backprop,
}

impl LessonId {
    /// Menu order = the lecture's order (the 2-D descent figure sits between
    /// local minima and momentum, where the lecture shows it).
    pub const ALL: [LessonId; 16] = [
        LessonId::Depth,
        LessonId::HowItWorks,
        LessonId::Neurons,
        LessonId::Network,
        LessonId::InputData,
        LessonId::WeightInit,
        LessonId::Training,
        LessonId::LiveTraining,
        LessonId::LossAndOptimizer,
        LessonId::DerivativeAndGradient,
        LessonId::Gradient,
        LessonId::Sgd,
        LessonId::LocalMinima,
        LessonId::Descent2d,
        LessonId::Momentum,
        LessonId::Backprop,
    ];

    /// The URL fragment (`#descent-2d`) naming this lesson.
    pub fn slug(self) -> &'static str {
        match self {
            LessonId::Depth => "depth",
            LessonId::HowItWorks => "how-it-works",
            LessonId::Neurons => "neurons",
            LessonId::Network => "network",
            LessonId::LiveTraining => "live-training",
            LessonId::Gradient => "gradient",
            LessonId::InputData => "input-data",
            LessonId::WeightInit => "weight-init",
            LessonId::Training => "training",
            LessonId::LossAndOptimizer => "loss-and-optimizer",
            LessonId::DerivativeAndGradient => "derivative-and-gradient",
            LessonId::Sgd => "sgd",
            LessonId::LocalMinima => "local-minima",
            LessonId::Descent2d => "descent-2d",
            LessonId::Momentum => "momentum",
            LessonId::Backprop => "backprop",
        }
    }

    pub fn from_slug(slug: &str) -> Option<LessonId> {
        LessonId::ALL.into_iter().find(|id| id.slug() == slug)
    }

    /// The menu and page title.
    pub fn title(self) -> Key {
        match self {
            LessonId::Depth => Key::DepthTitle,
            LessonId::HowItWorks => Key::HowItWorksTitle,
            LessonId::Neurons => Key::NeuronsTitle,
            LessonId::Network => Key::NetworkTitle,
            LessonId::LiveTraining => Key::LiveTrainingTitle,
            LessonId::Gradient => Key::GradientTitle,
            LessonId::InputData => Key::InputDataTitle,
            LessonId::WeightInit => Key::WeightInitTitle,
            LessonId::Training => Key::TrainingTitle,
            LessonId::LossAndOptimizer => Key::LossOptimTitle,
            LessonId::DerivativeAndGradient => Key::DerivativeTitle,
            LessonId::Sgd => Key::SgdTitle,
            LessonId::LocalMinima => Key::LocalMinimaTitle,
            LessonId::Descent2d => Key::Descent2dTitle,
            LessonId::Momentum => Key::MomentumTitle,
            LessonId::Backprop => Key::BackpropTitle,
        }
    }

    /// The lecture's key sentence for this section.
    pub fn key_sentence(self) -> Key {
        match self {
            LessonId::Depth => Key::DepthSentence,
            LessonId::HowItWorks => Key::HowItWorksSentence,
            LessonId::Neurons => Key::NeuronsSentence,
            LessonId::Network => Key::NetworkSentence,
            LessonId::LiveTraining => Key::LiveTrainingSentence,
            LessonId::Gradient => Key::GradientSentence,
            LessonId::InputData => Key::InputDataSentence,
            LessonId::WeightInit => Key::WeightInitSentence,
            LessonId::Training => Key::TrainingSentence,
            LessonId::LossAndOptimizer => Key::LossOptimSentence,
            LessonId::DerivativeAndGradient => Key::DerivativeSentence,
            LessonId::Sgd => Key::SgdSentence,
            LessonId::LocalMinima => Key::LocalMinimaSentence,
            LessonId::Descent2d => Key::Descent2dSentence,
            LessonId::Momentum => Key::MomentumSentence,
            LessonId::Backprop => Key::BackpropSentence,
        }
    }

    /// The lesson the app opens when the URL names none.
    pub const FIRST: LessonId = LessonId::Descent2d;

    /// The names of the lesson's parts a link can hide (`hide=surface,export`,
    /// see [`crate::link`]): the views mark each with `data-control="name"`,
    /// and `head` (title and introduction) is every lesson's. Stable: links
    /// and slides use them.
    pub fn controls(self) -> &'static [&'static str] {
        match self {
            LessonId::Depth => &["head", "data", "run", "pick", "activations", "clouds"],
            LessonId::HowItWorks => &[
                "head",
                "loop",
                "transport",
                "speed",
                "readouts",
                "data",
                "hidden",
                "optimizer",
                "lr",
                "reinit",
                "weights",
                "curve",
                "pictures",
                "summary",
            ],
            LessonId::Neurons => &["head", "formula", "activation", "sums", "plot"],
            LessonId::Network => &[
                "head",
                "preset",
                "input",
                "layers",
                "activation",
                "batch",
                "table",
                "picture",
            ],
            LessonId::InputData => &["head", "data", "facts", "gallery", "vector"],
            LessonId::WeightInit => &[
                "head",
                "init",
                "scale",
                "network",
                "activation",
                "seed",
                "table",
            ],
            LessonId::Training => &[
                "head",
                "code",
                "transport",
                "readouts",
                "optimizer",
                "lr",
                "batch",
                "phases",
                "curve",
                "arith",
            ],
            LessonId::LiveTraining => &[
                "head",
                "data",
                "optimizer",
                "lr",
                "batch",
                "init",
                "size",
                "actions",
                "readouts",
                "charts",
                "weights",
                "confusion",
                "cards",
            ],
            LessonId::LossAndOptimizer => &[
                "head",
                "truth",
                "presets",
                "readouts",
                "logits",
                "optimizers",
            ],
            LessonId::DerivativeAndGradient => &[
                "head",
                "eps",
                "speed",
                "transport",
                "export",
                "legend",
                "readouts",
            ],
            LessonId::Gradient => &[
                "head",
                "surface",
                "step",
                "speed",
                "transport",
                "export",
                "legend",
                "readouts",
            ],
            LessonId::Sgd | LessonId::LocalMinima => &[
                "head",
                "presets",
                "lr",
                "noise",
                "speed",
                "transport",
                "export",
                "chart",
                "readouts",
            ],
            LessonId::Descent2d => &[
                "head",
                "surface",
                "presets",
                "runners",
                "speed",
                "budget",
                "transport",
                "export",
                "chart",
                "readouts",
            ],
            LessonId::Momentum => &[
                "head",
                "code",
                "surface",
                "lr",
                "momentum",
                "speed",
                "transport",
                "export",
                "pictures",
            ],
            LessonId::Backprop => &["head", "preset", "values", "transport", "formula", "check"],
        }
    }
}

/// Which of the shared commands ([`crate::commands::Command`]) a lesson
/// answers, and whether it is running now: what a host page may ask of it
/// ([`crate::host_bridge`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Playback {
    /// `Some(running)` when Space plays and pauses the lesson; `None` when it has no play.
    pub playing: Option<bool>,
    /// → takes one step.
    pub steps: bool,
    /// R resets it.
    pub resets: bool,
}

impl Playback {
    /// A lesson that plays, steps and resets; `playing` is whether it runs now.
    pub fn full(playing: bool) -> Playback {
        Playback {
            playing: Some(playing),
            steps: true,
            resets: true,
        }
    }
}

/// What the app needs from a lesson.
pub trait Lesson {
    fn id(&self) -> LessonId;

    /// Builds the lesson's controls into `root` (already empty) in `lang`.
    /// Called when the lesson is shown and on every language switch; the
    /// lesson's state survives both.
    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()>;

    /// Drops the controls and their event handlers (the lesson is hidden).
    fn unmount(&mut self);

    /// Advances the lesson by `dt_ms` milliseconds of wall-clock time.
    fn tick(&mut self, dt_ms: f64) -> WebResult<()>;

    /// Paints the lesson (cheaply when nothing changed).
    fn draw(&mut self) -> WebResult<()>;

    /// The lesson's state as URL query pairs, so a link reopens it as it is
    /// now (see [`crate::url_state`]). Lessons without shareable state keep the default.
    fn state_query(&self) -> crate::url_state::Query {
        Vec::new()
    }

    /// Restores state from a link's pairs. Values that cannot be used leave
    /// their defaults in place and come back as notices, which the page shows.
    fn apply_query(&mut self, _query: &[(String, String)]) -> Vec<crate::url_state::Notice> {
        Vec::new()
    }

    /// A shared control (Space, →, R, digit keys): see [`crate::commands`].
    fn command(&mut self, _command: crate::commands::Command) -> WebResult<()> {
        Ok(())
    }

    /// Which shared commands the lesson answers and whether it runs now.
    /// Lessons without play, step or reset keep the default (none).
    fn playback(&self) -> Playback {
        Playback::default()
    }
}

/// A lesson's `<header>`: its title and introduction (the control `head`, which
/// `hide=head` hides). The lesson adds what else its head shows, then appends it to the page.
pub fn head(title: &str, intro: &str) -> WebResult<HtmlElement> {
    let head: HtmlElement = dom::create("header", "lesson-head")?;
    dom::name_control(&head, "head");
    dom::append(&head, &dom::text_element("h2", "lesson-title", title)?)?;
    dom::append(&head, &dom::text_element("p", "lesson-intro", intro)?)?;
    Ok(head)
}

/// One lesson per section, in menu order.
pub fn all() -> WebResult<Vec<Box<dyn Lesson>>> {
    LessonId::ALL
        .into_iter()
        .map(|id| -> WebResult<Box<dyn Lesson>> {
            Ok(match id {
                LessonId::Descent2d => Box::new(descent_2d::Descent2d::new()?),
                // @lesson: each helper adds its lessons below this line
                LessonId::LossAndOptimizer => Box::new(loss_optimizer::LossAndOptimizer::new()),
                LessonId::HowItWorks => Box::new(how_it_works::HowItWorks::new()?),
                LessonId::Depth => Box::new(depth::Depth::new()),
                LessonId::Momentum => Box::new(momentum::MomentumLesson::new()?),
                LessonId::InputData => Box::new(input_data::InputData::new()),
                LessonId::LiveTraining => Box::new(live_training::LiveTraining::new()),
                LessonId::Neurons => Box::new(neurons::Neurons::new()?),
                LessonId::Network => Box::new(network::Network::new()?),
                LessonId::Backprop => Box::new(backprop::Backprop::new()?),
                LessonId::DerivativeAndGradient => Box::new(derivative::DerivativeLesson::new()?),
                LessonId::Gradient => Box::new(gradient::GradientLesson::new()?),
                LessonId::Sgd => Box::new(descent_1d::Descent1dLesson::new(
                    LessonId::Sgd,
                    descent_1d::model::Preset::Good,
                )?),
                LessonId::LocalMinima => Box::new(descent_1d::Descent1dLesson::new(
                    LessonId::LocalMinima,
                    descent_1d::model::Preset::TooSmall,
                )?),
                LessonId::WeightInit => Box::new(weight_init::WeightInit::new()?),
                LessonId::Training => Box::new(training_loop::Training::new()?),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_are_unique() {
        for id in LessonId::ALL {
            assert_eq!(LessonId::from_slug(id.slug()), Some(id));
        }
        assert_eq!(LessonId::from_slug("nope"), None);
    }

    #[test]
    fn control_names_are_short_unique_and_start_with_head() {
        for id in LessonId::ALL {
            let names = id.controls();
            assert_eq!(names.first(), Some(&"head"), "{id:?}");
            for (i, name) in names.iter().enumerate() {
                assert!(
                    !name.is_empty()
                        && name.len() <= 12
                        && name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                    "{id:?}: {name:?}"
                );
                assert!(!names[..i].contains(name), "{id:?} repeats {name:?}");
            }
        }
    }
}
