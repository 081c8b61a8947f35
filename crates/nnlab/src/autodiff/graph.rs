//! Reverse-mode autodiff for f32 tensors — the engine that trains networks.
//!
//! The idea is the same as the scalar [`Tape`](super::Tape), one level up:
//!
//! - A [`Graph`] is a `Vec` of nodes in the order they were computed. Each node
//!   keeps its value, the operation that made it (which names its parents),
//!   whether anyone wants its gradient, and, after [`Graph::backward`], that
//!   gradient.
//! - A [`TVar`] is just the index of a node.
//! - `backward` seeds the loss with 1 and walks the nodes **once, in reverse**.
//!   Each node turns its own gradient into one contribution per parent (the
//!   chain rule, op by op, in `Graph::parent_grads`) and those contributions
//!   are *added* into the parents — so a value used twice collects both paths.
//!
//! Two savings matter for networks: data created with [`Graph::input`] never
//! gets a gradient (nobody needs ∂L/∂image), and any node whose inputs are all
//! such data is skipped by the backward pass entirely.
//!
//! ```
//! use nnlab::autodiff::Graph;
//! use nnlab::Tensor;
//! let mut g = Graph::new();
//! let x = g.input(Tensor::new(&[1, 2], vec![1.0, 2.0]));
//! let w = g.param(Tensor::new(&[1, 2], vec![3.0, -1.0]));
//! let y = g.matmul_bt(x, w); // y = 3·1 − 1·2 = 1
//! let loss = g.sum(y);
//! g.backward(loss);
//! assert_eq!(g.value(loss).item(), 1.0);
//! assert_eq!(g.grad(w).unwrap().data(), &[1.0, 2.0]); // ∂y/∂w = x
//! assert!(g.grad(x).is_none()); // inputs get no gradient
//! ```

use crate::kernels;
use crate::loss::{cross_entropy_term, log_sum_exp_parts};
use crate::tensor::Tensor;

/// A value in a [`Graph`]: the index of its node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TVar(usize);

impl TVar {
    /// Position of the node in the graph (creation order).
    pub fn index(self) -> usize {
        self.0
    }
}

/// What produced a node, naming its parents.
#[derive(Clone, Debug)]
enum Op {
    /// Created by [`Graph::input`] or [`Graph::param`].
    Leaf,
    MatMul(TVar, TVar),
    MatMulBt(TVar, TVar),
    AddBias(TVar, TVar),
    Add(TVar, TVar),
    Sub(TVar, TVar),
    Mul(TVar, TVar),
    Scale(TVar, f32),
    Relu(TVar),
    Sigmoid(TVar),
    Tanh(TVar),
    /// Keeps the softmax probabilities: the gradient is (p − one-hot) / rows.
    SoftmaxCrossEntropy {
        logits: TVar,
        probs: Tensor,
        labels: Vec<usize>,
    },
    Mean(TVar),
    Sum(TVar),
}

struct Node {
    value: Tensor,
    op: Op,
    /// True for parameters and anything computed from them.
    requires_grad: bool,
    /// ∂loss/∂value after [`Graph::backward`]; `None` if no gradient reached it.
    grad: Option<Tensor>,
}

