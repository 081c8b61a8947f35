//! Networks as safetensors files: PyTorch's names and layout, exact round
//! trips with the JSON file, files written by other tools, clear refusals.

use std::borrow::Cow;
use std::collections::HashMap;

use nnlab::init::Init;
use nnlab::nn::saved::SavedModel;
use nnlab::nn::state_dict::{is_safetensors, INPUT_CONVENTION};
use nnlab::nn::{Activation, Mlp, MlpSpec};
use nnlab::Tensor;
use proptest::prelude::*;
use safetensors::{Dtype, SafeTensors, View};

mod common;
use common::small;

/// A tensor as another tool would write it.
struct Raw {
    dtype: Dtype,
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

impl Raw {
    fn f32(shape: &[usize], values: &[f32]) -> Raw {
        Raw {
            dtype: Dtype::F32,
            shape: shape.to_vec(),
            bytes: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        }
    }
    fn f64(shape: &[usize], values: &[f64]) -> Raw {
        Raw {
            dtype: Dtype::F64,
            shape: shape.to_vec(),
            bytes: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        }
    }
}

impl View for &Raw {
    fn dtype(&self) -> Dtype {
        self.dtype
    }
    fn shape(&self) -> &[usize] {
        &self.shape
    }
    fn data(&self) -> Cow<'_, [u8]> {
        Cow::Borrowed(&self.bytes)
    }
    fn data_len(&self) -> usize {
        self.bytes.len()
    }
}

fn file(tensors: &[(&str, Raw)], metadata: &[(&str, &str)]) -> Vec<u8> {
    let metadata: HashMap<String, String> = metadata
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    safetensors::serialize(
        tensors.iter().map(|(name, raw)| (*name, raw)),
        (!metadata.is_empty()).then_some(metadata),
    )
    .unwrap()
}

fn error_of(bytes: &[u8]) -> String {
    Mlp::from_safetensors(bytes).unwrap_err().to_string()
}

#[test]
fn names_shapes_and_metadata_are_pytorchs() {
    let net = small();
    let bytes = net.to_safetensors().unwrap();
    assert!(is_safetensors(&bytes));
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut names = file.names();
    names.sort();
    // nn.Sequential(Linear(3, 4), Tanh(), Linear(4, 2)): Linear layers are modules 0 and 2.
    assert_eq!(names, ["0.bias", "0.weight", "2.bias", "2.weight"]);
    let w0 = file.tensor("0.weight").unwrap();
    assert_eq!((w0.dtype(), w0.shape()), (Dtype::F32, &[4, 3][..]));
    assert_eq!(file.tensor("2.weight").unwrap().shape(), &[2, 4]);
    assert_eq!(file.tensor("2.bias").unwrap().shape(), &[2]);
    // The first weight's first value, little-endian float32, as in the network.
    let first = f32::from_le_bytes(w0.data()[..4].try_into().unwrap());
    assert_eq!(first, net.layers[0].weight.data()[0]);

    let (_, header) = SafeTensors::read_metadata(&bytes).unwrap();
    let meta = header.metadata().clone().unwrap();
    assert_eq!(meta["format"], "nnlab-mlp");
    assert_eq!(meta["version"], "1");
    assert_eq!(meta["widths"], "[3,4,2]");
    assert_eq!(meta["activation"], "tanh");
    assert_eq!(meta["input"], INPUT_CONVENTION);
    assert!(INPUT_CONVENTION.starts_with("x = byte / 255"));
    assert!(!meta.contains_key("init"));
}

#[test]
fn round_trip_is_exact() {
    let net = small();
    let back = Mlp::from_safetensors(&net.to_safetensors().unwrap()).unwrap();
    assert_eq!(back, net);
    let x = Tensor::new(&[1, 3], vec![0.1, -0.7, 2.0]);
    assert_eq!(back.logits(&x), net.logits(&x));
}

#[test]
fn json_and_safetensors_hold_the_same_model() {
    // JSON → safetensors → JSON gives the same text, the initialiser included.
    let mut saved = small().to_saved();
    saved.init = Some(Init::SmallNormal { std: 0.01 });
    let json = saved.to_json().unwrap();
    let via = SavedModel::from_safetensors(&saved.to_safetensors().unwrap()).unwrap();
    assert_eq!(via, saved);
    assert_eq!(via.to_json().unwrap(), json);
    // And either file loads through the one entry point.
    let net = Mlp::from_saved(saved.clone()).unwrap();
    assert_eq!(Mlp::from_model_file(json.as_bytes()).unwrap(), net);
    assert_eq!(
        Mlp::from_model_file(&saved.to_safetensors().unwrap()).unwrap(),
        net
    );
}

#[test]
fn the_lecture_network_is_a_1_6_mb_file() {
    let net = Mlp::new(MlpSpec::lecture_cifar(), Init::PyTorchDefault, 0).unwrap();
    let bytes = net.to_safetensors().unwrap();
    // 401,518 float32 values and a header under 1 KB.
    assert!(bytes.len() > 401_518 * 4 && bytes.len() < 401_518 * 4 + 1024);
    let file = SafeTensors::deserialize(&bytes).unwrap();
    assert_eq!(file.tensor("0.weight").unwrap().shape(), &[100, 3072]);
    assert_eq!(file.tensor("6.weight").unwrap().shape(), &[10, 256]);
}

