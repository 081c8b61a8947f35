//! A plateau around a well: f(x, y) = 1 − exp(−(x² + y²)/8).
//!
//! Near the origin it is a round bowl (f ≈ (x² + y²)/8, minimum 0 at (0, 0)).
//! Further out the loss saturates at 1 — like a sigmoid neuron driven deep
//! into saturation — and the gradient, (x, y)/4 · exp(−r²/8), all but
//! vanishes: about 0.01 at the default start. Plain SGD crawls across this
//! plateau for a hundred steps before it falls into the well. Adam and
//! RMSProp divide the gradient by its own running size, so their steps stay
//! near lr however flat the ground, and they cross the plateau in a few steps.

use super::{Minimum, Surface, ViewBox};
use crate::autodiff::Var;

pub(super) fn surface() -> Surface {
    Surface {
        name: "plateau",
        formula_text: "1 − exp(−(x² + y²)/8)",
        dim: 2,
        view: ViewBox {
            x: (-7.0, 7.0),
            y: (-5.0, 5.0),
        },
        minima: vec![Minimum {
            point: vec![0.0, 0.0],
            value: 0.0,
            global: true,
        }],
        default_start: vec![-5.0, 3.5],
        // The curvature is at most 1/4 (at the bottom), so SGD is stable for lr < 8;
        // 0.5 converges smoothly once it gets off the plateau.
        default_lr: 0.5,
        formula,
    }
}

fn formula<'t>(p: &[Var<'t>]) -> Var<'t> {
    let (x, y) = (p[0], p[1]);
    1.0 - (-(x.powi(2) + y.powi(2)) / 8.0).exp()
}
