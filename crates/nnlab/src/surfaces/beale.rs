//! Beale's function: f(x, y) = (1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)².
//!
//! One global minimum, (3, 0.5), in a narrow curved valley; outside the
//! valley the terms in y³ make the walls explode towards the corners of the
//! standard domain [−4.5, 4.5]², so too large a step is thrown far away.

use super::{Minimum, Surface, ViewBox};
use crate::autodiff::Var;

pub(super) fn surface() -> Surface {
    Surface {
        name: "beale",
        formula_text: "(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²",
        dim: 2,
        view: ViewBox {
            x: (-4.5, 4.5),
            y: (-4.5, 4.5),
        },
        minima: vec![Minimum {
            point: vec![3.0, 0.5],
            value: 0.0,
            global: true,
        }],
        default_start: vec![1.0, 1.5],
        default_lr: 0.01,
        formula,
    }
}

fn formula<'t>(p: &[Var<'t>]) -> Var<'t> {
    let (x, y) = (p[0], p[1]);
    (1.5 - x + x * y).powi(2)
        + (2.25 - x + x * y.powi(2)).powi(2)
        + (2.625 - x + x * y.powi(3)).powi(2)
}
