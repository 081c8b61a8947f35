//! The lecture's 1-D picture of a local minimum: f(x) = x⁴ − 3x² + x.
//!
//! f′(x) = 4x³ − 6x + 1 has three roots: a shallow local minimum near
//! x ≈ 1.131 (f ≈ −1.070), a local maximum near x ≈ 0.170 and the deeper
//! global minimum near x ≈ −1.301 (f ≈ −3.514). Started on the right with a
//! small learning rate, SGD settles in the local minimum and never sees the
//! global one.

use super::{Minimum, Surface, ViewBox};
use crate::autodiff::Var;

pub(super) fn surface() -> Surface {
    Surface {
        name: "double-well",
        formula_text: "x⁴ − 3x² + x",
        dim: 1,
        // x range, then the loss range: f(−2) = 2, f(2) = 6, min ≈ −3.51.
        view: ViewBox {
            x: (-2.0, 2.0),
            y: (-4.0, 6.5),
        },
        // Roots of 4x³ − 6x + 1 = 0 (trigonometric formula, polished by Newton).
        minima: vec![
            Minimum {
                point: vec![-1.300_839_565_941_577_2],
                value: -3.513_905_038_934_79,
                global: true,
            },
            Minimum {
                point: vec![1.130_901_122_629_985_9],
                value: -1.070_230_181_776_154_1,
                global: false,
            },
        ],
        default_start: vec![1.9],
        // Curvature f″ = 12x² − 6 is about 37 at the start: lr < 2/37 ≈ 0.054 is stable.
        default_lr: 0.02,
        formula,
    }
}

fn formula<'t>(p: &[Var<'t>]) -> Var<'t> {
    let x = p[0];
    x.powi(4) - 3.0 * x.powi(2) + x
}
