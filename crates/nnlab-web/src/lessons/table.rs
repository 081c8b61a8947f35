//! The one table of lessons, in the lecture's order. The navigation, URL
//! routing, the lesson head (part, title, key sentence, introduction),
//! presenter mode, `hide=` links and the end-to-end tests (through the
//! navigation's `data-lesson` links) all read it.
//!
//! Adding a lesson = a folder under `lessons/` with its model, view and
//! query, one [`Row`] here, and its text keys in `i18n/`. See CONTRIBUTING.md.

use super::lesson::{Lesson, Page};
use super::{
    backprop, deep_training, depth, derivative, descent_1d, descent_2d, feature_engineering,
    gradient, how_it_works, input_data, live_training, loss_optimizer, momentum, network, neurons,
    summary, training_loop, weight_init, what_is_dl, why_now,
};
use crate::error::WebResult;
use crate::i18n::Key;

/// The two parts of the lecture, as the menu groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// 深度学习概述: what deep learning is, and why depth.
    Overview,
    /// 初识神经网络: how a network works, is built, fed, started and trained.
    FirstLook,
}

impl Part {
    /// The part's heading in the menu and in each lesson's head.
    pub fn title(self) -> Key {
        match self {
            Part::Overview => Key::PartOverview,
            Part::FirstLook => Key::PartFirstLook,
        }
    }
}

/// One lesson: everything the app knows of it besides its folder.
pub struct Row {
    /// The URL fragment (`#descent-2d`). Stable: links and slides use it.
    pub slug: &'static str,
    /// The part of the lecture it belongs to.
    pub part: Part,
    /// The menu and page title.
    pub title: Key,
    /// The lecture's key sentence for the section, shown under the title.
    pub sentence: Key,
    /// The introduction under the key sentence.
    pub intro: Key,
    /// The names of the lesson's parts a link can hide (`hide=surface,export`,
    /// see [`crate::link`]): the views mark each with `data-control="name"`,
    /// and `head` is every lesson's. Stable: links and slides use them.
    pub controls: &'static [&'static str],
    /// Builds the lesson in its opening state.
    pub make: fn(LessonId) -> WebResult<Box<dyn Lesson>>,
}

/// The parts of the 1-D descent lessons a link can hide.
const DESCENT_1D_CONTROLS: &[&str] = &[
    "head",
    "presets",
    "lr",
    "noise",
    "speed",
    "transport",
    "export",
    "chart",
    "readouts",
];

