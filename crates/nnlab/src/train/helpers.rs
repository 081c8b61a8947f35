//! Data-parallel training: others (Web Workers, threads) compute the
//! gradients of part of every mini-batch while the trainer does the rest.
//!
//! One step with helpers:
//! 1. the trainer hands the helpers the network as it is and the last rows
//!    of the batch ([`BatchHelpers::start`]);
//! 2. it computes the gradients of the first rows itself
//!    ([`TrainStep::part_gradients`](crate::nn::step::TrainStep::part_gradients));
//! 3. it adds the helpers' gradients to its own ([`BatchHelpers::finish`]),
//!    in the helpers' order, and the optimiser updates the weights once.
//!
//! Every part's gradient is of the mean loss over the *whole* batch, so the
//! sum is the batch's gradient, up to rounding (it is summed in a different
//! order than one product over all rows). A run with the same helpers is as
//! deterministic as one without; a run with a different number of helpers
//! differs in the last bits.

use crate::nn::step::TrainStep;
use crate::nn::Mlp;
use crate::Result;

/// What the helpers measured on their rows.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PartResult {
    /// The sum over their rows of the loss (mean loss × rows).
    pub loss_sum: f64,
    /// Their rows predicted right.
    pub correct: usize,
}

/// Computes the gradients of part of each batch elsewhere.
pub trait BatchHelpers {
    /// How many of a batch's `batch` rows to hand over (the last ones); 0
    /// trains the whole batch without them.
    fn rows_for(&self, batch: usize) -> usize;

    /// How many helpers take rows now (0 while none is ready).
    fn active(&self) -> usize;

    /// Starts computing, for `net` as it is now, the gradients of the rows
    /// `x` / `labels`, as part of a batch of `batch` rows (see
    /// [`TrainStep::part_gradients`]).
    fn start(&mut self, net: &Mlp, x: &[f32], labels: &[usize], batch: usize) -> Result<()>;

    /// Waits for the helpers and adds their gradients into `step`'s
    /// ([`TrainStep::add_to_grad`]), in a fixed order.
    fn finish(&mut self, step: &mut TrainStep) -> Result<PartResult>;
}

/// The simplest helper: the same computation, one after the other, in this
/// thread. No faster; it is what the real helpers must agree with (tests).
#[derive(Debug, Default)]
pub struct InlineHelper {
    step: TrainStep,
    job: Option<(Mlp, Vec<f32>, Vec<usize>, usize)>,
}

impl BatchHelpers for InlineHelper {
    fn rows_for(&self, batch: usize) -> usize {
        batch / 2
    }

    fn active(&self) -> usize {
        1
    }

    fn start(&mut self, net: &Mlp, x: &[f32], labels: &[usize], batch: usize) -> Result<()> {
        self.job = Some((net.clone(), x.to_vec(), labels.to_vec(), batch));
        Ok(())
    }

    fn finish(&mut self, step: &mut TrainStep) -> Result<PartResult> {
        let Some((net, x, labels, batch)) = self.job.take() else {
            return Ok(PartResult::default());
        };
        let result = self.step.part_gradients(&net, &x, &labels, batch)?;
        for (slot, theirs) in self.step.grads().enumerate() {
            step.add_to_grad(slot, theirs);
        }
        Ok(PartResult {
            loss_sum: f64::from(result.loss) * labels.len() as f64,
            correct: result.correct,
        })
    }
}
