//! The deep-training lesson's state: the recipe of each of the two networks
//! (what the switches show), and what to ask of the Worker so that its pair
//! matches them. The training itself runs in the Worker; the page's record
//! of it is [`crate::training::deep_record`].

use nnlab::nn::Activation;
use nnlab::optim::OptimizerKind;

use crate::commands::Command;
use crate::error::WebResult;
use crate::lessons::{LessonModel, Playback};
use crate::training::client;
use crate::training::deep_record::DeepRecord;
use nnlab_worker::protocol::{DeepInit, DeepRecipe, ToWorker};

/// The two networks: "before 2009" and "after".
pub const LANES: usize = 2;

/// What one switch swaps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ingredient {
    /// Sigmoid ⇄ ReLU.
    Activation,
    /// Small random ⇄ Xavier/He.
    Init,
    /// SGD ⇄ Adam.
    Optimizer,
}

impl Ingredient {
    /// The three switches of a network, in the page's order (keys 1–3 and 4–6).
    pub const ALL: [Ingredient; 3] = [
        Ingredient::Activation,
        Ingredient::Init,
        Ingredient::Optimizer,
    ];
}

/// The values a switch offers, as link and menu names: activation, init, optimiser.
pub const ACTIVATIONS: [&str; 2] = ["sigmoid", "relu"];
/// See [`ACTIVATIONS`].
pub const INITS: [&str; 2] = ["small", "scaled"];
/// See [`ACTIVATIONS`].
pub const OPTIMIZERS: [&str; 2] = ["sgd", "adam"];

/// The names a switch offers.
pub fn choices(ingredient: Ingredient) -> [&'static str; 2] {
    match ingredient {
        Ingredient::Activation => ACTIVATIONS,
        Ingredient::Init => INITS,
        Ingredient::Optimizer => OPTIMIZERS,
    }
}

/// The name a switch shows for `recipe`.
pub fn chosen(recipe: &DeepRecipe, ingredient: Ingredient) -> &'static str {
    let old = match ingredient {
        Ingredient::Activation => recipe.activation == Activation::Sigmoid,
        Ingredient::Init => recipe.init == DeepInit::Small,
        Ingredient::Optimizer => recipe.optimizer == OptimizerKind::Sgd,
    };
    choices(ingredient)[usize::from(!old)]
}

/// `recipe` with `ingredient` set to `name` (one of [`choices`]); `None` for another name.
pub fn with(recipe: DeepRecipe, ingredient: Ingredient, name: &str) -> Option<DeepRecipe> {
    let new = choices(ingredient).iter().position(|&n| n == name)? == 1;
    let mut r = recipe;
    match ingredient {
        Ingredient::Activation => {
            r.activation = if new {
                Activation::Relu
            } else {
                Activation::Sigmoid
            }
        }
        Ingredient::Init => {
            r.init = if new {
                DeepInit::Scaled
            } else {
                DeepInit::Small
            }
        }
        Ingredient::Optimizer => {
            r.optimizer = if new {
                OptimizerKind::Adam
            } else {
                OptimizerKind::Sgd
            }
        }
    }
    Some(r)
}

/// The recipes and the bookkeeping of what was asked of the Worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// "Before" first; what the switches show.
    pub recipes: [DeepRecipe; LANES],
    /// The last request to build a pair, so it is sent once.
    asked: Option<[DeepRecipe; LANES]>,
    /// Train the next pair as soon as it is built.
    run_next: bool,
    /// Messages for the Worker, sent at the next tick.
    outbox: Vec<ToWorker>,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            recipes: [DeepRecipe::BEFORE, DeepRecipe::AFTER],
            asked: None,
            run_next: false,
            outbox: Vec::new(),
        }
    }
}

impl Model {
    /// Sets one switch of network `lane`; both networks start again (a fair
    /// race), training at once if they were training.
    pub fn set(&mut self, lane: usize, ingredient: Ingredient, name: &str, record: &DeepRecord) {
        let Some(recipe) = self.recipes.get(lane).copied() else {
            return;
        };
        if let Some(changed) = with(recipe, ingredient, name) {
            if changed != recipe {
                self.recipes[lane] = changed;
                self.run_next = record.running;
            }
        }
    }

    /// Flips one switch of network `lane` (keys 1–6).
    pub fn toggle(&mut self, lane: usize, ingredient: Ingredient, record: &DeepRecord) {
        let Some(recipe) = self.recipes.get(lane) else {
            return;
        };
        let [old, new] = choices(ingredient);
        let next = if chosen(recipe, ingredient) == old {
            new
        } else {
            old
        };
        self.set(lane, ingredient, next, record);
    }

    /// Space: train, pause, or — once both have had their budget — train a fresh pair.
    pub fn play_pause(&mut self, record: &DeepRecord) {
        if record.finished {
            self.restart(true);
        } else if record.recipes.is_some() || self.asked.is_some() {
            self.outbox.push(if record.running {
                ToWorker::DeepPause
            } else {
                ToWorker::DeepRun
            });
        } else {
            self.run_next = true;
        }
    }

    /// R: a fresh pair, untrained (`run`: and train it).
    pub fn restart(&mut self, run: bool) {
        self.asked = None;
        self.run_next = run;
    }