/// Every lesson in menu order = the lecture's order (the 2-D descent figure
/// sits between local minima and momentum, where the lecture shows it; the
/// summary of both parts closes the menu).
pub const LESSONS: &[Row] = &[
    Row {
        slug: "what-is-dl",
        part: Part::Overview,
        title: Key::WhatIsDlTitle,
        sentence: Key::WhatIsDlSentence,
        intro: Key::WhatIntro,
        controls: &[
            "head",
            "regions",
            "detail",
            "paradigms",
            "definition",
            "brain",
        ],
        make: |id| Page::<what_is_dl::view::View>::boxed(id, what_is_dl::model::Model::default()),
    },
    Row {
        slug: "feature-engineering",
        part: Part::Overview,
        title: Key::FeatureEngTitle,
        sentence: Key::FeatureEngSentence,
        intro: Key::FeatureEngIntro,
        controls: &["head", "data", "race", "features", "conclusion"],
        make: |id| {
            Page::<feature_engineering::view::View>::boxed(
                id,
                feature_engineering::model::Model::default(),
            )
        },
    },
    Row {
        slug: "why-now",
        part: Part::Overview,
        title: Key::WhyNowTitle,
        sentence: Key::WhyNowSentence,
        intro: Key::WhyIntro,
        controls: &[
            "head",
            "chart",
            "measure",
            "decade",
            "table",
            "drivers",
            "timeline",
            "investment",
        ],
        make: |id| Page::<why_now::view::View>::boxed(id, why_now::model::Model::default()),
    },
    Row {
        slug: "deep-training",
        part: Part::Overview,
        title: Key::DeepTitle,
        sentence: Key::DeepSentence,
        intro: Key::DeepIntro,
        controls: &["head", "data", "run", "switches", "bars", "charts"],
        make: |id| {
            Page::<deep_training::view::View>::boxed(id, deep_training::model::Model::default())
        },
    },
    Row {
        slug: "depth",
        part: Part::Overview,
        title: Key::DepthTitle,
        sentence: Key::DepthSentence,
        intro: Key::DepthIntro,
        controls: &["head", "data", "run", "pick", "activations", "clouds"],
        make: |id| Page::<depth::view::View>::boxed(id, depth::model::Model::default()),
    },
    Row {
        slug: "how-it-works",
        part: Part::FirstLook,
        title: Key::HowItWorksTitle,
        sentence: Key::HowItWorksSentence,
        intro: Key::HowIntro,
        controls: &[
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
        make: |id| {
            Page::<how_it_works::view::View>::boxed(
                id,
                how_it_works::model::Model::new(Default::default())?,
            )
        },
    },
    Row {
        slug: "neurons",
        part: Part::FirstLook,
        title: Key::NeuronsTitle,
        sentence: Key::NeuronsSentence,
        intro: Key::NeuronsIntro,
        controls: &["head", "formula", "activation", "sums", "plot"],
        make: |id| Page::<neurons::view::View>::boxed(id, neurons::model::Model::new()),
    },
    Row {
        slug: "network",
        part: Part::FirstLook,
        title: Key::NetworkTitle,
        sentence: Key::NetworkSentence,
        intro: Key::NetworkIntro,
        controls: &[
            "head",
            "preset",
            "input",
            "layers",
            "activation",
            "batch",
            "table",
            "picture",
        ],
        make: |id| Page::<network::view::View>::boxed(id, network::model::Model::new()),
    },
    Row {
        slug: "input-data",
        part: Part::FirstLook,
        title: Key::InputDataTitle,
        sentence: Key::InputDataSentence,
        intro: Key::InputDataIntro,
        controls: &["head", "data", "facts", "gallery", "vector", "photo"],
        make: |id| Page::<input_data::view::View>::boxed(id, input_data::model::Model::default()),
    },
    Row {
        slug: "weight-init",
        part: Part::FirstLook,
        title: Key::WeightInitTitle,
        sentence: Key::WeightInitSentence,
        intro: Key::InitIntro,
        controls: &[
            "head",
            "init",
            "scale",
            "network",
            "activation",
            "seed",
            "table",
        ],
        make: |id| Page::<weight_init::view::View>::boxed(id, weight_init::model::Model::new()),
    },
    Row {
        slug: "training",
        part: Part::FirstLook,
        title: Key::TrainingTitle,
        sentence: Key::TrainingSentence,
        intro: Key::TrainIntro,
        controls: &[
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
        make: |id| {
            Page::<training_loop::view::View>::boxed(id, training_loop::model::Model::new()?)
        },
    },
    Row {
        slug: "live-training",
        part: Part::FirstLook,
        title: Key::LiveTrainingTitle,
        sentence: Key::LiveTrainingSentence,
        intro: Key::LiveIntro,
        controls: &[
            "head",
            "data",
            "optimizer",
            "lr",
            "batch",
            "init",
            "size",
            "actions",
            "model-files",
            "readouts",
            "charts",
            "weights",
            "confusion",
            "cards",
            "photo",
        ],
        make: |id| Page::<live_training::view::View>::boxed(id, live_training::model::Run::new()),
    },
    Row {
        slug: "loss-and-optimizer",
        part: Part::FirstLook,
        title: Key::LossOptimTitle,
        sentence: Key::LossOptimSentence,
        intro: Key::LossIntro,
        controls: &[
            "head",
            "truth",
            "presets",
            "readouts",
            "logits",
            "optimizers",
        ],
        make: |id| {
            Page::<loss_optimizer::view::View>::boxed(id, loss_optimizer::model::Model::new())
        },
    },
    Row {
        slug: "derivative-and-gradient",
        part: Part::FirstLook,
        title: Key::DerivativeTitle,
        sentence: Key::DerivativeSentence,
        intro: Key::DerivIntro,
        controls: &[
            "head",
            "eps",
            "speed",
            "transport",
            "export",
            "legend",
            "readouts",
        ],
        make: |id| Page::<derivative::view::View>::boxed(id, derivative::model::Model::new()?),
    },
    Row {
        slug: "gradient",
        part: Part::FirstLook,
        title: Key::GradientTitle,
        sentence: Key::GradientSentence,
        intro: Key::GradIntro,
        controls: &[
            "head",
            "surface",
            "step",
            "speed",
            "transport",
            "export",
            "legend",
            "readouts",
        ],
        make: |id| Page::<gradient::view::View>::boxed(id, gradient::model::Model::new()?),
    },
    Row {
        slug: "sgd",
        part: Part::FirstLook,
        title: Key::SgdTitle,
        sentence: Key::SgdSentence,
        intro: Key::Sgd1dIntroSgd,
        controls: DESCENT_1D_CONTROLS,
        make: |id| {
            let opening = descent_1d::model::Preset::Good;
            Page::<descent_1d::view::View>::boxed(id, descent_1d::model::Model::new(opening)?)
        },
    },
    Row {
        slug: "local-minima",
        part: Part::FirstLook,
        title: Key::LocalMinimaTitle,
        sentence: Key::LocalMinimaSentence,
        intro: Key::Sgd1dIntroLocal,
        controls: DESCENT_1D_CONTROLS,
        make: |id| {
            let opening = descent_1d::model::Preset::TooSmall;
            Page::<descent_1d::view::View>::boxed(id, descent_1d::model::Model::new(opening)?)
        },
    },
    Row {
        slug: "descent-2d",
        part: Part::FirstLook,
        title: Key::Descent2dTitle,
        sentence: Key::Descent2dSentence,
        intro: Key::Descent2dIntro,
        controls: &[
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
        make: |id| Page::<descent_2d::view::View>::boxed(id, descent_2d::model::Model::new()?),
    },
    Row {
        slug: "momentum",
        part: Part::FirstLook,
        title: Key::MomentumTitle,
        sentence: Key::MomentumSentence,
        intro: Key::MomentumIntro,
        controls: &[
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
        make: |id| Page::<momentum::view::View>::boxed(id, momentum::model::Model::new()?),
    },
    Row {
        slug: "backprop",
        part: Part::FirstLook,
        title: Key::BackpropTitle,
        sentence: Key::BackpropSentence,
        intro: Key::BackpropIntro,
        controls: &["head", "preset", "values", "transport", "formula", "check"],
        make: |id| Page::<backprop::view::View>::boxed(id, backprop::model::Model::new()),
    },
    Row {
        slug: "summary",
        part: Part::FirstLook,
        title: Key::SummaryTitle,
        sentence: Key::SummarySentence,
        intro: Key::SumIntro,
        controls: &["head", "map", "recap", "closing", "frameworks"],
        make: |id| Page::<summary::view::View>::boxed(id, summary::model::Model),
    },
];

/// The lesson the app opens when the URL names none: the lecture's beginning.
const START: &str = "what-is-dl";

/// A lesson: its place in [`LESSONS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LessonId(usize);

impl LessonId {
    /// The lesson the app opens when the URL names none.
    pub fn start() -> LessonId {
        LessonId::from_slug(START).unwrap_or(LessonId(0))
    }

    /// Every lesson, in menu order.
    pub fn all() -> impl Iterator<Item = LessonId> {
        (0..LESSONS.len()).map(LessonId)
    }

    /// The lesson whose fragment is `slug`.
    pub fn from_slug(slug: &str) -> Option<LessonId> {
        LESSONS
            .iter()
            .position(|row| row.slug == slug)
            .map(LessonId)
    }

    /// Its row of the table.
    pub fn row(self) -> &'static Row {
        &LESSONS[self.0]
    }

    /// Its number in the menu, from 1.
    pub fn number(self) -> usize {
        self.0 + 1
    }

    /// The URL fragment (`#descent-2d`) naming this lesson.
    pub fn slug(self) -> &'static str {
        self.row().slug
    }

    /// The menu and page title.
    pub fn title(self) -> Key {
        self.row().title
    }

    /// The lecture's key sentence for this section.
    pub fn key_sentence(self) -> Key {
        self.row().sentence
    }

    /// The lesson in its opening state.
    pub fn build(self) -> WebResult<Box<dyn Lesson>> {
        (self.row().make)(self)
    }

    /// The names of the parts a link can hide ([`Row::controls`]).
    pub fn controls(self) -> &'static [&'static str] {
        self.row().controls
    }
}

/// Every lesson, built in its opening state, in menu order.
pub fn build_all() -> WebResult<Vec<Box<dyn Lesson>>> {
    LessonId::all().map(LessonId::build).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn slugs_round_trip_and_are_unique() {
        for id in LessonId::all() {
            assert_eq!(LessonId::from_slug(id.slug()), Some(id));
        }
        assert_eq!(LessonId::from_slug("nope"), None);
        assert_eq!(LessonId::all().count(), LESSONS.len());
        assert_eq!(LessonId::start().slug(), START);
        // The page opens on the lecture's first section, the menu's first item.
        assert_eq!(LessonId::all().next(), Some(LessonId::start()));
    }

    #[test]
    fn slugs_are_url_safe() {
        for row in LESSONS {
            assert!(
                !row.slug.is_empty()
                    && row
                        .slug
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                row.slug
            );
        }
    }

    #[test]
    fn parts_are_in_order_and_every_text_is_written_in_both_languages() {
        let parts: Vec<Part> = LESSONS.iter().map(|row| row.part).collect();
        // A part's lessons stand together, so the menu shows each part once.
        let mut seen = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            if i == 0 || parts[i - 1] != *part {
                assert!(!seen.contains(part), "{part:?} appears twice in the menu");
                seen.push(*part);
            }
        }
        for row in LESSONS {
            for lang in [Lang::Zh, Lang::En] {
                for key in [row.title, row.sentence, row.intro, row.part.title()] {
                    assert!(!lang.text(key).trim().is_empty(), "{}: {key:?}", row.slug);
                }
            }
        }
    }

    #[test]
    fn every_lesson_builds_and_its_link_reopens_it_as_it_is() {
        for id in LessonId::all() {
            let mut lesson = id.build().unwrap();
            assert_eq!(lesson.id(), id);
            let query = lesson.state_query();
            assert!(
                lesson.apply_query(&query).is_empty(),
                "{}: {query:?}",
                id.slug()
            );
            assert_eq!(lesson.state_query(), query, "{}", id.slug());
        }
    }

    #[test]
    fn control_names_are_short_unique_and_start_with_head() {
        for id in LessonId::all() {
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
