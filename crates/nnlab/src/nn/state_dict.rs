//! Saving and loading a network as a PyTorch `state_dict` in a
//! [safetensors](https://huggingface.co/docs/safetensors) file.
//!
//! Why this format besides nnlab's JSON ([`super::saved`]): PyTorch, Paddle
//! and NumPy all read safetensors in one line, so a network trained in the
//! page leaves it as a file the frameworks load directly. The tensors are
//! named as the `state_dict` of
//!
//! ```text
//! nn.Sequential(nn.Linear(3072, 100), nn.ReLU(), nn.Linear(100, 256), nn.ReLU(), …, nn.Linear(256, 10))
//! ```
//!
//! that is `0.weight` `[100, 3072]`, `0.bias` `[100]`, `2.weight`, … (the
//! activations are the odd modules and hold no tensors); weights are
//! `[out, in]` float32 as `nn.Linear` keeps them. The header's
//! `__metadata__` says what the tensors alone cannot: the layer widths, the
//! activation, and the input convention ([`INPUT_CONVENTION`]).
//!
//! ```
//! use nnlab::init::Init;
//! use nnlab::nn::{Activation, Mlp, MlpSpec};
//!
//! let spec = MlpSpec { input: 3, layers: vec![4, 2], activation: Activation::Relu };
//! let net = Mlp::new(spec, Init::XavierUniform, 1)?;
//! let bytes = net.to_safetensors()?;
//! assert_eq!(Mlp::from_safetensors(&bytes)?, net);
//! # Ok::<(), nnlab::Error>(())
//! ```

use std::collections::{BTreeMap, HashMap};

use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

use super::saved::{SavedLayer, SavedModel, SavedTensor, FORMAT, VERSION};
use super::{Activation, Mlp, MlpSpec};
use crate::error::{Error, Result};
use crate::init::Init;

/// How a network's input is made from a CIFAR-10 record, as written into
/// every file: frameworks see only numbers, so the file says which.
pub const INPUT_CONVENTION: &str = "x = byte / 255 for each of a CIFAR-10 record's 3072 pixel \
bytes in file order: the R plane, then G, then B, each 32x32 row by row (as torchvision's \
ToTensor().flatten() of the image)";

/// The `state_dict` name of layer `l`'s `what` ("weight" or "bias"): the
/// dense layers are the even modules of the `nn.Sequential`.
pub fn tensor_name(l: usize, what: &str) -> String {
    format!("{}.{what}", 2 * l)
}

/// True if `bytes` look like a safetensors file (an 8-byte little-endian
/// header length, then a JSON header) rather than a JSON model file. Text
/// never looks like one: its first eight bytes read as a length beyond 2⁵⁶,
/// far over safetensors' 100 MB header limit. A file cut short still counts,
/// so the safetensors reader says what is missing.
pub fn is_safetensors(bytes: &[u8]) -> bool {
    bytes.len() >= 9 && bytes[8] == b'{' && {
        let n = u64::from_le_bytes(bytes[..8].try_into().unwrap_or_default());
        (2..=100_000_000).contains(&n)
    }
}

impl SavedModel {
    /// The file's bytes: every tensor as float32 little-endian, the spec,
    /// the initialiser and [`INPUT_CONVENTION`] in `__metadata__`. Errors on
    /// a NaN or infinite weight, like [`SavedModel::to_json`].
    pub fn to_safetensors(&self) -> Result<Vec<u8>> {
        // The same checks as the JSON file: a file of either format is one the other could hold.
        self.check_finite()?;
        let mut tensors = Vec::with_capacity(2 * self.layers.len());
        for (l, layer) in self.layers.iter().enumerate() {
            tensors.push((tensor_name(l, "weight"), f32_view(&layer.weight)?));
            tensors.push((tensor_name(l, "bias"), f32_view(&layer.bias)?));
        }
        let mut widths = vec![self.spec.input];
        widths.extend(&self.spec.layers);
        let mut metadata = HashMap::from([
            ("format".to_string(), FORMAT.to_string()),
            ("version".to_string(), VERSION.to_string()),
            ("widths".to_string(), json(&widths)?),
            (
                "activation".to_string(),
                self.spec.activation.name().to_string(),
            ),
            ("input".to_string(), INPUT_CONVENTION.to_string()),
            (
                "layout".to_string(),
                "torch.nn.Sequential of Linear layers (even indices) and activations (odd); \
                 weights [out, in]"
                    .to_string(),
            ),
        ]);
        if let Some(init) = &self.init {
            metadata.insert("init".to_string(), json(init)?);
        }
        let bytes = safetensors::serialize(
            tensors.iter().map(|(name, view)| (name.as_str(), view)),
            Some(metadata),
        )
        .map_err(|e| Error::InvalidData(format!("cannot write the safetensors file: {e}")))?;
        sorted_header(bytes)
    }

