//! The CIFAR-10 data as the main thread sees it.
//!
//! The training Worker owns the training set (bytes, ~150 MB) and decodes the
//! archive off the main thread as it streams in. It hands the main thread a
//! set of images to show — first training images it holds out of training
//! (while the test set, last in the archive, has not arrived), then the
//! 10,000 test images (~30 MB of bytes) — enough for the gallery, the
//! initialisation histograms and the representation plots. Once everything
//! has arrived it also hands over 10,000 *training* images, which the
//! step-by-step training loop trains on (a lesson that trains must never
//! train on the test set). Lessons read this store; they never decode
//! anything themselves.

use std::cell::RefCell;
use std::rc::Rc;

use nnlab::data::Dataset;

/// Where loading stands.
#[derive(Clone, Debug, PartialEq)]
pub enum DataStatus {
    /// Nothing loaded yet: lessons explain how to get CIFAR-10.
    Missing,
    /// Fetching or decoding; `fraction` in [0, 1].
    Loading {
        /// How far it got, in [0, 1].
        fraction: f64,
    },
    /// Loaded: sizes of the training set (in the Worker) and test set (here).
    Ready {
        /// Images of the training set (in the Worker).
        train: usize,
        /// Images of the test set (here).
        test: usize,
    },
    /// Loading failed; the message names what was wrong.
    Failed(String),
}

#[derive(Default)]
struct Store {
    status: Option<DataStatus>,
    samples: Option<Rc<Dataset>>,
    /// The samples are held-out training images, not the test set.
    held_out: bool,
    /// Training images for lessons that train, and the training set's size.
    training: Option<(Rc<Dataset>, usize)>,
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

/// Training images for the lessons that train in the page (never test
/// images), with the number of training images there are in all; None until
/// every image has arrived.
pub fn training_images() -> Option<(Rc<Dataset>, usize)> {
    STORE.with(|s| s.borrow().training.clone())
}

/// Replaces the training images and tells the listeners.
pub fn set_training_images(images: Rc<Dataset>, total: usize) {
    STORE.with(|s| s.borrow_mut().training = Some((images, total)));
    touch();
}

/// True while the samples are training images held out until the test set
/// arrives (lessons say so).
pub fn samples_held_out() -> bool {
    STORE.with(|s| s.borrow().held_out)
}

/// Replaces the samples (the Worker sent newer ones) and tells the listeners.
pub fn set_samples(samples: Rc<Dataset>, held_out: bool) {
    let listeners = STORE.with(|s| {
        let mut s = s.borrow_mut();
        s.samples = Some(samples);
        s.held_out = held_out;
        s.listeners.clone()
    });
    for listener in listeners {
        listener();
    }
}

/// Tells the listeners something about the data changed that the status
/// does not show (e.g. what is stored on the device).
pub fn touch() {
    let listeners = STORE.with(|s| s.borrow().listeners.clone());
    for listener in listeners {
        listener();
    }
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
