//! Handlers that change a lesson's model, in one line each.
//!
//! Every handler needs its own handle on the model the view shares with the
//! app (an `Rc<RefCell<Model>>`). Without help each one is a pair — clone the
//! handle, then move it into the closure — and the pairs made up a good part
//! of every view. A [`Binder`] hands out handlers that already hold their
//! handle, and keeps the [`Listener`]s alive for as long as the view:
//!
//! ```ignore
//! let mut bind = Binder::new(model);
//! bind.keep(self.lr.on_input(bind.with(Model::set_lr))?);
//! bind.keep(self.transport.on_command(bind.with(Model::command))?);
//! bind.keep(self.reset.on_click(bind.act(|m| m.reset()))?);
//! self.listeners = bind.finish();
//! ```
//!
//! A setter may return `()`, `nnlab::Result<()>` or [`WebResult<()>`]: an
//! error reaches the page's banner like any handler's.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{Event, HtmlInputElement};

use crate::error::WebResult;
use crate::widgets::Listener;

/// What a model's setter may return.
pub trait Outcome {
    /// As the handler's result.
    fn into_web(self) -> WebResult<()>;
}

impl Outcome for () {
    fn into_web(self) -> WebResult<()> {
        Ok(())
    }
}

impl<E> Outcome for Result<(), E>
where
    crate::error::WebError: From<E>,
{
    fn into_web(self) -> WebResult<()> {
        Ok(self?)
    }
}

/// Makes handlers on one model and keeps their listeners.
pub struct Binder<M> {
    model: Rc<RefCell<M>>,
    listeners: Vec<Listener>,
}

impl<M: 'static> Binder<M> {
    /// Handlers on `model`.
    pub fn new(model: &Rc<RefCell<M>>) -> Binder<M> {
        Binder {
            model: model.clone(),
            listeners: Vec::new(),
        }
    }

    /// A handler of a value (a slider's number, a menu's choice, a button's
    /// command): `f(&mut model, value)`.
    pub fn with<A, R: Outcome>(
        &self,
        f: impl Fn(&mut M, A) -> R + 'static,
    ) -> impl FnMut(A) -> WebResult<()> + 'static {
        let model = self.model.clone();
        move |value| f(&mut model.borrow_mut(), value).into_web()
    }

    /// A handler that only reads the model (saving a figure of it): `f(&model, value)`.
    pub fn read<A, R: Outcome>(
        &self,
        f: impl Fn(&M, A) -> R + 'static,
    ) -> impl Fn(A) -> WebResult<()> + 'static {
        let model = self.model.clone();
        move |value| f(&model.borrow(), value).into_web()
    }

    /// A handler that edits a copy of the model's settings with the control's
    /// value and hands the whole set back (`get`, then `change`, then `set`),
    /// for models that check their settings together.
    pub fn edit<S: Copy + 'static, A, R: Outcome + 'static>(
        &self,
        get: fn(&M) -> &S,
        set: fn(&mut M, S) -> R,
        change: impl Fn(&mut S, A) -> nnlab::Result<()> + 'static,
    ) -> impl FnMut(A) -> WebResult<()> + 'static {
        let model = self.model.clone();
        move |value| {
            let mut model = model.borrow_mut();
            let mut settings = *get(&model);
            change(&mut settings, value)?;
            set(&mut model, settings).into_web()
        }
    }

    /// A handler of a click: `f(&mut model)`.
    pub fn act<R: Outcome>(
        &self,
        f: impl Fn(&mut M) -> R + 'static,
    ) -> impl FnMut() -> WebResult<()> + 'static {
        let model = self.model.clone();
        move || f(&mut model.borrow_mut()).into_web()
    }

    /// Calls `f(&mut model, text)` whenever the user edits the text field `input`.
    pub fn on_text(
        &mut self,
        input: &HtmlInputElement,
        f: impl Fn(&mut M, &str) + 'static,
    ) -> WebResult<()> {
        let (model, field) = (self.model.clone(), input.clone());
        let listener = Listener::new(input, "input", move |_: Event| {
            f(&mut model.borrow_mut(), &field.value());
            Ok(())
        })?;
        self.listeners.push(listener);
        Ok(())
    }

    /// The model itself, for a handler that needs more than one call on it.
    pub fn model(&self) -> Rc<RefCell<M>> {
        self.model.clone()
    }

    /// Keeps a widget's listener (or listeners) alive with the view.
    pub fn keep(&mut self, listeners: impl Into<Kept>) {
        self.listeners.extend(listeners.into().0);
    }

    /// The listeners kept, for the view to hold (dropping them detaches them).
    pub fn finish(self) -> Vec<Listener> {
        self.listeners
    }
}

/// One listener or several, as widgets return them.
pub struct Kept(Vec<Listener>);

impl From<Listener> for Kept {
    fn from(listener: Listener) -> Kept {
        Kept(vec![listener])
    }
}

impl From<Vec<Listener>> for Kept {
    fn from(listeners: Vec<Listener>) -> Kept {
        Kept(listeners)
    }
}
