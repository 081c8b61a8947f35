//! Python scripts that rebuild a network in PyTorch, PaddlePaddle or plain
//! NumPy, load its safetensors file ([`crate::nn::state_dict`]) and print
//! its accuracy on CIFAR-10's test images.
//!
//! Why scripts and not only the weights: a student who trained the lecture's
//! network in nnlab should see the same network written in the framework
//! they will use next, and check it gives the same accuracy. The scripts are
//! the `.py` files beside this one, with the layers of the network at hand
//! written out (`{{layers}}`), so they read like code a person wrote, and the
//! test-batch reader they share pasted in (`{{read_test_batch}}`).
//!
//! ```
//! use nnlab::nn::MlpSpec;
//! use nnlab::python::{script, Framework};
//!
//! let text = script(Framework::PyTorch, &MlpSpec::lecture_cifar(), "model.safetensors");
//! assert!(text.contains("    nn.Linear(3072, 100), nn.ReLU(),\n"));
//! assert!(text.contains("    nn.Linear(256, 10),\n)"));
//! ```

use crate::error::{Error, Result};
use crate::nn::{count_text, Activation, MlpSpec};

const PYTORCH: &str = include_str!("pytorch.py");
const PADDLE: &str = include_str!("paddle.py");
const NUMPY: &str = include_str!("numpy.py");
/// What every script shares, pasted into each (a script must stand alone):
/// reading CIFAR-10's test batch and the command-line paths.
const READ_TEST_BATCH: &str = include_str!("reader_fragment.py");

/// Where the script rebuilds the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Framework {
    /// `torch.nn.Sequential`, loaded with `safetensors.torch.load_file`.
    PyTorch,
    /// Paddle's `nn.Sequential`, whose Linear weights are `[in, out]`, so the
    /// script transposes them on load.
    Paddle,
    /// No framework: the forward pass as NumPy matrix products.
    NumPy,
}

impl Framework {
    /// Every framework, in the order the page and the CLI list them.
    pub const ALL: [Framework; 3] = [Framework::PyTorch, Framework::Paddle, Framework::NumPy];

    /// The name on the command line: `pytorch`, `paddle`, `numpy`.
    pub fn name(self) -> &'static str {
        match self {
            Framework::PyTorch => "pytorch",
            Framework::Paddle => "paddle",
            Framework::NumPy => "numpy",
        }
    }

    /// The framework called `name` ([`Framework::name`]).
    pub fn from_name(name: &str) -> Result<Framework> {
        Framework::ALL
            .into_iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| Error::UnknownName {
                kind: "framework",
                name: name.to_string(),
                known: Framework::ALL.map(Framework::name).join(", "),
            })
    }

    /// The file name a script for `model_file` gets: `model_pytorch.py`.
    pub fn script_name(self, model_file: &str) -> String {
        let stem = model_file
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(model_file)
            .trim_end_matches(".safetensors");
        format!("{stem}_{}.py", self.name())
    }
}

/// The script for `framework` that rebuilds the network `spec` and loads it
/// from `model_file` (the safetensors file's name, used as the default path
/// and in the instructions).
pub fn script(framework: Framework, spec: &MlpSpec, model_file: &str) -> String {
    let (template, layers) = match framework {
        Framework::PyTorch => (PYTORCH, sequential(spec, "nn.")),
        Framework::Paddle => (PADDLE, sequential(spec, "nn.")),
        Framework::NumPy => (NUMPY, numpy_layers(spec)),
    };
    template
        .replace("{{read_test_batch}}", READ_TEST_BATCH)
        .replace("{{layers}}", &layers)
        .replace("{{activation_def}}", numpy_activation(spec.activation))
        .replace("{{params}}", &count_text(spec.param_count()))
        .replace("{{script}}", &framework.script_name(model_file))
        .replace("{{model}}", model_file)
}

