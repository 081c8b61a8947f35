//! The trainer on data it must be able to learn, its counters, and (with
//! `NNLAB_CIFAR10` set) the lecture's network on real CIFAR-10.

use nnlab::data::{Cifar10, Dataset, ImageShape};
use nnlab::init::Init;
use nnlab::nn::{Activation, MlpSpec};
use nnlab::optim::{Hyper, OptimizerKind};
use nnlab::train::{TrainConfig, Trainer};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SHAPE: ImageShape = ImageShape {
    channels: 1,
    height: 4,
    width: 4,
};

/// `n` grey 4×4 images of 4 classes: dark noise (0–59) everywhere except a
/// bright 2×2 patch (200–255) in quadrant `class` (0 top-left, 1 top-right,
/// 2 bottom-left, 3 bottom-right). Labels cycle 0, 1, 2, 3.
fn patches(n: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut images = Vec::new();
    let mut labels = Vec::new();
    for i in 0..n {
        let class = i % 4;
        let (top, left) = (2 * (class / 2), 2 * (class % 2));
        for row in 0..4 {
            for col in 0..4 {
                let bright = (top..top + 2).contains(&row) && (left..left + 2).contains(&col);
                images.push(if bright {
                    rng.random_range(200..=255)
                } else {
                    rng.random_range(0..60)
                });
            }
        }
        labels.push(class as u8);
    }
    let names = ["top-left", "top-right", "bottom-left", "bottom-right"];
    Dataset::new(images, labels, SHAPE, names.map(String::from).to_vec()).unwrap()
}

fn config(batch_size: usize, drop_last: bool) -> TrainConfig {
    TrainConfig {
        spec: MlpSpec {
            input: 16,
            layers: vec![16, 4],
            activation: Activation::Relu,
        },
        init: Init::HeUniform,
        optimizer: OptimizerKind::Adam,
        hyper: Hyper {
            lr: 0.01,
            ..Hyper::defaults(OptimizerKind::Adam)
        },
        batch_size,
        drop_last,
        seed: 1,
    }
}

#[test]
fn learns_bright_patches() {
    let train = patches(400, 1);
    let test = patches(200, 2);
    let mut trainer = Trainer::new(&config(16, true), &train).unwrap();
    let before = trainer.evaluate(&test, usize::MAX).unwrap();
    // 400 / 16 = 25 iterations per epoch; 150 steps = 6 epochs.
    let counters = *trainer.train_steps(&train, 150).unwrap();
    let after = trainer.evaluate(&test, usize::MAX).unwrap();
    eprintln!(
        "test loss {:.3} → {:.3}, accuracy {:.3} → {:.3}",
        before.loss, after.loss, before.accuracy, after.accuracy
    );
    assert_eq!(
        (counters.epoch, counters.iteration, counters.updates),
        (6, 0, 150)
    );
    assert_eq!(counters.samples_seen, 150 * 16);
    assert!(after.loss < 0.2, "loss {}", after.loss);
    assert!(after.loss < 0.25 * before.loss);
    assert!(after.accuracy >= 0.98, "accuracy {}", after.accuracy);
    assert_eq!((after.samples, after.confusion.total()), (200, 200));
    // The epoch means improve from the first epoch to the last.
    let history = trainer.history();
    assert_eq!(history.len(), 6);
    assert!(history[5].loss < history[0].loss);
    assert!(history[5].accuracy > history[0].accuracy);
    assert!(history[5].accuracy >= 0.98, "{history:?}");
}

#[test]
fn counters_step_by_step() {
    // 10 samples, batch 4, keep the last batch: sizes 4, 4, 2 per epoch.
    let train = patches(10, 3);
    let mut trainer = Trainer::new(&config(4, false), &train).unwrap();
    assert_eq!(trainer.counters().iterations_per_epoch, 3);
    assert!(trainer.counters().last_loss.is_nan());
    let c = *trainer.train_steps(&train, 2).unwrap();
    assert_eq!(
        (c.epoch, c.iteration, c.updates, c.samples_seen),
        (0, 2, 2, 8)
    );
    let c = *trainer.train_steps(&train, 1).unwrap();
    // The small last batch ends epoch 0: 4 + 4 + 2 = 10 samples.
    assert_eq!(
        (c.epoch, c.iteration, c.updates, c.samples_seen),
        (1, 0, 3, 10)
    );
    assert_eq!(trainer.history().len(), 1);
    // The epoch's running accuracy is over samples: correct / 10, a multiple of 0.1.
    let acc10 = trainer.history()[0].accuracy * 10.0;
    assert!((acc10 - acc10.round()).abs() < 1e-5);
    let c = *trainer.train_steps(&train, 4).unwrap();
    assert_eq!(
        (c.epoch, c.iteration, c.updates, c.samples_seen),
        (2, 1, 7, 24)
    );
}

#[test]
fn same_seed_same_run() {
    let train = patches(64, 4);
    let run = || {
        let mut t = Trainer::new(&config(8, true), &train).unwrap();
        t.train_steps(&train, 20).unwrap();
        t.net().clone()
    };
    assert_eq!(run(), run());
}

