//! The lesson's race: three ways from the same images to a class, trained
//! with the same budget — the same training images, epochs, mini-batches of
//! 64, Adam with lr 0.001, softmax cross-entropy, PyTorch's initialisation
//! and seed — and tested on the same test images.
//!
//! - [`Pipeline::RawLinear`]: the 3,072 pixel values, standardised, into one
//!   dense layer (softmax regression). No features, no depth.
//! - [`Pipeline::FeaturesLinear`]: the same classifier on hand-made features
//!   ([`super::extract`]: HOG + hue histogram, 334 values, standardised) —
//!   classic feature engineering.
//! - [`Pipeline::Mlp`]: the lecture's network 3072 → 100 → 256 → 256 → 10 on
//!   the pixels / 255, as `nnlab train` runs it — end-to-end learning, which
//!   must find its own features.
//!
//! Each pipeline is [`Pipeline::prepare`]d into training and test
//! [`Samples`] and trained by the ordinary [`Trainer`](crate::train::Trainer)
//! from [`Pipeline::config`].

use super::extract::features_of;
use super::standardise::{Standardised, Standardiser};
use crate::data::{Dataset, Samples};
use crate::error::{Error, Result};
use crate::nn::MlpSpec;
use crate::train::TrainConfig;

/// One way to classify the images; see the [module](self).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pipeline {
    /// Standardised pixels → softmax regression.
    RawLinear,
    /// HOG + hue histogram, standardised → softmax regression.
    FeaturesLinear,
    /// Pixels / 255 → the lecture's MLP.
    Mlp,
}

/// A pipeline's inputs: the training and test sets as its network reads them.
pub struct Prepared<'a> {
    /// What the network is trained on.
    pub train: Box<dyn Samples + 'a>,
    /// What it is tested on, scaled with the training set's statistics.
    pub test: Box<dyn Samples + 'a>,
}

impl Pipeline {
    /// Every pipeline, in the order the lesson shows them.
    pub const ALL: [Pipeline; 3] = [Pipeline::RawLinear, Pipeline::FeaturesLinear, Pipeline::Mlp];

    /// `raw-linear`, `features-linear` or `mlp`.
    pub fn name(self) -> &'static str {
        match self {
            Pipeline::RawLinear => "raw-linear",
            Pipeline::FeaturesLinear => "features-linear",
            Pipeline::Mlp => "mlp",
        }
    }

    /// The pipeline called `name` (as [`Pipeline::name`] spells it).
    pub fn from_name(name: &str) -> Result<Pipeline> {
        Pipeline::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| Error::UnknownName {
                kind: "pipeline",
                name: name.to_string(),
                known: Pipeline::ALL.map(Pipeline::name).join(", "),
            })
    }

    /// What the network reads, in a few words.
    pub fn inputs(self) -> &'static str {
        match self {
            Pipeline::RawLinear => "pixels, standardised",
            Pipeline::FeaturesLinear => "HOG + hues, standardised",
            Pipeline::Mlp => "pixels / 255",
        }
    }

    /// The network for `inputs` values per sample and `classes` classes:
    /// one dense layer, or the lecture's 100 → 256 → 256 → classes with ReLU.
    pub fn spec(self, inputs: usize, classes: usize) -> MlpSpec {
        match self {
            Pipeline::RawLinear | Pipeline::FeaturesLinear => MlpSpec::linear(inputs, classes),
            Pipeline::Mlp => MlpSpec {
                input: inputs,
                layers: vec![100, 256, 256, classes],
                ..MlpSpec::lecture_cifar()
            },
        }
    }

    /// The shared budget ([`TrainConfig::lecture`]: Adam, lr 0.001, batch
    /// 64, the incomplete last batch dropped) with this pipeline's network
    /// for `data` (as [`Pipeline::prepare`] returned it) and `seed`.
    pub fn config(self, data: &dyn Samples, seed: u64) -> TrainConfig {
        TrainConfig {
            spec: self.spec(data.sample_len(), data.classes()),
            seed,
            ..TrainConfig::lecture()
        }
    }

    /// The training and test sets as this pipeline's network reads them.
    /// Standardising measures the training set only. `progress` hears, for
    /// the features pipeline, how many images (training then test) have
    /// their features computed.
    pub fn prepare<'a>(
        self,
        train: &'a Dataset,
        test: &'a Dataset,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Prepared<'a>> {
        check_same_kind(train, test)?;
        Ok(match self {
            Pipeline::RawLinear => {
                let standardiser = Standardiser::fit(train)?;
                Prepared {
                    train: Box::new(Standardised::new(train, standardiser.clone())?),
                    test: Box::new(Standardised::new(test, standardiser)?),
                }
            }
            Pipeline::FeaturesLinear => {
                let mut train_features = features_of(train, progress)?;
                let done = train.len();
                let mut test_features = features_of(test, &mut |n| progress(done + n))?;
                let standardiser = Standardiser::fit(&train_features)?;
                standardiser.apply_to(&mut train_features)?;
                standardiser.apply_to(&mut test_features)?;
                Prepared {
                    train: Box::new(train_features),
                    test: Box::new(test_features),
                }
            }
            Pipeline::Mlp => Prepared {
                train: Box::new(train),
                test: Box::new(test),
            },
        })
    }
}

/// Training and test images must have one shape and one set of classes.
fn check_same_kind(train: &Dataset, test: &Dataset) -> Result<()> {
    if train.shape() != test.shape() || train.classes() != test.classes() {
        return Err(Error::InvalidData(format!(
            "the training images ({:?}, {} classes) and the test images ({:?}, {} classes) differ",
            train.shape(),
            train.classes(),
            test.shape(),
            test.classes()
        )));
    }
    Ok(())
}
