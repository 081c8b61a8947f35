//! The neuron lesson in a link: `w` (the weights row by row), `x` (the input),
//! `b` (the bias) and `act`, e.g. `w=0.5,-1,2,1.5,0.25,-0.5&x=1,2,0.5&b=0.25,-0.5&act=relu`.

use nnlab::nn::Activation;

use super::model::{Field, Model, ACTIVATIONS, INPUTS, LIMIT, OUTPUTS};
use crate::lessons::FromLink;
use crate::url_state::{format_list, parse_list, Notice, Query, QueryReader};

impl FromLink for Model {
    fn to_query(&self) -> Query {
        let list = |fields: Vec<Field>| format_list(fields.into_iter().map(|f| self.value(f)));
        vec![
            ("w".into(), list(weights())),
            ("x".into(), list(inputs())),
            ("b".into(), list(biases())),
            ("act".into(), self.activation().name().into()),
        ]
    }

    /// The layer a link asks for, on top of the worked example; a list that
    /// cannot be used is reported and keeps the example's numbers.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::new();
        for (key, fields) in [("w", weights()), ("x", inputs()), ("b", biases())] {
            // Exactly one number per field, each of size at most LIMIT.
            let ranges = vec![-LIMIT..=LIMIT; fields.len()];
            if let Some(values) = r.parsed(key, |text| parse_list(text, &ranges)) {
                for (field, v) in fields.into_iter().zip(values) {
                    m.set_value(field, v);
                }
            }
        }
        if let Some(activation) = r.offered("act", Activation::from_name, &ACTIVATIONS) {
            m.set_activation(activation);
        }
        Ok((m, r.finish()))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson::testing::round_trip;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let m: Model = round_trip("w=1,2,3,-4,5.5,-6&x=0.5,0,-1&b=10,-0.25&act=tanh");
        assert_eq!(m.value(Field::Weight(1, 1)), 5.5);
        assert_eq!(m.value(Field::Input(2)), -1.0);
        assert_eq!(m.value(Field::Bias(0)), 10.0);
        assert_eq!(m.activation(), Activation::Tanh);
        // z₁ = 1·0.5 + 2·0 + 3·(−1) + 10 = 7.5; z₂ = −4·0.5 + 0 + 6 − 0.25 = 3.75.
        assert_eq!(m.forward().pre, [7.5, 3.75]);
        // The worked example writes itself as the lesson opens.
        assert_eq!(
            Model::new().to_query(),
            query("w=0.5,-1,2,1.5,0.25,-0.5&x=1,2,0.5&b=0.25,-0.5&act=relu")
        );
    }

    #[test]
    fn hostile_values_keep_the_example_with_notices() {
        let (m, notices) = Model::from_query(&query(
            "w=1,2,3&x=NaN,1,1&b=1e308,0&act=<script>alert(1)</script>&act=relu&b=1,1&q=1",
        ))
        .unwrap();
        assert_eq!(m.to_query(), Model::new().to_query());
        assert_eq!(
            problems(&notices),
 "w Incomplete, x NotANumber, b Repeated, b OutOfRange, act Repeated, act UnknownName, q UnknownKey",
        );
        // `identity` is a core activation but not one this lesson offers; a trailing comma is one too many.
        let (m, notices) = Model::from_query(&query("act=identity&x=1,2,3,")).unwrap();
        assert_eq!(m.activation(), Activation::Relu);
        assert_eq!(problems(&notices), "x Incomplete, act UnknownName",);
    }
}