    /// Read a safetensors file written by nnlab, or by PyTorch's
    /// `safetensors.torch.save_file(model.state_dict(), path,
    /// metadata={"activation": "relu"})` for an `nn.Sequential` of Linear
    /// layers and activations. The widths come from the tensors' shapes; the
    /// activation must be in the metadata (the tensors cannot tell ReLU from
    /// tanh). float32 and float64 tensors are read; [`Mlp::from_saved`]
    /// checks the numbers.
    pub fn from_safetensors(bytes: &[u8]) -> Result<SavedModel> {
        let file = SafeTensors::deserialize(bytes)
            .map_err(|e| Error::InvalidData(format!("not a readable safetensors file: {e}")))?;
        let (_, header) = SafeTensors::read_metadata(bytes)
            .map_err(|e| Error::InvalidData(format!("not a readable safetensors file: {e}")))?;
        let metadata = header.metadata().clone().unwrap_or_default();
        if let Some(format) = metadata.get("format") {
            if format != FORMAT {
                return Err(Error::InvalidData(format!(
                    "this safetensors file says it holds '{format}', not an nnlab network ('{FORMAT}')"
                )));
            }
        }
        if let Some(version) = metadata.get("version") {
            if version != &VERSION.to_string() {
                return Err(Error::InvalidData(format!(
                    "model file version {version} is not supported; this nnlab reads version {VERSION}"
                )));
            }
        }
        let activation = match metadata.get("activation") {
            Some(name) => Activation::from_name(name)?,
            None => {
                return Err(Error::InvalidData(
                    "the safetensors file does not say which activation follows each layer: \
                     save it with metadata={\"activation\": \"relu\"} (or sigmoid, tanh, identity)"
                        .into(),
                ))
            }
        };
        let layers = layers_of(&file)?;
        let input = layers[0].weight.shape[1];
        let spec = MlpSpec {
            input,
            layers: layers.iter().map(|layer| layer.weight.shape[0]).collect(),
            activation,
        };
        if let Some(widths) = metadata.get("widths") {
            let mut expected = vec![spec.input];
            expected.extend(&spec.layers);
            if widths.replace(' ', "") != json(&expected)? {
                return Err(Error::InvalidData(format!(
                    "the file's metadata gives the widths {widths}, but its tensors have {expected:?}"
                )));
            }
        }
        let init: Option<Init> = match metadata.get("init") {
            Some(text) => Some(serde_json::from_str(text).map_err(|e| {
                Error::InvalidData(format!("the file's 'init' metadata is malformed: {e}"))
            })?),
            None => None,
        };
        Ok(SavedModel {
            format: FORMAT.into(),
            version: VERSION,
            spec,
            init,
            layers,
        })
    }
}

impl Mlp {
    /// Shortcut for [`Mlp::to_saved`] then [`SavedModel::to_safetensors`].
    pub fn to_safetensors(&self) -> Result<Vec<u8>> {
        self.to_saved().to_safetensors()
    }

    /// Shortcut for [`SavedModel::from_safetensors`] then [`Mlp::from_saved`].
    pub fn from_safetensors(bytes: &[u8]) -> Result<Mlp> {
        Mlp::from_saved(SavedModel::from_safetensors(bytes)?)
    }

    /// A model file of either format, told apart by its first bytes
    /// ([`is_safetensors`]), so a renamed file still loads.
    pub fn from_model_file(bytes: &[u8]) -> Result<Mlp> {
        if is_safetensors(bytes) {
            return Mlp::from_safetensors(bytes);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| {
            Error::InvalidData(
                "not a model file: neither nnlab's JSON nor safetensors (it is not text, and \
                 its header is not a safetensors header)"
                    .into(),
            )
        })?;
        Mlp::from_json(text)
    }
}

