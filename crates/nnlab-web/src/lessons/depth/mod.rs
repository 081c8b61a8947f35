//! Lesson: the depth in deep learning — successive layers of representations.
//! One test image followed through the lecture's network layer by layer, and
//! 300 test images as each layer represents them (2-D PCA, coloured by
//! class), live while the network trains: the lecture's "multi-stage
//! information distillation" made visible.
//!
//! - [`model`]: the probed image, scatter geometry, class separation (tested natively);
//! - [`scatter`]: one layer's cloud on a canvas;
//! - [`activations`]: one image's activations, layer by layer;
//! - `view`: the page.

pub mod activations;
pub mod model;
pub mod scatter;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId};
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::training::client;
use model::Model;
use view::View;

pub struct Depth {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl Depth {
    pub fn new() -> Depth {
        Depth {
            model: Rc::new(RefCell::new(Model::default())),
            view: None,
        }
    }
}

impl Default for Depth {
    fn default() -> Self {
        Depth::new()
    }
}

impl Lesson for Depth {
    fn id(&self) -> LessonId {
        LessonId::Depth
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        client::ensure_started()?;
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.model)?);
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
            Some(view) => view.catch_up(&self.model.borrow()),
            None => Ok(()),
        }
    }
}
