//! Lesson: the derivative as a slope. Drag the point p along the curve; the
//! tangent with slope a = f′(p) (from the autodiff tape) goes through it, and
//! the ε slider shows f(p+ε) against the linear guess y + a·ε, the gap
//! between them vanishing as ε shrinks. Play halves ε step by step.
//!
//! - [`model`]: the state and the maths, free of browser types (tested natively);
//! - [`query`]: the lesson in a link;
//! - [`figure`]: the tangent, secant and gap, drawn on the canvas and on the PNG/SVG slide;
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

pub use figure::TANGENT_COLOR;
pub use view::draw_picture;

pub struct DerivativeLesson {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl DerivativeLesson {
    pub fn new() -> nnlab::Result<DerivativeLesson> {
        Ok(DerivativeLesson {
            model: Rc::new(RefCell::new(Model::new()?)),
            view: None,
        })
    }

    /// The lesson's state, for saving and restoring it.
    pub fn model(&self) -> &Rc<RefCell<Model>> {
        &self.model
    }
}

impl Lesson for DerivativeLesson {
    fn id(&self) -> LessonId {
        LessonId::DerivativeAndGradient
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
        let mut model = self.model.borrow_mut();
        let (settings, notices) = query::from_query(model.surface(), query);
        // The settings were checked against the same ranges the model checks.
        let _ = model.apply(settings);
        notices
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        self.model.borrow_mut().command(command);
        Ok(())
    }

    fn playback(&self) -> Playback {
        Playback::full(matches!(
            self.model.borrow().phase(),
            model::Phase::Shrinking
        ))
    }
}
