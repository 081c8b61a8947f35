//! Epoch arithmetic with the lecture's numbers, and the seeded shuffles.

use nnlab::train::{iterations_per_epoch, total_updates, Sampler, Schedule};

#[test]
fn cifar10_with_the_lectures_settings() {
    // 50,000 training images, batch 64, drop_last: ⌊50000/64⌋ = 781
    // (781·64 = 49,984; the last 16 images of each epoch are dropped).
    assert_eq!(iterations_per_epoch(50_000, 64, true), 781);
    // 30 epochs: 30 · 781 = 23,430 updates.
    assert_eq!(total_updates(50_000, 64, true, 30), 23_430);
    // Keeping the incomplete batch: ⌈50000/64⌉ = 782.
    assert_eq!(iterations_per_epoch(50_000, 64, false), 782);
    assert_eq!(total_updates(50_000, 64, false, 30), 23_460);
}

#[test]
fn the_lectures_figure_comes_from_60000_images() {
    // The lecture: "60000/64 = 938 per epoch, 28,140 updates in 30 epochs".
    // 60000/64 = 937.5, rounded up: 938 needs the incomplete batch kept,
    // and 30 · 938 = 28,140. 60,000 is training + test, though.
    assert_eq!(iterations_per_epoch(60_000, 64, false), 938);
    assert_eq!(total_updates(60_000, 64, false, 30), 28_140);
    // With its own drop_last=True it would have been ⌊937.5⌋ = 937.
    assert_eq!(iterations_per_epoch(60_000, 64, true), 937);
}

#[test]
fn schedule_validates_and_cuts_batches() {
    let s = Schedule::new(10, 4, false, 0).unwrap();
    assert_eq!(s.iterations_per_epoch(), 3);
    assert_eq!((s.batch_range(0), s.batch_range(2)), (0..4, 8..10));
    let s = Schedule::new(10, 4, true, 0).unwrap();
    assert_eq!(s.iterations_per_epoch(), 2);
    assert_eq!(s.total_updates(5), 10);

    assert!(Schedule::new(10, 0, true, 0).is_err());
    assert!(Schedule::new(0, 4, false, 0).is_err());
    let err = Schedule::new(3, 4, true, 0).unwrap_err().to_string();
    assert!(
        err.contains("4 is larger than the 3 training samples"),
        "{err}"
    );
    assert_eq!(iterations_per_epoch(5, 0, true), 0);
}

#[test]
fn shuffles_are_seeded_permutations_per_epoch() {
    let s = Schedule::new(100, 10, true, 7).unwrap();
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    s.shuffle_into(0, &mut a);
    s.shuffle_into(0, &mut b);
    s.shuffle_into(1, &mut c);
    assert_eq!(a, b, "same seed and epoch, same order");
    assert_ne!(a, c, "another epoch, another order");
    let mut sorted = c.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..100).collect::<Vec<_>>());
    let mut other_seed = Vec::new();
    Schedule::new(100, 10, true, 8)
        .unwrap()
        .shuffle_into(0, &mut other_seed);
    assert_ne!(a, other_seed);
}

#[test]
fn sampler_walks_epochs() {
    // 5 samples in batches of 2 without drop_last: sizes 2, 2, 1 per epoch.
    let s = Schedule::new(5, 2, false, 3).unwrap();
    let mut sampler = Sampler::new(s);
    let mut epoch0 = Vec::new();
    let mut sizes = Vec::new();
    for _ in 0..3 {
        let batch = sampler.next_batch().to_vec();
        sizes.push(batch.len());
        epoch0.extend(batch);
    }
    assert!(sampler.epoch_finished());
    assert_eq!((sampler.epoch(), sampler.iteration()), (0, 3));
    assert_eq!(sizes, vec![2, 2, 1]);
    let mut expected = Vec::new();
    s.shuffle_into(0, &mut expected);
    assert_eq!(epoch0, expected);

    let first_of_epoch1 = sampler.next_batch().to_vec();
    assert_eq!((sampler.epoch(), sampler.iteration()), (1, 1));
    s.shuffle_into(1, &mut expected);
    assert_eq!(first_of_epoch1, expected[..2]);
}

#[test]
fn a_growing_pool_is_taken_in_when_the_next_epoch_starts() {
    // 4 samples in batches of 2: 2 iterations per epoch.
    let s = Schedule::new(4, 2, true, 5).unwrap();
    let mut sampler = Sampler::new(s);
    let first = sampler.next_batch().to_vec();
    // Grown mid-epoch: the rest of epoch 0 still walks the 4 samples it began with.
    sampler.grow(10);
    let second = sampler.next_batch().to_vec();
    assert_eq!(sampler.schedule().samples, 4);
    let mut epoch0: Vec<usize> = first.into_iter().chain(second).collect();
    epoch0.sort_unstable();
    assert_eq!(
        epoch0,
        vec![0, 1, 2, 3],
        "epoch 0 is one pass over 4 samples"
    );
    // Epoch 1 is a pass over all 10: ⌊10/2⌋ = 5 iterations, every sample once.
    let mut epoch1 = Vec::new();
    for _ in 0..5 {
        epoch1.extend_from_slice(sampler.next_batch());
    }
    assert_eq!(sampler.epoch(), 1);
    assert!(sampler.epoch_finished());
    let mut expected = Vec::new();
    Schedule::new(10, 2, true, 5)
        .unwrap()
        .shuffle_into(1, &mut expected);
    assert_eq!(
        epoch1, expected,
        "the order of a 10-sample schedule's epoch 1"
    );
    // Growing before any batch of an epoch is handed out applies at once;
    // shrinking is ignored.
    let mut fresh = Sampler::new(s);
    fresh.grow(3);
    fresh.grow(6);
    assert!(fresh.roll());
    assert_eq!((fresh.schedule().samples, fresh.epoch()), (6, 0));
}
