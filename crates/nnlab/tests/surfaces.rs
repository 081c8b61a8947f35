//! The surfaces: values and gradients at points worked out by hand, the
//! listed minima, and the behaviour each surface is there to show.

use nnlab::autodiff::Tape;
use nnlab::optim::{build, Hyper, OptimizerKind};
use nnlab::surfaces::{all, by_name, Surface, NAMES};
use nnlab::Error;

fn surface(name: &str) -> Surface {
    by_name(name).unwrap()
}

fn assert_close(actual: f64, expected: f64, tol: f64) {
    assert!(
        (actual - expected).abs() <= tol,
        "got {actual}, expected {expected}"
    );
}

#[test]
fn names_and_lookup() {
    let names: Vec<&str> = all().iter().map(|s| s.name).collect();
    assert_eq!(names, NAMES);
    assert_eq!(
        by_name("sphere").unwrap_err().to_string(),
        "unknown surface 'sphere' (known: rosenbrock, beale, himmelblau, ill-conditioned, saddle, plateau, double-well)"
    );
    for s in all() {
        assert_eq!(s.dim, if s.name == "double-well" { 1 } else { 2 });
        assert_eq!(s.default_start.len(), s.dim);
        assert!(!s.formula_text.is_empty());
    }
}

#[test]
fn values_by_hand() {
    let cases: &[(&str, &[f64], f64)] = &[
        // (1−x)² + 100(y−x²)²
        ("rosenbrock", &[0.0, 0.0], 1.0),
        ("rosenbrock", &[-1.0, 2.0], 104.0), // 2² + 100·1²
        ("rosenbrock", &[2.0, 3.0], 101.0),  // 1 + 100·(3 − 4)²
        ("rosenbrock", &[1.0, 1.0], 0.0),
        // (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²
        ("beale", &[0.0, 0.0], 14.203125), // 2.25 + 5.0625 + 6.890625
        ("beale", &[1.0, 2.0], 126.453125), // 2.5² + 5.25² + 9.625²
        ("beale", &[3.0, 0.5], 0.0),       // 1.5−3+1.5, 2.25−3+0.75, 2.625−3+0.375
        // (x²+y−11)² + (x+y²−7)²
        ("himmelblau", &[0.0, 0.0], 170.0), // 121 + 49
        ("himmelblau", &[1.0, 1.0], 106.0), // 81 + 25
        ("himmelblau", &[3.0, 2.0], 0.0),
        // 0.5(x² + 50y²)
        ("ill-conditioned", &[2.0, 1.0], 27.0),
        ("ill-conditioned", &[-8.0, 2.0], 132.0),
        // x² + ½(y² − 1)²
        ("saddle", &[0.0, 0.0], 0.5),
        ("saddle", &[1.0, 0.0], 1.5),
        ("saddle", &[2.0, 2.0], 8.5), // 4 + ½·9
        ("saddle", &[0.0, -1.0], 0.0),
        // 1 − exp(−(x² + y²)/8)
        ("plateau", &[0.0, 0.0], 0.0),
        ("plateau", &[2.0, 2.0], 0.632_120_558_828_557_7), // 1 − e⁻¹
        // x⁴ − 3x² + x
        ("double-well", &[0.0], 0.0),
        ("double-well", &[1.0], -1.0),
        ("double-well", &[-1.0], -3.0),
        ("double-well", &[2.0], 6.0),
    ];
    for &(name, p, expected) in cases {
        assert_close(surface(name).value(p), expected, 1e-13);
    }
}

