//! Reverse-mode autodiff for f64 scalar expressions — the engine behind every
//! loss surface, the derivative lesson and the chain-rule lesson.
//!
//! A [`Tape`] records each operation as a node holding its value and, for each
//! parent, the *local* partial derivative. A [`Var`] is a cheap handle (tape,
//! index, value). [`Var::grad`] is the whole backward pass: seed the output
//! with 1 and walk the tape once in reverse, adding `adjoint × local` into each
//! parent. Because contributions are *added*, a value used twice (e.g. `x * x`)
//! collects both paths, as the chain rule demands.
//!
//! ```
//! use nnlab::autodiff::Tape;
//! let tape = Tape::new();
//! let x = tape.var(3.0);
//! let y = tape.var(2.0);
//! let f = x * x * y + y.sin(); // f = x²y + sin y
//! let g = f.grad();
//! assert_eq!(g.wrt(x), 12.0); // ∂f/∂x = 2xy
//! assert!((g.wrt(y) - (9.0 + 2f64.cos())).abs() < 1e-12); // ∂f/∂y = x² + cos y
//! ```

use std::cell::RefCell;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

/// What produced a node; kept so lessons can draw the computation graph.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarOp {
    /// An independent variable created by [`Tape::var`].
    Input,
    /// `a + b`. In this and the next three, a constant operand is folded into
    /// the local derivative.
    Add,
    /// `a − b`.
    Sub,
    /// `a × b`.
    Mul,
    /// `a ÷ b`.
    Div,
    /// `−a`.
    Neg,
    /// `aⁿ` for a whole number `n`.
    Powi(i32),
    /// `eᵃ`.
    Exp,
    /// The natural logarithm, `ln a`.
    Ln,
    /// `√a`.
    Sqrt,
    /// `sin a`.
    Sin,
    /// `cos a`.
    Cos,
    /// `tanh a`.
    Tanh,
}

impl fmt::Display for ScalarOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScalarOp::Input => write!(f, "input"),
            ScalarOp::Add => write!(f, "+"),
            ScalarOp::Sub => write!(f, "−"),
            ScalarOp::Mul => write!(f, "×"),
            ScalarOp::Div => write!(f, "÷"),
            ScalarOp::Neg => write!(f, "neg"),
            ScalarOp::Powi(n) => write!(f, "^{n}"),
            ScalarOp::Exp => write!(f, "exp"),
            ScalarOp::Ln => write!(f, "ln"),
            ScalarOp::Sqrt => write!(f, "sqrt"),
            ScalarOp::Sin => write!(f, "sin"),
            ScalarOp::Cos => write!(f, "cos"),
            ScalarOp::Tanh => write!(f, "tanh"),
        }
    }
}

/// One recorded operation: its result and up to two (parent, ∂self/∂parent) pairs.
#[derive(Clone, Debug)]
pub struct ScalarNode {
    /// The operation that produced the node.
    pub op: ScalarOp,
    /// The node's value.
    pub value: f64,
    /// Parent node indices with the local derivative of this node with respect to each.
    pub parents: Vec<(usize, f64)>,
}

/// The record of a computation. Create variables with [`Tape::var`]; build
/// expressions with ordinary operators; call [`Var::grad`] on the result.
#[derive(Default)]
pub struct Tape {
    nodes: RefCell<Vec<ScalarNode>>,
}

impl Tape {
    /// An empty tape.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new independent variable.
    pub fn var(&self, value: f64) -> Var<'_> {
        self.push(ScalarOp::Input, value, Vec::new())
    }

    /// Several independent variables at once (e.g. a point on a surface).
    pub fn vars(&self, values: &[f64]) -> Vec<Var<'_>> {
        values.iter().map(|&v| self.var(v)).collect()
    }

    /// Number of nodes recorded so far.
    pub fn len(&self) -> usize {
        self.nodes.borrow().len()
    }

    /// True before the first node is recorded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A copy of the recorded nodes, in the order they were computed.
    pub fn nodes(&self) -> Vec<ScalarNode> {
        self.nodes.borrow().clone()
    }

    fn push(&self, op: ScalarOp, value: f64, parents: Vec<(usize, f64)>) -> Var<'_> {
        let mut nodes = self.nodes.borrow_mut();
        let index = nodes.len();
        nodes.push(ScalarNode { op, value, parents });
        Var {
            tape: self,
            index,
            value,
        }
    }
}

/// A value on a [`Tape`]. Copyable; arithmetic records new nodes.
#[derive(Clone, Copy)]
pub struct Var<'t> {
    tape: &'t Tape,
    index: usize,
    value: f64,
}

impl fmt::Debug for Var<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Var(#{} = {})", self.index, self.value)
    }
}

