//! Saving and loading a trained network as JSON.
//!
//! A model file holds the architecture ([`MlpSpec`]), optionally the
//! initialiser it started from, and every layer's weight and bias with their
//! shapes. Weights are in PyTorch's `nn.Linear` layout, `[out, in]` row-major,
//! the layout of the safetensors file ([`super::state_dict`]) the same model
//! can be written as, which frameworks load directly. A `format` tag and a
//! `version` number let a reader refuse files it does not understand instead
//! of misreading them.
//!
//! ```
//! use nnlab::init::Init;
//! use nnlab::nn::{Activation, Mlp, MlpSpec};
//!
//! let spec = MlpSpec { input: 3, layers: vec![2], activation: Activation::Relu };
//! let net = Mlp::new(spec, Init::XavierUniform, 1)?;
//! let json = net.to_json()?;
//! assert!(json.starts_with(r#"{"format":"nnlab-mlp","version":1,"#));
//! assert_eq!(Mlp::from_json(&json)?, net);
//! # Ok::<(), nnlab::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{Activation, Dense, Mlp, MlpSpec};
use crate::error::{Error, Result};
use crate::init::Init;
use crate::tensor::Tensor;

/// The `format` tag of a model file.
pub const FORMAT: &str = "nnlab-mlp";
/// The model-file version this code writes and reads.
pub const VERSION: u32 = 1;

/// A network as stored in a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedModel {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`].
    pub version: u32,
    /// The network's shape.
    pub spec: MlpSpec,
    /// How the weights were initialised before training, if known.
    #[serde(default)]
    pub init: Option<Init>,
    /// One entry per layer of `spec`, in order.
    pub layers: Vec<SavedLayer>,
}

/// One dense layer's parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedLayer {
    /// Shape `[out, in]`.
    pub weight: SavedTensor,
    /// Shape `[out]`.
    pub bias: SavedTensor,
}

/// A shape and its row-major values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedTensor {
    /// The dimensions, e.g. `[out, in]`.
    pub shape: Vec<usize>,
    /// The values, row-major.
    pub data: Vec<f32>,
}

/// Just the fields that say what kind of file this is, read first so that a
/// file of another kind or version gets that message rather than a complaint
/// about some field deep inside.
#[derive(Deserialize)]
struct Header {
    format: String,
    version: u64,
}

impl SavedModel {
    /// The file's text. Errors if a weight is NaN or infinite (JSON has no
    /// such numbers, and a diverged network is not worth keeping).
    pub fn to_json(&self) -> Result<String> {
        self.check_finite()?;
        serde_json::to_string(self)
            .map_err(|e| Error::InvalidData(format!("cannot write the model: {e}")))
    }

    /// Errors on the first NaN or infinite weight or bias: no file format
    /// keeps a diverged network (JSON has no such numbers).
    pub fn check_finite(&self) -> Result<()> {
        for (l, layer) in self.layers.iter().enumerate() {
            check_finite(&layer.weight, "weight", l)?;
            check_finite(&layer.bias, "bias", l)?;
        }
        Ok(())
    }

    /// Parse a model file. Checks the format tag and version, then the
    /// structure; [`Mlp::from_saved`] checks the numbers.
    pub fn from_json(text: &str) -> Result<SavedModel> {
        // Editors on Windows may start a UTF-8 file with a byte-order mark; JSON has none.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let header: Header = serde_json::from_str(text).map_err(|e| {
            Error::InvalidData(if e.is_data() {
                format!("not an nnlab model file ({e})")
            } else {
                format!("the model file is not valid JSON: {e}")
            })
        })?;
        check_header(&header.format, header.version)?;
        serde_json::from_str(text)
            .map_err(|e| Error::InvalidData(format!("the model file is malformed: {e}")))
    }
}

impl Mlp {
    /// The network as a [`SavedModel`] (with no initialiser recorded).
    pub fn to_saved(&self) -> SavedModel {
        let saved = |t: &Tensor| SavedTensor {
            shape: t.shape().to_vec(),
            data: t.data().to_vec(),
        };
        SavedModel {
            format: FORMAT.into(),
            version: VERSION,
            spec: self.spec.clone(),
            init: None,
            layers: self
                .layers
                .iter()
                .map(|layer| SavedLayer {
                    weight: saved(&layer.weight),
                    bias: saved(&layer.bias),
                })
                .collect(),
        }
    }

    /// The network a [`SavedModel`] describes. Errors if the format or
    /// version is not this one, the spec is invalid, the layers do not match
    /// it, a tensor's data does not fill its shape, or a value is NaN or ∞.
    pub fn from_saved(saved: SavedModel) -> Result<Mlp> {
        check_header(&saved.format, u64::from(saved.version))?;
        saved.spec.validate()?;
        if saved.layers.len() != saved.spec.layers.len() {
            return Err(Error::InvalidData(format!(
                "the model's spec has {} layers but the file stores {}",
                saved.spec.layers.len(),
                saved.layers.len()
            )));
        }
        let last = saved.layers.len() - 1;
        let sizes: Vec<(usize, usize)> = saved.spec.layer_sizes().collect();
        let layers = saved
            .layers
            .into_iter()
            .zip(sizes)
            .enumerate()
            .map(|(l, (layer, (inputs, outputs)))| {
                let activation = if l == last {
                    Activation::Identity
                } else {
                    saved.spec.activation
                };
                Ok(Dense {
                    weight: tensor(layer.weight, &[outputs, inputs], "weight", l)?,
                    bias: tensor(layer.bias, &[outputs], "bias", l)?,
                    activation,
                })
            })
            .collect::<Result<Vec<Dense>>>()?;
        Ok(Mlp {
            spec: saved.spec,
            layers,
        })
    }

    /// Shortcut for [`Mlp::to_saved`] then [`SavedModel::to_json`].
    pub fn to_json(&self) -> Result<String> {
        self.to_saved().to_json()
    }

    /// Shortcut for [`SavedModel::from_json`] then [`Mlp::from_saved`].
    pub fn from_json(text: &str) -> Result<Mlp> {
        Mlp::from_saved(SavedModel::from_json(text)?)
    }
}

fn check_header(format: &str, version: u64) -> Result<()> {
    if format != FORMAT {
        return Err(Error::InvalidData(format!(
            "not an nnlab model file: format is '{format}', expected '{FORMAT}'"
        )));
    }
    if version != u64::from(VERSION) {
        return Err(Error::InvalidData(format!(
            "model file version {version} is not supported; this nnlab reads version {VERSION}"
        )));
    }
    Ok(())
}

/// A stored tensor checked against the shape layer `l` needs.
fn tensor(saved: SavedTensor, expected: &[usize], what: &str, l: usize) -> Result<Tensor> {
    if saved.shape != expected {
        return Err(Error::InvalidData(format!(
            "layer {l} {what} has shape {:?}, the spec needs {expected:?}",
            saved.shape
        )));
    }
    let needed: usize = expected.iter().product();
    if saved.data.len() != needed {
        return Err(Error::InvalidData(format!(
            "layer {l} {what} of shape {expected:?} needs {needed} values, the file has {}",
            saved.data.len()
        )));
    }
    check_finite(&saved, what, l)?;
    Ok(Tensor::new(expected, saved.data))
}

fn check_finite(t: &SavedTensor, what: &str, l: usize) -> Result<()> {
    match t.data.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::InvalidData(format!(
            "layer {l} {what} value {i} is {}; a model's weights must be finite numbers",
            t.data[i]
        ))),
        None => Ok(()),
    }
}
