//! One run of an expression on the core's tape, kept for drawing: every node
//! with its value and its parents with the local derivatives, the adjoints
//! the core's backward pass computed, and where each node sits in the picture.

use nnlab::autodiff::{ScalarOp, Tape};

use super::presets::{Names, Preset};

/// What a node of the drawn graph is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A leaf the gradient is wanted for (its index among the preset's leaves).
    Param(usize),
    /// A leaf holding data.
    Data(usize),
    /// An operation of the tape.
    Op(ScalarOp),
}

/// One node of the drawn graph.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Leaf or operation.
    pub kind: Kind,
    /// As printed: a leaf's or named node's name, else the operation.
    pub label: String,
    /// Its value in the forward pass.
    pub value: f64,
    /// (parent index, ∂this/∂parent) straight from the tape.
    pub parents: Vec<(usize, f64)>,
    /// Column in the picture: 0 for leaves, 1 + the deepest parent otherwise.
    pub depth: usize,
    /// Row within the column.
    pub row: usize,
}

/// One run of an expression on the core's tape.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// Every node, in tape order.
    pub nodes: Vec<Node>,
    /// Index of the expression's result.
    pub output: usize,
    /// ∂output/∂node for every node, from the core's `Var::grad` (`Grad::adjoints`).
    pub adjoints: Vec<f64>,
}

impl Trace {
    /// Records `preset` at `values` (one per leaf) and runs the core's backward pass.
    pub fn record(preset: &Preset, values: &[f64]) -> Trace {
        let tape = Tape::new();
        let leaves = tape.vars(values);
        let mut names = Names::default();
        let out = (preset.build)(&leaves, &mut names);
        let adjoints = out.grad().adjoints().to_vec();
        let mut nodes: Vec<Node> = tape
            .nodes()
            .into_iter()
            .enumerate()
            .map(|(i, n)| {
                let (kind, label) = match preset.leaves.get(i) {
                    Some(leaf) if i < values.len() => {
                        let kind = if leaf.is_param {
                            Kind::Param(i)
                        } else {
                            Kind::Data(i)
                        };
                        (kind, leaf.name.to_string())
                    }
                    _ => (Kind::Op(n.op), n.op.to_string()),
                };
                Node {
                    kind,
                    label,
                    value: n.value,
                    parents: n.parents,
                    depth: 0,
                    row: 0,
                }
            })
            .collect();
        for (index, label) in names.0 {
            nodes[index].label = label.to_string();
        }
        lay_out(&mut nodes);
        Trace {
            nodes,
            output: out.index(),
            adjoints,
        }
    }

    /// Number of columns of the picture.
    pub fn depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0) + 1
    }

    /// Number of rows of the tallest column.
    pub fn height(&self) -> usize {
        let mut counts = vec![0; self.depth()];
        for n in &self.nodes {
            counts[n.depth] += 1;
        }
        counts.into_iter().max().unwrap_or(0)
    }

    /// Whether every value and derivative is a finite number.
    pub fn is_finite(&self) -> bool {
        self.nodes
            .iter()
            .all(|n| n.value.is_finite() && n.parents.iter().all(|(_, d)| d.is_finite()))
            && self.adjoints.iter().all(|a| a.is_finite())
    }
}

/// Layers by depth from the inputs: an operation sits one column right of
/// its deepest parent; a leaf sits just left of its first consumer, so a
/// parameter enters the picture where it enters the formula. Within a column
/// operations come first, ordered by the mean row of their parents (which
/// keeps edges short), then leaves.
fn lay_out(nodes: &mut [Node]) {
    for i in 0..nodes.len() {
        let depth = nodes[i]
            .parents
            .iter()
            .map(|&(p, _)| nodes[p].depth + 1)
            .max()
            .unwrap_or(0);
        nodes[i].depth = depth;
    }
    for leaf in 0..nodes.len() {
        if !nodes[leaf].parents.is_empty() {
            continue;
        }
        let first_use = nodes
            .iter()
            .filter(|n| n.parents.iter().any(|&(p, _)| p == leaf))
            .map(|n| n.depth)
            .min();
        if let Some(d) = first_use {
            nodes[leaf].depth = d.saturating_sub(1);
        }
    }
    let columns = nodes.iter().map(|n| n.depth).max().unwrap_or(0) + 1;
    let mut position = vec![0.0f64; nodes.len()];
    for column in 0..columns {
        let mut members: Vec<(bool, f64, usize)> = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.depth == column)
            .map(|(i, n)| {
                let leaf = n.parents.is_empty();
                let key = if leaf {
                    i as f64
                } else {
                    n.parents.iter().map(|&(p, _)| position[p]).sum::<f64>()
                        / n.parents.len() as f64
                };
                (leaf, key, i)
            })
            .collect();
        members.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)));
        let count = members.len() as f64;
        for (row, &(_, _, i)) in members.iter().enumerate() {
            nodes[i].row = row;
            // Centred like the drawing, so barycentres compare across columns.
            position[i] = row as f64 - (count - 1.0) / 2.0;
        }
    }
}
