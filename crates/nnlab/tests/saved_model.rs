//! Saving and loading networks: exact round trips and clear refusals.

use nnlab::nn::saved::{SavedModel, FORMAT, VERSION};
use nnlab::nn::{Activation, Mlp};
use nnlab::Tensor;

mod common;
use common::small;

/// A hand-written file: 2 inputs → 1 output, weight [[0.5, -2]], bias [0.25].
const TINY: &str = r#"{"format":"nnlab-mlp","version":1,
  "spec":{"input":2,"layers":[1],"activation":"Relu"},
  "init":null,
  "layers":[{"weight":{"shape":[1,2],"data":[0.5,-2.0]},"bias":{"shape":[1],"data":[0.25]}}]}"#;

fn error_of(text: &str) -> String {
    Mlp::from_json(text).unwrap_err().to_string()
}

#[test]
fn round_trip_is_exact() {
    let net = small();
    let json = net.to_json().unwrap();
    let back = Mlp::from_json(&json).unwrap();
    assert_eq!(back, net);
    // Same logits bit for bit.
    let x = Tensor::new(&[1, 3], vec![0.1, -0.7, 2.0]);
    assert_eq!(back.logits(&x), net.logits(&x));
}

#[test]
fn a_byte_order_mark_is_read_past() {
    let net = small();
    let json = format!("\u{feff}{}", net.to_json().unwrap());
    assert_eq!(Mlp::from_json(&json).unwrap(), net);
}

#[test]
fn layout_is_pytorchs() {
    let saved = small().to_saved();
    assert_eq!((saved.format.as_str(), saved.version), (FORMAT, VERSION));
    // nn.Linear(3, 4).weight is [4, 3]; nn.Linear(4, 2).weight is [2, 4].
    assert_eq!(saved.layers[0].weight.shape, vec![4, 3]);
    assert_eq!(saved.layers[1].weight.shape, vec![2, 4]);
    assert_eq!(saved.layers[1].bias.shape, vec![2]);
    assert_eq!(saved.init, None);
}

#[test]
fn a_hand_written_file() {
    let net = Mlp::from_json(TINY).unwrap();
    // Identity on the output layer: logit = 0.5·2 − 2·0.25 + 0.25 = 0.75.
    let logits = net.logits(&Tensor::new(&[1, 2], vec![2.0, 0.25]));
    assert_eq!(logits.data(), &[0.75]);
    assert_eq!(net.layers[0].activation, Activation::Identity);
    let saved = SavedModel::from_json(TINY).unwrap();
    assert_eq!(saved.layers[0].weight.data, vec![0.5, -2.0]);
}

#[test]
fn malformed_json() {
    let err = error_of("{\"format\": \"nnlab-mlp\", ");
    assert!(
        err.starts_with("invalid data: the model file is not valid JSON"),
        "{err}"
    );
    let err = error_of("[1, 2, 3]");
    assert!(
        err.starts_with("invalid data: not an nnlab model file"),
        "{err}"
    );
    let err = error_of(&TINY.replace("\"layers\":[1]", "\"layers\":\"one\""));
    assert!(
        err.starts_with("invalid data: the model file is malformed"),
        "{err}"
    );
}

#[test]
fn wrong_format_or_version() {
    let err = error_of(&TINY.replace("nnlab-mlp", "keras"));
    assert_eq!(
        err,
        "invalid data: not an nnlab model file: format is 'keras', expected 'nnlab-mlp'"
    );
    let err = error_of(&TINY.replace("\"version\":1", "\"version\":2"));
    assert_eq!(
        err,
        "invalid data: model file version 2 is not supported; this nnlab reads version 1"
    );
}

#[test]
fn wrong_shapes() {
    // Weight stored as [2, 1] (the transpose) instead of [1, 2].
    let err = error_of(&TINY.replace("\"shape\":[1,2]", "\"shape\":[2,1]"));
    assert_eq!(
        err,
        "invalid data: layer 0 weight has shape [2, 1], the spec needs [1, 2]"
    );
    let err = error_of(&TINY.replace("[0.5,-2.0]", "[0.5]"));
    assert_eq!(
        err,
        "invalid data: layer 0 weight of shape [1, 2] needs 2 values, the file has 1"
    );
    // The spec promises two layers, the file has one.
    let err = error_of(&TINY.replace("\"layers\":[1]", "\"layers\":[1,3]"));
    assert_eq!(
        err,
        "invalid data: the model's spec has 2 layers but the file stores 1"
    );
    let err = error_of(&TINY.replace("\"input\":2", "\"input\":0"));
    assert!(err.contains("input size"), "{err}");
}

#[test]
fn non_finite_weights() {
    // 1e39 does not fit in an f32: the exact (float_roundtrip) parser refuses it.
    let err = error_of(&TINY.replace("-2.0", "1e39"));
    assert_eq!(
        err,
        "invalid data: the model file is malformed: number out of range at line 4 column 53"
    );
    // JSON has no NaN; a null where a number belongs is malformed.
    let err = error_of(&TINY.replace("[0.25]", "[null]"));
    assert!(
        err.starts_with("invalid data: the model file is malformed"),
        "{err}"
    );
    // A diverged network cannot be saved, nor loaded from a SavedModel.
    let mut net = small();
    net.layers[1].bias.data_mut()[1] = f32::NAN;
    let err = net.to_json().unwrap_err().to_string();
    assert_eq!(
        err,
        "invalid data: layer 1 bias value 1 is NaN; a model's weights must be finite numbers"
    );
    assert!(Mlp::from_saved(net.to_saved()).is_err());
}
