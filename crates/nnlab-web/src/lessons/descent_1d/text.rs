//! The 1-D descent lesson's words: preset labels and the status line, which
//! says in plain words how a run ended.

use nnlab::descent::Divergence;

use super::model::{End, Model, Phase, Preset};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::format::{format_number, format_rate};

/// The button label of a preset (with its key).
pub fn preset_label(preset: Preset) -> Key {
    match preset {
        Preset::TooSmall => Key::Sgd1dPresetTooSmall,
        Preset::Good => Key::Sgd1dPresetGood,
        Preset::TooLarge => Key::Sgd1dPresetTooLarge,
    }
}

/// The status line: what is happening, or how the run ended.
pub fn status_text(lang: Lang, model: &Model) -> String {
    let steps = model.descent().steps();
    let here = model.nearest_minimum();
    let global = model
        .surface()
        .minima
        .iter()
        .find(|m| m.global)
        .unwrap_or(here);
    let x = format_number(model.x());
    let loss = format_number(model.descent().loss());
    match (model.end(), model.phase()) {
        (None, Phase::Ready) => lang.text(Key::Sgd1dReady).to_string(),
        (None, Phase::Running) => lang.text(Key::StatusRunning).to_string(),
        (None, Phase::Paused | Phase::Finished) => lang.text(Key::StatusPaused).to_string(),
        (Some(End::Settled), _) if here.global => lang.fill(
            Key::Sgd1dReachedGlobal,
            &[("x", &x), ("loss", &loss), ("steps", &steps.to_string())],
        ),
        (Some(End::Settled), _) => lang.fill(
            Key::Sgd1dStuckLocal,
            &[
                ("x", &x),
                ("loss", &loss),
                ("steps", &steps.to_string()),
                ("gx", &format_number(global.point[0])),
                ("gloss", &format_number(global.value)),
            ],
        ),
        (Some(End::OutOfSteps), _) => {
            let valley = lang.text(if here.global {
                Key::Sgd1dValleyGlobal
            } else {
                Key::Sgd1dValleyLocal
            });
            lang.fill(
                Key::Sgd1dOutOfSteps,
                &[("steps", &steps.to_string()), ("x", &x), ("valley", valley)],
            )
        }
        (Some(End::Diverged { why, lr }), _) => {
            let key = match why {
                Divergence::NotFinite => Key::Sgd1dDivergedNotFinite,
                Divergence::Exploding => Key::Sgd1dDivergedExploding,
            };
            // `steps` counts the steps taken, as the Steps read-out does;
            // the refused one is not among them.
            lang.fill(
                key,
                &[("lr", &format_rate(lr)), ("steps", &steps.to_string())],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_preset_ends_with_its_own_words() {
        let end = |preset| {
            let mut m = Model::new(preset).unwrap();
            m.run_to_end();
            status_text(Lang::En, &m)
        };
        let stuck = end(Preset::TooSmall);
        assert!(stuck.contains("Stuck in the local minimum"), "{stuck}");
        assert!(
            stuck.contains("1.131") && stuck.contains("-1.301"),
            "{stuck}"
        );
        let good = end(Preset::Good);
        assert!(
            good.contains("Reached the global minimum at x ≈ -1.301"),
            "{good}"
        );
        let large = end(Preset::TooLarge);
        assert!(
            large.contains("Diverged after 2 steps") && large.contains("0.25"),
            "{large}"
        );
        let mut zh = Model::new(Preset::TooLarge).unwrap();
        zh.run_to_end();
        assert!(status_text(Lang::Zh, &zh).contains("发散"));
    }
}
