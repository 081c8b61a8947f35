//! # nnlab-bench — how fast nnlab trains the lecture's network
//!
//! The workload of the peer benchmark (`shared/bench/peers`): the MLP
//! 3072 → 100 → 256 → 256 → 10 with ReLU, softmax cross-entropy, Adam
//! (lr 0.001), batches of 64 float32 samples cycled from 2,048 seeded
//! uniform [0, 1) images with random labels — trained and run for a fixed
//! time on nnlab's allocation-free [`TrainStep`](nnlab::nn::step::TrainStep).
//!
//! The same code runs natively (`examples/train_bench.rs`) and in the browser
//! (this crate built as a wasm module; `bench/` at the project root loads it),
//! so the two numbers differ only in the machine code. [`peak`] measures what
//! the processor can do at all, to report each rate as a fraction of it.
//!
//! `scripts/bench.sh` runs everything with one command.

#![warn(missing_docs)]

pub mod peak;
pub mod profile;
#[cfg(target_arch = "wasm32")]
mod web;
pub mod workload;

pub use workload::{Report, Workload};
