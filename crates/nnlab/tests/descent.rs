//! Descent: stepping, stopping on divergence, resetting; and raw trajectories.

use nnlab::descent::{trajectory, Descent, Divergence, Status, MAX_TRAJECTORY_STEPS};
use nnlab::optim::{build, Hyper, OptimizerKind};
use nnlab::surfaces::by_name;
use nnlab::Error;

fn sgd(lr: f64) -> Hyper {
    Hyper {
        lr,
        ..Hyper::defaults(OptimizerKind::Sgd)
    }
}

fn descent(surface: &str, kind: OptimizerKind, hyper: Hyper, start: &[f64]) -> Descent {
    Descent::new(
        by_name(surface).unwrap(),
        build(kind, hyper).unwrap(),
        start,
    )
    .unwrap()
}

#[test]
fn steps_follow_the_gradient() {
    // ill-conditioned f = 0.5(x² + 50y²), ∇f = (x, 50y). SGD lr 0.01 from (2, 1):
    // loss 0.5·(4 + 50) = 27, gradient (2, 50);
    // step 1: (2 − 0.02, 1 − 0.5) = (1.98, 0.5), loss 0.5·(3.9204 + 12.5) = 8.2102.
    let mut d = descent(
        "ill-conditioned",
        OptimizerKind::Sgd,
        sgd(0.01),
        &[2.0, 1.0],
    );
    assert_eq!((d.loss(), d.grad(), d.steps()), (27.0, &[2.0, 50.0][..], 0));
    assert_eq!(d.step(), Status::Running);
    assert_eq!(d.steps(), 1);
    assert!((d.point()[0] - 1.98).abs() < 1e-15 && (d.point()[1] - 0.5).abs() < 1e-15);
    assert!((d.loss() - 8.2102).abs() < 1e-12);
    assert!((d.grad()[1] - 25.0).abs() < 1e-12);
    assert_eq!(d.surface().name, "ill-conditioned");
    assert_eq!(d.optimizer().kind(), OptimizerKind::Sgd);
}

#[test]
fn exploding_loss_stops_at_the_last_good_point() {
    // Rosenbrock from (−1.5, 2): loss 2.5² + 100·0.25² = 12.5, ∇f = (−155, −50).
    // SGD at lr 1 jumps to (153.5, 52), loss ≈ 100·153.5⁴ ≈ 5.5e10 > 1e6·(1 + 12.5).
    let mut d = descent("rosenbrock", OptimizerKind::Sgd, sgd(1.0), &[-1.5, 2.0]);
    assert_eq!(d.loss(), 12.5);
    assert_eq!(d.step(), Status::Diverged(Divergence::Exploding));
    assert_eq!(d.point(), &[-1.5, 2.0]);
    assert_eq!(d.loss(), 12.5);
    assert_eq!(d.steps(), 0);
    // Further steps do nothing.
    assert_eq!(d.step_n(10), Status::Diverged(Divergence::Exploding));
    assert_eq!(d.point(), &[-1.5, 2.0]);
}

#[test]
fn overflow_is_reported_as_not_finite() {
    // lr 1e200 sends the point to ~1e202, whose fourth power overflows: loss = inf.
    let mut d = descent("rosenbrock", OptimizerKind::Sgd, sgd(1e200), &[-1.5, 2.0]);
    assert_eq!(d.step(), Status::Diverged(Divergence::NotFinite));
    assert_eq!(d.status(), Status::Diverged(Divergence::NotFinite));
    assert_eq!(d.point(), &[-1.5, 2.0]);
    assert!(d.loss().is_finite());
}

#[test]
fn running_far_out_of_the_view_is_exploding() {
    // The plateau's loss never exceeds 1, so only distance can tell. At (−5, 3.5)
    // ∂f/∂x = (−5/4)·e^(−37.25/8) ≈ −0.0119; SGD at lr 1e6 moves x by ≈ +11900,
    // more than 1000 half-widths (7) of the view from its centre.
    let mut d = descent("plateau", OptimizerKind::Sgd, sgd(1e6), &[-5.0, 3.5]);
    assert_eq!(d.step(), Status::Diverged(Divergence::Exploding));
    assert_eq!(d.point(), &[-5.0, 3.5]);
}

#[test]
fn step_n_stops_early_and_reset_starts_again() {
    let mut d = descent(
        "rosenbrock",
        OptimizerKind::Momentum,
        sgd(0.01),
        &[-1.5, 2.0],
    );
    let status = d.step_n(1000);
    assert!(matches!(status, Status::Diverged(_)), "{status:?}");
    assert!(d.steps() < 1000);
    // Lower the learning rate and start again: now it runs.
    let hyper = Hyper {
        lr: 1e-4,
        ..d.optimizer().hyper()
    };
    d.optimizer_mut().set_hyper(hyper).unwrap();
    d.reset(&[-1.5, 2.0]).unwrap();
    assert_eq!((d.steps(), d.status()), (0, Status::Running));
    assert!(
        d.optimizer().state(0).is_empty(),
        "reset clears the velocity"
    );
    assert_eq!(d.step_n(1000), Status::Running);
    assert_eq!(d.steps(), 1000);
    assert!(d.loss() < 12.5);
}

