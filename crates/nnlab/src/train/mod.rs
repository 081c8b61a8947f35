//! Training a network on a [`Dataset`](crate::data::Dataset): how the data is
//! cut into epochs and mini-batches ([`schedule`]) and the loop that feeds
//! them to the network and the optimiser ([`Trainer`]).
//!
//! ```
//! use nnlab::data::{Dataset, ImageShape};
//! use nnlab::train::{TrainConfig, Trainer};
//! use nnlab::nn::{Activation, MlpSpec};
//!
//! // Four 1×1×2 "images" of two classes: class 0 bright on the left, class 1 on the right.
//! let shape = ImageShape { channels: 1, height: 1, width: 2 };
//! let data = Dataset::new(vec![255, 0, 200, 10, 0, 255, 10, 200], vec![0, 0, 1, 1], shape,
//!                         vec!["left".into(), "right".into()])?;
//! let config = TrainConfig {
//!     spec: MlpSpec { input: 2, layers: vec![4, 2], activation: Activation::Relu },
//!     batch_size: 2,
//!     ..TrainConfig::lecture()
//! };
//! let mut trainer = Trainer::new(&config, &data)?;
//! let counters = trainer.train_steps(&data, 5)?;
//! // 4 samples in batches of 2: 2 iterations per epoch, so 5 steps end in epoch 2 after 1 iteration.
//! assert_eq!((counters.updates, counters.epoch, counters.iteration, counters.samples_seen), (5, 2, 1, 10));
//! assert_eq!(trainer.history().len(), 2);
//! # Ok::<(), nnlab::Error>(())
//! ```

mod evaluate;
pub mod parallel;
pub mod schedule;
mod trainer;

pub use evaluate::{evaluate, Evaluation, Evaluator};
pub use schedule::{iterations_per_epoch, total_updates, Sampler, Schedule};
pub use trainer::{Counters, EpochSummary, TrainConfig, Trainer};
