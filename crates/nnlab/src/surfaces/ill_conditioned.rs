//! An ill-conditioned bowl: f(x, y) = 0.5(x² + 50y²).
//!
//! The curvature is 1 along x and 50 along y (condition number 50). SGD is
//! stable only for lr < 2/50 = 0.04, and at such a rate it zig-zags across
//! the steep y direction while creeping along the shallow x direction
//! (each step keeps a factor 1 − lr of x). Momentum and the adaptive methods
//! were invented for exactly this.

use super::{Minimum, Surface, ViewBox};
use crate::autodiff::Var;

pub(super) fn surface() -> Surface {
    Surface {
        name: "ill-conditioned",
        formula_text: "0.5(x² + 50y²)",
        dim: 2,
        view: ViewBox {
            x: (-10.0, 10.0),
            y: (-4.0, 4.0),
        },
        minima: vec![Minimum {
            point: vec![0.0, 0.0],
            value: 0.0,
            global: true,
        }],
        default_start: vec![-8.0, 2.0],
        // y is multiplied by 1 − 50·0.035 = −0.75 each step: a visible zig-zag that still converges.
        default_lr: 0.035,
        formula,
    }
}

fn formula<'t>(p: &[Var<'t>]) -> Var<'t> {
    let (x, y) = (p[0], p[1]);
    0.5 * (x.powi(2) + 50.0 * y.powi(2))
}
