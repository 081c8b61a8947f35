//! What `train` and `features` share: checking the budget before any data is
//! read, loading CIFAR-10 cut to `--train-size`, and training one epoch with
//! a progress bar on stderr.

use crate::cli::RunArgs;
use crate::error::{CliError, CliResult};
use crate::{cifar, progress};
use nnlab::data::{Cifar10, Dataset, Samples};
use nnlab::train::Trainer;
use std::path::PathBuf;

/// Training steps between progress-bar updates: a few milliseconds of work.
pub const STEPS_PER_REPORT: usize = 8;

/// At least one epoch and one training image; the rest is checked by clap
/// (numbers) or once the data is there (`--train-size` against its size).
pub fn check(args: &RunArgs) -> CliResult<()> {
    if args.epochs == 0 {
        return Err(CliError::Usage("epochs: must be at least 1".into()));
    }
    if args.train_size == Some(0) {
        return Err(CliError::Usage("train-size: must be at least 1".into()));
    }
    Ok(())
}

/// CIFAR-10 as the arguments ask for it.
pub struct RunData {
    /// Where it was read from.
    pub path: PathBuf,
    data: Cifar10,
    /// The first `--train-size` training images, if given.
    subset: Option<Dataset>,
}

impl RunData {
    /// The data at `--data` (or `$NNLAB_CIFAR10`, or the default path), with
    /// a progress bar unless `--quiet`.
    pub fn load(args: &RunArgs) -> CliResult<RunData> {
        let path = cifar::resolve(args.data.data.as_deref());
        let data = cifar::load(&path, args.quiet)?;
        let subset = match args.train_size {
            Some(n) => Some(cifar::first(&data.train, n)?),
            None => None,
        };
        Ok(RunData { path, data, subset })
    }

    /// The images trained on.
    pub fn train(&self) -> &Dataset {
        self.subset.as_ref().unwrap_or(&self.data.train)
    }

    /// The test set, all of it.
    pub fn test(&self) -> &Dataset {
        &self.data.test
    }
}

/// How an epoch ended.
pub enum EpochEnd {
    /// Every mini-batch of the epoch was trained on.
    Finished,
    /// The loss became NaN or ∞ within the first `steps` steps of the
    /// epoch; training stopped there.
    Diverged { steps: usize },
}

/// One epoch of `trainer` on `train`, [`STEPS_PER_REPORT`] steps at a time,
/// with a bar over the samples (and the running loss) titled `prefix`.
pub fn train_epoch(
    trainer: &mut Trainer,
    train: &dyn Samples,
    prefix: String,
    quiet: bool,
) -> CliResult<EpochEnd> {
    let iterations = trainer.schedule().iterations_per_epoch();
    let batch = trainer.schedule().batch_size;
    let bar = progress::samples((iterations * batch) as u64, prefix, quiet);
    let mut done = 0;
    while done < iterations {
        let steps = STEPS_PER_REPORT.min(iterations - done);
        let counters = trainer.train_steps(train, steps)?;
        done += steps;
        bar.set_position((done * batch) as u64);
        bar.set_message(format!("loss {:.4}", counters.running_loss));
        if trainer.diverged() {
            bar.finish_and_clear();
            return Ok(EpochEnd::Diverged { steps: done });
        }
    }
    bar.finish_and_clear();
    Ok(EpochEnd::Finished)
}