/// The derivatives of one output with respect to every node of the tape.
#[derive(Clone, Debug)]
pub struct Grad {
    adjoints: Vec<f64>,
}

impl Grad {
    /// ∂output/∂v.
    pub fn wrt(&self, v: Var<'_>) -> f64 {
        self.adjoints[v.index]
    }

    /// ∂output/∂node for every node, indexed like [`Tape::nodes`].
    pub fn adjoints(&self) -> &[f64] {
        &self.adjoints
    }
}

impl<'t> Var<'t> {
    /// The number this value holds.
    pub fn value(&self) -> f64 {
        self.value
    }

    /// Index of this value's node on its tape.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The backward pass: one reverse sweep over the tape.
    pub fn grad(&self) -> Grad {
        let nodes = self.tape.nodes.borrow();
        let mut adjoints = vec![0.0; nodes.len()];
        adjoints[self.index] = 1.0;
        for i in (0..=self.index).rev() {
            let a = adjoints[i];
            if a == 0.0 {
                continue;
            }
            for &(parent, local) in &nodes[i].parents {
                adjoints[parent] += a * local;
            }
        }
        Grad { adjoints }
    }

    fn unary(self, op: ScalarOp, value: f64, local: f64) -> Var<'t> {
        self.tape.push(op, value, vec![(self.index, local)])
    }

    fn binary(self, op: ScalarOp, other: Var<'t>, value: f64, da: f64, db: f64) -> Var<'t> {
        assert!(
            std::ptr::eq(self.tape, other.tape),
            "values from different tapes"
        );
        self.tape
            .push(op, value, vec![(self.index, da), (other.index, db)])
    }

    /// xⁿ for an integer n; d/dx = n·xⁿ⁻¹.
    pub fn powi(self, n: i32) -> Var<'t> {
        let x = self.value;
        let local = if n == 0 {
            0.0
        } else {
            f64::from(n) * x.powi(n - 1)
        };
        self.unary(ScalarOp::Powi(n), x.powi(n), local)
    }

    /// eˣ; d/dx = eˣ.
    pub fn exp(self) -> Var<'t> {
        let e = self.value.exp();
        self.unary(ScalarOp::Exp, e, e)
    }

    /// ln x; d/dx = 1/x.
    pub fn ln(self) -> Var<'t> {
        self.unary(ScalarOp::Ln, self.value.ln(), 1.0 / self.value)
    }

    /// √x; d/dx = 1/(2√x).
    pub fn sqrt(self) -> Var<'t> {
        let s = self.value.sqrt();
        self.unary(ScalarOp::Sqrt, s, 0.5 / s)
    }

    /// sin x; d/dx = cos x.
    pub fn sin(self) -> Var<'t> {
        self.unary(ScalarOp::Sin, self.value.sin(), self.value.cos())
    }

    /// cos x; d/dx = −sin x.
    pub fn cos(self) -> Var<'t> {
        self.unary(ScalarOp::Cos, self.value.cos(), -self.value.sin())
    }

    /// tanh x; d/dx = 1 − tanh² x.
    pub fn tanh(self) -> Var<'t> {
        let t = self.value.tanh();
        self.unary(ScalarOp::Tanh, t, 1.0 - t * t)
    }

    /// A constant on the same tape (a leaf whose gradient nobody reads).
    pub fn constant(self, value: f64) -> Var<'t> {
        self.tape.var(value)
    }
}

