//! Lesson: momentum, step by step.
//!
//! The lecture's code for SGD with momentum runs here line by line against the
//! core's Nesterov optimiser (the lecture's form): the line that just ran is
//! highlighted and every variable's value shows beside it, while two pictures
//! compare the walk with momentum and plain SGD from the same start — in a
//! narrow valley, and on a double well where momentum rolls through the local
//! minimum that traps SGD.
//!
//! - [`program`]: the code and the line-by-line machine (tested natively);
//! - [`model`]: the two walks, the scenes, play state (tested natively);
//! - [`query`]: the lesson in a link;
//! - [`plot`]: a picture with cached background and arrows;
//! - `view`: the page.

pub mod model;
pub mod plot;
pub mod program;
pub mod query;
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

pub use view::{GRADIENT_COLOR, VELOCITY_COLOR, WITHOUT_COLOR, WITH_COLOR};

pub struct MomentumLesson {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl MomentumLesson {
    pub fn new() -> nnlab::Result<MomentumLesson> {
        Ok(MomentumLesson {
            model: Rc::new(RefCell::new(Model::new()?)),
            view: None,
        })
    }
}

impl Lesson for MomentumLesson {
    fn id(&self) -> LessonId {
        LessonId::Momentum
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
