//! A network on a dataset: mean loss, accuracy and confusion matrix, on the
//! fast forward pass ([`TrainStep::forward`]) with buffers made once and
//! reused, so evaluating the test set again during training allocates
//! nothing but the confusion matrix it returns.

use serde::{Deserialize, Serialize};

use crate::data::Samples;
use crate::error::{Error, Result};
use crate::kernels::fused::argmax;
use crate::loss::{cross_entropy_term, log_sum_exp_parts};
use crate::metrics::ConfusionMatrix;
use crate::nn::step::TrainStep;
use crate::nn::Mlp;

/// Loss, accuracy and confusion matrix of the network on a dataset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Mean softmax cross-entropy per sample.
    pub loss: f32,
    /// Fraction classified right, in [0, 1].
    pub accuracy: f32,
    /// Number of samples evaluated.
    pub samples: usize,
    /// Which classes were mistaken for which.
    pub confusion: ConfusionMatrix,
}

/// Images per forward pass: large enough for the matrix kernels to run at
/// full speed, small enough that the activations stay a few megabytes (the
/// lecture's network: 256 × 3072 input floats, 3 MB).
const EVAL_CHUNK: usize = 256;

/// The buffers of an evaluation: the forward pass, one chunk of images as
/// floats and their labels. Kept between calls (a [`Trainer`](super::Trainer)
/// evaluates the test set every few hundred steps).
#[derive(Debug, Default)]
pub struct Evaluator {
    step: TrainStep,
    x: Vec<f32>,
    labels: Vec<usize>,
    indices: Vec<usize>,
}

impl Evaluator {
    /// Empty buffers, sized on first use.
    pub fn new() -> Evaluator {
        Evaluator::default()
    }

    /// `net` on the first `limit` samples of `data` (all of them if it has
    /// fewer), without changing it. Errors if there is nothing to evaluate
    /// or the images do not fit the network's input.
    pub fn evaluate(&mut self, net: &Mlp, data: &dyn Samples, limit: usize) -> Result<Evaluation> {
        let samples = limit.min(data.len());
        if samples == 0 {
            return Err(Error::InvalidData("there is nothing to evaluate on".into()));
        }
        let classes = net.spec.classes();
        let width = data.sample_len();
        let mut confusion = ConfusionMatrix::new(classes);
        let mut loss_sum = 0.0f64;
        for start in (0..samples).step_by(EVAL_CHUNK) {
            let n = EVAL_CHUNK.min(samples - start);
            self.indices.clear();
            self.indices.extend(start..start + n);
            self.x.resize(n * width, 0.0);
            self.labels.resize(n, 0);
            data.fill_batch(&self.indices, &mut self.x, &mut self.labels)?;
            let logits = self.step.forward(net, &self.x, n)?;
            for (row, &label) in logits.chunks_exact(classes).zip(&self.labels) {
                if label >= classes {
                    return Err(Error::OutOfRange {
                        what: "label",
                        detail: format!("{label} but the network has {classes} outputs"),
                    });
                }
                // −log softmax(z)[label], as in `loss`.
                loss_sum += f64::from(cross_entropy_term(row, label, log_sum_exp_parts(row)));
                confusion.add(argmax(row), label);
            }
        }
        Ok(Evaluation {
            loss: (loss_sum / samples as f64) as f32,
            accuracy: confusion.accuracy().unwrap_or(0.0) as f32,
            samples,
            confusion,
        })
    }
}

/// `net` on the first `limit` samples of `data`: [`Evaluator::evaluate`]
/// with fresh buffers, for a one-off evaluation (e.g. of a saved model).
pub fn evaluate(net: &Mlp, data: &dyn Samples, limit: usize) -> Result<Evaluation> {
    Evaluator::new().evaluate(net, data, limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Dataset, ImageShape};
    use crate::nn::{Activation, Dense, MlpSpec};
    use crate::tensor::Tensor;

    /// One layer, 2 inputs → 2 classes, identity weights and zero bias: the
    /// logits are the pixel values / 255.
    fn identity_net() -> Mlp {
        let spec = MlpSpec {
            input: 2,
            layers: vec![2],
            activation: Activation::Relu,
        };
        Mlp {
            spec,
            layers: vec![Dense {
                weight: Tensor::new(&[2, 2], vec![1.0, 0.0, 0.0, 1.0]),
                bias: Tensor::zeros(&[2]),
                activation: Activation::Identity,
            }],
        }
    }

    fn data(pixels: Vec<u8>, labels: Vec<u8>) -> Dataset {
        let shape = ImageShape {
            channels: 1,
            height: 1,
            width: 2,
        };
        Dataset::new(pixels, labels, shape, vec!["a".into(), "b".into()]).unwrap()
    }

    #[test]
    fn loss_accuracy_and_confusion_by_hand() {
        // Images (255, 0) and (0, 255) give logits (1, 0) and (0, 1).
        // Labels 0 and 0: the first is right, the second predicted 1.
        // Loss of a row whose label logit is 1 (other 0): ln(e + 1) − 1 = 0.313262;
        // whose label logit is 0 (other 1): ln(e + 1) = 1.313262. Mean 0.813262.
        let d = data(vec![255, 0, 0, 255], vec![0, 0]);
        let e = evaluate(&identity_net(), &d, usize::MAX).unwrap();
        assert_eq!(e.samples, 2);
        assert!((e.loss - 0.813_262).abs() < 1e-5, "loss {}", e.loss);
        assert_eq!(e.accuracy, 0.5);
        assert_eq!(e.confusion.count(0, 0), 1);
        assert_eq!(e.confusion.count(0, 1), 1);
        assert_eq!(e.confusion.total(), 2);
    }

    #[test]
    fn limit_and_chunks() {
        // 600 images (three chunks of at most 256), alternating (255, 0) label 0
        // and (0, 255) label 1: every one is classified right, each with loss
        // ln(e + 1) − 1 = 0.313262.
        let pixels = (0..600)
            .flat_map(|i| if i % 2 == 0 { [255, 0] } else { [0, 255] })
            .collect();
        let labels = (0..600).map(|i| (i % 2) as u8).collect();
        let d = data(pixels, labels);
        let mut evaluator = Evaluator::new();
        let all = evaluator.evaluate(&identity_net(), &d, usize::MAX).unwrap();
        assert_eq!((all.samples, all.accuracy), (600, 1.0));
        assert!((all.loss - 0.313_262).abs() < 1e-5, "loss {}", all.loss);
        // The first 3: labels 0, 1, 0.
        let some = evaluator.evaluate(&identity_net(), &d, 3).unwrap();
        assert_eq!(some.samples, 3);
        assert_eq!(
            (some.confusion.count(0, 0), some.confusion.count(1, 1)),
            (2, 1)
        );
        assert!(evaluator.evaluate(&identity_net(), &d, 0).is_err());
    }

    #[test]
    fn images_that_do_not_fit_are_an_error() {
        let shape = ImageShape {
            channels: 1,
            height: 1,
            width: 3,
        };
        let d = Dataset::new(vec![1, 2, 3], vec![0], shape, vec!["a".into(), "b".into()]).unwrap();
        assert!(evaluate(&identity_net(), &d, 1).is_err());
    }
}