#[test]
fn learning_rate_and_errors() {
    let train = patches(32, 5);
    let mut trainer = Trainer::new(&config(8, true), &train).unwrap();
    trainer.set_lr(0.5).unwrap();
    assert_eq!(trainer.optimizer().hyper().lr, 0.5);
    assert!(trainer.set_lr(-1.0).is_err());

    // A dataset with fewer samples than the schedule's, or images of another
    // size, is refused (a larger one is fine: the first 32 are used).
    let err = trainer
        .train_steps(&patches(24, 5), 1)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("set up for 32 training samples, this dataset has 24"),
        "{err}"
    );
    let wide = Dataset::new(
        vec![0; 32 * 25],
        vec![0; 32],
        ImageShape {
            channels: 1,
            height: 5,
            width: 5,
        },
        vec!["a".into(), "b".into(), "c".into(), "d".into()],
    )
    .unwrap();
    assert!(trainer.train_steps(&wide, 1).is_err());
    assert!(trainer.evaluate(&train, 0).is_err());
    assert!(
        Trainer::new(&config(64, true), &train).is_err(),
        "batch > samples with drop_last"
    );

    // The saved model records the initialiser.
    assert_eq!(trainer.to_saved().init, Some(Init::HeUniform));
}

#[test]
fn a_huge_learning_rate_diverges_and_stops() {
    let train = patches(64, 6);
    let mut cfg = config(8, true);
    cfg.optimizer = OptimizerKind::Sgd;
    cfg.hyper = Hyper {
        lr: 1e30,
        ..Hyper::defaults(OptimizerKind::Sgd)
    };
    let mut trainer = Trainer::new(&cfg, &train).unwrap();
    let c = *trainer.train_steps(&train, 50).unwrap();
    assert!(trainer.diverged());
    assert!(c.updates < 50, "stopped after {} updates", c.updates);
}

#[test]
fn lecture_network_on_real_cifar10() {
    let Some(path) = std::env::var_os("NNLAB_CIFAR10") else {
        eprintln!(
            "skipped: set NNLAB_CIFAR10 to the path of cifar-10-binary.tar.gz to run this test"
        );
        return;
    };
    let cifar = Cifar10::from_archive_path(path, |_| {}).unwrap();
    let config = TrainConfig::lecture();
    let mut trainer = Trainer::new(&config, &cifar.train).unwrap();
    assert_eq!(trainer.counters().iterations_per_epoch, 781);
    let started = std::time::Instant::now();
    let c = *trainer.train_steps(&cifar.train, 200).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let eval = trainer.evaluate(&cifar.test, 2_000).unwrap();
    eprintln!(
        "200 steps in {seconds:.1} s: last batch loss {:.3}, running loss {:.3}, running accuracy {:.3}; \
         test (2,000 images) loss {:.3}, accuracy {:.3}",
        c.last_loss, c.running_loss, c.running_accuracy, eval.loss, eval.accuracy
    );
    // Chance is ln 10 ≈ 2.303 and 10%.
    assert!(c.running_loss < 2.15, "running loss {}", c.running_loss);
    assert!(eval.loss < 2.1, "test loss {}", eval.loss);
    assert!(eval.accuracy > 0.2, "test accuracy {}", eval.accuracy);
}

#[test]
fn a_pool_that_grows_while_training() {
    // A download in progress: 16 images first, then all 48 (batch 8).
    let all = patches(48, 7);
    let first16 = Dataset::new(
        all.images()[..16 * 16].to_vec(),
        all.labels()[..16].to_vec(),
        SHAPE,
        all.class_names().to_vec(),
    )
    .unwrap();
    let mut trainer = Trainer::new(&config(8, true), &first16).unwrap();
    let c = *trainer.train_steps(&first16, 1).unwrap();
    assert_eq!((c.iterations_per_epoch, c.epoch, c.iteration), (2, 0, 1));
    // More images arrive mid-epoch: epoch 0 still ends after its 2 batches of the 16.
    trainer.grow_to(48);
    let err = trainer.train_steps(&first16, 1).unwrap_err().to_string();
    assert!(err.contains("set up for 48 training samples"), "{err}");
    let c = *trainer.train_steps(&all, 1).unwrap();
    assert_eq!((c.epoch, c.iteration, c.samples_seen), (1, 0, 16));
    // Epoch 1 is a pass over all 48: ⌊48/8⌋ = 6 iterations.
    let c = *trainer.train_steps(&all, 1).unwrap();
    assert_eq!((c.iterations_per_epoch, c.epoch, c.iteration), (6, 1, 1));
    let c = *trainer.train_steps(&all, 5).unwrap();
    assert_eq!((c.epoch, c.iteration, c.samples_seen), (2, 0, 64));
    assert_eq!(trainer.schedule().samples, 48);
    // The same steps on the whole set from the start give another run, but
    // growing is deterministic: the same pool history gives the same weights.
    let mut again = Trainer::new(&config(8, true), &first16).unwrap();
    again.train_steps(&first16, 1).unwrap();
    again.grow_to(48);
    again.train_steps(&all, 7).unwrap();
    assert_eq!(again.net(), trainer.net());
}
