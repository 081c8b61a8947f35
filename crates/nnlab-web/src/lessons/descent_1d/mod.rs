//! Lesson: SGD along the lecture's 1-D loss curve f(x) = x⁴ − 3x² + x, a
//! double well with a shallow local minimum and a deeper global one. A ball
//! takes SGD steps; presets show a learning rate that is too small (crawls and
//! gets stuck in the local minimum), good, and too large (lands anywhere, then
//! diverges); a noise slider makes the descent stochastic, as mini-batches do.
//! A loss-vs-step chart sits under the curve.
//!
//! Two sections use it: "Stochastic gradient descent" opens with the good
//! preset, "Local minima" with the too-small one.
//!
//! - [`model`]: the state, free of browser types (tested natively);
//! - [`noise`]: seeded mini-batch noise on the gradient;
//! - [`text`]: the status line;
//! - [`query`]: the lesson in a link;
//! - `view` and `chart`: the page, the curve with the ball, the loss chart;
//! - `figure`: both as one PNG/SVG slide.

mod chart;
mod figure;
pub mod model;
pub mod noise;
pub mod query;
pub mod text;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::lessons::{Lesson, LessonId, Playback};
use crate::url_state::{Notice, Query};
use model::{Model, Preset};
use view::View;

pub use chart::{draw_loss_chart, ChartLabels, LOSS_LINE_COLOR};
pub use view::{draw_curve, BALL_COLOR};

pub struct Descent1dLesson {
    id: LessonId,
    /// The preset the section opens with (and a link falls back to).
    opening: Preset,
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl Descent1dLesson {
    /// The lesson for section `id`, opening with `preset`.
    pub fn new(id: LessonId, preset: Preset) -> nnlab::Result<Descent1dLesson> {
        Ok(Descent1dLesson {
            id,
            opening: preset,
            model: Rc::new(RefCell::new(Model::new(preset)?)),
            view: None,
        })
    }

    /// The lesson's state, for saving and restoring it.
    pub fn model(&self) -> &Rc<RefCell<Model>> {
        &self.model
    }
}

impl Lesson for Descent1dLesson {
    fn id(&self) -> LessonId {
        self.id
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        self.view = None;
        self.view = Some(View::mount(root, lang, self.id, &self.model)?);
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
        let (settings, notices) = query::from_query(self.opening, model.surface(), query);
        // The settings were checked against the same ranges the model checks.
        let _ = model.apply(settings);
        notices
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        Ok(self.model.borrow_mut().command(command)?)
    }

    fn playback(&self) -> Playback {
        Playback::full(matches!(self.model.borrow().phase(), model::Phase::Running))
    }
}
