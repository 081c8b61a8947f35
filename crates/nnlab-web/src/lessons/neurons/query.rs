//! The neuron lesson in a link: `w` (the weights row by row), `x` (the input),
//! `b` (the bias) and `act`, e.g. `w=0.5,-1,2,1.5,0.25,-0.5&x=1,2,0.5&b=0.25,-0.5&act=relu`.

use nnlab::nn::Activation;

use super::model::{Field, Model, ACTIVATIONS, INPUTS, LIMIT, OUTPUTS};
use crate::lessons::LinkState;
use crate::url_state::{format_value, parse_number, Notice, Problem, Query, QueryReader};

pub fn state_query(m: &Model) -> Query {
    let list = |fields: &[Field]| -> String {
        let values: Vec<String> = fields.iter().map(|&f| format_value(m.value(f))).collect();
        values.join(",")
    };
    vec![
        ("w".into(), list(&weights())),
        ("x".into(), list(&inputs())),
        ("b".into(), list(&biases())),
        ("act".into(), m.activation().name().into()),
    ]
}

/// The layer a link asks for, on top of the worked example; a list that
/// cannot be used is reported and keeps the example's numbers.
pub fn from_query(query: &[(String, String)]) -> (Model, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut m = Model::new();
    for (key, fields) in [("w", weights()), ("x", inputs()), ("b", biases())] {
        let Some(text) = r.text(key) else { continue };
        match parse_list(text, fields.len()) {
            Ok(values) => {
                for (field, v) in fields.into_iter().zip(values) {
                    m.set_value(field, v);
                }
            }
            Err(problem) => r.report(key, text, problem),
        }
    }
    if let Some(name) = r.text("act") {
        match Activation::from_name(name) {
            Ok(a) if ACTIVATIONS.contains(&a) => m.set_activation(a),
            _ => r.report("act", name, Problem::UnknownName),
        }
    }
    (m, r.finish())
}

/// Exactly `n` comma-separated numbers, each of size at most [`LIMIT`].
fn parse_list(text: &str, n: usize) -> Result<Vec<f64>, Problem> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != n {
        return Err(Problem::Incomplete);
    }
    parts
        .iter()
        .map(|t| parse_number(t, &(-LIMIT..=LIMIT)))
        .collect()
}

fn weights() -> Vec<Field> {
    (0..OUTPUTS)
        .flat_map(|j| (0..INPUTS).map(move |i| Field::Weight(j, i)))
        .collect()
}
fn inputs() -> Vec<Field> {
    (0..INPUTS).map(Field::Input).collect()
}
fn biases() -> Vec<Field> {
    (0..OUTPUTS).map(Field::Bias).collect()
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(self)
    }

    /// The view is rebuilt after a link is applied, so a fresh model is safe.
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (fresh, notices) = from_query(query);
        *self = fresh;
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::parse_fragment;

    fn query(text: &str) -> Query {
        parse_fragment(&format!("#neurons?{text}")).query
    }

    fn problems(notices: &[Notice]) -> Vec<(&str, Problem)> {
        notices
            .iter()
            .map(|n| (n.key.as_str(), n.problem))
            .collect()
    }

    #[test]
    fn every_field_round_trips() {
        let link = "w=1,2,3,-4,5.5,-6&x=0.5,0,-1&b=10,-0.25&act=tanh";
        let (m, notices) = from_query(&query(link));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(m.value(Field::Weight(1, 1)), 5.5);
        assert_eq!(m.value(Field::Input(2)), -1.0);
        assert_eq!(m.value(Field::Bias(0)), 10.0);
        assert_eq!(m.activation(), Activation::Tanh);
        // z₁ = 1·0.5 + 2·0 + 3·(−1) + 10 = 7.5; z₂ = −4·0.5 + 0 + 6 − 0.25 = 3.75.
        assert_eq!(m.forward().pre, [7.5, 3.75]);
        assert_eq!(state_query(&m), query(link));
        // The worked example writes itself as the lesson opens.
        assert_eq!(
            state_query(&Model::new()),
            query("w=0.5,-1,2,1.5,0.25,-0.5&x=1,2,0.5&b=0.25,-0.5&act=relu")
        );
    }

    #[test]
    fn hostile_values_keep_the_example_with_notices() {
        let (m, notices) = from_query(&query(
            "w=1,2,3&x=NaN,1,1&b=1e308,0&act=<script>alert(1)</script>&act=relu&b=1,1&q=1",
        ));
        assert_eq!(state_query(&m), state_query(&Model::new()));
        assert_eq!(
            problems(&notices),
            vec![
                ("w", Problem::Incomplete),
                ("x", Problem::NotANumber),
                ("b", Problem::Repeated),
                ("b", Problem::OutOfRange),
                ("act", Problem::Repeated),
                ("act", Problem::UnknownName),
                ("q", Problem::UnknownKey),
            ]
        );
        // `identity` is a core activation but not one this lesson offers; a trailing comma is one too many.
        let (m, notices) = from_query(&query("act=identity&x=1,2,3,"));
        assert_eq!(m.activation(), Activation::Relu);
        assert_eq!(
            problems(&notices),
            vec![("x", Problem::Incomplete), ("act", Problem::UnknownName)]
        );
    }
}
