//! Rosenbrock's banana valley: f(x, y) = (1−x)² + 100(y−x²)².
//!
//! The minimum (1, 1) lies at the bottom of a long, curved, flat-floored
//! valley. Finding the valley is easy; following it is slow, because the walls
//! are 100 times steeper than the floor — the learning rate must suit the
//! walls, so steps along the floor are tiny.

use super::{Minimum, Surface, ViewBox};
use crate::autodiff::Var;

pub(super) fn surface() -> Surface {
    Surface {
        name: "rosenbrock",
        formula_text: "(1−x)² + 100(y−x²)²",
        dim: 2,
        view: ViewBox {
            x: (-2.0, 2.0),
            y: (-1.0, 3.0),
        },
        minima: vec![Minimum {
            point: vec![1.0, 1.0],
            value: 0.0,
            global: true,
        }],
        default_start: vec![-1.5, 2.0],
        // Largest curvature near the path is about 1300, so lr must stay below
        // 2/1300 ≈ 0.0015 for SGD to be stable.
        default_lr: 0.001,
        formula,
    }
}

fn formula<'t>(p: &[Var<'t>]) -> Var<'t> {
    let (x, y) = (p[0], p[1]);
    (1.0 - x).powi(2) + 100.0 * (y - x.powi(2)).powi(2)
}
