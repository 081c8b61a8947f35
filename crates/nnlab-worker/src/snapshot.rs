//! Pictures of what a network has learned, computed in the Worker: the first
//! layer's weights as images, each layer's activations, the top-3 classes of
//! a few test images, and 2-D PCA clouds of each layer's representation.

use nnlab::autodiff::Graph;
use nnlab::data::{Dataset, ImageShape};
use nnlab::nn::Mlp;
use nnlab::pca::Pca;
use nnlab::tensor::Tensor;

use crate::protocol::{Card, LayerCloud};

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
