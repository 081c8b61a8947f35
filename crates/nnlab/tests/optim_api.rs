//! Names, defaults, validation, changing hyper-parameters and resetting.

use nnlab::optim::{build, Hyper, OptimizerKind};
use nnlab::Error;

#[test]
fn names_round_trip() {
    let names: Vec<&str> = OptimizerKind::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(
        names,
        ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    );
    for kind in OptimizerKind::ALL {
        assert_eq!(OptimizerKind::from_name(kind.name()), Ok(kind));
    }
}

#[test]
fn unknown_name_lists_the_known_ones() {
    let err = OptimizerKind::from_name("adamw").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown optimizer 'adamw' (known: sgd, momentum, nesterov, adagrad, rmsprop, adam)"
    );
}

#[test]
fn pytorch_defaults() {
    let d = Hyper::defaults;
    assert_eq!(d(OptimizerKind::Sgd).lr, 0.01);
    assert_eq!(d(OptimizerKind::Momentum).lr, 0.01);
    assert_eq!(d(OptimizerKind::Momentum).momentum, 0.9);
    assert_eq!(d(OptimizerKind::Nesterov).momentum, 0.9);
    assert_eq!(d(OptimizerKind::Adagrad).lr, 0.01);
    assert_eq!(d(OptimizerKind::Adagrad).eps, 1e-10);
    assert_eq!(d(OptimizerKind::RmsProp).lr, 0.01);
    assert_eq!(d(OptimizerKind::RmsProp).alpha, 0.99);
    assert_eq!(d(OptimizerKind::RmsProp).eps, 1e-8);
    let adam = d(OptimizerKind::Adam);
    assert_eq!(
        (adam.lr, adam.beta1, adam.beta2, adam.eps),
        (0.001, 0.9, 0.999, 1e-8)
    );
    for kind in OptimizerKind::ALL {
        assert_eq!(d(kind).validate(), Ok(()), "{kind:?}");
        let built = build::<f64>(kind, d(kind)).unwrap();
        assert_eq!(built.kind(), kind);
        assert_eq!(built.hyper(), d(kind));
    }
}

#[test]
fn hyper_names_are_fields_the_rule_uses() {
    assert_eq!(OptimizerKind::Sgd.hyper_names(), ["lr"]);
    assert_eq!(OptimizerKind::Nesterov.hyper_names(), ["lr", "momentum"]);
    assert_eq!(OptimizerKind::RmsProp.hyper_names(), ["lr", "alpha", "eps"]);
    assert_eq!(
        OptimizerKind::Adam.hyper_names(),
        ["lr", "beta1", "beta2", "eps"]
    );
}

#[test]
fn bad_hyper_parameters_are_refused_with_a_message() {
    let base = Hyper::defaults(OptimizerKind::Adam);
    let cases: Vec<(Hyper, &str)> = vec![
        (
            Hyper {
                lr: f64::NAN,
                ..base
            },
            "learning rate must be a finite number, got NaN",
        ),
        (
            Hyper { lr: -0.1, ..base },
            "learning rate is out of range: must be greater than 0, got -0.1",
        ),
        (
            Hyper { lr: 0.0, ..base },
            "learning rate is out of range: must be greater than 0, got 0",
        ),
        (
            Hyper {
                momentum: 1.0,
                ..base
            },
            "momentum is out of range: must be at least 0 and less than 1, got 1",
        ),
        (
            Hyper {
                momentum: -0.5,
                ..base
            },
            "momentum is out of range: must be at least 0 and less than 1, got -0.5",
        ),
        (
            Hyper { beta1: 1.5, ..base },
            "beta1 is out of range: must be at least 0 and less than 1, got 1.5",
        ),
        (
            Hyper {
                beta2: f64::INFINITY,
                ..base
            },
            "beta2 must be a finite number, got inf",
        ),
        (
            Hyper { alpha: 1.0, ..base },
            "alpha is out of range: must be at least 0 and less than 1, got 1",
        ),
        (
            Hyper { eps: 0.0, ..base },
            "eps is out of range: must be greater than 0, got 0",
        ),
    ];
    for (hyper, message) in cases {
        assert_eq!(hyper.validate().unwrap_err().to_string(), message);
        assert!(build::<f64>(OptimizerKind::Sgd, hyper).is_err());
    }
    assert!(matches!(
        Hyper {
            lr: f64::NAN,
            ..base
        }
        .validate(),
        Err(Error::NotFinite { .. })
    ));
}