// Var ∘ Var
impl<'t> Add for Var<'t> {
    type Output = Var<'t>;
    fn add(self, o: Var<'t>) -> Var<'t> {
        self.binary(ScalarOp::Add, o, self.value + o.value, 1.0, 1.0)
    }
}
impl<'t> Sub for Var<'t> {
    type Output = Var<'t>;
    fn sub(self, o: Var<'t>) -> Var<'t> {
        self.binary(ScalarOp::Sub, o, self.value - o.value, 1.0, -1.0)
    }
}
impl<'t> Mul for Var<'t> {
    type Output = Var<'t>;
    fn mul(self, o: Var<'t>) -> Var<'t> {
        self.binary(ScalarOp::Mul, o, self.value * o.value, o.value, self.value)
    }
}
impl<'t> Div for Var<'t> {
    type Output = Var<'t>;
    /// d(a/b) = 1/b · da − a/b² · db.
    fn div(self, o: Var<'t>) -> Var<'t> {
        let q = self.value / o.value;
        self.binary(ScalarOp::Div, o, q, 1.0 / o.value, -q / o.value)
    }
}
impl<'t> Neg for Var<'t> {
    type Output = Var<'t>;
    fn neg(self) -> Var<'t> {
        self.unary(ScalarOp::Neg, -self.value, -1.0)
    }
}

// Var ∘ f64 and f64 ∘ Var: constants are folded into the local derivative.
impl<'t> Add<f64> for Var<'t> {
    type Output = Var<'t>;
    fn add(self, c: f64) -> Var<'t> {
        self.unary(ScalarOp::Add, self.value + c, 1.0)
    }
}
impl<'t> Add<Var<'t>> for f64 {
    type Output = Var<'t>;
    fn add(self, v: Var<'t>) -> Var<'t> {
        v + self
    }
}
impl<'t> Sub<f64> for Var<'t> {
    type Output = Var<'t>;
    fn sub(self, c: f64) -> Var<'t> {
        self.unary(ScalarOp::Sub, self.value - c, 1.0)
    }
}
impl<'t> Sub<Var<'t>> for f64 {
    type Output = Var<'t>;
    fn sub(self, v: Var<'t>) -> Var<'t> {
        v.unary(ScalarOp::Sub, self - v.value, -1.0)
    }
}
impl<'t> Mul<f64> for Var<'t> {
    type Output = Var<'t>;
    fn mul(self, c: f64) -> Var<'t> {
        self.unary(ScalarOp::Mul, self.value * c, c)
    }
}
impl<'t> Mul<Var<'t>> for f64 {
    type Output = Var<'t>;
    fn mul(self, v: Var<'t>) -> Var<'t> {
        v * self
    }
}
impl<'t> Div<f64> for Var<'t> {
    type Output = Var<'t>;
    fn div(self, c: f64) -> Var<'t> {
        self.unary(ScalarOp::Div, self.value / c, 1.0 / c)
    }
}
impl<'t> Div<Var<'t>> for f64 {
    type Output = Var<'t>;
    /// d(c/v)/dv = −c/v².
    fn div(self, v: Var<'t>) -> Var<'t> {
        let q = self / v.value;
        v.unary(ScalarOp::Div, q, -q / v.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_used_twice_accumulates() {
        // f = x·x → f' = 2x = 6 at x = 3.
        let t = Tape::new();
        let x = t.var(3.0);
        let f = x * x;
        assert_eq!(f.value(), 9.0);
        assert_eq!(f.grad().wrt(x), 6.0);
    }

    #[test]
    fn rosenbrock_gradient_by_hand() {
        // f = (1−x)² + 100(y−x²)²; ∂f/∂x = −2(1−x) − 400x(y−x²), ∂f/∂y = 200(y−x²).
        // At (−1, 2): ∂x = −4 − 400·(−1)·1 = 396, ∂y = 200.
        let t = Tape::new();
        let (x, y) = (t.var(-1.0), t.var(2.0));
        let f = (1.0 - x).powi(2) + 100.0 * (y - x.powi(2)).powi(2);
        let g = f.grad();
        assert_eq!(f.value(), 104.0);
        assert_eq!(g.wrt(x), 396.0);
        assert_eq!(g.wrt(y), 200.0);
    }

    #[test]
    fn quotient_and_constants() {
        // f = (2/x) / (x − 1) at x = 3: f = (2/3)/2 = 1/3.
        // f = 2/(x² − x) → f' = −2(2x − 1)/(x² − x)² = −10/36.
        let t = Tape::new();
        let x = t.var(3.0);
        let f = (2.0 / x) / (x - 1.0);
        assert!((f.value() - 1.0 / 3.0).abs() < 1e-15);
        assert!((f.grad().wrt(x) + 10.0 / 36.0).abs() < 1e-15);
    }

    #[test]
    fn transcendental_derivatives() {
        let t = Tape::new();
        let x = t.var(0.7);
        let cases: Vec<(Var, f64)> = vec![
            (x.exp(), 0.7f64.exp()),
            (x.ln(), 1.0 / 0.7),
            (x.sqrt(), 0.5 / 0.7f64.sqrt()),
            (x.sin(), 0.7f64.cos()),
            (x.cos(), -0.7f64.sin()),
            (x.tanh(), 1.0 - 0.7f64.tanh().powi(2)),
            (-x, -1.0),
            (x / 4.0, 0.25),
            (5.0 - x, -1.0),
        ];
        for (f, expected) in cases {
            assert!((f.grad().wrt(x) - expected).abs() < 1e-15, "{f:?}");
        }
    }

    #[test]
    fn nodes_record_the_graph() {
        let t = Tape::new();
        let x = t.var(2.0);
        let f = (x * 3.0).sin();
        let nodes = t.nodes();
        assert_eq!(nodes.len(), 3);
        assert_eq!(nodes[1].op, ScalarOp::Mul);
        assert_eq!(nodes[2].parents, vec![(1, 6f64.cos())]);
        assert_eq!(f.index(), 2);
    }
}
