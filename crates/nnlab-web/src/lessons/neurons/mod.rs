//! Lesson: the neuron and the dense layer.
//!
//! `output = relu(dot(W, input) + b)` with a 3-input, 2-neuron layer whose
//! every number is an editable field. Each neuron's multiply-adds are written
//! out, the forward pass runs on the core's tensor graph, and the chosen
//! activation and its derivative are plotted with each neuron's z marked.
//!
//! - [`number`]: typed numbers (shared with the network and backprop lessons);
//! - [`model`]: the layer and its forward pass (tested natively);
//! - [`plot`]: the activation chart (plotters);
//! - [`query`]: the layer in a link;
//! - `view`: the page.

pub mod model;
pub mod number;
pub mod plot;
pub mod query;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId};
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::url_state::{Notice, Query};
use model::Model;
use view::View;
pub use view::{problem_text, subscript};

pub struct Neurons {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl Neurons {
    pub fn new() -> nnlab::Result<Neurons> {
        Ok(Neurons {
            model: Rc::new(RefCell::new(Model::new())),
            view: None,
        })
    }
}

impl Lesson for Neurons {
    fn id(&self) -> LessonId {
        LessonId::Neurons
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
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

    fn state_query(&self) -> Query {
        query::state_query(&self.model.borrow())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (fresh, notices) = query::from_query(query);
        // The view is rebuilt after a link is applied, so a fresh model is safe.
        *self.model.borrow_mut() = fresh;
        notices
    }
}