#[test]
fn a_file_written_by_pytorch() {
    // torch: save_file(nn.Sequential(nn.Linear(2, 1)).double().state_dict(), p,
    // metadata={"activation": "relu"}): float64, no widths. Weight [[0.5, −2]], bias [0.25].
    let bytes = file(
        &[
            ("0.weight", Raw::f64(&[1, 2], &[0.5, -2.0])),
            ("0.bias", Raw::f64(&[1], &[0.25])),
        ],
        &[("activation", "relu")],
    );
    let net = Mlp::from_safetensors(&bytes).unwrap();
    assert_eq!(net.spec.input, 2);
    assert_eq!(net.spec.layers, vec![1]);
    // Output layer, no activation: 0.5·2 − 2·0.25 + 0.25 = 0.75.
    let logits = net.logits(&Tensor::new(&[1, 2], vec![2.0, 0.25]));
    assert_eq!(logits.data(), &[0.75]);
}

#[test]
fn refusals_say_what_is_wrong() {
    let w = || Raw::f32(&[1, 2], &[0.5, -2.0]);
    let b = || Raw::f32(&[1], &[0.25]);
    let relu = [("activation", "relu")];

    let no_activation = file(&[("0.weight", w()), ("0.bias", b())], &[]);
    assert!(error_of(&no_activation).contains("metadata={\"activation\": \"relu\"}"));

    let other_names = file(&[("fc.weight", w()), ("fc.bias", b())], &relu);
    assert_eq!(
        error_of(&other_names),
        "invalid data: the safetensors file holds no 0.weight (its tensors: fc.bias, fc.weight); \
         nnlab reads the state_dict of an nn.Sequential of Linear layers and activations"
    );

    let extra = file(
        &[("0.weight", w()), ("0.bias", b()), ("optimizer.step", b())],
        &relu,
    );
    assert!(
        error_of(&extra).contains("tensors nnlab does not know (0.bias, 0.weight, optimizer.step)")
    );

    let no_bias = file(&[("0.weight", w())], &relu);
    assert_eq!(
        error_of(&no_bias),
        "invalid data: the file has 0.weight but no 0.bias"
    );

    // Layer 1 wants 3 inputs but layer 0 gives 1.
    let broken_chain = file(
        &[
            ("0.weight", w()),
            ("0.bias", b()),
            ("2.weight", Raw::f32(&[1, 3], &[1.0, 2.0, 3.0])),
            ("2.bias", b()),
        ],
        &relu,
    );
    assert_eq!(
        error_of(&broken_chain),
        "invalid data: layer 1 takes 3 inputs, but layer 0 gives 1 outputs"
    );

    let half = Raw {
        dtype: Dtype::F16,
        shape: vec![1, 2],
        bytes: vec![0; 4],
    };
    let half = file(&[("0.weight", half), ("0.bias", b())], &relu);
    assert!(error_of(&half).contains("layer 0 weight is stored as F16"));

    let nan = file(
        &[
            ("0.weight", Raw::f32(&[1, 2], &[f32::NAN, 1.0])),
            ("0.bias", b()),
        ],
        &relu,
    );
    assert!(error_of(&nan).contains("layer 0 weight value 0 is NaN"));

    let tanh_said_sigmoid = file(
        &[("0.weight", w()), ("0.bias", b())],
        &[("activation", "relu"), ("widths", "[2,5]")],
    );
    assert_eq!(
        error_of(&tanh_said_sigmoid),
        "invalid data: the file's metadata gives the widths [2,5], but its tensors have [2, 1]"
    );

    let other_kind = file(
        &[("0.weight", w()), ("0.bias", b())],
        &[("activation", "relu"), ("format", "pt")],
    );
    assert!(error_of(&other_kind).contains("holds 'pt', not an nnlab network"));

    let good = small().to_safetensors().unwrap();
    assert!(error_of(&good[..good.len() - 3])
        .starts_with("invalid data: not a readable safetensors file"));
}

#[test]
fn neither_format_is_named_for_what_it_is() {
    let e = Mlp::from_model_file(&[0xff, 0xfe, 0, 1, 2, 3, 4, 5, 6, 7, 8]).unwrap_err();
    assert!(e
        .to_string()
        .contains("neither nnlab's JSON nor safetensors"));
    // Text that is not a model goes to the JSON reader and says so.
    let e = Mlp::from_model_file(b"hello").unwrap_err();
    assert!(e.to_string().contains("not valid JSON"), "{e}");
}

proptest! {
    /// Any small network survives safetensors → JSON → safetensors unchanged.
    #[test]
    fn any_network_round_trips(
        widths in proptest::collection::vec(1usize..6, 1..4),
        input in 1usize..6,
        seed in 0u64..1000,
        activation in proptest::sample::select(Activation::ALL.to_vec()),
    ) {
        let spec = MlpSpec { input, layers: widths, activation };
        let net = Mlp::new(spec, Init::HeNormal, seed).unwrap();
        let bytes = net.to_safetensors().unwrap();
        let via_json = Mlp::from_json(&Mlp::from_safetensors(&bytes).unwrap().to_json().unwrap()).unwrap();
        prop_assert_eq!(&via_json, &net);
        prop_assert_eq!(via_json.to_safetensors().unwrap(), bytes);
    }
}