/// A tape of tensor operations. Build it forward, call [`Graph::backward`]
/// once on a one-element loss, read gradients with [`Graph::grad`].
///
/// Shape mismatches between operands are programming errors and panic with
/// the shapes in the message; validate user data before it reaches the graph.
#[derive(Default)]
pub struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Data (images, labels as numbers, …): no gradient is ever computed for it.
    pub fn input(&mut self, t: Tensor) -> TVar {
        self.push(t, Op::Leaf, false)
    }

    /// A trainable tensor: [`Graph::backward`] computes its gradient.
    pub fn param(&mut self, t: Tensor) -> TVar {
        self.push(t, Op::Leaf, true)
    }

    /// `a·b` for `a` `[m,k]`, `b` `[k,n]` → `[m,n]`.
    pub fn matmul(&mut self, a: TVar, b: TVar) -> TVar {
        let (m, k) = self.dims2(a, "matmul");
        let (k2, n) = self.dims2(b, "matmul");
        assert_eq!(
            k, k2,
            "matmul: inner dimensions differ ({m}×{k} · {k2}×{n})"
        );
        let mut out = Tensor::zeros(&[m, n]);
        kernels::matmul(self.data(a), self.data(b), out.data_mut(), m, k, n);
        self.push_op(out, Op::MatMul(a, b))
    }

    /// `x·wᵀ` for `x` `[m,k]`, `w` `[n,k]` → `[m,n]`: a dense layer with
    /// PyTorch's `[out, in]` weight layout.
    pub fn matmul_bt(&mut self, x: TVar, w: TVar) -> TVar {
        let (m, k) = self.dims2(x, "matmul_bt");
        let (n, k2) = self.dims2(w, "matmul_bt");
        assert_eq!(k, k2, "matmul_bt: x is {m}×{k} but w is {n}×{k2}");
        let mut out = Tensor::zeros(&[m, n]);
        kernels::matmul_bt(self.data(x), self.data(w), out.data_mut(), m, k, n);
        self.push_op(out, Op::MatMulBt(x, w))
    }

    /// `x + b` for `x` `[m,n]` and `b` `[n]`, the bias added to every row.
    pub fn add_bias(&mut self, x: TVar, b: TVar) -> TVar {
        let (m, n) = self.dims2(x, "add_bias");
        let bias = self.value(b);
        assert_eq!(
            bias.shape(),
            [n],
            "add_bias: x is {m}×{n} but b has shape {:?}",
            bias.shape()
        );
        let mut out = self.value(x).clone();
        for row in out.data_mut().chunks_mut(n) {
            for (o, &bj) in row.iter_mut().zip(bias.data()) {
                *o += bj;
            }
        }
        self.push_op(out, Op::AddBias(x, b))
    }

    /// Elementwise `a + b` (same shapes).
    pub fn add(&mut self, a: TVar, b: TVar) -> TVar {
        let out = zip_map(self.value(a), self.value(b), "add", |x, y| x + y);
        self.push_op(out, Op::Add(a, b))
    }

    /// Elementwise `a − b` (same shapes).
    pub fn sub(&mut self, a: TVar, b: TVar) -> TVar {
        let out = zip_map(self.value(a), self.value(b), "sub", |x, y| x - y);
        self.push_op(out, Op::Sub(a, b))
    }

    /// Elementwise `a ∘ b` (same shapes).
    pub fn mul(&mut self, a: TVar, b: TVar) -> TVar {
        let out = zip_map(self.value(a), self.value(b), "mul", |x, y| x * y);
        self.push_op(out, Op::Mul(a, b))
    }

    /// `c·a` for a constant `c`.
    pub fn scale(&mut self, a: TVar, c: f32) -> TVar {
        let out = map(self.value(a), |x| c * x);
        self.push_op(out, Op::Scale(a, c))
    }

    /// `max(0, a)` elementwise.
    pub fn relu(&mut self, a: TVar) -> TVar {
        let out = map(self.value(a), |x| x.max(0.0));
        self.push_op(out, Op::Relu(a))
    }

    /// `1 / (1 + e^(−a))` elementwise.
    pub fn sigmoid(&mut self, a: TVar) -> TVar {
        let out = map(self.value(a), sigmoid);
        self.push_op(out, Op::Sigmoid(a))
    }

    /// `tanh a` elementwise.
    pub fn tanh(&mut self, a: TVar) -> TVar {
        let out = map(self.value(a), f32::tanh);
        self.push_op(out, Op::Tanh(a))
    }

    /// Softmax followed by cross-entropy, averaged over the rows of `logits`
    /// `[m, classes]`; `labels[i]` is the class of row `i`. Returns a scalar.
    ///
    /// Fused because it is both cheaper and *stable*: row by row,
    /// `loss = log Σ exp(z) − z[label]` with the log-sum-exp shifted by the
    /// row maximum, so logits of ±1000 give a finite loss, and the gradient is
    /// simply `(softmax(z) − one_hot(label)) / m`.
    pub fn softmax_cross_entropy(&mut self, logits: TVar, labels: &[usize]) -> TVar {
        let (m, classes) = self.dims2(logits, "softmax_cross_entropy");
        assert_eq!(
            labels.len(),
            m,
            "softmax_cross_entropy: {m} rows but {} labels",
            labels.len()
        );
        let z = self.value(logits);
        let mut probs = Tensor::zeros(&[m, classes]);
        let mut total = 0.0f64;
        for ((row, p_row), &label) in z
            .data()
            .chunks(classes)
            .zip(probs.data_mut().chunks_mut(classes))
            .zip(labels)
        {
            assert!(
                label < classes,
                "softmax_cross_entropy: label {label} but only {classes} classes"
            );
            let parts = log_sum_exp_parts(row);
            let lse = parts.0 + parts.1;
            for (p, &zj) in p_row.iter_mut().zip(row) {
                *p = (zj - lse).exp();
            }
            total += f64::from(cross_entropy_term(row, label, parts));
        }
        let loss = Tensor::scalar((total / m as f64) as f32);
        let op = Op::SoftmaxCrossEntropy {
            logits,
            probs,
            labels: labels.to_vec(),
        };
        self.push_op(loss, op)
    }

    /// The mean of all elements, as a scalar.
    pub fn mean(&mut self, a: TVar) -> TVar {
        let t = self.value(a);
        assert!(!t.is_empty(), "mean of an empty tensor");
        let sum: f64 = t.data().iter().map(|&x| f64::from(x)).sum();
        let out = Tensor::scalar((sum / t.len() as f64) as f32);
        self.push_op(out, Op::Mean(a))
    }

    /// The sum of all elements, as a scalar.
    pub fn sum(&mut self, a: TVar) -> TVar {
        let sum: f64 = self.value(a).data().iter().map(|&x| f64::from(x)).sum();
        self.push_op(Tensor::scalar(sum as f32), Op::Sum(a))
    }

    /// The value computed for `v`.
    pub fn value(&self, v: TVar) -> &Tensor {
        &self.nodes[v.0].value
    }

    /// ∂loss/∂v from the last [`Graph::backward`]; `None` for values that do
    /// not require a gradient (inputs and what is computed only from them).
    pub fn grad(&self, v: TVar) -> Option<&Tensor> {
        self.nodes[v.0].grad.as_ref()
    }

    /// Number of nodes recorded so far.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True before the first node is recorded.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The backward pass: ∂loss/∂node for every node that requires a gradient.
    /// `loss` must hold exactly one value. Calling it again recomputes from scratch.
    pub fn backward(&mut self, loss: TVar) {
        let shape = self.value(loss).shape().to_vec();
        assert_eq!(
            self.value(loss).len(),
            1,
            "backward: the loss must have one element, got shape {shape:?}"
        );
        for node in &mut self.nodes {
            node.grad = None;
        }
        if !self.nodes[loss.0].requires_grad {
            return; // the loss does not depend on any parameter
        }
        self.nodes[loss.0].grad = Some(Tensor::full(&shape, 1.0));

        for i in (0..=loss.0).rev() {
            // No gradient arrived: not on a path from a parameter to the loss.
            let Some(grad) = self.nodes[i].grad.take() else {
                continue;
            };
            for (parent, contribution) in self.parent_grads(i, &grad) {
                // Add, never overwrite: a value used twice collects both paths.
                match &mut self.nodes[parent.0].grad {
                    Some(sum) => add_into(sum, &contribution),
                    slot @ None => *slot = Some(contribution),
                }
            }
            self.nodes[i].grad = Some(grad);
        }
    }

    /// The chain rule for one node: given `grad` = ∂L/∂(node `i`), the
    /// contribution ∂L/∂parent for each parent that wants a gradient.
    fn parent_grads(&self, i: usize, grad: &Tensor) -> Vec<(TVar, Tensor)> {
        let wants = |v: &TVar| self.nodes[v.0].requires_grad;
        let value = |v: TVar| self.value(v);
        let g = grad.data();
        // Binary ops check which parents want a gradient (skipping, e.g., the
        // big ∂L/∂X of a first layer). A unary op only gets here if its one
        // parent requires a gradient, since that is how it came to need one.
        let mut out = Vec::with_capacity(2);
        match &self.nodes[i].op {
            Op::Leaf => {}
            // Y = A·B: ∂L/∂A = ∂L/∂Y · Bᵀ, ∂L/∂B = Aᵀ · ∂L/∂Y.
            &Op::MatMul(a, b) => {
                let ((m, k), n) = (value(a).dims2(), value(b).dims2().1);
                if wants(&a) {
                    let mut da = Tensor::zeros(&[m, k]);
                    kernels::matmul_bt(g, value(b).data(), da.data_mut(), m, n, k);
                    out.push((a, da));
                }
                if wants(&b) {
                    let mut db = Tensor::zeros(&[k, n]);
                    kernels::matmul_at(value(a).data(), g, db.data_mut(), k, m, n);
                    out.push((b, db));
                }
            }
            // Y = X·Wᵀ: ∂L/∂X = ∂L/∂Y · W, ∂L/∂W = (∂L/∂Y)ᵀ · X.
            &Op::MatMulBt(x, w) => {
                let ((m, k), n) = (value(x).dims2(), value(w).dims2().0);
                if wants(&x) {
                    let mut dx = Tensor::zeros(&[m, k]);
                    kernels::matmul(g, value(w).data(), dx.data_mut(), m, n, k);
                    out.push((x, dx));
                }
                if wants(&w) {
                    let mut dw = Tensor::zeros(&[n, k]);
                    kernels::matmul_at(g, value(x).data(), dw.data_mut(), n, m, k);
                    out.push((w, dw));
                }
            }
            // Y = X + b (b on every row): ∂L/∂X = ∂L/∂Y, ∂L/∂b = column sums of ∂L/∂Y.
            &Op::AddBias(x, b) => {
                if wants(&x) {
                    out.push((x, grad.clone()));
                }
                if wants(&b) {
                    let n = value(b).len();
                    let mut db = Tensor::zeros(&[n]);
                    for row in g.chunks(n) {
                        db.data_mut()
                            .iter_mut()
                            .zip(row)
                            .for_each(|(d, &r)| *d += r);
                    }
                    out.push((b, db));
                }
            }
            &Op::Add(a, b) => {
                if wants(&a) {
                    out.push((a, grad.clone()));
                }
                if wants(&b) {
                    out.push((b, grad.clone()));
                }
            }
            &Op::Sub(a, b) => {
                if wants(&a) {
                    out.push((a, grad.clone()));
                }
                if wants(&b) {
                    out.push((b, map(grad, |d| -d)));
                }
            }
            // Y = A ∘ B: ∂L/∂A = ∂L/∂Y ∘ B, ∂L/∂B = ∂L/∂Y ∘ A.
            &Op::Mul(a, b) => {
                if wants(&a) {
                    out.push((a, zip_map(grad, value(b), "mul", |d, y| d * y)));
                }
                if wants(&b) {
                    out.push((b, zip_map(grad, value(a), "mul", |d, x| d * x)));
                }
            }
            &Op::Scale(a, c) => out.push((a, map(grad, |d| c * d))),
            // relu' = 1 where the input is positive, else 0 (PyTorch's choice at 0).
            &Op::Relu(a) => out.push((
                a,
                zip_map(grad, value(a), "relu", |d, x| if x > 0.0 { d } else { 0.0 }),
            )),
            // σ' = σ(1 − σ) and tanh' = 1 − tanh², both from this node's own value.
            Op::Sigmoid(a) => {
                let y = &self.nodes[i].value;
                out.push((*a, zip_map(grad, y, "sigmoid", |d, s| d * s * (1.0 - s))));
            }
            Op::Tanh(a) => {
                let y = &self.nodes[i].value;
                out.push((*a, zip_map(grad, y, "tanh", |d, t| d * (1.0 - t * t))));
            }
            // ∂L/∂z = (p − one_hot(label)) · ∂L/∂loss / m.
            Op::SoftmaxCrossEntropy {
                logits,
                probs,
                labels,
            } => {
                let (m, classes) = probs.dims2();
                let scale = g[0] / m as f32;
                let mut dz = probs.clone();
                for (row, &label) in dz.data_mut().chunks_mut(classes).zip(labels) {
                    row[label] -= 1.0;
                    row.iter_mut().for_each(|x| *x *= scale);
                }
                out.push((*logits, dz));
            }
            &Op::Mean(a) => {
                let t = value(a);
                out.push((a, Tensor::full(t.shape(), g[0] / t.len() as f32)));
            }
            &Op::Sum(a) => out.push((a, Tensor::full(value(a).shape(), g[0]))),
        }
        out
    }

    fn push(&mut self, value: Tensor, op: Op, requires_grad: bool) -> TVar {
        self.nodes.push(Node {
            value,
            op,
            requires_grad,
            grad: None,
        });
        TVar(self.nodes.len() - 1)
    }

    /// A computed node: it requires a gradient if any parent does.
    fn push_op(&mut self, value: Tensor, op: Op) -> TVar {
        let requires_grad = parents(&op).iter().any(|p| self.nodes[p.0].requires_grad);
        self.push(value, op, requires_grad)
    }

    fn data(&self, v: TVar) -> &[f32] {
        self.value(v).data()
    }

    fn dims2(&self, v: TVar, what: &str) -> (usize, usize) {
        match *self.value(v).shape() {
            [r, c] => (r, c),
            ref s => panic!("{what}: expected a matrix, got shape {s:?}"),
        }
    }
}

