//! The real `cifar-10-binary.tar.gz`, if the environment variable
//! `NNLAB_CIFAR10` names it (skipped with a note otherwise; the data is
//! never part of the repository).

use std::time::Instant;

use nnlab::data::{Cifar10, CLASS_NAMES};

#[test]
fn real_archive() {
    let Some(path) = std::env::var_os("NNLAB_CIFAR10") else {
        eprintln!(
            "skipped: set NNLAB_CIFAR10 to the path of cifar-10-binary.tar.gz to run this test"
        );
        return;
    };
    let started = Instant::now();
    let mut reports = 0usize;
    let cifar = Cifar10::from_archive_path(&path, |_| reports += 1).unwrap();
    eprintln!(
        "decoded {} in {:.2} s ({reports} progress reports)",
        path.to_string_lossy(),
        started.elapsed().as_secs_f64()
    );

    // 5 × 10,000 training images (not the lecture's 60,000) and 10,000 test images.
    assert_eq!(cifar.train.len(), 50_000);
    assert_eq!(cifar.test.len(), 10_000);
    assert_eq!(cifar.train_batches(), &[1, 2, 3, 4, 5]);
    assert_eq!(cifar.train.images().len(), 50_000 * 3072);
    assert_eq!(cifar.train.class_names(), CLASS_NAMES.map(String::from));
    assert_eq!(cifar.test.class_names(), CLASS_NAMES.map(String::from));
    // CIFAR-10 is balanced: 5,000 training and 1,000 test images per class.
    assert_eq!(cifar.train.label_counts(), vec![5_000; 10]);
    assert_eq!(cifar.test.label_counts(), vec![1_000; 10]);

    // A batch spread over the whole training set, normalised into [0, 1].
    let indices: Vec<usize> = (0..64).map(|i| i * 781).collect();
    let mut x = vec![f32::NAN; 64 * 3072];
    let mut labels = vec![usize::MAX; 64];
    cifar
        .train
        .fill_batch(&indices, &mut x, &mut labels)
        .unwrap();
    assert!(x.iter().all(|v| (0.0..=1.0).contains(v)));
    assert!(labels.iter().all(|&l| l < 10));
    // Every value is some byte / 255: check it against the byte it came from.
    let byte = cifar.train.image(indices[5])[100];
    assert_eq!(x[5 * 3072 + 100], f32::from(byte) / 255.0);
    // Real photos use the whole range: somewhere a 0 and a 255.
    let pixels = cifar.test.images();
    assert!(pixels.contains(&0) && pixels.contains(&255));
}
