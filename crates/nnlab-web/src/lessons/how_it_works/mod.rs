//! Lesson: how a neural network works — the lecture's three pictures as one
//! live loop.
//!
//! A tiny network (2 inputs → hidden → 2 classes) learns to separate 200
//! points of a toy data set the student sees whole. (1) The network is
//! parameterised by its weights, shown as the string of numbers they are;
//! (2) the loss compares its predictions with the targets — the loss value
//! and the points it gets wrong; (3) the optimiser uses the loss as a
//! feedback signal to adjust the weights. The decision regions are a heat
//! map that changes while training, beside the loss curve, and the stage of
//! the loop is lit as it runs.
//!
//! - [`toy_data`]: the two moons and the ring around a disc;
//! - [`model`]: the network, the loop's stages, the clock (tested natively);
//! - `view`: the page.

pub mod model;
pub mod toy_data;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId, Playback};
use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::url_state::{Notice, Query};
use model::{Model, Settings};
use view::View;

/// Longest a frame may spend training, in ms (one unit of work always runs).
const WORK_BUDGET_MS: f64 = 8.0;

pub struct HowItWorks {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl HowItWorks {
    pub fn new() -> nnlab::Result<HowItWorks> {
        Ok(HowItWorks {
            model: Rc::new(RefCell::new(Model::new(Settings::default())?)),
            view: None,
        })
    }
}

impl Lesson for HowItWorks {
    fn id(&self) -> LessonId {
        LessonId::HowItWorks
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.model)?);
        Ok(())
    }

    fn unmount(&mut self) {
        self.model.borrow_mut().pause();
        self.view = None;
    }

    /// Runs the steps (or stages) the clock owes, within the frame's budget.
    fn tick(&mut self, dt_ms: f64) -> WebResult<()> {
        let mut model = self.model.borrow_mut();
        let due = model.due(dt_ms);
        let start = js_sys::Date::now();
        for _ in 0..due {
            model.work()?;
            if !model.is_running() {
                break;
            }
            if js_sys::Date::now() - start > WORK_BUDGET_MS {
                model.forgive();
                break;
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

    fn state_query(&self) -> Query {
        self.model.borrow().state_query()
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        match Model::from_query(query) {
            Ok((fresh, notices)) => {
                self.model.borrow_mut().replace_with(fresh);
                notices
            }
            // Only a broken built-in setting could get here; keep the lesson as it is.
            Err(_) => Vec::new(),
        }
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        Ok(self.model.borrow_mut().command(command)?)
    }

    fn playback(&self) -> Playback {
        Playback::full(self.model.borrow().is_running())
    }
}
