//! Lesson: the input data. CIFAR-10's images with their classes, and one
//! image normalised and reshaped into the `(1, 3072)` row the network reads.
//!
//! - [`model`]: gallery paging and the vector ↔ pixel arithmetic (tested natively);
//! - [`query`]: the gallery's filter and chosen image in a link;
//! - `view`: the page (with the kit's CIFAR-10 [`data_panel`](crate::lessons::kit::data_panel)
//!   and [`pictures`](crate::lessons::kit::pictures), which the other CIFAR-10 lessons share).

pub mod model;
pub mod query;
mod view;

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{Lesson, LessonId};
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::training::client;
use crate::url_state::{Notice, Query};
use model::Model;
use view::View;

pub struct InputData {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl InputData {
    pub fn new() -> InputData {
        InputData {
            model: Rc::new(RefCell::new(Model::default())),
            view: None,
        }
    }
}

impl Default for InputData {
    fn default() -> Self {
        InputData::new()
    }
}

impl Lesson for InputData {
    fn id(&self) -> LessonId {
        LessonId::InputData
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

    fn state_query(&self) -> Query {
        query::state_query(&self.model.borrow())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (fresh, notices) = query::from_query(query);
        let mut model = self.model.borrow_mut();
        // The view redraws on a new revision.
        let revision = model.revision + 1;
        *model = Model { revision, ..fresh };
        notices
    }
}
