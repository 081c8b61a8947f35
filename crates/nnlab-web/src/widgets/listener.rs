//! An event handler that detaches itself when dropped.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

use super::dom;
use crate::banner;
use crate::error::WebResult;

/// Keeps a Rust closure registered as a DOM event handler for as long as it lives.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Calls `handler` on each `kind` event of `target`. An error from the
    /// handler is shown in the error banner (handlers have no caller to return to).
    ///
    /// Always `Ok` (registering a handler cannot fail; the banner would say if
    /// it did) and inlined, so the `?` of its hundred-odd callers costs no
    /// error path (see `dom::create`).
    #[inline(always)]
    pub fn new(
        target: &impl AsRef<EventTarget>,
        kind: &'static str,
        handler: impl FnMut(Event) -> WebResult<()> + 'static,
    ) -> WebResult<Listener> {
        Ok(Listener::on(target, kind, handler))
    }

    /// [`Listener::new`] for widgets whose own methods cannot fail either.
    #[inline(always)]
    pub(crate) fn on(
        target: &impl AsRef<EventTarget>,
        kind: &'static str,
        handler: impl FnMut(Event) -> WebResult<()> + 'static,
    ) -> Listener {
        Listener::boxed(target.as_ref(), kind, Box::new(handler))
    }

    /// Sets `flag` whenever the window is resized: a view that fits its
    /// canvases to the page reads it on its next frame.
    pub fn flag_on_resize(flag: &Rc<Cell<bool>>) -> WebResult<Listener> {
        let flag = flag.clone();
        Listener::new(&dom::window()?, "resize", move |_: Event| {
            flag.set(true);
            Ok(())
        })
    }

    /// The one non-generic body of [`Listener::new`]: the page has well over a
    /// hundred handlers, and a generic closure here would give each its own
    /// copy of wasm-bindgen's glue (tens of KB of the shipped wasm).
    fn boxed(
        target: &EventTarget,
        kind: &'static str,
        mut handler: Box<dyn FnMut(Event) -> WebResult<()>>,
    ) -> Listener {
        let closure = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            if let Err(err) = handler(event) {
                banner::show_error(&err);
            }
        });
        if let Err(err) =
            target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref())
        {
            banner::show_error(&err.into());
        }
        Listener {
            target: target.clone(),
            kind,
            closure,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Removing a handler that is registered cannot fail; nothing to report if it did.
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.closure.as_ref().unchecked_ref());
    }
}