/// The layers `0.weight`, `0.bias`, `2.weight`, … in order, each checked for
/// a shape that chains onto the one before; any other tensor is an error.
fn layers_of(file: &SafeTensors) -> Result<Vec<SavedLayer>> {
    let mut layers = Vec::new();
    while let Ok(weight) = file.tensor(&tensor_name(layers.len(), "weight")) {
        let l = layers.len();
        let weight = saved_tensor(&weight, l, "weight")?;
        let bias = file.tensor(&tensor_name(l, "bias")).map_err(|_| {
            Error::InvalidData(format!(
                "the file has {} but no {}",
                tensor_name(l, "weight"),
                tensor_name(l, "bias")
            ))
        })?;
        let bias = saved_tensor(&bias, l, "bias")?;
        if weight.shape.len() != 2 || bias.shape != [weight.shape[0]] {
            return Err(Error::InvalidData(format!(
                "layer {l}: weight {:?} and bias {:?} are not a Linear layer's [out, in] and [out]",
                weight.shape, bias.shape
            )));
        }
        if let Some(before) = layers.last() {
            let before: &SavedLayer = before;
            if weight.shape[1] != before.weight.shape[0] {
                return Err(Error::InvalidData(format!(
                    "layer {l} takes {} inputs, but layer {} gives {} outputs",
                    weight.shape[1],
                    l - 1,
                    before.weight.shape[0]
                )));
            }
        }
        layers.push(SavedLayer { weight, bias });
    }
    if layers.is_empty() {
        return Err(Error::InvalidData(format!(
            "the safetensors file holds no {} (its tensors: {}); nnlab reads the state_dict of an \
             nn.Sequential of Linear layers and activations",
            tensor_name(0, "weight"),
            names_of(file)
        )));
    }
    let expected = 2 * layers.len();
    if file.len() != expected {
        return Err(Error::InvalidData(format!(
            "the safetensors file holds tensors nnlab does not know ({}); it reads only \
             0.weight, 0.bias, 2.weight, … of an nn.Sequential of Linear layers and activations",
            names_of(file)
        )));
    }
    Ok(layers)
}

fn names_of(file: &SafeTensors) -> String {
    let mut names = file.names();
    names.sort();
    names.join(", ")
}

/// One stored tensor as float32 values (float64 is narrowed).
fn saved_tensor(view: &TensorView, l: usize, what: &str) -> Result<SavedTensor> {
    let data: Vec<f32> = match view.dtype() {
        Dtype::F32 => view
            .data()
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect(),
        Dtype::F64 => view
            .data()
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().unwrap_or_default()) as f32)
            .collect(),
        other => {
            return Err(Error::InvalidData(format!(
            "layer {l} {what} is stored as {other}; nnlab reads float32 (F32) or float64 (F64): \
                 convert with model.float() before saving"
        )))
        }
    };
    Ok(SavedTensor {
        shape: view.shape().to_vec(),
        data,
    })
}

/// `t` as float32 little-endian bytes for the writer.
fn f32_view(t: &SavedTensor) -> Result<OwnedView> {
    let needed: usize = t.shape.iter().product();
    if t.data.len() != needed {
        return Err(Error::InvalidData(format!(
            "a tensor of shape {:?} needs {needed} values, it has {}",
            t.shape,
            t.data.len()
        )));
    }
    Ok(OwnedView {
        shape: t.shape.clone(),
        bytes: t.data.iter().flat_map(|v| v.to_le_bytes()).collect(),
    })
}

/// A tensor's bytes and shape, as the safetensors writer takes them.
struct OwnedView {
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

impl safetensors::View for &OwnedView {
    fn dtype(&self) -> Dtype {
        Dtype::F32
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> std::borrow::Cow<'_, [u8]> {
        std::borrow::Cow::Borrowed(&self.bytes)
    }
    fn data_len(&self) -> usize {
        self.bytes.len()
    }
}

/// The same file with its header's keys in sorted order. The writer takes
/// the metadata as a `HashMap`, whose order changes from run to run; sorted,
/// the same network always gives the same bytes (files can be compared and
/// checksummed). The tensors' offsets are in the data section and stay valid.
fn sorted_header(bytes: Vec<u8>) -> Result<Vec<u8>> {
    let bad = |e: &dyn std::fmt::Display| {
        Error::InvalidData(format!("cannot write the safetensors file: {e}"))
    };
    let n = u64::from_le_bytes(bytes[..8].try_into().map_err(|e| bad(&e))?) as usize;
    let header: BTreeMap<String, serde_json::Value> =
        serde_json::from_slice(&bytes[8..8 + n]).map_err(|e| bad(&e))?;
    let header: BTreeMap<String, serde_json::Value> = header
        .into_iter()
        .map(|(key, value)| {
            // Through a BTreeMap, so the metadata is sorted even if serde_json keeps insertion order.
            let value = match serde_json::from_value::<BTreeMap<String, String>>(value.clone()) {
                Ok(sorted) if key == "__metadata__" => {
                    serde_json::to_value(sorted).unwrap_or(value)
                }
                _ => value,
            };
            (key, value)
        })
        .collect();
    let mut text = serde_json::to_vec(&header).map_err(|e| bad(&e))?;
    // The data section starts 8-byte aligned, as the writer made it: pad with spaces.
    text.resize(text.len().next_multiple_of(8), b' ');
    let mut out = Vec::with_capacity(8 + text.len() + bytes.len() - 8 - n);
    out.extend((text.len() as u64).to_le_bytes());
    out.extend(text);
    out.extend(&bytes[8 + n..]);
    Ok(out)
}

fn json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::InvalidData(format!("cannot write: {e}")))
}
