//! Lesson: gradient descent on a 2-D loss surface.
//!
//! A heat map with contour lines shows the surface; a click picks the start,
//! and the chosen optimiser walks downhill, a few steps per frame, while the
//! step count, loss and point update beside it. A learning rate too large for
//! the curvature stops the walk with a plain-words message.
//!
//! - [`model`]: the lesson's state and rules, free of browser types (tested natively);
//! - [`path`]: the visited points, thinned so long runs stay cheap to draw;
//! - [`text`]: labels, the status line and number formats;
//! - `view`: the page; handlers only change the model, and each frame the
//!   view catches up with it, so there is one way state reaches the page.

pub mod model;
pub mod path;
pub mod text;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId};
use crate::error::WebResult;
use crate::i18n::Lang;
use model::Model;
use view::View;

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
}
