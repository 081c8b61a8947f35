//! Lesson: the gradient of a 2-D function. A contour map with the gradient's
//! arrow field; a click picks W₀, and the lesson shows ∇f(W₀) and the step
//! W₁ = W₀ − step·∇f(W₀) with f(W₀) beside f(W₁), so a step too big to trust
//! the gradient shows itself as f(W₁) > f(W₀). Play keeps stepping.
//!
//! - [`model`]: the state and the maths, free of browser types (tested natively);
//! - [`query`]: the lesson in a link;
//! - [`figure`]: the arrows over the map, drawn on the canvas and on the PNG/SVG slide;
//! - `view`: the page, the picture and the export buttons.

pub mod figure;
pub mod model;
pub mod query;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::lessons::{Lesson, LessonId, Playback};
use crate::url_state::{Notice, Query};
use model::Model;
use view::View;

pub use figure::{FIELD_COLOR, STEP_COLOR};
pub use view::draw_picture;

pub struct GradientLesson {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl GradientLesson {
    pub fn new() -> nnlab::Result<GradientLesson> {
        Ok(GradientLesson {
            model: Rc::new(RefCell::new(Model::new()?)),
            view: None,
        })
    }

    /// The lesson's state, for saving and restoring it.
    pub fn model(&self) -> &Rc<RefCell<Model>> {
        &self.model
    }
}

impl Lesson for GradientLesson {
    fn id(&self) -> LessonId {
        LessonId::Gradient
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
        query::state_query(&self.model.borrow().settings())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        match query::from_query(query) {
            Ok((settings, notices)) => {
                // The settings were checked against the same ranges the model checks.
                let _ = self.model.borrow_mut().apply(&settings);
                notices
            }
            // Only a broken built-in surface could get here; keep the lesson as it is.
            Err(_) => Vec::new(),
        }
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        Ok(self.model.borrow_mut().command(command)?)
    }

    fn playback(&self) -> Playback {
        Playback::full(matches!(self.model.borrow().phase(), model::Phase::Running))
    }
}
