//! The feature lesson's state, free of browser types: the race's budget,
//! the image whose features are drawn, what the Run key asks of the Worker,
//! and what a race's final accuracies say.

use nnlab_worker::protocol::{LaneStage, RaceBudget, RaceReport, ToWorker};

use crate::commands::Command;
use crate::error::WebResult;
use crate::lessons::{LessonModel, Playback};
use crate::training::client;

/// The lanes, as the race reports them (`nnlab::features::Pipeline::ALL`).
pub const RAW: usize = 0;
/// The hand-made features lane.
pub const FEATURES: usize = 1;
/// The end-to-end MLP lane.
pub const MLP: usize = 2;

/// The budget and the image; see the module docs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// What the next race trains on.
    pub budget: RaceBudget,
    /// Index of the image whose features are shown (among the page's images).
    pub image: usize,
    /// Bumped on every change the page shows.
    pub revision: u64,
}

impl Model {
    /// Shows the next (`+1`) or previous (`-1`) of `count` images, wrapping.
    pub fn step_image(&mut self, by: isize, count: usize) {
        if count > 0 {
            let at = (self.image.min(count - 1) as isize + by).rem_euclid(count as isize);
            self.image = at as usize;
            self.revision += 1;
        }
    }

    /// The training images of the next race.
    pub fn set_train_size(&mut self, n: usize) {
        self.budget.train_size = n;
        self.revision += 1;
    }

    /// The epochs of the next race.
    pub fn set_epochs(&mut self, epochs: usize) {
        self.budget.epochs = epochs;
        self.revision += 1;
    }

    /// What the Run button asks: a fresh race when none runs on this budget
    /// (or the last one finished), else pause or resume it.
    pub fn run_message(&self, race: Option<&RaceReport>) -> ToWorker {
        match race {
            Some(r) if r.budget == self.budget && !finished(r) => ToWorker::RunRace {
                running: !r.running,
            },
            _ => ToWorker::StartRace {
                budget: self.budget,
            },
        }
    }
}

/// True when every lane of `race` is done (or diverged).
pub fn finished(race: &RaceReport) -> bool {
    race.lanes
        .iter()
        .all(|l| matches!(l.stage, LaneStage::Done | LaneStage::Diverged))
}

/// The latest test accuracy of each lane (None before its first test).
pub fn latest(race: &RaceReport) -> Vec<Option<f32>> {
    race.lanes
        .iter()
        .map(|l| l.accuracies.last().copied())
        .collect()
}

/// What a finished race showed, for the conclusion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The hand-made features beat the MLP on pixels.
    FeaturesWin,
    /// The MLP on pixels did at least as well as the hand-made features.
    MlpWins,
}

/// The verdict of a finished race (None while it runs or if a lane has no test).
pub fn verdict(race: &RaceReport) -> Option<Verdict> {
    if !finished(race) {
        return None;
    }
    let acc = latest(race);
    let (features, mlp) = (acc.get(FEATURES).copied()??, acc.get(MLP).copied()??);
    Some(if features > mlp {
        Verdict::FeaturesWin
    } else {
        Verdict::MlpWins
    })
}

/// Space runs or pauses the race; → and R show the next image and start afresh.
impl LessonModel for Model {
    fn command(&mut self, command: Command) -> WebResult<()> {
        let race = client::record().borrow().race.clone();
        match command {
            Command::PlayPause => client::send(&self.run_message(race.as_ref())),
            Command::Step => {
                let count = crate::data_store::samples().map_or(0, |s| s.len());
                self.step_image(1, count);
                Ok(())
            }
            Command::Reset => client::send(&ToWorker::StartRace {
                budget: self.budget,
            }),
            Command::Preset(_) => Ok(()),
        }
    }

    fn playback(&self) -> Playback {
        let running = client::record()
            .borrow()
            .race
            .as_ref()
            .is_some_and(|r| r.running);
        Playback::full(running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_worker::protocol::LaneReport;

    fn race(
        budget: RaceBudget,
        running: bool,
        stages: [LaneStage; 3],
        acc: [f32; 3],
    ) -> RaceReport {
        RaceReport {
            budget,
            train_images: budget.train_size,
            test_images: 10_000,
            running,
            lanes: stages
                .iter()
                .zip(acc)
                .map(|(&stage, a)| LaneReport {
                    stage,
                    accuracies: vec![0.1, a],
                    params: 1,
                    inputs: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn images_wrap_both_ways() {
        let mut m = Model::default();
        m.step_image(-1, 10);
        assert_eq!(m.image, 9);
        m.step_image(1, 10);
        assert_eq!(m.image, 0);
        m.step_image(1, 0);
        assert_eq!(m.image, 0);
    }

    #[test]
    fn run_starts_pauses_resumes_and_restarts() {
        let m = Model::default();
        let budget = m.budget;
        let start = ToWorker::StartRace { budget };
        assert_eq!(m.run_message(None), start);
        let training = LaneStage::Training {
            epoch: 0,
            iteration: 3,
            iterations_per_epoch: 78,
        };
        let running = race(budget, true, [training; 3], [0.3; 3]);
        assert_eq!(
            m.run_message(Some(&running)),
            ToWorker::RunRace { running: false }
        );
        let paused = race(budget, false, [training; 3], [0.3; 3]);
        assert_eq!(
            m.run_message(Some(&paused)),
            ToWorker::RunRace { running: true }
        );
        // Another budget, or a finished race: a fresh race.
        let other = RaceBudget {
            epochs: 1,
            ..budget
        };
        assert_eq!(
            m.run_message(Some(&race(other, true, [training; 3], [0.3; 3]))),
            start
        );
        let done = race(budget, false, [LaneStage::Done; 3], [0.35, 0.51, 0.41]);
        assert_eq!(m.run_message(Some(&done)), start);
    }

    #[test]
    fn the_verdict_follows_the_numbers() {
        let budget = RaceBudget::default();
        // The measured race (20,000 images × 5 epochs): 35 %, 51 %, 41 %.
        let done = race(budget, false, [LaneStage::Done; 3], [0.35, 0.51, 0.41]);
        assert_eq!(verdict(&done), Some(Verdict::FeaturesWin));
        let mlp = race(budget, false, [LaneStage::Done; 3], [0.35, 0.50, 0.52]);
        assert_eq!(verdict(&mlp), Some(Verdict::MlpWins));
        let running = race(
            budget,
            true,
            [
                LaneStage::Done,
                LaneStage::Done,
                LaneStage::Training {
                    epoch: 1,
                    iteration: 0,
                    iterations_per_epoch: 78,
                },
            ],
            [0.35, 0.51, 0.30],
        );
        assert_eq!(verdict(&running), None);
    }
}