    /// What to send the Worker now, given its pair (`record`) and whether
    /// data has arrived: a fresh pair whenever the switches differ from it
    /// (once per change), then whatever Space asked for.
    pub fn messages(&mut self, record: &DeepRecord, has_data: bool) -> Vec<ToWorker> {
        let built = record.recipes.as_deref() == Some(&self.recipes[..]);
        if has_data && (!built || self.asked.is_none()) && self.asked != Some(self.recipes) {
            self.asked = Some(self.recipes);
            // A fresh pair replaces the old one: Space's wish goes with it.
            let wanted = self.outbox.len();
            self.outbox.retain(|m| !matches!(m, ToWorker::DeepRun));
            let run = std::mem::take(&mut self.run_next) || self.outbox.len() < wanted;
            self.outbox.insert(
                0,
                ToWorker::DeepStart {
                    recipes: self.recipes.to_vec(),
                    run,
                },
            );
        }
        std::mem::take(&mut self.outbox)
    }
}

impl LessonModel for Model {
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        let record = client::record();
        let has_data = crate::data_store::samples().is_some();
        let messages = self.messages(&record.borrow().deep, has_data);
        for message in &messages {
            client::send(message)?;
        }
        Ok(())
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        let record = client::record();
        let deep = &record.borrow().deep;
        match command {
            Command::PlayPause => self.play_pause(deep),
            Command::Reset => self.restart(false),
            Command::Preset(n @ 1..=6) => {
                self.toggle((n - 1) / 3, Ingredient::ALL[(n - 1) % 3], deep)
            }
            Command::Step | Command::Preset(_) => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        let running = client::record().borrow().deep.running;
        Playback {
            playing: Some(running),
            steps: false,
            resets: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built(recipes: &[DeepRecipe], running: bool, finished: bool) -> DeepRecord {
        let mut record = DeepRecord::default();
        record.ready(recipes.to_vec(), 5_000, 624);
        record.running = running;
        record.finished = finished;
        record
    }

    #[test]
    fn switches_swap_one_ingredient_and_name_it() {
        let before = DeepRecipe::BEFORE;
        let names: Vec<&str> = Ingredient::ALL
            .iter()
            .map(|&i| chosen(&before, i))
            .collect();
        assert_eq!(names, ["sigmoid", "small", "sgd"]);
        let relu = with(before, Ingredient::Activation, "relu").unwrap();
        assert_eq!(relu.activation, Activation::Relu);
        assert_eq!((relu.init, relu.optimizer), (before.init, before.optimizer));
        assert_eq!(with(before, Ingredient::Init, "magic"), None);
        let after: Vec<&str> = Ingredient::ALL
            .iter()
            .map(|&i| chosen(&DeepRecipe::AFTER, i))
            .collect();
        assert_eq!(after, ["relu", "scaled", "adam"]);
    }

    #[test]
    fn the_pair_is_asked_for_once_data_is_there_and_again_after_a_switch() {
        let mut model = Model::default();
        let none = DeepRecord::default();
        assert!(
            model.messages(&none, false).is_empty(),
            "no data, nothing to train on"
        );
        let start = model.messages(&none, true);
        assert_eq!(
            start,
            vec![ToWorker::DeepStart {
                recipes: vec![DeepRecipe::BEFORE, DeepRecipe::AFTER],
                run: false
            }]
        );
        assert!(model.messages(&none, true).is_empty(), "asked once");
        let record = built(&[DeepRecipe::BEFORE, DeepRecipe::AFTER], true, false);
        assert!(model.messages(&record, true).is_empty());
        // Key 3 flips the "before" network's optimiser while training:
        // a fresh pair, trained at once.
        model.toggle(0, Ingredient::Optimizer, &record);
        assert_eq!(model.recipes[0].optimizer, OptimizerKind::Adam);
        let again = model.messages(&record, true);
        assert!(
            matches!(&again[..], [ToWorker::DeepStart { recipes, run: true }] if recipes[0].optimizer == OptimizerKind::Adam),
            "{again:?}"
        );
    }

    #[test]
    fn space_trains_pauses_and_after_the_budget_starts_over() {
        let mut model = Model::default();
        let pair = [DeepRecipe::BEFORE, DeepRecipe::AFTER];
        model.messages(&DeepRecord::default(), true);
        model.play_pause(&built(&pair, false, false));
        assert_eq!(
            model.messages(&built(&pair, false, false), true),
            vec![ToWorker::DeepRun]
        );
        model.play_pause(&built(&pair, true, false));
        assert_eq!(
            model.messages(&built(&pair, true, false), true),
            vec![ToWorker::DeepPause]
        );
        let done = built(&pair, false, true);
        model.play_pause(&done);
        assert!(matches!(
            &model.messages(&done, true)[..],
            [ToWorker::DeepStart { run: true, .. }]
        ));
        // Space before the pair exists: it is built and trained at once.
        let mut early = Model::default();
        early.play_pause(&DeepRecord::default());
        assert!(matches!(
            &early.messages(&DeepRecord::default(), true)[..],
            [ToWorker::DeepStart { run: true, .. }]
        ));
    }
}
