//! The nonlinearity between layers. Without one, a stack of dense layers is
//! just one big linear map.

use serde::{Deserialize, Serialize};

use crate::autodiff::{Graph, TVar};
use crate::error::{Error, Result};

/// The function applied to every output of a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Activation {
    /// `max(0, x)`.
    Relu,
    /// `1 / (1 + e⁻ˣ)`, squashing into (0, 1).
    Sigmoid,
    /// `tanh x`, squashing into (−1, 1).
    Tanh,
    /// `x`: no nonlinearity (the output layer, which produces logits).
    Identity,
}

impl Activation {
    /// Every activation.
    pub const ALL: [Activation; 4] = [
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Identity,
    ];

    /// f(x).
    pub fn apply(self, x: f32) -> f32 {
        match self {
            Activation::Relu => x.max(0.0),
            Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
            Activation::Tanh => x.tanh(),
            Activation::Identity => x,
        }
    }

    /// f′(x). For ReLU at exactly 0 this is 0, as in PyTorch.
    pub fn derivative(self, x: f32) -> f32 {
        match self {
            Activation::Relu => {
                if x > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Sigmoid => {
                let s = self.apply(x);
                s * (1.0 - s)
            }
            Activation::Tanh => 1.0 - x.tanh().powi(2),
            Activation::Identity => 1.0,
        }
    }

    /// Short name: "relu", "sigmoid", "tanh", "identity".
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Identity => "identity",
        }
    }

    /// The activation called `name` (exactly one of the [`Activation::name`]s).
    pub fn from_name(name: &str) -> Result<Activation> {
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == name)
            .ok_or_else(|| {
                Error::unknown("activation", name, &Activation::ALL.map(Activation::name))
            })
    }

    /// The layer name in a model summary ("ReLU", as PyTorch and Paddle print
    /// it); `None` for `Identity`, which is no layer at all.
    pub fn layer_name(self) -> Option<&'static str> {
        match self {
            Activation::Relu => Some("ReLU"),
            Activation::Sigmoid => Some("Sigmoid"),
            Activation::Tanh => Some("Tanh"),
            Activation::Identity => None,
        }
    }

    /// The activation applied to `x` on a graph (`Identity` adds no node).
    pub fn on_graph(self, g: &mut Graph, x: TVar) -> TVar {
        match self {
            Activation::Relu => g.relu(x),
            Activation::Sigmoid => g.sigmoid(x),
            Activation::Tanh => g.tanh(x),
            Activation::Identity => x,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_derivatives_by_hand() {
        use Activation::*;
        // relu: f(−2) = 0, f(3) = 3; f′ = 0 then 1 (and 0 at 0).
        assert_eq!((Relu.apply(-2.0), Relu.apply(3.0)), (0.0, 3.0));
        assert_eq!(
            (
                Relu.derivative(-2.0),
                Relu.derivative(0.0),
                Relu.derivative(3.0)
            ),
            (0.0, 0.0, 1.0)
        );
        // sigmoid(0) = 1/2, σ′(0) = 1/2·1/2 = 1/4; σ(ln 3) = 1/(1 + 1/3) = 3/4, σ′ = 3/16.
        assert_eq!((Sigmoid.apply(0.0), Sigmoid.derivative(0.0)), (0.5, 0.25));
        assert!((Sigmoid.apply(3f32.ln()) - 0.75).abs() < 1e-6);
        assert!((Sigmoid.derivative(3f32.ln()) - 3.0 / 16.0).abs() < 1e-6);
        // tanh(0) = 0, tanh′(0) = 1; tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5, tanh′ = 1 − 9/25 = 16/25.
        assert_eq!((Tanh.apply(0.0), Tanh.derivative(0.0)), (0.0, 1.0));
        assert!((Tanh.apply(2f32.ln()) - 0.6).abs() < 1e-6);
        assert!((Tanh.derivative(2f32.ln()) - 0.64).abs() < 1e-6);
        assert_eq!(
            (Identity.apply(-7.5), Identity.derivative(-7.5)),
            (-7.5, 1.0)
        );
    }

    #[test]
    fn names_round_trip() {
        for a in Activation::ALL {
            assert_eq!(Activation::from_name(a.name()), Ok(a));
        }
        let err = Activation::from_name("gelu").unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown activation 'gelu' (known: relu, sigmoid, tanh, identity)"
        );
    }
}
