//! Himmelblau's function: f(x, y) = (x²+y−11)² + (x+y²−7)².
//!
//! Four minima, all with loss 0: which one descent finds depends only on
//! where it starts. (3, 2) is exact; the other three are roots of a quartic,
//! given here to the last digit of an f64 (polished by Newton's method).

use super::{Minimum, Surface, ViewBox};
use crate::autodiff::Var;

pub(super) fn surface() -> Surface {
    let minimum = |x: f64, y: f64| Minimum {
        point: vec![x, y],
        value: 0.0,
        global: true,
    };
    Surface {
        name: "himmelblau",
        formula_text: "(x²+y−11)² + (x+y²−7)²",
        dim: 2,
        view: ViewBox {
            x: (-5.0, 5.0),
            y: (-5.0, 5.0),
        },
        minima: vec![
            minimum(3.0, 2.0),
            minimum(-2.805_118_086_952_745, 3.131_312_518_250_573),
            minimum(-3.779_310_253_377_747, -3.283_185_991_286_169_6),
            minimum(3.584_428_340_330_491_7, -1.848_126_526_964_403_4),
        ],
        default_start: vec![0.0, 0.0],
        default_lr: 0.01,
        formula,
    }
}

fn formula<'t>(p: &[Var<'t>]) -> Var<'t> {
    let (x, y) = (p[0], p[1]);
    (x.powi(2) + y - 11.0).powi(2) + (x + y.powi(2) - 7.0).powi(2)
}
