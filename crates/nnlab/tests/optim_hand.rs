//! Every optimiser, two or three steps on a problem small enough to do by
//! hand. Unless stated otherwise the problem is f(w) = w², so g = 2w, from w = 1.

use nnlab::optim::{build, Hyper, Optimizer, OptimizerKind};

fn optimizer(kind: OptimizerKind, lr: f64) -> Box<dyn Optimizer<f64>> {
    build(
        kind,
        Hyper {
            lr,
            ..Hyper::defaults(kind)
        },
    )
    .unwrap()
}

/// Steps f(w) = w² from w = 1 and returns w after each step.
fn square_steps(opt: &mut dyn Optimizer<f64>, n: usize) -> Vec<f64> {
    let mut w = [1.0];
    (0..n)
        .map(|_| {
            let g = [2.0 * w[0]];
            opt.update(0, &mut w, &g);
            w[0]
        })
        .collect()
}

fn assert_close(actual: &[f64], expected: &[f64], tol: f64) {
    assert_eq!(actual.len(), expected.len());
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (a - e).abs() <= tol,
            "got {actual:?}, expected {expected:?}"
        );
    }
}

#[test]
fn sgd_by_hand() {
    // lr 0.1: w ← w − 0.1·2w = 0.8w.
    // w1 = 0.8, w2 = 0.64, w3 = 0.512.
    let mut opt = optimizer(OptimizerKind::Sgd, 0.1);
    assert_close(&square_steps(opt.as_mut(), 3), &[0.8, 0.64, 0.512], 1e-15);
    assert!(opt.state(0).is_empty(), "SGD keeps no state");
}

#[test]
fn momentum_by_hand() {
    // lr 0.1, μ 0.9; b ← 0.9b + g (first step b = g); w ← w − 0.1b.
    // step 1: g = 2,    b = 2,                  w = 1 − 0.2     = 0.8
    // step 2: g = 1.6,  b = 1.8 + 1.6 = 3.4,    w = 0.8 − 0.34  = 0.46
    // step 3: g = 0.92, b = 3.06 + 0.92 = 3.98, w = 0.46 − 0.398 = 0.062
    let mut opt = optimizer(OptimizerKind::Momentum, 0.1);
    assert_close(&square_steps(opt.as_mut(), 3), &[0.8, 0.46, 0.062], 1e-15);
    let state = opt.state(0);
    assert_eq!(state.len(), 1);
    assert_eq!(state[0].0, "velocity");
    assert_close(&state[0].1, &[3.98], 1e-15);
}

#[test]
fn nesterov_lecture_form_by_hand() {
    // The lecture: velocity = past_velocity·μ − lr·g; w = w + μ·velocity − lr·g.
    // lr 0.1, μ 0.9, past_velocity starts at 0.
    // step 1: g = 2,      v = 0 − 0.2 = −0.2,
    //         w = 1 + 0.9·(−0.2) − 0.2 = 1 − 0.18 − 0.2 = 0.62
    // step 2: g = 1.24,   v = −0.18 − 0.124 = −0.304,
    //         w = 0.62 − 0.2736 − 0.124 = 0.2224
    // step 3: g = 0.4448, v = −0.2736 − 0.04448 = −0.31808,
    //         w = 0.2224 − 0.286272 − 0.04448 = −0.108352  (it overshoots 0)
    let mut opt = optimizer(OptimizerKind::Nesterov, 0.1);
    assert!(opt.state(0).is_empty());
    assert_close(&square_steps(opt.as_mut(), 2), &[0.62, 0.2224], 1e-15);
    let state = opt.state(0);
    assert_eq!(state[0].0, "past_velocity");
    assert_eq!(state[1].0, "velocity");
    assert_close(&state[0].1, &[-0.2], 1e-15);
    assert_close(&state[1].1, &[-0.304], 1e-15);

    let mut w = [0.2224];
    opt.update(0, &mut w, &[0.4448]);
    assert_close(&w, &[-0.108352], 1e-15);
    assert_close(&opt.state(0)[1].1, &[-0.31808], 1e-15);
}

#[test]
fn adagrad_by_hand_scales_each_coordinate() {
    // f(x, y) = x² + 10y², g = (2x, 20y), from (1, 1), lr 0.1, eps 1e-10.
    // step 1: g = (2, 20), s = (4, 400), √s = (2, 20): both coordinates move
    //         by lr·g/√s = 0.1 → (0.9, 0.9), less an eps correction of
    //         0.1·eps/√s = 5e-12 and 5e-13: x1 = 0.900000000005, y1 = 0.9000000000005.
    // step 2: g = (1.8, 18), s = (4 + 3.24, 400 + 324) = (7.24, 724);
    //         x2 = 0.9 − 0.1·1.8/√7.24 = 0.9 − 0.18/2.690724809414742 = 0.833103526837755,
    //         and y2 = 0.9 − 0.1·18/√724 is the same number (√724 = 10·√7.24):
    //         Adagrad does not care that y is 10 times steeper.
    //         With the eps corrections carried along: 0.8331035268450359, 0.8331035268384831.
    let mut opt = optimizer(OptimizerKind::Adagrad, 0.1);
    let mut p = [1.0, 1.0];
    let mut after = Vec::new();
    for _ in 0..2 {
        let g = [2.0 * p[0], 20.0 * p[1]];
        opt.update(0, &mut p, &g);
        after.push(p);
    }
    assert_close(&after[0], &[0.900000000005, 0.9000000000005], 1e-15);
    assert_close(&after[1], &[0.8331035268450359, 0.8331035268384831], 1e-14);
    assert_close(&after[1], &[0.833103526837755, 0.833103526837755], 1e-10);
    let state = opt.state(0);
    assert_eq!(state[0].0, "s");
    assert_close(&state[0].1, &[7.24, 724.0], 1e-9);
}

