//! The expressions the backprop lesson differentiates, written with the
//! core's scalar autodiff ([`nnlab::autodiff::Tape`]) so the graph the page
//! draws is the tape the core really recorded.

use nnlab::autodiff::{Tape, Var};

/// One input of an expression: a parameter (its gradient is what training
/// needs) or a piece of data (fixed; drawn, but not checked).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Leaf {
    /// As printed: "W₁", "x".
    pub name: &'static str,
    /// The value it starts with.
    pub default: f64,
    /// Whether it is a parameter (checked against finite differences) or data.
    pub is_param: bool,
}

/// Names for the nodes an expression records, by tape index (the others are
/// labelled by their operation).
#[derive(Default)]
pub struct Names(pub Vec<(usize, &'static str)>);

impl Names {
    /// Names `v` and hands it back, so building reads like the formula.
    pub fn name<'t>(&mut self, v: Var<'t>, label: &'static str) -> Var<'t> {
        self.0.push((v.index(), label));
        v
    }
}

/// Builds the expression on a tape from its leaves (given in [`Preset::leaves`] order).
pub type Build = for<'t> fn(&[Var<'t>], &mut Names) -> Var<'t>;

/// The expressions the lesson offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresetId {
    /// m(x) = f(g(x)) with f = sin, g = x²: the lecture's chain-rule identity.
    Chain,
    /// f(W₁, W₂, W₃) = a(W₁, b(W₂, c(W₃))) with a = W₁·u, b = tanh(W₂·v), c = W₃².
    Lecture,
    /// The loss of one neuron: (σ(w·x + b) − y)².
    Neuron,
}

/// An expression with its leaves and how to build it on a tape.
pub struct Preset {
    /// Which expression this is.
    pub id: PresetId,
    /// Its inputs, in the order [`Build`] takes them.
    pub leaves: &'static [Leaf],
    /// Records the expression on a tape.
    pub build: Build,
}

impl PresetId {
    /// Every expression, in menu order.
    pub const ALL: [PresetId; 3] = [PresetId::Chain, PresetId::Lecture, PresetId::Neuron];

    /// A stable name (for links and tests).
    pub fn name(self) -> &'static str {
        match self {
            PresetId::Chain => "chain",
            PresetId::Lecture => "lecture",
            PresetId::Neuron => "neuron",
        }
    }

    /// The expression called `name`, if any.
    pub fn from_name(name: &str) -> Option<PresetId> {
        PresetId::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The formula as shown above the graph.
    pub fn formula(self) -> &'static str {
        match self {
            PresetId::Chain => "m(x) = f(g(x)),  f = sin,  g(x) = x²",
            PresetId::Lecture => {
                "f(W₁, W₂, W₃) = a(W₁, b(W₂, c(W₃))),  a = W₁·u,  b = tanh(W₂·v),  c = W₃²"
            }
            PresetId::Neuron => "L(w, b) = (σ(w·x + b) − y)²,  σ(z) = 1 / (1 + e⁻ᶻ)",
        }
    }

    /// The expression with its leaves and builder.
    pub fn preset(self) -> Preset {
        match self {
            PresetId::Chain => Preset {
                id: self,
                leaves: &[Leaf {
                    name: "x",
                    default: 1.2,
                    is_param: true,
                }],
                build: chain,
            },
            PresetId::Lecture => Preset {
                id: self,
                leaves: &[
                    Leaf {
                        name: "W₁",
                        default: 2.0,
                        is_param: true,
                    },
                    Leaf {
                        name: "W₂",
                        default: 0.7,
                        is_param: true,
                    },
                    Leaf {
                        name: "W₃",
                        default: 1.0,
                        is_param: true,
                    },
                ],
                build: lecture,
            },
            PresetId::Neuron => Preset {
                id: self,
                leaves: &[
                    Leaf {
                        name: "w",
                        default: 0.8,
                        is_param: true,
                    },
                    Leaf {
                        name: "x",
                        default: 1.5,
                        is_param: false,
                    },
                    Leaf {
                        name: "b",
                        default: -0.3,
                        is_param: true,
                    },
                    Leaf {
                        name: "y",
                        default: 1.0,
                        is_param: false,
                    },
                ],
                build: neuron,
            },
        }
    }
}

fn chain<'t>(v: &[Var<'t>], n: &mut Names) -> Var<'t> {
    let g = n.name(v[0].powi(2), "g = x²");
    n.name(g.sin(), "m = sin g")
}

fn lecture<'t>(v: &[Var<'t>], n: &mut Names) -> Var<'t> {
    let (w1, w2, w3) = (v[0], v[1], v[2]);
    let c = n.name(w3.powi(2), "c = W₃²");
    let w2c = n.name(w2 * c, "W₂·c");
    let b = n.name(w2c.tanh(), "b = tanh");
    n.name(w1 * b, "f = a = W₁·b")
}

/// σ is built from operations the tape knows (neg, exp, +1, 1/·): each has a
/// simple known derivative, and the chain rule does the rest.
fn neuron<'t>(v: &[Var<'t>], n: &mut Names) -> Var<'t> {
    let (w, x, b, y) = (v[0], v[1], v[2], v[3]);
    let wx = n.name(w * x, "w·x");
    let z = n.name(wx + b, "z = w·x + b");
    let neg = n.name(-z, "−z");
    let e = n.name(neg.exp(), "e⁻ᶻ");
    let one_plus = n.name(1.0 + e, "1 + e⁻ᶻ");
    let s = n.name(1.0 / one_plus, "σ = 1/(·)");
    let diff = n.name(s - y, "σ − y");
    n.name(diff.powi(2), "L = (·)²")
}

/// The expression's value at `values` (one per leaf), on a fresh tape.
pub fn evaluate(preset: &Preset, values: &[f64]) -> f64 {
    let tape = Tape::new();
    let leaves = tape.vars(values);
    (preset.build)(&leaves, &mut Names::default()).value()
}