#[test]
fn gradients_by_hand() {
    let cases: &[(&str, &[f64], &[f64])] = &[
        // ∂x = −2(1−x) − 400x(y−x²), ∂y = 200(y−x²)
        ("rosenbrock", &[0.0, 0.0], &[-2.0, 0.0]),
        ("rosenbrock", &[-1.0, 2.0], &[396.0, 200.0]),
        // At (0, 0) each term's ∂/∂x is 2·(constant)·(−1 + yᵏ) = −2·constant; ∂/∂y has a factor x.
        ("beale", &[0.0, 0.0], &[-12.75, 0.0]), // −3 − 4.5 − 5.25
        // ∂x = 4x(x²+y−11) + 2(x+y²−7), ∂y = 2(x²+y−11) + 4y(x+y²−7)
        ("himmelblau", &[0.0, 0.0], &[-14.0, -22.0]),
        ("himmelblau", &[1.0, 1.0], &[-46.0, -38.0]), // 4·(−9) + 2·(−5), 2·(−9) + 4·(−5)
        // (x, 50y)
        ("ill-conditioned", &[2.0, 1.0], &[2.0, 50.0]),
        // (2x, 2y(y² − 1))
        ("saddle", &[1.0, 2.0], &[2.0, 12.0]),
        ("saddle", &[0.0, 0.0], &[0.0, 0.0]),
        // (x, y)/4 · exp(−(x² + y²)/8): at (2, 2), 0.5/e each
        (
            "plateau",
            &[2.0, 2.0],
            &[0.183_939_720_585_721_16, 0.183_939_720_585_721_16],
        ),
        // 4x³ − 6x + 1
        ("double-well", &[1.0], &[-1.0]),
        ("double-well", &[0.0], &[1.0]),
        ("double-well", &[-2.0], &[-19.0]),
    ];
    for &(name, p, expected) in cases {
        let (_, g) = surface(name).value_and_grad(p);
        for (a, e) in g.iter().zip(expected) {
            assert_close(*a, *e, 1e-12);
        }
    }
}

#[test]
fn every_listed_minimum_is_a_minimum() {
    for s in all() {
        assert!(!s.minima.is_empty(), "{}", s.name);
        let lowest = s
            .minima
            .iter()
            .map(|m| m.value)
            .fold(f64::INFINITY, f64::min);
        for m in &s.minima {
            let (value, grad) = s.value_and_grad(&m.point);
            assert_close(value, m.value, 1e-12);
            let norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
            assert!(norm < 1e-10, "{}: |∇f| = {norm:e} at {:?}", s.name, m.point);
            assert_eq!(m.global, m.value == lowest, "{} {:?}", s.name, m.point);
            // Every nearby point is higher: a minimum, not a saddle.
            for axis in 0..s.dim {
                for delta in [-1e-3, 1e-3] {
                    let mut q = m.point.clone();
                    q[axis] += delta;
                    assert!(s.value(&q) > m.value, "{} {:?} {q:?}", s.name, m.point);
                }
            }
        }
    }
}

#[test]
fn minima_and_default_start_lie_in_the_view() {
    for s in all() {
        let inside = |p: &[f64]| {
            let (x0, x1) = s.view.x;
            let ok_x = x0 < p[0] && p[0] < x1;
            match p.get(1) {
                Some(&y) => ok_x && s.view.y.0 < y && y < s.view.y.1,
                None => ok_x && s.view.y.0 < s.value(p) && s.value(p) < s.view.y.1,
            }
        };
        assert!(inside(&s.default_start), "{}", s.name);
        for m in &s.minima {
            assert!(inside(&m.point), "{} {:?}", s.name, m.point);
        }
    }
}

#[test]
fn himmelblau_minima_to_full_precision() {
    // f = 0 exactly at a minimum, so f being ~1e-30 there means each bracket
    // x²+y−11 and x+y²−7 vanishes to ~1e-15: the digits given are all right.
    let s = surface("himmelblau");
    assert_eq!(s.minima.len(), 4);
    for m in &s.minima {
        assert!(s.value(&m.point) < 1e-28, "{:?}", m.point);
    }
    // The four are different points, one per quadrant.
    let mut quadrants: Vec<(bool, bool)> = s
        .minima
        .iter()
        .map(|m| (m.point[0] > 0.0, m.point[1] > 0.0))
        .collect();
    quadrants.sort();
    quadrants.dedup();
    assert_eq!(quadrants.len(), 4);
}

