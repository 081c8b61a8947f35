//! Pictures of what a network has learned, computed in the Worker: the first
//! layer's weights as images, each layer's activations, the top-3 classes of
//! a few test images, 2-D PCA clouds of each layer's representation, and
//! what the network makes of a photo of the student's own.

use nnlab::autodiff::Graph;
use nnlab::data::{Dataset, ImageShape};
use nnlab::nn::Mlp;
use nnlab::pca::Pca;
use nnlab::tensor::Tensor;

use crate::protocol::{Card, ClassExample, LayerCloud};

/// Each row of `weight` (`[rows, shape.len()]`, planar channels like the
/// images) as an RGBA picture of `shape.height × shape.width`, stretched to
/// its own min…max so faint templates are as visible as strong ones (grey
/// when a row is constant). One, two or three channels, as
/// [`Dataset::image_rgba`] draws them.
pub fn weight_images(weight: &Tensor, shape: ImageShape) -> Vec<u8> {
    let (rows, cols) = weight.dims2();
    if cols != shape.len() || shape.channels == 0 {
        return Vec::new();
    }
    let plane = shape.height * shape.width;
    let mut out = Vec::with_capacity(rows * plane * 4);
    for row in weight.data().chunks_exact(cols) {
        let (lo, hi) = row
            .iter()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &w| {
                (lo.min(w), hi.max(w))
            });
        let byte = |w: f32| -> u8 {
            if hi > lo && w.is_finite() {
                ((w - lo) / (hi - lo) * 255.0).round() as u8
            } else {
                128
            }
        };
        for p in 0..plane {
            let c = |k: usize| byte(row[k * plane + p]);
            let (r, g, b) = match shape.channels {
                1 => (c(0), c(0), c(0)),
                2 => (c(0), c(1), 0),
                _ => (c(0), c(1), c(2)),
            };
            out.extend_from_slice(&[r, g, b, 255]);
        }
    }
    out
}

/// The output of every layer for the batch `x` `[batch, input]`: hidden
/// layers after their activation, the last layer's logits.
pub fn layer_outputs(net: &Mlp, x: &Tensor) -> Vec<Tensor> {
    let mut g = Graph::new();
    let mut h = g.input(x.clone());
    let mut outputs = Vec::with_capacity(net.layers.len());
    for layer in &net.layers {
        let (out, _) = layer.forward(&mut g, h);
        outputs.push(out);
        h = out;
    }
    outputs.into_iter().map(|v| g.value(v).clone()).collect()
}

/// Softmax of one row of logits (shifted by the maximum, so it never overflows).
pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|&z| (z - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    exps.into_iter().map(|e| e / sum).collect()
}

/// The `k` largest probabilities with their classes, largest first (lower
/// class first on ties).
pub fn top_k(probs: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut ranked: Vec<(usize, f32)> = probs.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked.truncate(k);
    ranked
}

/// Images `indices` of `data` as a `[n, sample_len]` batch of floats in [0, 1].
pub fn batch_of(data: &Dataset, indices: &[usize]) -> nnlab::Result<Tensor> {
    let mut x = Tensor::zeros(&[indices.len(), data.sample_len()]);
    let mut labels = vec![0; indices.len()];
    data.fill_batch(indices, x.data_mut(), &mut labels)?;
    Ok(x)
}

/// Test cards: the true label and the top three predictions of each image.
pub fn cards(net: &Mlp, data: &Dataset, indices: &[usize]) -> nnlab::Result<Vec<Card>> {
    if indices.is_empty() {
        return Ok(Vec::new());
    }
    let logits = net.logits(&batch_of(data, indices)?);
    let classes = logits.dims2().1;
    Ok(indices
        .iter()
        .zip(logits.data().chunks_exact(classes))
        .map(|(&index, row)| Card {
            index,
            label: data.label(index),
            top: top_k(&softmax(row), 3),
        })
        .collect())
}

/// The activations of image `index` after each layer: hidden layers as they
/// are, the output as probabilities.
pub fn probe(net: &Mlp, data: &Dataset, index: usize) -> nnlab::Result<Vec<Vec<f32>>> {
    let outputs = layer_outputs(net, &batch_of(data, &[index])?);
    let last = outputs.len().saturating_sub(1);
    Ok(outputs
        .into_iter()
        .enumerate()
        .map(|(l, t)| {
            if l == last {
                softmax(t.data())
            } else {
                t.data().to_vec()
            }
        })
        .collect())
}

/// The network's class probabilities for one image given as bytes in the
/// layout of `data`'s images (a CIFAR-10 record's 3072 for the lecture's
/// network), read as byte / 255 like every training image. Errors unless
/// there are exactly as many bytes as the network has inputs.
pub fn classify(net: &Mlp, pixels: &[u8]) -> nnlab::Result<Vec<f32>> {
    if pixels.len() != net.spec.input {
        return Err(nnlab::Error::WrongDimension {
            what: "picture to classify",
            expected: net.spec.input,
            got: pixels.len(),
        });
    }
    let x = Tensor::new(
        &[1, pixels.len()],
        pixels.iter().map(|&b| f32::from(b) / 255.0).collect(),
    );
    Ok(softmax(net.logits(&x).data()))
}

/// The first image of each class in `data` (classes without an image left
/// out) with the network's probabilities for it: the first, not the best,
/// so the comparison is not picked to flatter the network.
pub fn class_examples(net: &Mlp, data: &Dataset) -> nnlab::Result<Vec<ClassExample>> {
    let indices: Vec<usize> = (0..data.classes())
        .filter_map(|c| data.labels().iter().position(|&l| usize::from(l) == c))
        .collect();
    if indices.is_empty() {
        return Ok(Vec::new());
    }
    let logits = net.logits(&batch_of(data, &indices)?);
    let classes = logits.dims2().1;
    Ok(indices
        .iter()
        .zip(logits.data().chunks_exact(classes))
        .map(|(&index, row)| ClassExample {
            index,
            label: data.label(index),
            probabilities: softmax(row),
        })
        .collect())
}

