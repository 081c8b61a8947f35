//! The CIFAR-10 data as the main thread sees it.
//!
//! The training Worker owns the full training set (bytes, ~150 MB) and decodes
//! the archive off the main thread. Once decoded, it hands the main thread the
//! 10,000 test images (~30 MB of bytes) — enough for the gallery, the
//! initialisation histograms, the step-by-step training loop and the
//! representation plots — and the counts of what it holds. Lessons read this
//! store; they never decode anything themselves.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::data::Dataset;

/// Where loading stands.
#[derive(Clone, Debug, PartialEq)]
pub enum DataStatus {
    /// Nothing loaded yet: lessons explain how to get CIFAR-10.
    Missing,
    /// Fetching or decoding; `fraction` in [0, 1].
    Loading { fraction: f64 },
    /// Loaded: sizes of the training set (in the Worker) and test set (here).
    Ready { train: usize, test: usize },
    /// Loading failed; the message names what was wrong.
    Failed(String),
}

#[derive(Default)]
struct Store {
    status: Option<DataStatus>,
    samples: Option<Rc<Dataset>>,
    listeners: Vec<Rc<dyn Fn()>>,
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::new(Store::default());
}

/// The current loading status.
pub fn status() -> DataStatus {
    STORE.with(|s| s.borrow().status.clone().unwrap_or(DataStatus::Missing))
}

/// The test images on the main thread, once loaded.
pub fn samples() -> Option<Rc<Dataset>> {
    STORE.with(|s| s.borrow().samples.clone())
}

/// Calls `listener` after every change of status (lessons re-render).
pub fn subscribe(listener: Rc<dyn Fn()>) {
    STORE.with(|s| s.borrow_mut().listeners.push(listener));
}

/// Records a new status (and, when ready, the samples) and tells the listeners.
pub fn set(status: DataStatus, samples: Option<Rc<Dataset>>) {
    let listeners = STORE.with(|s| {
        let mut s = s.borrow_mut();
        s.status = Some(status);
        if samples.is_some() {
            s.samples = samples;
        }
        s.listeners.clone()
    });
    for listener in listeners {
        listener();
    }
}
