//! Lesson: the training loop.
//!
//! The lecture's five steps — take a batch, forward, loss, backward, update —
//! run one at a time on the lecture's MLP, with the line of the lecture's
//! loop that does each step highlighted, the counters `epoch`, `batch_id` and
//! updates, what each step produced, and the loss curve. It trains on the
//! CIFAR-10 images once they are loaded and on a small, clearly labelled
//! stand-in set until then.
//!
//! - [`synthetic`]: the stand-in images (a coloured patch per class);
//! - [`model`]: the loop as phases, its counters and read-outs (tested natively);
//! - [`text`]: the code, step names, epoch arithmetic and number formats;
//! - [`query`]: the settings in a link;
//! - `view`: the page.

pub mod model;
pub mod query;
pub mod synthetic;
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
use model::{Model, Phase};
use view::View;

/// Longest a frame may spend training while running, in ms (at least one
/// phase always runs, so the loop moves even on a slow machine).
const WORK_BUDGET_MS: f64 = 14.0;

pub struct Training {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl Training {
    pub fn new() -> nnlab::Result<Training> {
        Ok(Training {
            model: Rc::new(RefCell::new(Model::new()?)),
            view: None,
        })
    }
}

impl Lesson for Training {
    fn id(&self) -> LessonId {
        LessonId::Training
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        // Real CIFAR-10 images replace the stand-in as soon as the Worker has them.
        crate::training::client::ensure_started()?;
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.model)?);
        Ok(())
    }

    fn unmount(&mut self) {
        self.model.borrow_mut().pause();
        self.view = None;
    }

    /// Switches to CIFAR-10 once it is loaded; while running, does phases
    /// until the frame's budget is spent.
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        let mut model = self.model.borrow_mut();
        if let Some(data) = data_store::samples() {
            model.use_cifar(data)?;
        }
        if model.is_running() {
            let start = js_sys::Date::now();
            loop {
                model.step_phase()?;
                let elapsed = js_sys::Date::now() - start;
                let at_end = model.done() == Some(Phase::Update);
                if !model.is_running()
                    || (at_end && elapsed > WORK_BUDGET_MS / 2.0)
                    || elapsed > WORK_BUDGET_MS
                {
                    break;
                }
            }
        }
        Ok(())
    }

    fn draw(&mut self) -> WebResult<()> {
        match self.view.as_mut() {
            Some(view) => view.catch_up(&self.model.borrow()),
            None => Ok(()),
        }
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        let mut model = self.model.borrow_mut();
        match command {
            Command::PlayPause => model.toggle_run(),
            Command::Step => {
                model.pause();
                model.step_phase()?;
            }
            Command::Reset => model.reset()?,
            Command::Preset(_) => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        Playback::full(self.model.borrow().is_running())
    }

    fn state_query(&self) -> Query {
        query::state_query(self.model.borrow().settings())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (settings, notices) = query::from_query(query);
        // Starts the loop from scratch with the link's settings; they were
        // checked against the ranges the controls offer.
        let _ = self.model.borrow_mut().set(settings);
        notices
    }
}
