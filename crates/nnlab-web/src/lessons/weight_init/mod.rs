//! Lesson: weight initialisation.
//!
//! The lecture's MLP (or a deeper one) is filled by the chosen initialiser
//! and a batch of 64 images runs forward through it. For every layer the
//! lesson shows the histogram of its weights and of the activations they
//! produce, with their standard deviation, so a signal that vanishes or
//! explodes on its way through the layers is visible before training starts.
//!
//! - [`stats`]: mean, std and histograms;
//! - [`model`]: the lesson's state and the sliced forward pass (tested natively);
//! - [`text`]: labels and number formats;
//! - [`query`]: the settings in a link;
//! - `view`: the page.

pub mod model;
pub mod query;
pub mod stats;
pub mod text;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId, Playback};
use crate::commands::Command;
use crate::data_store;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::url_state::{Notice, Query};
use model::{Model, Settings};
use view::View;

/// Longest a frame may spend on the forward pass, in ms: the rest of the
/// frame is left for drawing and the browser.
const WORK_BUDGET_MS: f64 = 12.0;

pub struct WeightInit {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl WeightInit {
    pub fn new() -> nnlab::Result<WeightInit> {
        Ok(WeightInit {
            model: Rc::new(RefCell::new(Model::new())),
            view: None,
        })
    }
}

impl Lesson for WeightInit {
    fn id(&self) -> LessonId {
        LessonId::WeightInit
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        // Real CIFAR-10 images replace the stand-in as soon as the Worker has them.
        crate::training::client::ensure_started()?;
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.model)?);
        Ok(())
    }

    fn unmount(&mut self) {
        self.view = None;
    }

    /// Picks up CIFAR-10 once it is loaded, then does slices of the forward
    /// pass until the frame's budget is spent (always at least one slice).
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        let mut model = self.model.borrow_mut();
        model.set_data(data_store::samples());
        let start = js_sys::Date::now();
        while model.work_unit() && js_sys::Date::now() - start < WORK_BUDGET_MS {}
        Ok(())
    }

    /// → draws new weights, R goes back to the lecture's setting, digits pick a scene.
    fn command(&mut self, command: Command) -> WebResult<()> {
        let mut model = self.model.borrow_mut();
        match command {
            Command::Step => model.redraw(),
            Command::Reset => model.set(Settings::default()),
            Command::Preset(n) => {
                if let Some(settings) = Settings::preset(n) {
                    model.set(settings);
                }
            }
            Command::PlayPause => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        // → draws new weights and R resets; nothing plays.
        Playback {
            playing: None,
            steps: true,
            resets: true,
        }
    }

    fn draw(&mut self) -> WebResult<()> {
        match self.view.as_mut() {
            Some(view) => view.catch_up(&self.model.borrow()),
            None => Ok(()),
        }
    }

    fn state_query(&self) -> Query {
        query::state_query(self.model.borrow().settings())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (settings, notices) = query::from_query(query);
        self.model.borrow_mut().set(settings);
        notices
    }
}
