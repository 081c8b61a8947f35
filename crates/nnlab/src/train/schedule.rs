//! Epochs, iterations and the order samples are visited in.
//!
//! One **epoch** is one pass over the training set; one **iteration** (one
//! update of the weights) consumes one mini-batch. With `drop_last` (the
//! lecture's `DataLoader(..., drop_last=True)`) the incomplete batch at the
//! end of an epoch is skipped, so an epoch has ⌊N / batch⌋ iterations;
//! without it the last, smaller batch is used too: ⌈N / batch⌉.
//!
//! CIFAR-10 has N = 50,000 training images: with batch 64 and `drop_last`,
//! 781 iterations per epoch and 23,430 updates in 30 epochs. The lecture's
//! "60000/64 = 938 per epoch, 28,140 updates" starts from a wrong N (60,000
//! is training plus test images).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Iterations (weight updates) in one epoch over `samples` samples.
/// 0 if `batch` is 0.
pub fn iterations_per_epoch(samples: usize, batch: usize, drop_last: bool) -> usize {
    match (batch, drop_last) {
        (0, _) => 0,
        (_, true) => samples / batch,
        (_, false) => samples.div_ceil(batch),
    }
}

/// Updates in `epochs` epochs.
pub fn total_updates(samples: usize, batch: usize, drop_last: bool, epochs: usize) -> usize {
    epochs * iterations_per_epoch(samples, batch, drop_last)
}

/// How a training set is cut into mini-batches, epoch after epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Training samples N.
    pub samples: usize,
    /// Samples per mini-batch.
    pub batch_size: usize,
    /// Skip the incomplete batch at the end of each epoch.
    pub drop_last: bool,
    /// Seed of the per-epoch shuffles.
    pub seed: u64,
}

impl Schedule {
    /// A schedule with at least one iteration per epoch: `batch_size` ≥ 1,
    /// `samples` ≥ 1, and with `drop_last` at least one full batch.
    pub fn new(samples: usize, batch_size: usize, drop_last: bool, seed: u64) -> Result<Schedule> {
        if batch_size == 0 {
            return Err(Error::OutOfRange {
                what: "batch size",
                detail: "it must be at least 1".into(),
            });
        }
        if samples == 0 {
            return Err(Error::InvalidData("there are no training samples".into()));
        }
        if drop_last && samples < batch_size {
            return Err(Error::OutOfRange {
                what: "batch size",
                detail: format!(
                    "{batch_size} is larger than the {samples} training samples, \
                     so dropping the incomplete batch leaves nothing to train on"
                ),
            });
        }
        Ok(Schedule {
            samples,
            batch_size,
            drop_last,
            seed,
        })
    }

    /// See [`iterations_per_epoch`].
    pub fn iterations_per_epoch(&self) -> usize {
        iterations_per_epoch(self.samples, self.batch_size, self.drop_last)
    }

    /// See [`total_updates`].
    pub fn total_updates(&self, epochs: usize) -> usize {
        total_updates(self.samples, self.batch_size, self.drop_last, epochs)
    }

    /// Write the visiting order of epoch `epoch` (0-based) into `order`: a
    /// permutation of 0..samples drawn from a ChaCha8 stream seeded with
    /// `seed`, stream number `epoch`. Each epoch's order depends only on the
    /// seed and the epoch number. Reuses `order`'s allocation.
    pub fn shuffle_into(&self, epoch: usize, order: &mut Vec<usize>) {
        order.clear();
        order.extend(0..self.samples);
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(epoch as u64);
        order.shuffle(&mut rng);
    }

    /// The index range into an epoch's order of iteration `iteration`.
    /// Panics if `iteration >= iterations_per_epoch()`.
    pub fn batch_range(&self, iteration: usize) -> std::ops::Range<usize> {
        assert!(
            iteration < self.iterations_per_epoch(),
            "iteration {iteration} of an epoch with {}",
            self.iterations_per_epoch()
        );
        let start = iteration * self.batch_size;
        start..(start + self.batch_size).min(self.samples)
    }
}

/// Walks a [`Schedule`]: the current epoch, the iteration within it and the
/// shuffled order, reshuffled when an epoch ends.
///
/// The training set may grow while it is used (a page trains on the images
/// that have downloaded so far): [`Sampler::grow`] takes effect when the next
/// epoch starts, so every epoch is still one exact pass over a fixed set —
/// the images that were there when it began.
#[derive(Clone, Debug, PartialEq)]
pub struct Sampler {
    schedule: Schedule,
    order: Vec<usize>,
    epoch: usize,
    iteration: usize,
    /// The sample count from the next epoch on, if it grew.
    grown: Option<usize>,
}

impl Sampler {
    /// At the start of epoch 0.
    pub fn new(schedule: Schedule) -> Sampler {
        let mut order = Vec::with_capacity(schedule.samples);
        schedule.shuffle_into(0, &mut order);
        Sampler {
            schedule,
            order,
            epoch: 0,
            iteration: 0,
            grown: None,
        }
    }

    /// Use the first `samples` samples from the next epoch on (or at once if
    /// the current epoch has not started). Never shrinks.
    pub fn grow(&mut self, samples: usize) {
        if samples > self.schedule.samples {
            self.grown = Some(samples);
        }
    }

    /// Starts the next epoch if the current one is done (reshuffling, and
    /// taking in the samples [`Sampler::grow`] added), or takes them in now
    /// if no batch of this epoch was handed out yet. Returns true if the
    /// number of samples changed. [`Sampler::next_batch`] calls this itself.
    pub fn roll(&mut self) -> bool {
        let done = self.iteration == self.schedule.iterations_per_epoch();
        if done {
            self.epoch += 1;
            self.iteration = 0;
        }
        let grown = match self.grown.take() {
            Some(samples) if done || self.iteration == 0 => {
                self.schedule.samples = samples;
                true
            }
            other => {
                self.grown = other;
                false
            }
        };
        if done || grown {
            self.schedule.shuffle_into(self.epoch, &mut self.order);
        }
        grown
    }

    /// How the samples are cut into mini-batches (the current epoch's sample count).
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Epochs completed so far (0-based number of the current epoch).
    pub fn epoch(&self) -> usize {
        self.epoch
    }

    /// Iterations done in the current epoch.
    pub fn iteration(&self) -> usize {
        self.iteration
    }

    /// The sample indices of the next mini-batch; moves to the next epoch
    /// (and reshuffles, reusing the order's memory) after its last batch.
    pub fn next_batch(&mut self) -> &[usize] {
        self.roll();
        let range = self.schedule.batch_range(self.iteration);
        self.iteration += 1;
        &self.order[range]
    }

    /// The indices [`Sampler::next_batch`] will hand out next, if they are
    /// known already: not when this epoch is done (the next one's order is
    /// drawn when it starts) nor when grown samples are about to be taken in.
    pub fn peek_next(&self) -> Option<&[usize]> {
        let done = self.iteration >= self.schedule.iterations_per_epoch();
        if done || (self.iteration == 0 && self.grown.is_some()) {
            return None;
        }
        Some(&self.order[self.schedule.batch_range(self.iteration)])
    }

    /// True if the last batch handed out ended an epoch.
    pub fn epoch_finished(&self) -> bool {
        self.iteration == self.schedule.iterations_per_epoch()
    }
}