fn parents(op: &Op) -> Vec<TVar> {
    match op {
        Op::Leaf => vec![],
        &Op::MatMul(a, b)
        | &Op::MatMulBt(a, b)
        | &Op::AddBias(a, b)
        | &Op::Add(a, b)
        | &Op::Sub(a, b)
        | &Op::Mul(a, b) => {
            vec![a, b]
        }
        &Op::Scale(a, _)
        | &Op::Relu(a)
        | &Op::Sigmoid(a)
        | &Op::Tanh(a)
        | &Op::Mean(a)
        | &Op::Sum(a) => vec![a],
        Op::SoftmaxCrossEntropy { logits, .. } => vec![*logits],
    }
}

/// The logistic function, written so that neither branch overflows.
fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

fn add_into(sum: &mut Tensor, x: &Tensor) {
    sum.data_mut()
        .iter_mut()
        .zip(x.data())
        .for_each(|(s, x)| *s += x);
}

fn map(t: &Tensor, f: impl Fn(f32) -> f32) -> Tensor {
    Tensor::new(t.shape(), t.data().iter().map(|&x| f(x)).collect())
}

fn zip_map(a: &Tensor, b: &Tensor, what: &str, f: impl Fn(f32, f32) -> f32) -> Tensor {
    assert_eq!(
        a.shape(),
        b.shape(),
        "{what}: shapes {:?} and {:?} differ",
        a.shape(),
        b.shape()
    );
    Tensor::new(
        a.shape(),
        a.data()
            .iter()
            .zip(b.data())
            .map(|(&x, &y)| f(x, y))
            .collect(),
    )
}
