//! The state of the neuron lesson, free of browser types: one small dense
//! layer (3 inputs, 2 neurons) whose every number the student can edit, and
//! its forward pass computed by the core's tensor graph.

use nnlab::autodiff::Graph;
use nnlab::nn::Activation;
use nnlab::Tensor;

use crate::lessons::kit::number::{NumberProblem, Refusals};
use crate::lessons::LessonModel;

/// Inputs of the layer (the length of `input`, the columns of `W`).
pub const INPUTS: usize = 3;
/// Neurons of the layer (the rows of `W`, the length of `b` and `output`).
pub const OUTPUTS: usize = 2;
/// Largest size a typed number may have: beyond it the products stop being
/// readable and f32 loses the small terms.
pub const LIMIT: f64 = 1e4;
/// The activations offered (the lecture names ReLU and Sigmoid; tanh is the third classic).
pub const ACTIVATIONS: [Activation; 3] = [Activation::Relu, Activation::Sigmoid, Activation::Tanh];

/// One editable number of the layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `W[neuron][input]`.
    Weight(usize, usize),
    /// `input[i]`.
    Input(usize),
    /// `b[neuron]`.
    Bias(usize),
}

impl Field {
    /// Every field, weights row by row, then the input, then the bias.
    pub fn all() -> Vec<Field> {
        let weights = (0..OUTPUTS).flat_map(|j| (0..INPUTS).map(move |i| Field::Weight(j, i)));
        weights
            .chain((0..INPUTS).map(Field::Input))
            .chain((0..OUTPUTS).map(Field::Bias))
            .collect()
    }
}

/// The forward pass, as the lesson shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Forward {
    /// `terms[j][i] = W[j][i] · input[i]`: the multiplications of neuron `j`'s dot product.
    pub terms: [[f32; INPUTS]; OUTPUTS],
    /// `z = dot(W, input) + b`, before the activation.
    pub pre: [f32; OUTPUTS],
    /// `activation(z)`.
    pub out: [f32; OUTPUTS],
}

/// The neuron lesson's state: W, the input, b and the activation, and the forward pass.
pub struct Model {
    weight: [[f64; INPUTS]; OUTPUTS],
    input: [f64; INPUTS],
    bias: [f64; OUTPUTS],
    activation: Activation,
    /// Fields whose current text is not a valid number (the values above keep the last good one).
    problems: Refusals<Field>,
    forward: Forward,
    /// Bumped whenever what is drawn changes.
    revision: u64,
}

impl Model {
    /// A worked example: neuron 1's weighted sum is negative, so ReLU silences
    /// it (z₁ = −0.25 → 0), while neuron 2 passes its sum on (z₂ = 1.25).
    pub fn new() -> Model {
        let weight = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]];
        let input = [1.0, 2.0, 0.5];
        let bias = [0.25, -0.5];
        let activation = Activation::Relu;
        Model {
            forward: forward(&weight, &input, &bias, activation),
            weight,
            input,
            bias,
            activation,
            problems: Refusals::default(),
            revision: 0,
        }
    }

    /// The field's current value.
    pub fn value(&self, field: Field) -> f64 {
        match field {
            Field::Weight(j, i) => self.weight[j][i],
            Field::Input(i) => self.input[i],
            Field::Bias(j) => self.bias[j],
        }
    }

    /// Takes the text typed into `field`. A valid number updates the layer;
    /// anything else is remembered as the field's problem and changes nothing.
    pub fn set_text(&mut self, field: Field, text: &str) {
        if let Some(v) = self.problems.read(field, text, LIMIT) {
            match field {
                Field::Weight(j, i) => self.weight[j][i] = v,
                Field::Input(i) => self.input[i] = v,
                Field::Bias(j) => self.bias[j] = v,
            }
            self.recompute();
        }
        self.revision += 1;
    }

    /// Sets `field` to a number already checked (|v| ≤ [`LIMIT`]), clearing its problem.
    pub fn set_value(&mut self, field: Field, v: f64) {
        self.set_text(field, &v.to_string());
    }

    /// Another activation; the forward pass runs again.
    pub fn set_activation(&mut self, activation: Activation) {
        self.activation = activation;
        self.recompute();
        self.revision += 1;
    }

    /// The activation applied.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// Why the text typed in `field` was refused, if it was.
    pub fn problem(&self, field: Field) -> Option<NumberProblem> {
        self.problems.of(field)
    }

    /// The first field with a problem, for the message under the layer.
    pub fn first_problem(&self) -> Option<(Field, NumberProblem)> {
        self.problems.first(Field::all())
    }

    /// The forward pass of the last valid numbers.
    pub fn forward(&self) -> &Forward {
        &self.forward
    }

    /// Bumped on every change the page shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    fn recompute(&mut self) {
        self.forward = forward(&self.weight, &self.input, &self.bias, self.activation);
    }
}

impl Default for Model {
    fn default() -> Self {
        Model::new()
    }
}

