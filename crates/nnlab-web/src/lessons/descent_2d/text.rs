//! What the lesson writes: menu labels, the status line, and numbers
//! formatted for reading from the back of a lecture hall.

use nnlab::descent::Divergence;

use super::model::{Model, Phase};
use super::runner::{Memory, Runner, RunnerState};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::format::format_rate;

pub use crate::lessons::kit::labels::{optimizer_label, SURFACE_LABELS};

/// The line over the picture: what the race is doing, or — when runners
/// diverged — why each of them stopped, in plain words.
pub fn status_text(lang: Lang, model: &Model) -> String {
    let diverged: Vec<String> = model
        .enabled()
        .filter(|r| matches!(r.state(), RunnerState::Diverged { .. }))
        .map(|r| {
            let why = runner_message(lang, r).unwrap_or_default();
            if model.enabled().count() == 1 {
                why
            } else {
                format!("{}: {why}", lang.text(optimizer_label(r.kind())))
            }
        })
        .collect();
    if !diverged.is_empty() {
        return diverged.join(" ");
    }
    if model.enabled().next().is_none() {
        return lang.text(Key::StatusNobodyRaces).to_string();
    }
    match model.phase() {
        Phase::Ready => lang.text(Key::StatusReady).to_string(),
        Phase::Running => lang.text(Key::StatusRunning).to_string(),
        Phase::Paused => lang.text(Key::StatusPaused).to_string(),
        Phase::Finished => lang.fill(
            Key::StatusRaceOver,
            &[("steps", &model.steps().to_string())],
        ),
    }
}

/// Why a runner stopped, if it did (its row shows this).
pub fn runner_message(lang: Lang, runner: &Runner) -> Option<String> {
    let steps = runner.descent().steps();
    Some(match runner.state() {
        RunnerState::Walking => return None,
        RunnerState::Converged => lang.fill(Key::StatusConverged, &[("steps", &steps.to_string())]),
        RunnerState::OutOfSteps => {
            lang.fill(Key::RunnerOutOfSteps, &[("steps", &steps.to_string())])
        }
        RunnerState::Diverged { why, lr } => {
            let key = match why {
                Divergence::NotFinite => Key::StatusDivergedNotFinite,
                Divergence::Exploding => Key::StatusDivergedExploding,
            };
            // The steps taken, as the runner's row counts them; the refused one is not among them.
            lang.fill(
                key,
                &[("lr", &format_rate(lr)), ("steps", &steps.to_string())],
            )
        }
    })
}

/// The short state word of a runner's row.
pub fn runner_badge(lang: Lang, runner: &Runner) -> &'static str {
    lang.text(match runner.state() {
        RunnerState::Walking => return "",
        RunnerState::Converged => Key::BadgeConverged,
        RunnerState::OutOfSteps => Key::BadgeOutOfSteps,
        RunnerState::Diverged { .. } => Key::BadgeDiverged,
    })
}

/// The label of a runner's memory setting (μ, α or β₁).
pub fn memory_label(memory: Memory) -> Key {
    match memory {
        Memory::Momentum => Key::MemoryMomentum,
        Memory::Alpha => Key::MemoryAlpha,
        Memory::Beta1 => Key::MemoryBeta1,
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::SURFACES;
    use super::*;
    use crate::lessons::kit::walk::Walk;
    use crate::lessons::LessonModel;

    #[test]
    fn every_offered_surface_has_a_label() {
        let named: Vec<&str> = SURFACE_LABELS.iter().map(|(name, _)| *name).collect();
        assert_eq!(named, SURFACES);
    }

    #[test]
    fn divergence_is_explained_in_both_languages() {
        use nnlab::optim::OptimizerKind::{Adam, Sgd};
        let mut m = Model::on_surface("ill-conditioned", &[Sgd]).unwrap();
        m.set_lr(Sgd, 0.1).unwrap();
        m.toggle_play().unwrap();
        for _ in 0..100 {
            m.tick(1000.0).unwrap();
        }
        let en = status_text(Lang::En, &m);
        let zh = status_text(Lang::Zh, &m);
        assert!(en.contains("too large") && en.contains("0.1"), "{en}");
        assert!(zh.contains("太大") && zh.contains("0.1"), "{zh}");
        // Moving the field afterwards does not rewrite history: the message names the rate that diverged.
        m.set_lr(Sgd, 0.02).unwrap();
        assert!(status_text(Lang::En, &m).contains(" 0.1 "));
        // In a race the message names the runner.
        m.set_enabled(Adam, true).unwrap();
        m.set_lr(Sgd, 0.1).unwrap();
        for _ in 0..10 {
            m.step_once();
        }
        let en = status_text(Lang::En, &m);
        assert!(en.starts_with("SGD: Diverged"), "{en}");
        assert_eq!(runner_badge(Lang::En, m.runner(Adam)), "");
    }
}