#[test]
fn bad_start_points_are_refused() {
    let s = by_name("double-well").unwrap();
    let opt = || build::<f64>(OptimizerKind::Adam, Hyper::defaults(OptimizerKind::Adam)).unwrap();
    assert!(matches!(
        Descent::new(s.clone(), opt(), &[1.0, 2.0]),
        Err(Error::WrongDimension {
            expected: 1,
            got: 2,
            ..
        })
    ));
    assert!(Descent::new(s.clone(), opt(), &[f64::INFINITY]).is_err());
    // f(1e100) = 1e400 overflows: no sensible walk can start there.
    assert!(matches!(
        Descent::new(s.clone(), opt(), &[1e100]),
        Err(Error::NotFinite { .. })
    ));
    let mut d = Descent::new(s, opt(), &[1.9]).unwrap();
    assert!(d.reset(&[]).is_err());
    assert_eq!(d.point(), &[1.9], "a refused reset changes nothing");
}

#[test]
fn one_dimensional_descent() {
    // Double well f = x⁴ − 3x² + x from 1.9, lr 0.02: f′(1.9) = 4·6.859 − 11.4 + 1 = 17.036,
    // x1 = 1.9 − 0.34072 = 1.55928.
    let mut d = descent("double-well", OptimizerKind::Sgd, sgd(0.02), &[1.9]);
    d.step();
    assert!((d.point()[0] - 1.55928).abs() < 1e-12);
    d.step_n(500);
    assert!((d.point()[0] - 1.130_901_122_629_986).abs() < 1e-9);
}

#[test]
fn trajectory_records_start_and_every_step() {
    // Same walk as steps_follow_the_gradient, three steps: x ← 0.99x, y ← 0.5y.
    let s = by_name("ill-conditioned").unwrap();
    let t = trajectory(&s, OptimizerKind::Sgd, sgd(0.01), &[2.0, 1.0], 3).unwrap();
    assert_eq!(t.points.len(), 4);
    assert_eq!(t.losses.len(), 4);
    assert_eq!(t.points[0], vec![2.0, 1.0]);
    assert_eq!(t.losses[0], 27.0);
    let expected = [[1.98, 0.5], [1.9602, 0.25], [1.940598, 0.125]];
    for (p, e) in t.points[1..].iter().zip(expected) {
        assert!(
            (p[0] - e[0]).abs() < 1e-14 && (p[1] - e[1]).abs() < 1e-14,
            "{p:?}"
        );
    }
    for (p, &loss) in t.points.iter().zip(&t.losses) {
        assert_eq!(loss, s.value(p));
    }
    // Zero steps: just the start.
    let t0 = trajectory(
        &s,
        OptimizerKind::Adam,
        Hyper::defaults(OptimizerKind::Adam),
        &[2.0, 1.0],
        0,
    )
    .unwrap();
    assert_eq!(t0.points, vec![vec![2.0, 1.0]]);
}

#[test]
fn trajectory_matches_descent_while_it_runs() {
    let s = by_name("beale").unwrap();
    let hyper = Hyper {
        lr: 0.01,
        ..Hyper::defaults(OptimizerKind::Adam)
    };
    let t = trajectory(&s, OptimizerKind::Adam, hyper, &s.default_start, 100).unwrap();
    let mut d = descent("beale", OptimizerKind::Adam, hyper, &s.default_start);
    for (p, &loss) in t.points.iter().zip(&t.losses) {
        assert_eq!(d.point(), &p[..]);
        assert_eq!(d.loss(), loss);
        d.step();
    }
}

#[test]
fn trajectory_keeps_nan_and_inf() {
    // The diverging Rosenbrock walk of exploding_loss_stops_at_the_last_good_point,
    // recorded raw: the numbers blow up to inf and then NaN and stay in the record.
    let s = by_name("rosenbrock").unwrap();
    let t = trajectory(&s, OptimizerKind::Sgd, sgd(1.0), &[-1.5, 2.0], 6).unwrap();
    assert_eq!(t.points.len(), 7);
    assert_eq!(t.losses.len(), 7);
    assert_eq!(t.points[1], vec![153.5, 52.0]);
    assert!(!t.losses[6].is_finite(), "{:?}", t.losses);
    assert!(t.points[6].iter().any(|c| !c.is_finite()));
}

#[test]
fn trajectory_refuses_bad_input() {
    let s = by_name("himmelblau").unwrap();
    let kind = OptimizerKind::Nesterov;
    let ok = Hyper::defaults(kind);
    assert!(trajectory(&s, kind, ok, &[0.0], 10).is_err());
    assert!(trajectory(
        &s,
        kind,
        Hyper {
            momentum: 1.0,
            ..ok
        },
        &[0.0, 0.0],
        10
    )
    .is_err());
    let err = trajectory(&s, kind, ok, &[0.0, 0.0], MAX_TRAJECTORY_STEPS + 1).unwrap_err();
    assert_eq!(
        err.to_string(),
        "number of steps is out of range: at most 1000000, got 1000001"
    );
}

#[test]
fn trajectory_serialises_to_json() {
    let s = by_name("double-well").unwrap();
    let t = trajectory(&s, OptimizerKind::Sgd, sgd(0.5), &[0.0], 1).unwrap();
    // f′(0) = 1, so x1 = 0 − 0.5 = −0.5, f(−0.5) = 0.0625 − 0.75 − 0.5 = −1.1875.
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        r#"{"points":[[0.0],[-0.5]],"losses":[0.0,-1.1875]}"#
    );
}