#[test]
fn double_well_minima_are_the_roots_of_the_cubic() {
    // f′ = 4x³ − 6x + 1 = 0 ⇔ x³ − 1.5x + 0.25 = 0, a depressed cubic t³ + pt + q
    // with p = −1.5, q = 0.25 and three real roots
    // x_k = 2√(−p/3)·cos(⅓·acos((3q/2p)·√(−3/p)) − 2πk/3) = √2·cos(⅓·acos(−√2/4) − 2πk/3).
    let root = |k: f64| {
        2f64.sqrt()
            * ((-(2f64.sqrt()) / 4.0).acos() / 3.0 - 2.0 * std::f64::consts::PI * k / 3.0).cos()
    };
    let (right, middle, left) = (root(0.0), root(1.0), root(2.0));
    assert_close(right, 1.130_901_122_629_986, 1e-14);
    assert_close(middle, 0.169_938_443_311_591_3, 1e-14);
    assert_close(left, -1.300_839_565_941_577, 1e-14);

    let s = surface("double-well");
    let global = s.minima.iter().find(|m| m.global).unwrap();
    let local = s.minima.iter().find(|m| !m.global).unwrap();
    assert_close(global.point[0], left, 1e-14);
    assert_close(local.point[0], right, 1e-14);
    // The lecture's picture: a shallow local minimum on the right, a deeper
    // global one on the left, a hump in between.
    assert!(global.value < local.value - 2.0);
    let hump = s.value(&[middle]);
    assert!(hump > local.value + 1.0 && hump > 0.0);
}

#[test]
fn eval_builds_on_a_callers_tape() {
    let s = surface("rosenbrock");
    let tape = Tape::new();
    let p = tape.vars(&[-1.0, 2.0]);
    let f = s.eval(&p);
    assert_eq!(f.value(), 104.0);
    assert_eq!(f.grad().wrt(p[0]), 396.0);
    assert!(tape.len() > 2, "the formula was recorded on the tape");
}

#[test]
fn check_point_refuses_bad_points() {
    let s = surface("beale");
    assert_eq!(s.check_point(&[1.0, 2.0]), Ok(()));
    assert_eq!(
        s.check_point(&[1.0]),
        Err(Error::WrongDimension {
            what: "a point on this surface",
            expected: 2,
            got: 1
        })
    );
    assert!(matches!(
        s.check_point(&[f64::NAN, 0.0]),
        Err(Error::NotFinite { .. })
    ));
    assert!(surface("double-well").check_point(&[0.0, 0.0]).is_err());
}

/// Runs `steps` steps of `kind` at `lr` from the surface's default start.
fn run(s: &Surface, kind: OptimizerKind, lr: f64, steps: usize) -> (Vec<f64>, f64) {
    let mut opt = build::<f64>(
        kind,
        Hyper {
            lr,
            ..Hyper::defaults(kind)
        },
    )
    .unwrap();
    let mut p = s.default_start.clone();
    for _ in 0..steps {
        let (_, g) = s.value_and_grad(&p);
        opt.update(0, &mut p, &g);
    }
    let loss = s.value(&p);
    (p, loss)
}

#[test]
fn sgd_at_the_default_lr_behaves_well_everywhere() {
    for s in all() {
        let start = s.value(&s.default_start);
        let mut previous = start;
        let mut p = s.default_start.clone();
        let mut opt = build::<f64>(
            OptimizerKind::Sgd,
            Hyper {
                lr: s.default_lr,
                ..Hyper::defaults(OptimizerKind::Sgd)
            },
        )
        .unwrap();
        for _ in 0..5000 {
            let (_, g) = s.value_and_grad(&p);
            opt.update(0, &mut p, &g);
            previous = s.value(&p);
            assert!(previous.is_finite(), "{}", s.name);
        }
        // Ends within 1e-2 of a listed minimum's loss, far below the start.
        let nearest = s
            .minima
            .iter()
            .map(|m| (previous - m.value).abs())
            .fold(f64::INFINITY, f64::min);
        assert!(
            nearest < 1e-2,
            "{}: loss {previous} after 5000 steps",
            s.name
        );
        assert!(previous < start, "{}", s.name);
    }
}