/// The body of an `nn.Sequential(...)`: each Linear with the activation
/// after it, on one line, as the lecture writes its network.
fn sequential(spec: &MlpSpec, nn: &str) -> String {
    let last = spec.layers.len() - 1;
    spec.layer_sizes()
        .enumerate()
        .map(|(l, (inputs, outputs))| {
            let activation = match spec.activation {
                Activation::Relu => "ReLU",
                Activation::Sigmoid => "Sigmoid",
                Activation::Tanh => "Tanh",
                Activation::Identity => "Identity",
            };
            if l == last {
                format!("    {nn}Linear({inputs}, {outputs}),")
            } else {
                format!("    {nn}Linear({inputs}, {outputs}), {nn}{activation}(),")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One NumPy line per layer: `x = relu(x @ state["0.weight"].T + state["0.bias"])`.
fn numpy_layers(spec: &MlpSpec) -> String {
    let last = spec.layers.len() - 1;
    let f = spec.activation.name();
    spec.layer_sizes()
        .enumerate()
        .map(|(l, (inputs, outputs))| {
            let (w, b) = (
                crate::nn::state_dict::tensor_name(l, "weight"),
                crate::nn::state_dict::tensor_name(l, "bias"),
            );
            let product = format!("x @ state[\"{w}\"].T + state[\"{b}\"]");
            if l == last {
                format!("x = {product}  # {inputs} -> {outputs}: the logits, one per class")
            } else {
                format!("x = {f}({product})  # {inputs} -> {outputs}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Python definition of the activation the NumPy lines call.
fn numpy_activation(activation: Activation) -> &'static str {
    match activation {
        Activation::Relu => "\n\ndef relu(z):\n    return np.maximum(z, 0)\n",
        Activation::Sigmoid => "\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n",
        Activation::Tanh => "\n\ndef tanh(z):\n    return np.tanh(z)\n",
        Activation::Identity => "\n\ndef identity(z):\n    return z\n",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> MlpSpec {
        MlpSpec {
            input: 4,
            layers: vec![3, 2],
            activation: Activation::Tanh,
        }
    }

    #[test]
    fn pytorch_layers_are_written_out() {
        let text = script(Framework::PyTorch, &small(), "run1.safetensors");
        assert!(text.contains(
            "model = nn.Sequential(\n    nn.Linear(4, 3), nn.Tanh(),\n    nn.Linear(3, 2),\n)"
        ));
        // 4·3 + 3 + 3·2 + 2 = 23 parameters.
        assert!(text.contains("run1.safetensors (23 parameters)"));
        assert!(text.contains("python run1_pytorch.py run1.safetensors cifar-10-binary.tar.gz"));
        assert!(!text.contains("{{"), "a placeholder was left:\n{text}");
    }

    #[test]
    fn paddle_transposes_weights() {
        let text = script(Framework::Paddle, &small(), "m.safetensors");
        assert!(text.contains("value.T if name.endswith(\".weight\")"));
        assert!(text.contains("    nn.Linear(4, 3), nn.Tanh(),\n    nn.Linear(3, 2),\n)"));
        assert!(!text.contains("{{"));
    }

    #[test]
    fn numpy_computes_each_layer() {
        let text = script(Framework::NumPy, &small(), "m.safetensors");
        assert!(text.contains(
            "x = tanh(x @ state[\"0.weight\"].T + state[\"0.bias\"])  # 4 -> 3\n\
             x = x @ state[\"2.weight\"].T + state[\"2.bias\"]  # 3 -> 2: the logits"
        ));
        assert!(text.contains("def tanh(z):"));
        assert!(!text.contains("{{"));
    }

    #[test]
    fn names_round_trip_and_unknown_is_refused() {
        for f in Framework::ALL {
            assert_eq!(Framework::from_name(f.name()), Ok(f));
        }
        let e = Framework::from_name("tensorflow").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown framework 'tensorflow' (known: pytorch, paddle, numpy)"
        );
        assert_eq!(
            Framework::PyTorch.script_name("out/run.safetensors"),
            "run_pytorch.py"
        );
    }
}
