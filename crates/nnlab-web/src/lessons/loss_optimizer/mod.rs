//! Lesson: loss functions and optimisers.
//!
//! Softmax cross-entropy made tangible: ten logits (the CIFAR-10 classes) to
//! drag, the true class to pick, the softmax probabilities, the loss
//! `−ln p_true` and its gradient `p − onehot` — computed by the core's
//! autodiff graph — redrawn as you drag. Presets show a confident right
//! answer, an untrained network (loss ln 10) and a confident wrong answer;
//! accuracy is set beside the loss. Below, the lecture's
//! `model.prepare(Adam, CrossEntropyLoss, Accuracy)`, the optimisers it names
//! with their update rules and links to race them, and its advice.
//!
//! - [`model`]: logits, truth and what the core computes (tested natively);
//! - [`bars`]: where the three charts sit on the canvas;
//! - [`optimizers`]: the optimiser cards and their race links;
//! - `view`: the page.

pub mod bars;
pub mod model;
pub mod optimizers;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId, Playback};
use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::url_state::{Notice, Query};
use model::{Model, Preset};
use view::View;

pub struct LossAndOptimizer {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl LossAndOptimizer {
    pub fn new() -> LossAndOptimizer {
        LossAndOptimizer {
            model: Rc::new(RefCell::new(Model::new())),
            view: None,
        }
    }
}

impl Default for LossAndOptimizer {
    fn default() -> Self {
        Self::new()
    }
}

impl Lesson for LossAndOptimizer {
    fn id(&self) -> LessonId {
        LessonId::LossAndOptimizer
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.model)?);
        Ok(())
    }

    fn unmount(&mut self) {
        self.view = None;
    }

    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        Ok(())
    }

    fn draw(&mut self) -> WebResult<()> {
        match self.view.as_mut() {
            Some(view) => view.catch_up(&self.model.borrow()),
            None => Ok(()),
        }
    }

    fn state_query(&self) -> Query {
        self.model.borrow().state_query()
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        self.model.borrow_mut().apply_query(query)
    }

    /// The digit keys pick the presets; Reset goes back to the untrained network.
    fn command(&mut self, command: Command) -> WebResult<()> {
        let mut model = self.model.borrow_mut();
        match command {
            Command::Preset(n) => {
                if let Some(preset) = Preset::by_number(n) {
                    model.apply_preset(preset);
                }
            }
            Command::Reset => model.apply_preset(Preset::Uniform),
            Command::PlayPause | Command::Step => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        // R resets the logits; nothing plays or steps.
        Playback {
            playing: None,
            steps: false,
            resets: true,
        }
    }
}
