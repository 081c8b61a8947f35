//! # nnlab-worker — the training Web Worker
//!
//! Training never freezes the page: it runs here, in a second wasm program
//! (`src/main.rs`), which owns the CIFAR-10 training set and the network,
//! decodes the archive, trains in short chunks and reports back. The page
//! (`nnlab-web`) shares only [`protocol`]; it is its own crate so that the
//! page's wasm carries no training code and the Worker's no user interface.
//!
//! - [`protocol`]: the messages both ways (postcard + transferred byte blobs);
//! - [`pool`]: the images of a download in progress, sorted as they arrive (tested natively);
//! - [`collapse`]: when a too-large learning rate has left the network guessing (tested natively);
//! - [`session`]: the Worker's state and work, free of browser types (tested natively);
//! - [`team_choice`]: one Worker or the team, measured again while a run trains (tested natively);
//! - [`race`]: the feature-engineering race of three pipelines, in chunks (tested natively);
//! - [`deep_race`]: the deep-training lesson's two networks trained in turns (tested natively);
//! - [`snapshot`]: weight images, activations, top-3 predictions, PCA clouds;
//! - [`scope`]: the glue to the worker's global scope (wasm only);
//! - [`loading`]: the archive streamed from the device, the server or dropped files (wasm only);
//! - [`device_store`]: the copy of the archive kept on the device (wasm only);
//! - [`team`]: helper Workers training with this one, each owning rows of every layer (wasm only).

#![warn(missing_docs)]

#[cfg(target_arch = "wasm32")]
pub mod checkpoint_store;
pub mod collapse;
pub mod deep_race;
#[cfg(target_arch = "wasm32")]
pub mod device_store;
#[cfg(target_arch = "wasm32")]
pub mod loading;
pub mod pool;
pub mod protocol;
pub mod race;
#[cfg(target_arch = "wasm32")]
pub mod scope;
pub mod session;
pub mod snapshot;
#[cfg(target_arch = "wasm32")]
pub mod team;
pub mod team_choice;
