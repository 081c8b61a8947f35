//! A network on a whole dataset: mean loss, accuracy and confusion matrix,
//! on the fast allocation-free forward pass ([`TrainStep::forward`]).

use crate::error::{CliError, CliResult};
use nnlab::data::Dataset;
use nnlab::loss;
use nnlab::metrics::ConfusionMatrix;
use nnlab::nn::step::TrainStep;
use nnlab::nn::Mlp;
use nnlab::train::Evaluation;
use nnlab::Tensor;
use std::path::Path;

/// Images per forward pass: large enough for the matrix kernels to run at
/// full speed, small enough that the activations stay a few megabytes.
const CHUNK: usize = 500;

/// `net` on every image of `data`, without changing it.
pub fn evaluate(net: &Mlp, data: &Dataset) -> CliResult<Evaluation> {
    if data.is_empty() {
        return Err(CliError::Usage("there are no images to evaluate on".into()));
    }
    let classes = net.spec.classes();
    let mut step = TrainStep::new();
    let mut confusion = ConfusionMatrix::new(classes);
    let mut loss_sum = 0.0f64;
    let mut x = vec![0.0f32; CHUNK * data.sample_len()];
    let mut labels = vec![0usize; CHUNK];
    let indices: Vec<usize> = (0..data.len()).collect();
    for chunk in indices.chunks(CHUNK) {
        let n = chunk.len();
        let (x, labels) = (&mut x[..n * data.sample_len()], &mut labels[..n]);
        data.fill_batch(chunk, x, labels)?;
        let logits = Tensor::new(&[n, classes], step.forward(net, x, n)?.to_vec());
        loss_sum += f64::from(loss::softmax_cross_entropy(&logits, labels)) * n as f64;
        for (pred, &label) in loss::predictions(&logits).into_iter().zip(labels.iter()) {
            confusion.add(pred, label);
        }
    }
    Ok(Evaluation {
        loss: (loss_sum / data.len() as f64) as f32,
        accuracy: confusion.accuracy().unwrap_or(0.0) as f32,
        samples: data.len(),
        confusion,
    })
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
