//! Lesson: the chain rule and backpropagation.
//!
//! A small expression — the chain rule's m(x) = f(g(x)), the lecture's
//! f(W₁, W₂, W₃) = a(W₁, b(W₂, c(W₃))), or one neuron's loss — is recorded on
//! the core's scalar tape and drawn as its graph. The backward pass then runs
//! node by node: the local derivative on each arrow, the running product on
//! each node, and at the end every parameter's gradient beside a central
//! finite difference.
//!
//! - [`presets`]: the expressions; [`trace`]: the recorded tape and its layout;
//! - [`replay`]: the backward pass one node at a time; [`model`]: the lesson's state;
//! - [`query`]: the expression and its values in a link;
//! - `graph`: the SVG graph; `view`: the page.

mod graph;
pub mod model;
pub mod presets;
pub mod query;
pub mod replay;
pub mod trace;
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

pub use graph::draw as draw_graph;

pub struct Backprop {
    model: Rc<RefCell<Model>>,
    view: Option<View>,
}

impl Backprop {
    pub fn new() -> nnlab::Result<Backprop> {
        Ok(Backprop {
            model: Rc::new(RefCell::new(Model::new())),
            view: None,
        })
    }
}

impl Lesson for Backprop {
    fn id(&self) -> LessonId {
        LessonId::Backprop
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
            Some(view) => view.catch_up(&self.model),
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

    fn command(&mut self, command: Command) -> WebResult<()> {
        self.model.borrow_mut().command(command);
        Ok(())
    }

    fn playback(&self) -> Playback {
        Playback::full(self.model.borrow().playing())
    }
}
