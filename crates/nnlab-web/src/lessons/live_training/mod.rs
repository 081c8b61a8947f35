//! Lesson: live training on CIFAR-10 — the lecture's MLP trained in a Web
//! Worker while the page shows the curves, counters, confusion matrix, first
//! layer weight images and test predictions; pause, change the learning
//! rate, resume; save and load the model.
//!
//! - [`model`]: formats and choices (tested natively);
//! - `charts`: the curves and the weight grid;
//! - `view`: the page.

pub mod charts;
pub mod model;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId};
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::training::client;
use crate::worker::protocol::RunConfig;
use view::View;

pub struct LiveTraining {
    config: Rc<RefCell<RunConfig>>,
    view: Option<View>,
}

impl LiveTraining {
    pub fn new() -> LiveTraining {
        LiveTraining {
            config: Rc::new(RefCell::new(RunConfig::lecture())),
            view: None,
        }
    }
}

impl Default for LiveTraining {
    fn default() -> Self {
        LiveTraining::new()
    }
}

impl Lesson for LiveTraining {
    fn id(&self) -> LessonId {
        LessonId::LiveTraining
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        client::ensure_started()?;
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.config)?);
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
            Some(view) => view.catch_up(),
            None => Ok(()),
        }
    }
}
