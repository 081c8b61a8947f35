//! A network on a whole dataset: mean loss, accuracy and confusion matrix
//! (the core's [`nnlab::train::evaluate`], on the fast forward pass), and the
//! check that a model file fits the data.

use crate::error::{CliError, CliResult};
use nnlab::data::{Dataset, Samples};
use nnlab::nn::Mlp;
use nnlab::train::Evaluation;
use std::path::Path;

/// `net` on every sample of `data` (images, or features computed from
/// them), without changing it.
pub fn evaluate(net: &Mlp, data: &dyn Samples) -> CliResult<Evaluation> {
    if data.is_empty() {
        return Err(CliError::Usage("there are no images to evaluate on".into()));
    }
    let result = nnlab::train::evaluate(net, data, data.len())?;
    if !result.loss.is_finite() {
        // NaN or ∞ is no result: say why instead of printing it.
        return Err(CliError::Usage(format!(
            "the network's loss on these images is {}: its outputs are not finite numbers \
             (weights far too large, or not numbers at all, as after a diverged run)",
            result.loss
        )));
    }
    Ok(result)
}

/// The model read from `path` must take `data`'s images and output one
/// logit per class.
pub fn check_fits(net: &Mlp, data: &Dataset, path: &Path) -> CliResult<()> {
    let spec = &net.spec;
    if spec.input != data.sample_len() || spec.classes() != data.classes() {
        return Err(CliError::Usage(format!(
            "the model in {} maps {} inputs to {} classes, but the data has {} values per image and {} classes",
            path.display(),
            spec.input,
            spec.classes(),
            data.sample_len(),
            data.classes()
        )));
    }
    Ok(())
}
