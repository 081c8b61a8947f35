//! A saddle between two valleys: f(x, y) = x² + ½(y² − 1)².
//!
//! Expanded, f = x² − y² + ½y⁴ + ½: near the origin it is x² − y², the
//! textbook saddle (a minimum along x, a maximum along y) with f = ½ and zero
//! gradient. The ½y⁴ term bounds it below, so there are two minima,
//! (0, 1) and (0, −1), with f = 0.
//!
//! What it teaches: started almost on the ridge line y = 0, descent first
//! slides down x towards the saddle, then *stalls* — the gradient there is
//! almost zero although this is no minimum — and only slowly escapes, since
//! |y| grows by a factor (1 + 2·lr) per step. Started exactly on y = 0 plain
//! gradient descent never escapes; momentum escapes sooner.

use super::{Minimum, Surface, ViewBox};
use crate::autodiff::Var;

pub(super) fn surface() -> Surface {
    Surface {
        name: "saddle",
        formula_text: "x² + ½(y² − 1)²",
        dim: 2,
        view: ViewBox {
            x: (-2.5, 2.5),
            y: (-2.0, 2.0),
        },
        minima: vec![
            Minimum {
                point: vec![0.0, 1.0],
                value: 0.0,
                global: true,
            },
            Minimum {
                point: vec![0.0, -1.0],
                value: 0.0,
                global: true,
            },
        ],
        // y = 0.001 off the ridge: about 30 steps to reach the saddle and ~70
        // more to leave it at the default lr (1.1⁷² ≈ 1000).
        default_start: vec![-2.0, 0.001],
        default_lr: 0.05,
        formula,
    }
}

fn formula<'t>(p: &[Var<'t>]) -> Var<'t> {
    let (x, y) = (p[0], p[1]);
    x.powi(2) + 0.5 * (y.powi(2) - 1.0).powi(2)
}
