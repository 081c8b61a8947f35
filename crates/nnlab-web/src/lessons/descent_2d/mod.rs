//! Lesson: gradient descent on a 2-D loss surface — a race.
//!
//! A heat map with contour lines shows the surface; a click (or drag) picks
//! the start, and the chosen optimisers — SGD, momentum, the lecture's
//! Nesterov form, Adagrad, RMSProp, Adam — walk downhill from it together,
//! each with the same step budget, its own colour, path and settings, while a
//! second picture plots every loss against the step number. With one
//! optimiser ticked it is the classic single-walk picture. A learning rate
//! too large for the curvature stops that walk with a plain-words message;
//! the others carry on.
//!
//! - [`model`]: the race, free of browser types (tested natively);
//! - [`runner`]: one optimiser's walk, settings and fate;
//! - [`presets`]: prepared scenes on the digit keys;
//! - [`query`]: the race in a link;
//! - the visited points are a [`Path`](crate::lessons::kit::path::Path) of the kit;
//! - [`loss_chart`]: the loss-vs-step chart (log scale);
//! - [`text`]: labels, the status line and number formats;
//! - `view`: the page; handlers only change the model, and each frame the
//!   view catches up with it, so there is one way state reaches the page.

pub mod loss_chart;
pub mod model;
pub mod presets;
pub mod query;
pub mod runner;
pub mod text;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId, Playback};
use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::url_state::{Notice, Query};
use model::Model;
use view::View;

pub use view::runner_color;

pub struct Descent2d {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl Descent2d {
    pub fn new() -> nnlab::Result<Descent2d> {
        Ok(Descent2d {
            model: Rc::new(RefCell::new(Model::new()?)),
            view: None,
        })
    }
}

impl Lesson for Descent2d {
    fn id(&self) -> LessonId {
        LessonId::Descent2d
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.model)?);
        Ok(())
    }

    fn unmount(&mut self) {
        self.view = None;
    }

    fn tick(&mut self, dt_ms: f64) -> WebResult<()> {
        self.model.borrow_mut().tick(dt_ms);
        Ok(())
    }

    fn draw(&mut self) -> WebResult<()> {
        match self.view.as_mut() {
            Some(view) => view.catch_up(&self.model.borrow()),
            None => Ok(()),
        }
    }

    fn state_query(&self) -> Query {
        query::state_query(&self.model.borrow())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        match query::from_query(query) {
            Ok((fresh, notices)) => {
                self.model.borrow_mut().replace_with(fresh);
                notices
            }
            // Only a broken built-in surface could get here; keep the race as it is.
            Err(_) => Vec::new(),
        }
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        view::run_command(&mut self.model.borrow_mut(), command)
    }

    fn playback(&self) -> Playback {
        Playback::full(matches!(self.model.borrow().phase(), model::Phase::Running))
    }
}