/// The layer's forward pass on the core's tensor graph: the input is a batch
/// of one row `[1, 3]`, the weight `[2, 3]` as in `nn::Dense` (row j = neuron j),
/// so `z = input·Wᵀ + b` = `dot(W, input) + b` of the lecture.
pub fn forward(
    weight: &[[f64; INPUTS]; OUTPUTS],
    input: &[f64; INPUTS],
    bias: &[f64; OUTPUTS],
    activation: Activation,
) -> Forward {
    let w: Vec<f32> = weight.iter().flatten().map(|&v| v as f32).collect();
    let x: Vec<f32> = input.iter().map(|&v| v as f32).collect();
    let b: Vec<f32> = bias.iter().map(|&v| v as f32).collect();
    let mut terms = [[0.0f32; INPUTS]; OUTPUTS];
    for (j, row) in terms.iter_mut().enumerate() {
        for (i, term) in row.iter_mut().enumerate() {
            *term = w[j * INPUTS + i] * x[i];
        }
    }

    let mut g = Graph::new();
    let x = g.input(Tensor::new(&[1, INPUTS], x));
    let w = g.param(Tensor::new(&[OUTPUTS, INPUTS], w));
    let b = g.param(Tensor::new(&[OUTPUTS], b));
    let z = g.matmul_bt(x, w);
    let z = g.add_bias(z, b);
    let y = activation.on_graph(&mut g, z);
    let row = |v| -> [f32; OUTPUTS] {
        let data = g.value(v).data();
        std::array::from_fn(|j| data[j])
    };
    Forward {
        terms,
        pre: row(z),
        out: row(y),
    }
}

/// Nothing moves by itself and no shared key applies: the page is all sliders and fields.
impl LessonModel for Model {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worked_example_by_hand() {
        // z₁ = 0.5·1 + (−1)·2 + 2·0.5 + 0.25 = 0.5 − 2 + 1 + 0.25 = −0.25
        // z₂ = 1.5·1 + 0.25·2 + (−0.5)·0.5 − 0.5 = 1.5 + 0.5 − 0.25 − 0.5 = 1.25
        // relu → (0, 1.25). Every number is a short binary fraction, so f32 is exact.
        let m = Model::new();
        let f = m.forward();
        assert_eq!(f.terms, [[0.5, -2.0, 1.0], [1.5, 0.5, -0.25]]);
        assert_eq!(f.pre, [-0.25, 1.25]);
        assert_eq!(f.out, [0.0, 1.25]);
    }

    #[test]
    fn other_activations_squash_the_same_sums() {
        let mut m = Model::new();
        m.set_activation(Activation::Tanh);
        // tanh(1.25) = 0.848283…, tanh(−0.25) = −0.244919…
        let out = m.forward().out;
        assert!((out[0] + 0.244_919).abs() < 1e-5, "{out:?}");
        assert!((out[1] - 0.848_283).abs() < 1e-5, "{out:?}");
        m.set_activation(Activation::Sigmoid);
        // σ(0) = 1/2 when z₁ is moved to 0 by a bias of 0.5.
        m.set_text(Field::Bias(0), "0.5");
        assert_eq!(m.forward().pre[0], 0.0);
        assert_eq!(m.forward().out[0], 0.5);
    }

    #[test]
    fn editing_a_weight_changes_the_output() {
        let mut m = Model::new();
        let before = m.revision();
        // W[1][2] from −0.5 to 1.5: z₂ = 1.5 + 0.5 + 0.75 − 0.5 = 2.25.
        m.set_text(Field::Weight(1, 2), "1.5");
        assert_eq!(m.forward().pre[1], 2.25);
        assert_eq!(m.forward().out[1], 2.25);
        assert!(m.revision() > before);
    }

    #[test]
    fn bad_text_is_reported_and_keeps_the_last_good_value() {
        let mut m = Model::new();
        m.set_text(Field::Input(1), "NaN");
        assert_eq!(m.problem(Field::Input(1)), Some(NumberProblem::NotANumber));
        assert_eq!(m.value(Field::Input(1)), 2.0);
        assert_eq!(m.forward().pre, [-0.25, 1.25]);
        m.set_text(Field::Bias(1), "1e9");
        assert_eq!(
            m.first_problem(),
            Some((Field::Input(1), NumberProblem::NotANumber))
        );
        assert_eq!(m.problem(Field::Bias(1)), Some(NumberProblem::TooLarge));
        m.set_text(Field::Input(1), "");
        assert_eq!(m.problem(Field::Input(1)), Some(NumberProblem::Empty));
        m.set_text(Field::Input(1), "3");
        m.set_text(Field::Bias(1), "-0.5");
        assert_eq!(m.first_problem(), None);
        // z₁ = 0.5 − 3 + 1 + 0.25 = −1.25
        assert_eq!(m.forward().pre[0], -1.25);
    }

    #[test]
    fn fields_are_listed_once_each() {
        let all = Field::all();
        assert_eq!(all.len(), OUTPUTS * INPUTS + INPUTS + OUTPUTS);
        assert_eq!(all[0], Field::Weight(0, 0));
        assert_eq!(all[6], Field::Input(0));
        assert_eq!(all[10], Field::Bias(1));
    }
}