#[test]
fn values_are_checked_in_the_precision_the_optimiser_computes_in() {
    // 1e-50 is a fine f64 but 0 as an f32: an f32 optimiser would train nothing.
    let tiny = Hyper {
        lr: 1e-50,
        ..Hyper::defaults(OptimizerKind::Adam)
    };
    assert!(build::<f64>(OptimizerKind::Adam, tiny).is_ok());
    let err = build::<f32>(OptimizerKind::Adam, tiny)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("learning rate") && err.contains("1e-50 is 0 in single precision"),
        "{err}"
    );
    // eps 1e-50 likewise (Adam would divide by √v + 0).
    let eps = Hyper {
        eps: 1e-50,
        ..Hyper::defaults(OptimizerKind::Adam)
    };
    let err = build::<f32>(OptimizerKind::Adam, eps)
        .err()
        .unwrap()
        .to_string();
    assert!(err.starts_with("eps is out of range"), "{err}");
    // β₂ = 0.99999999 rounds to 1 in f32: 1 − β₂ᵗ would be 0.
    let beta2 = Hyper {
        beta2: 0.999_999_99,
        ..Hyper::defaults(OptimizerKind::Adam)
    };
    let err = build::<f32>(OptimizerKind::Adam, beta2)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("0.99999999 is 1 in single precision"), "{err}");
    // 1e39 overflows f32 to infinity.
    let huge = Hyper {
        lr: 1e39,
        ..Hyper::defaults(OptimizerKind::Sgd)
    };
    assert!(build::<f32>(OptimizerKind::Sgd, huge).is_err());
    assert!(build::<f64>(OptimizerKind::Sgd, huge).is_ok());
}

#[test]
fn set_hyper_keeps_state_and_refuses_bad_values() {
    // Momentum on f(w) = w² from 1 with lr 0.1: step 1 gives b = 2, w = 0.8.
    // Then lr → 0.05: g = 1.6, b = 1.8 + 1.6 = 3.4 (velocity kept), w = 0.8 − 0.17 = 0.63.
    let kind = OptimizerKind::Momentum;
    let mut opt = build::<f64>(
        kind,
        Hyper {
            lr: 0.1,
            ..Hyper::defaults(kind)
        },
    )
    .unwrap();
    let mut w = [1.0];
    opt.update(0, &mut w, &[2.0]);
    let bad = Hyper {
        lr: -1.0,
        ..opt.hyper()
    };
    assert!(opt.set_hyper(bad).is_err());
    assert_eq!(opt.hyper().lr, 0.1, "a refused change changes nothing");
    opt.set_hyper(Hyper {
        lr: 0.05,
        ..opt.hyper()
    })
    .unwrap();
    opt.update(0, &mut w, &[1.6]);
    assert!((w[0] - 0.63).abs() < 1e-15);
    assert!((opt.state(0)[0].1[0] - 3.4).abs() < 1e-15);
}

#[test]
fn reset_forgets_everything() {
    for kind in OptimizerKind::ALL {
        let mut opt = build::<f64>(kind, Hyper::defaults(kind)).unwrap();
        let mut fresh = build::<f64>(kind, Hyper::defaults(kind)).unwrap();
        let mut w = [1.0, -2.0];
        for _ in 0..3 {
            opt.update(0, &mut w, &[0.5, 0.25]);
        }
        opt.reset();
        assert!(opt.state(0).is_empty(), "{kind:?}");
        // After reset a step is a first step again.
        let (mut a, mut b) = ([1.0, -2.0], [1.0, -2.0]);
        opt.update(0, &mut a, &[0.5, 0.25]);
        fresh.update(0, &mut b, &[0.5, 0.25]);
        assert_eq!(a, b, "{kind:?}");
    }
}

#[test]
fn hyper_serialises_as_plain_fields() {
    let h = Hyper::defaults(OptimizerKind::Adam);
    let json = serde_json::to_string(&h).unwrap();
    assert_eq!(
        json,
        r#"{"lr":0.001,"momentum":0.9,"beta1":0.9,"beta2":0.999,"alpha":0.99,"eps":1e-8}"#
    );
    assert_eq!(serde_json::from_str::<Hyper>(&json).unwrap(), h);
    for kind in OptimizerKind::ALL {
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.name()));
        assert_eq!(serde_json::from_str::<OptimizerKind>(&json).unwrap(), kind);
    }
}

