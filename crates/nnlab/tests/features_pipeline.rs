//! The three pipelines of the feature-engineering lesson on small synthetic
//! images: what each feeds its network, that the test set is scaled with the
//! training set's statistics, and that the ordinary trainer learns from
//! HOG features what the orientation of stripes makes plain.

use nnlab::data::{Dataset, ImageShape, Samples};
use nnlab::features::extract::feature_len;
use nnlab::features::Pipeline;
use nnlab::train::Trainer;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// `count` 32×32 RGB images of stripes: class 0 vertical, class 1
/// horizontal, each with a random period, phase, colour and brightness, so
/// no single pixel tells the classes apart but edge directions do.
fn stripes(count: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let shape = ImageShape::CIFAR;
    let mut images = Vec::with_capacity(count * shape.len());
    let mut labels = Vec::with_capacity(count);
    for i in 0..count {
        let class = i % 2;
        let period = rng.random_range(3..7);
        let phase = rng.random_range(0..period);
        let base: [u8; 3] = [
            rng.random_range(0..100),
            rng.random_range(0..100),
            rng.random_range(0..100),
        ];
        let lift = rng.random_range(60..150);
        for channel in base {
            for r in 0..32 {
                for c in 0..32 {
                    let along = if class == 0 { c } else { r };
                    let lit = (along + phase) % period < period / 2 + 1;
                    images.push(if lit { channel + lift } else { channel });
                }
            }
        }
        labels.push(class as u8);
    }
    let names = vec!["vertical".to_string(), "horizontal".to_string()];
    Dataset::new(images, labels, shape, names).unwrap()
}

#[test]
fn names_round_trip_and_unknown_ones_are_listed() {
    for p in Pipeline::ALL {
        assert_eq!(Pipeline::from_name(p.name()).unwrap(), p);
    }
    let err = Pipeline::from_name("svm").unwrap_err().to_string();
    assert_eq!(
        err,
        "unknown pipeline 'svm' (known: raw-linear, features-linear, mlp)"
    );
}

#[test]
fn each_pipeline_feeds_its_network_its_own_inputs() {
    let (train, test) = (stripes(40, 1), stripes(20, 2));
    let widths = Pipeline::ALL.map(|p| {
        let mut calls = Vec::new();
        let prepared = p.prepare(&train, &test, &mut |n| calls.push(n)).unwrap();
        assert_eq!((prepared.train.len(), prepared.test.len()), (40, 20));
        let config = p.config(prepared.train.as_ref(), 7);
        assert_eq!(config.seed, 7);
        assert_eq!(config.spec.input, prepared.train.sample_len());
        assert_eq!(config.spec.classes(), 2);
        // Only the features pipeline computes anything per image: 40 + 20.
        let expected: &[usize] = if p == Pipeline::FeaturesLinear {
            &[40, 60]
        } else {
            &[]
        };
        assert_eq!(calls, expected, "{}", p.name());
        (prepared.train.sample_len(), config.spec.layers)
    });
    assert_eq!(widths[0], (3072, vec![2]));
    assert_eq!(widths[1], (feature_len(ImageShape::CIFAR), vec![2]));
    assert_eq!(widths[1].0, 334);
    assert_eq!(widths[2], (3072, vec![100, 256, 256, 2]));
}

/// Column means of every row of `data`.
fn column_means(data: &dyn Samples) -> Vec<f64> {
    let (n, width) = (data.len(), data.sample_len());
    let mut rows = vec![0.0; n * width];
    let mut labels = vec![0; n];
    let indices: Vec<usize> = (0..n).collect();
    data.fill_batch(&indices, &mut rows, &mut labels).unwrap();
    (0..width)
        .map(|c| {
            rows.iter()
                .skip(c)
                .step_by(width)
                .map(|&v| f64::from(v))
                .sum::<f64>()
                / n as f64
        })
        .collect()
}

#[test]
fn the_test_set_is_scaled_with_the_training_statistics() {
    // Test images all brighter than the training ones: standardised with the
    // training mean, their pixels are well above 0 on average, where
    // standardising them on their own would have centred them at 0.
    let train = stripes(40, 1);
    let brighter: Vec<u8> = stripes(20, 2)
        .images()
        .iter()
        .map(|&b| b.saturating_add(60))
        .collect();
    let test = Dataset::new(
        brighter,
        stripes(20, 2).labels().to_vec(),
        ImageShape::CIFAR,
        train.class_names().to_vec(),
    )
    .unwrap();
    let prepared = Pipeline::RawLinear
        .prepare(&train, &test, &mut |_| {})
        .unwrap();
    let train_means = column_means(prepared.train.as_ref());
    assert!(train_means.iter().all(|m| m.abs() < 1e-4));
    let test_mean = column_means(prepared.test.as_ref()).iter().sum::<f64>() / 3072.0;
    assert!(test_mean > 0.5, "{test_mean}");
}

#[test]
fn the_trainer_learns_stripe_orientation_from_hog_features() {
    let (train, test) = (stripes(256, 3), stripes(100, 4));
    let prepared = Pipeline::FeaturesLinear
        .prepare(&train, &test, &mut |_| {})
        .unwrap();
    let config = Pipeline::FeaturesLinear.config(prepared.train.as_ref(), 0);
    let mut trainer = Trainer::new(&config, prepared.train.as_ref()).unwrap();
    let before = trainer
        .evaluate(prepared.test.as_ref(), usize::MAX)
        .unwrap();
    // 4 epochs of 4 batches of 64.
    trainer.train_steps(prepared.train.as_ref(), 16).unwrap();
    assert_eq!(trainer.history().len(), 4);
    let after = trainer
        .evaluate(prepared.test.as_ref(), usize::MAX)
        .unwrap();
    assert!(after.loss < before.loss, "{} → {}", before.loss, after.loss);
    assert_eq!(after.accuracy, 1.0, "{after:?}");
}
