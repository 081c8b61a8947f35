//! Named loss surfaces for the optimisation lessons: 2-D classics
//! (Rosenbrock, Beale, Himmelblau), an ill-conditioned bowl, a saddle, a
//! plateau, and the lecture's 1-D double well.
//!
//! A surface is a formula over [`Var`]s, so its gradient always comes from the
//! scalar autodiff tape ([`crate::autodiff::Tape`]) — never from a
//! hand-written derivative — plus what a picture of it needs: a view box, the
//! known minima, a starting point and a learning rate that works from there.
//!
//! ```
//! let s = nnlab::surfaces::by_name("rosenbrock")?;
//! // f(x, y) = (1−x)² + 100(y−x²)²; at (0, 0): f = 1, ∇f = (−2, 0).
//! let (f, g) = s.value_and_grad(&[0.0, 0.0]);
//! assert_eq!(f, 1.0);
//! assert_eq!(g, vec![-2.0, 0.0]);
//! # Ok::<(), nnlab::Error>(())
//! ```

mod beale;
mod double_well;
mod himmelblau;
mod ill_conditioned;
mod plateau;
mod rosenbrock;
mod saddle;

use crate::autodiff::{Tape, Var};
use crate::{Error, Result};
use std::fmt;

/// A loss as a function of the coordinates, built from autodiff operations.
pub type Formula = for<'t> fn(&[Var<'t>]) -> Var<'t>;

/// The region a picture of the surface shows. For 1-D surfaces `x` is the
/// parameter range and `y` the loss range of the plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    /// (min, max) of the first coordinate.
    pub x: (f64, f64),
    /// (min, max) of the second coordinate, or of the loss for a 1-D surface.
    pub y: (f64, f64),
}

/// A known local or global minimum.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    /// Where the minimum is.
    pub point: Vec<f64>,
    /// The loss there.
    pub value: f64,
    /// True if no point of the surface is lower.
    pub global: bool,
}

/// A named loss surface in 1 or 2 dimensions.
#[derive(Clone)]
pub struct Surface {
    /// One of [`NAMES`].
    pub name: &'static str,
    /// The formula for people, in Unicode: "(1−x)² + 100(y−x²)²".
    pub formula_text: &'static str,
    /// Number of coordinates: 1 (a curve) or 2 (a landscape).
    pub dim: usize,
    /// The region pictures of the surface show by default.
    pub view: ViewBox,
    /// The known minima, for marking them on pictures.
    pub minima: Vec<Minimum>,
    /// Where a walk starts unless the user picks a point.
    pub default_start: Vec<f64>,
    /// A learning rate at which plain SGD behaves well from `default_start`.
    pub default_lr: f64,
    formula: Formula,
}

impl fmt::Debug for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Surface")
            .field("name", &self.name)
            .field("formula_text", &self.formula_text)
            .field("dim", &self.dim)
            .field("view", &self.view)
            .field("minima", &self.minima)
            .field("default_start", &self.default_start)
            .field("default_lr", &self.default_lr)
            .finish_non_exhaustive()
    }
}

impl Surface {
    /// The loss at `p`, which must have [`Surface::dim`] coordinates
    /// (check user input with [`Surface::check_point`] first).
    pub fn value(&self, p: &[f64]) -> f64 {
        let tape = Tape::new();
        self.eval(&tape.vars(p)).value()
    }

    /// The loss at `p` and its gradient, from one forward and one backward
    /// pass over the scalar autodiff tape. `p` must have [`Surface::dim`] coordinates.
    pub fn value_and_grad(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let tape = Tape::new();
        let vars = tape.vars(p);
        let loss = self.eval(&vars);
        let grad = loss.grad();
        (loss.value(), vars.iter().map(|&v| grad.wrt(v)).collect())
    }

    /// The formula applied to variables on a caller's tape (for lessons that
    /// draw the computation graph). `p` must have [`Surface::dim`] entries.
    pub fn eval<'t>(&self, p: &[Var<'t>]) -> Var<'t> {
        assert_eq!(
            p.len(),
            self.dim,
            "surface '{}' takes {} coordinate(s)",
            self.name,
            self.dim
        );
        (self.formula)(p)
    }

    /// Checks a user-supplied point: the right number of coordinates, all finite.
    pub fn check_point(&self, p: &[f64]) -> Result<()> {
        if p.len() != self.dim {
            return Err(Error::WrongDimension {
                what: "a point on this surface",
                expected: self.dim,
                got: p.len(),
            });
        }
        match p.iter().find(|c| !c.is_finite()) {
            Some(&value) => Err(Error::NotFinite {
                what: "a point coordinate",
                value,
            }),
            None => Ok(()),
        }
    }
}

/// Every surface name, in the order the lessons list them.
pub const NAMES: [&str; 7] = [
    "rosenbrock",
    "beale",
    "himmelblau",
    "ill-conditioned",
    "saddle",
    "plateau",
    "double-well",
];

/// The surface called `name` (one of [`NAMES`]).
pub fn by_name(name: &str) -> Result<Surface> {
    match name {
        "rosenbrock" => Ok(rosenbrock::surface()),
        "beale" => Ok(beale::surface()),
        "himmelblau" => Ok(himmelblau::surface()),
        "ill-conditioned" => Ok(ill_conditioned::surface()),
        "saddle" => Ok(saddle::surface()),
        "plateau" => Ok(plateau::surface()),
        "double-well" => Ok(double_well::surface()),
        _ => Err(Error::unknown("surface", name, &NAMES)),
    }
}

/// All surfaces, in the order of [`NAMES`].
pub fn all() -> Vec<Surface> {
    NAMES
        .iter()
        .map(|name| by_name(name).expect("every listed name has a surface"))
        .collect()
}
