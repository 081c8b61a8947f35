//! Lesson: the network — building an MLP and reading its summary table.
//!
//! The lecture's `myMLP` (and its CIFAR-10 version) or any list of layer
//! sizes: the table `Layer (type) · Input Shape · Output Shape · Param #`
//! comes from the core's `nn::Summary`, the drawing shows the layers as
//! columns of neurons. Sizes are checked by `MlpSpec::validate` before
//! anything else happens, and no weights are ever allocated here.
//!
//! - [`model`]: the fields, the spec and its table (tested natively);
//! - [`drawing`]: the SVG drawing; [`svg`]: SVG helpers (also used by backprop);
//! - [`query`]: the network in a link;
//! - `view`: the page.

pub mod drawing;
pub mod model;
pub mod query;
pub mod svg;
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

pub struct Network {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl Network {
    pub fn new() -> nnlab::Result<Network> {
        Ok(Network {
            model: Rc::new(RefCell::new(Model::new())),
            view: None,
        })
    }
}

impl Lesson for Network {
    fn id(&self) -> LessonId {
        LessonId::Network
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
