//! The optimisers the lecture names — mini-batch SGD, momentum, Adagrad,
//! RMSProp, Adam — each with its update rule (as documented in
//! `nnlab::optim`, which implements them) and a prepared link to the race
//! lesson where it can be watched on a loss surface.

use nnlab::optim::OptimizerKind;

use crate::i18n::{fill, Key, Lang};
use crate::url_state::format_fragment;

/// One card of the list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptimizerCard {
    /// The optimiser.
    pub kind: OptimizerKind,
    /// Its name in the page.
    pub name: Key,
    /// The update rule, in the notation of `nnlab::optim` (same in both languages).
    pub rule: &'static str,
    /// One sentence on what the rule does.
    pub note: Key,
    /// The race lesson's query: a surface and who races on it.
    pub race: &'static [(&'static str, &'static str)],
}

/// In the lecture's order ("带动量的SGD、Adagrad、RMSProp、Adam").
pub const CARDS: [OptimizerCard; 5] = [
    OptimizerCard {
        kind: OptimizerKind::Sgd,
        name: Key::LossOptSgdName,
        rule: "w ← w − lr·g",
        note: Key::LossOptSgdNote,
        // The narrow valley: plain SGD zig-zags across it.
        race: &[("s", "ill-conditioned"), ("o", "sgd")],
    },
    OptimizerCard {
        kind: OptimizerKind::Momentum,
        name: Key::OptMomentum,
        rule: "b ← μ·b + g\nw ← w − lr·b",
        note: Key::LossOptMomentumNote,
        // The race lesson's "valley" preset: momentum at lr 0.005 against SGD.
        race: &[("s", "ill-conditioned"), ("o", "sgd,momentum:0.005")],
    },
    OptimizerCard {
        kind: OptimizerKind::Adagrad,
        name: Key::OptAdagrad,
        rule: "s ← s + g²\nw ← w − lr·g / (√s + ε)",
        note: Key::LossOptAdagradNote,
        race: &[("s", "rosenbrock"), ("o", "sgd,adagrad")],
    },
    OptimizerCard {
        kind: OptimizerKind::RmsProp,
        name: Key::OptRmsProp,
        rule: "v ← α·v + (1−α)·g²\nw ← w − lr·g / (√v + ε)",
        note: Key::LossOptRmsPropNote,
        race: &[("s", "rosenbrock"), ("o", "sgd,rmsprop")],
    },
    OptimizerCard {
        kind: OptimizerKind::Adam,
        name: Key::OptAdam,
        rule:
            "m ← β₁·m + (1−β₁)·g\nv ← β₂·v + (1−β₂)·g²\nw ← w − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)",
        note: Key::LossOptAdamNote,
        // The race lesson's "plateau" preset: where the gradient is tiny, Adam still moves.
        race: &[("s", "plateau"), ("o", "sgd,adam"), ("start", "-6,4")],
    },
];

/// The link (`#descent-2d?…`) that opens the race prepared for `card`.
pub fn race_link(card: &OptimizerCard) -> String {
    let query: Vec<(String, String)> = card
        .race
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    format_fragment("descent-2d", &query)
}

/// The lecture's call, as code; its comments are filled in the page's language
/// (the lecture's own Chinese comments on the zh page).
const PREPARE_CODE: &str = "# {step}
model.prepare(
    paddle.optimizer.Adam(learning_rate=0.001, parameters=model.parameters()), # {adam}
    paddle.nn.CrossEntropyLoss(), # {loss}
    paddle.metric.Accuracy() # {metric}
)";

/// The lecture's `model.prepare(...)` with its comments in `lang`.
pub fn prepare_code(lang: Lang) -> String {
    fill(
        PREPARE_CODE,
        &[
            ("step", lang.text(Key::LossCodeStep)),
            ("adam", lang.text(Key::LossCodeAdam)),
            ("loss", lang.text(Key::LossCodeLoss)),
            ("metric", lang.text(Key::LossCodeMetric)),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::LessonId;
    use crate::url_state::parse_fragment;

    #[test]
    fn every_race_link_opens_a_race_with_nothing_refused() {
        for card in &CARDS {
            let link = race_link(card);
            let fragment = parse_fragment(&link);
            assert_eq!(fragment.slug, "descent-2d");
            assert!(fragment.notices.is_empty(), "{link}");
            // The lesson the link names takes every pair of it.
            let mut race = LessonId::from_slug(&fragment.slug)
                .unwrap()
                .build()
                .unwrap();
            let notices = race.apply_query(&fragment.query);
            assert!(notices.is_empty(), "{link}: {notices:?}");
            // The card's optimiser is among the runners the race now shows.
            let runners = race
                .state_query()
                .into_iter()
                .find(|(key, _)| key == "o")
                .map(|(_, value)| value)
                .unwrap_or_default();
            let named = |entry: &str| entry.split(':').next() == Some(card.kind.name());
            assert!(runners.split(',').any(named), "{link}: o={runners}");
        }
        assert_eq!(
            race_link(&CARDS[4]),
            "#descent-2d?s=plateau&o=sgd,adam&start=-6,4"
        );
    }

    #[test]
    fn the_rules_match_the_core() {
        // The Adam card's lr matches the lecture's Adam(learning_rate=0.001) and the core's default.
        let adam = nnlab::optim::Hyper::defaults(OptimizerKind::Adam);
        assert_eq!(adam.lr, 0.001);
        assert!(PREPARE_CODE.contains("learning_rate=0.001"));
        // The lecture's comments on the zh page, English ones on the en page.
        assert!(prepare_code(Lang::Zh).contains("# 2. 配置模型训练参数"));
        assert!(prepare_code(Lang::Zh).contains("# 优化函数Adam"));
        let en = prepare_code(Lang::En);
        assert!(
            en.contains("# optimiser: Adam") && !en.contains('{'),
            "{en}"
        );
        // Every card names a distinct optimiser the core can build.
        for card in &CARDS {
            let hyper = nnlab::optim::Hyper::defaults(card.kind);
            assert!(nnlab::optim::build::<f64>(card.kind, hyper).is_ok());
        }
    }
}