#[test]
fn rmsprop_by_hand() {
    // lr 0.01, α 0.99, eps 1e-8; v ← 0.99v + 0.01g², w ← w − 0.01·g/(√v + eps).
    // step 1: g = 2,   v = 0.01·4 = 0.04, √v = 0.2,
    //         w = 1 − 0.01·2/0.2 = 0.9: ten times an SGD step, since v starts at 0
    //         (eps shifts it by 0.01·2·1e-8/0.2² = 5e-9: 0.900000005).
    // step 2: g = 1.8, v = 0.0396 + 0.0324 = 0.072,
    //         w = 0.9 − 0.01·1.8/√0.072 = 0.9 − 0.01·√45 = 0.8329179606750063
    //         (carrying step 1's eps shift and this step's: 0.8329179679700331).
    let mut opt = optimizer(OptimizerKind::RmsProp, 0.01);
    let w = square_steps(opt.as_mut(), 2);
    assert_close(&w, &[0.900000005, 0.8329179679700331], 1e-15);
    assert_close(&w[1..], &[0.8329179606750063], 1e-8);
    let state = opt.state(0);
    assert_eq!(state[0].0, "v");
    assert_close(&state[0].1, &[0.072], 1e-9);
}

#[test]
fn adam_by_hand() {
    // lr 0.1, β1 0.9, β2 0.999, eps 1e-8.
    // step 1: g = 2, m = 0.1·2 = 0.2, v = 0.001·4 = 0.004;
    //         bias-corrected m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4, √v̂ = 2;
    //         w = 1 − 0.1·2/(2 + 1e-8) = 0.9 + 5e-10 = 0.9000000005.
    //         (The first Adam step is lr·sign(g), whatever the size of g.)
    // step 2: g = 1.800000001, m = 0.18 + 0.18 = 0.3600000001,
    //         v = 0.003996 + 0.001·3.240000004 = 0.0072360000036;
    //         m̂ = m/(1 − 0.81) = 1.894736842631579, v̂ = v/(1 − 0.998001) = 3.619809906753377,
    //         √v̂ = 1.902579802736284, w = 0.9000000005 − 0.1·1.894736842631579/1.902579802736284
    //         = 0.9000000005 − 0.09958777180 = 0.8004122286917927.
    let mut opt = optimizer(OptimizerKind::Adam, 0.1);
    let w = square_steps(opt.as_mut(), 2);
    assert_close(&w, &[0.9000000005, 0.8004122286917927], 1e-15);
    let state = opt.state(0);
    assert_eq!(state[0].0, "m");
    assert_eq!(state[1].0, "v");
    assert_close(&state[0].1, &[0.3600000001], 1e-15);
    assert_close(&state[1].1, &[0.0072360000036], 1e-15);
}

#[test]
fn first_adam_step_is_lr_whatever_the_gradient() {
    // m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g).
    for g in [1e-3, 1.0, 1e3, -50.0] {
        let mut opt = optimizer(OptimizerKind::Adam, 0.01);
        let mut w = [0.0];
        opt.update(0, &mut w, &[g]);
        assert!(
            (w[0] + 0.01 * g.signum()).abs() < 1e-7,
            "g = {g}: w = {}",
            w[0]
        );
    }
}

#[test]
fn slots_have_separate_state_and_step_counts() {
    // Slot 0 takes two steps, slot 1 one: slot 1's first step is a first step
    // (Adam's is lr·sign(g) = 0.1), not a second.
    let mut opt = optimizer(OptimizerKind::Adam, 0.1);
    let mut a = [1.0];
    opt.update(0, &mut a, &[2.0]);
    opt.update(0, &mut a, &[2.0]);
    let mut b = [1.0];
    opt.update(1, &mut b, &[2.0]);
    assert!((b[0] - 0.9).abs() < 1e-8);
    // m = (1 − β1)·g = 0.2 (1 − 0.9 rounds to 0.09999999999999998 in f64).
    assert_close(&opt.state(1)[0].1, &[0.2], 1e-15);
    assert!(opt.state(2).is_empty());
}

#[test]
fn works_in_f32_for_networks() {
    // Same momentum problem as above, in f32: 0.8, 0.46, 0.062.
    let mut opt = build::<f32>(
        OptimizerKind::Momentum,
        Hyper {
            lr: 0.1,
            ..Hyper::defaults(OptimizerKind::Momentum)
        },
    )
    .unwrap();
    let mut w = [1.0f32];
    let mut seen = Vec::new();
    for _ in 0..3 {
        let g = [2.0 * w[0]];
        opt.update(0, &mut w, &g);
        seen.push(w[0]);
    }
    for (a, e) in seen.iter().zip([0.8f32, 0.46, 0.062]) {
        assert!((a - e).abs() < 1e-6, "{seen:?}");
    }
}