/// `rows` (`n × width`) projected on their own two principal components.
pub fn cloud(rows: &[f32], n: usize, width: usize) -> nnlab::Result<LayerCloud> {
    let pca = Pca::fit(rows, n, width)?;
    Ok(LayerCloud {
        width,
        points: pca.project_rows(rows),
        explained: pca.explained_variance_ratio,
    })
}

/// One cloud per layer for the first `n` images of `data` (the pixels' cloud
/// is the caller's to add: it never changes).
pub fn layer_clouds(net: &Mlp, data: &Dataset, n: usize) -> nnlab::Result<Vec<LayerCloud>> {
    let indices: Vec<usize> = (0..n.min(data.len())).collect();
    let outputs = layer_outputs(net, &batch_of(data, &indices)?);
    outputs
        .iter()
        .map(|t| {
            let (rows, width) = t.dims2();
            cloud(t.data(), rows, width)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab::init::Init;
    use nnlab::nn::{Activation, Dense, MlpSpec};

    #[test]
    fn weight_rows_are_stretched_to_their_own_range() {
        // One 1×2 image with 3 channels: R [-1, 1], G [0, 0], B [1, -1].
        // min −1 → 0, max 1 → 255, 0 → 127.5 → 128.
        let shape = ImageShape {
            channels: 3,
            height: 1,
            width: 2,
        };
        let w = Tensor::new(&[1, 6], vec![-1.0, 1.0, 0.0, 0.0, 1.0, -1.0]);
        assert_eq!(
            weight_images(&w, shape),
            vec![0, 128, 255, 255, 255, 128, 0, 255]
        );
        // A constant row is mid grey, not a division by zero.
        let flat = Tensor::new(&[1, 6], vec![0.5; 6]);
        assert_eq!(
            weight_images(&flat, shape),
            vec![128, 128, 128, 255, 128, 128, 128, 255]
        );
    }

    #[test]
    fn softmax_and_top_k_by_hand() {
        // logits [0, ln 3] → e^0 : e^ln3 = 1 : 3 → [0.25, 0.75].
        let p = softmax(&[0.0, 3f32.ln()]);
        assert!((p[0] - 0.25).abs() < 1e-6 && (p[1] - 0.75).abs() < 1e-6);
        assert_eq!(
            top_k(&[0.1, 0.5, 0.1, 0.3], 3),
            vec![(1, 0.5), (3, 0.3), (0, 0.1)]
        );
    }

    #[test]
    fn a_photo_is_read_as_byte_over_255_and_gets_probabilities() {
        // 2 inputs → 2 classes, identity weights, no bias: the logits are the
        // inputs, 255/255 = 1 and 0/255 = 0 → softmax [e/(e+1), 1/(e+1)].
        let spec = MlpSpec {
            input: 2,
            layers: vec![2],
            activation: Activation::Relu,
        };
        let mut net = Mlp::new(spec, Init::Zeros, 0).unwrap();
        net.layers[0].weight = Tensor::new(&[2, 2], vec![1.0, 0.0, 0.0, 1.0]);
        let p = classify(&net, &[255, 0]).unwrap();
        let e = std::f32::consts::E;
        assert!((p[0] - e / (e + 1.0)).abs() < 1e-6, "{p:?}");
        assert!((p[0] + p[1] - 1.0).abs() < 1e-6);
        let err = classify(&net, &[1, 2, 3]).unwrap_err().to_string();
        assert!(err.contains("needs 2 coordinate(s), got 3"), "{err}");

        // The first image of each class: labels [1, 1, 0] → class 0 is image
        // 2, class 1 image 0; image 2 is [0, 255] → logits [0, 1].
        let data = Dataset::new(
            vec![255, 0, 9, 9, 0, 255],
            vec![1, 1, 0],
            ImageShape {
                channels: 1,
                height: 1,
                width: 2,
            },
            vec!["a".into(), "b".into()],
        )
        .unwrap();
        let examples = class_examples(&net, &data).unwrap();
        let found: Vec<(usize, usize)> = examples.iter().map(|e| (e.index, e.label)).collect();
        assert_eq!(found, vec![(2, 0), (0, 1)]);
        assert!((examples[0].probabilities[1] - e / (e + 1.0)).abs() < 1e-6);
    }

    #[test]
    fn layer_outputs_apply_relu_between_layers() {
        // 2 → 2 → 1. Layer 0: identity weights, bias [0, -5] → ReLU([1, 2-5]) = [1, 0].
        // Layer 1: weights [2, 7], bias 1 → 2·1 + 7·0 + 1 = 3 (logit, no ReLU).
        let spec = MlpSpec {
            input: 2,
            layers: vec![2, 1],
            activation: Activation::Relu,
        };
        let mut net = Mlp::new(spec, Init::Zeros, 0).unwrap();
        net.layers[0] = Dense {
            weight: Tensor::new(&[2, 2], vec![1.0, 0.0, 0.0, 1.0]),
            bias: Tensor::new(&[2], vec![0.0, -5.0]),
            activation: Activation::Relu,
        };
        net.layers[1] = Dense {
            weight: Tensor::new(&[1, 2], vec![2.0, 7.0]),
            bias: Tensor::new(&[1], vec![1.0]),
            activation: Activation::Identity,
        };
        let outs = layer_outputs(&net, &Tensor::new(&[1, 2], vec![1.0, 2.0]));
        assert_eq!(outs[0].data(), &[1.0, 0.0]);
        assert_eq!(outs[1].data(), &[3.0]);
    }
}