#[test]
fn adam_moments_of_a_unit_that_stops_learning_go_to_zero_not_subnormal() {
    // One gradient, then none (a ReLU unit that died): m shrinks by β1 = 0.9
    // a step and would spend hundreds of steps as a subnormal float, which
    // x86 (and wasm on it) computes many times slower. It must jump to 0.
    let kind = OptimizerKind::Adam;
    let mut opt = build::<f32>(kind, Hyper::defaults(kind)).unwrap();
    let mut w = [0.5f32];
    opt.update(0, &mut w, &[1.0]);
    let mut zero_at = None;
    for step in 1..2000 {
        opt.update(0, &mut w, &[0.0]);
        let state = opt.state(0);
        let m = state.iter().find(|(name, _)| *name == "m").unwrap().1[0] as f32;
        assert!(
            m == 0.0 || m.is_normal(),
            "step {step}: m = {m:e} is subnormal"
        );
        if m == 0.0 && zero_at.is_none() {
            zero_at = Some(step);
        }
    }
    // 0.1·0.9ⁿ falls below ~1e-30 after about 630 steps.
    let zero_at = zero_at.expect("m reaches 0");
    assert!(
        (600..700).contains(&zero_at),
        "m became 0 at step {zero_at}"
    );
    assert!(w[0].is_finite());
}

/// What a team of workers relies on to move training between them: a slot's
/// state taken from one optimiser and given to a fresh one continues the
/// same trajectory, bit for bit.
#[test]
fn a_slot_state_moved_to_a_fresh_optimiser_continues_bit_for_bit() {
    let grads = |k: usize| -> Vec<f32> {
        (0..5)
            .map(|i| ((k * 7 + i * 3) % 11) as f32 * 0.1 - 0.5)
            .collect()
    };
    for kind in OptimizerKind::ALL {
        let mut a = build::<f32>(kind, Hyper::defaults(kind)).unwrap();
        let mut w_a = vec![0.3f32, -0.2, 0.1, 0.7, -1.0];
        assert_eq!(
            a.slot_state(0),
            None,
            "{kind:?}: nothing before the first update"
        );
        for k in 0..3 {
            a.update(0, &mut w_a, &grads(k));
        }
        let state = a.slot_state(0);
        let vectors = state.as_ref().map_or(0, |s| s.vectors.len());
        assert_eq!(vectors, kind.state_vectors(), "{kind:?}");
        if kind == OptimizerKind::Adam {
            assert_eq!(state.as_ref().unwrap().steps, 3, "Adam's t moves too");
        }
        let mut b = build::<f32>(kind, Hyper::defaults(kind)).unwrap();
        b.set_slot_state(0, state).unwrap();
        let mut w_b = w_a.clone();
        for k in 3..6 {
            a.update(0, &mut w_a, &grads(k));
            b.update(0, &mut w_b, &grads(k));
        }
        assert_eq!(w_a, w_b, "{kind:?}");
        assert_eq!(a.state(0), b.state(0), "{kind:?}");
        // Forgetting a slot's state is setting it to none: the next update is a first one.
        b.set_slot_state(0, None).unwrap();
        assert_eq!(b.slot_state(0), None, "{kind:?}");
    }
}

#[test]
fn a_slot_state_of_the_wrong_shape_is_refused() {
    use nnlab::optim::SlotState;
    let mut adam = build::<f32>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam)).unwrap();
    let one = SlotState {
        vectors: vec![vec![0.0; 3]],
        steps: 1,
    };
    let err = adam.set_slot_state(0, Some(one.clone())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid data: adam keeps 2 state vectors of equal length per parameter, not 1"
    );
    let uneven = SlotState {
        vectors: vec![vec![0.0; 3], vec![0.0; 2]],
        steps: 1,
    };
    assert!(adam.set_slot_state(0, Some(uneven)).is_err());
    let mut sgd = build::<f32>(OptimizerKind::Sgd, Hyper::defaults(OptimizerKind::Sgd)).unwrap();
    assert!(sgd.set_slot_state(0, Some(one)).is_err());
    assert!(sgd.set_slot_state(0, None).is_ok());
}