#[test]
fn double_well_small_steps_stay_in_the_local_minimum() {
    // The lecture's warning: from the right, a small learning rate settles in
    // the shallow minimum near 1.13 and never finds the global one.
    let s = surface("double-well");
    let (p, loss) = run(&s, OptimizerKind::Sgd, s.default_lr, 500);
    assert_close(p[0], 1.130_901_122_629_986, 1e-9);
    assert_close(loss, -1.070_230_181_776_154, 1e-9);
}

#[test]
fn saddle_stalls_then_escapes() {
    // From (−2, 0.001) at lr 0.05: x shrinks by 0.9 a step, so after 40 steps
    // x ≈ 2·0.9⁴⁰ ≈ 0.03 while y ≈ 0.001·1.1⁴⁰ ≈ 0.045 has barely moved: the
    // loss sits near the saddle's ½ with a tiny gradient. By step 150 y has grown
    // to the minimum (0, 1).
    let s = surface("saddle");
    let (p40, loss40) = run(&s, OptimizerKind::Sgd, s.default_lr, 40);
    assert!((loss40 - 0.5).abs() < 0.01, "loss {loss40} at {p40:?}");
    let (_, g40) = s.value_and_grad(&p40);
    assert!(g40.iter().all(|g| g.abs() < 0.1), "{g40:?}");
    let (p150, loss150) = run(&s, OptimizerKind::Sgd, s.default_lr, 150);
    assert!(loss150 < 1e-6, "loss {loss150} at {p150:?}");
    assert_close(p150[1], 1.0, 1e-3);
    // Started exactly on the ridge y = 0, gradient descent never leaves it.
    let mut opt = build::<f64>(
        OptimizerKind::Sgd,
        Hyper {
            lr: 0.05,
            ..Hyper::defaults(OptimizerKind::Sgd)
        },
    )
    .unwrap();
    let mut p = vec![-2.0, 0.0];
    for _ in 0..1000 {
        let (_, g) = s.value_and_grad(&p);
        opt.update(0, &mut p, &g);
    }
    assert_eq!(p[1], 0.0);
    assert_close(s.value(&p), 0.5, 1e-12);
}

#[test]
fn plateau_sgd_crawls_adaptive_methods_cross() {
    // Start (−5, 3.5): r² = 37.25, |∇f| = (r/4)·e^(−r²/8) ≈ 0.015. SGD at lr 0.5
    // moves about 0.007 a step, so after 50 steps the loss is still above 0.95.
    // Adam and RMSProp take steps of about lr = 0.1 and are near the bottom.
    let s = surface("plateau");
    let start = s.value(&s.default_start);
    assert!(start > 0.99);
    let (_, sgd) = run(&s, OptimizerKind::Sgd, s.default_lr, 50);
    assert!(sgd > 0.95, "SGD loss {sgd}");
    let (_, adam) = run(&s, OptimizerKind::Adam, 0.1, 50);
    assert!(adam < 0.05, "Adam loss {adam}");
    let (_, rmsprop) = run(&s, OptimizerKind::RmsProp, 0.1, 50);
    assert!(rmsprop < 0.05, "RMSProp loss {rmsprop}");
    // SGD does get there in the end: the minimum is clear.
    let (_, sgd_late) = run(&s, OptimizerKind::Sgd, s.default_lr, 300);
    assert!(sgd_late < 1e-6, "SGD loss {sgd_late} after 300 steps");
}

#[test]
fn ill_conditioned_sgd_zigzags_in_y() {
    // lr 0.035: y ← y − 0.035·50y = −0.75y, so y flips sign every step;
    // x ← 0.965x creeps. From (−8, 2): after 1 step (−7.72, −1.5), after 2 (−7.4498, 1.125).
    let s = surface("ill-conditioned");
    let (p1, _) = run(&s, OptimizerKind::Sgd, s.default_lr, 1);
    assert_close(p1[0], -7.72, 1e-12);
    assert_close(p1[1], -1.5, 1e-12);
    let (p2, _) = run(&s, OptimizerKind::Sgd, s.default_lr, 2);
    assert_close(p2[0], -7.4498, 1e-12);
    assert_close(p2[1], 1.125, 1e-12);
}
