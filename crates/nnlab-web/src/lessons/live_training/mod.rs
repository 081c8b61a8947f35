//! Lesson: live training on CIFAR-10 — the lecture's MLP trained in a Web
//! Worker while the page shows the curves, counters, confusion matrix, first
//! layer weight images and test predictions; pause, change the learning
//! rate, resume; save and load the model.
//!
//! - [`model`]: formats and choices (tested natively);
//! - [`query`]: the choices in a link;
//! - `charts`: the curves and the weight grid;
//! - `view`: the page.

pub mod charts;
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
use nnlab_worker::protocol::{RunConfig, ToWorker};
use view::View;

pub struct LiveTraining {
    config: Rc<RefCell<RunConfig>>,
    /// The configuration last sent to bring the Worker in line (see `tick`).
    sent: Option<RunConfig>,
    view: Option<View>,
}

impl LiveTraining {
    pub fn new() -> LiveTraining {
        LiveTraining {
            config: Rc::new(RefCell::new(RunConfig::lecture())),
            sent: None,
            view: None,
        }
    }
}

impl Default for LiveTraining {
    fn default() -> Self {
        LiveTraining::new()
    }
}

impl Lesson for LiveTraining {
    fn id(&self) -> LessonId {
        LessonId::LiveTraining
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        client::ensure_started()?;
        self.view = None;
        self.view = Some(View::mount(root, lang, &self.config)?);
        Ok(())
    }

    fn unmount(&mut self) {
        self.view = None;
    }

    /// The Worker builds the lecture's run when the data arrives. If the
    /// page's choices differ (a link set them) and nothing has been trained
    /// yet, it is asked once to build the page's run instead.
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        let config = self.config.borrow();
        let stale = {
            let record = client::record();
            let record = record.borrow();
            record
                .network
                .as_ref()
                .is_some_and(|net| !net.from_file && record.updates() == 0 && net.config != *config)
        };
        if stale && self.sent.as_ref() != Some(&*config) {
            client::send(&ToWorker::Configure {
                config: config.clone(),
            })?;
            self.sent = Some(config.clone());
        }
        Ok(())
    }

    fn draw(&mut self) -> WebResult<()> {
        match self.view.as_mut() {
            Some(view) => view.catch_up(),
            None => Ok(()),
        }
    }

    fn state_query(&self) -> Query {
        query::state_query(&self.config.borrow())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (config, notices) = query::from_query(query);
        *self.config.borrow_mut() = config;
        notices
    }
}
