//! The training Web Worker: training never freezes the page.
//!
//! The Worker is a second wasm program (`src/bin/nnlab-worker.rs`) built
//! from this crate. It owns the CIFAR-10 training set and the network,
//! decodes the archive, trains in short chunks and reports back.
//!
//! - [`protocol`]: the messages both ways (serde JSON + transferred byte blobs);
//! - [`session`]: the Worker's state and work, free of browser types (tested natively);
//! - [`snapshot`]: weight images, activations, top-3 predictions, PCA clouds;
//! - [`scope`]: the glue to the worker's global scope (wasm only).

pub mod protocol;
#[cfg(target_arch = "wasm32")]
pub mod scope;
pub mod session;
pub mod snapshot;
