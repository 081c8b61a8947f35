//! The backprop lesson in a link: `e` (the expression: `chain`, `lecture`,
//! `neuron`) and `v` (the value of each of its inputs, in order), e.g.
//! `e=neuron&v=0.8,1.5,-0.3,1`.

use super::model::{Model, LIMIT};
use super::presets::PresetId;
use crate::lessons::LinkState;
use crate::url_state::{format_value, parse_number, Notice, Problem, Query, QueryReader};

pub fn state_query(m: &Model) -> Query {
    let values: Vec<String> = m.values().iter().map(|&v| format_value(v)).collect();
    vec![
        ("e".into(), m.preset().id.name().into()),
        ("v".into(), values.join(",")),
    ]
}

/// The expression and values a link asks for, on top of the lecture's
/// composition; what could not be used is reported and keeps its default.
pub fn from_query(query: &[(String, String)]) -> (Model, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut m = Model::new();
    if let Some(name) = r.text("e") {
        match PresetId::from_name(name) {
            Some(id) => m.choose(id),
            None => r.report("e", name, Problem::UnknownName),
        }
    }
    if let Some(text) = r.text("v") {
        let parts: Vec<&str> = text.split(',').collect();
        let values: Result<Vec<f64>, Problem> = if parts.len() == m.values().len() {
            parts
                .iter()
                .map(|t| parse_number(t, &(-LIMIT..=LIMIT)))
                .collect()
        } else {
            Err(Problem::Incomplete)
        };
        match values {
            Ok(values) => m.set_values(&values),
            Err(problem) => r.report("v", text, problem),
        }
    }
    (m, r.finish())
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
        parse_fragment(&format!("#backprop?{text}")).query
    }

    fn problems(notices: &[Notice]) -> Vec<(&str, Problem)> {
        notices
            .iter()
            .map(|n| (n.key.as_str(), n.problem))
            .collect()
    }

    #[test]
    fn every_field_round_trips() {
        let link = "e=neuron&v=0.5,-2,0.25,0";
        let (m, notices) = from_query(&query(link));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(m.preset().id, PresetId::Neuron);
        assert_eq!(m.values(), &[0.5, -2.0, 0.25, 0.0]);
        assert_eq!(state_query(&m), query(link));
        // The opening expression writes itself with its defaults.
        assert_eq!(state_query(&Model::new()), query("e=lecture&v=2,0.7,1"));
        // x = 0 in the chain: m = sin(0²) = 0.
        let (m, _) = from_query(&query("e=chain&v=0"));
        let t = m.trace();
        assert_eq!(t.nodes[t.output].value, 0.0);
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let (m, notices) = from_query(&query("e=<svg onload=alert(1)>&v=1,2&e=chain&w=3"));
        assert_eq!(state_query(&m), state_query(&Model::new()));
        assert_eq!(
            problems(&notices),
            vec![
                ("e", Problem::Repeated),
                ("e", Problem::UnknownName),
                ("v", Problem::Incomplete),
                ("w", Problem::UnknownKey),
            ]
        );
        let (m, notices) = from_query(&query("e=chain&v=NaN"));
        assert_eq!(m.values(), &[1.2]);
        assert_eq!(problems(&notices), vec![("v", Problem::NotANumber)]);
        let (m, notices) = from_query(&query("e=lecture&v=1e308,1,1"));
        assert_eq!(m.values(), &[2.0, 0.7, 1.0]);
        assert_eq!(problems(&notices), vec![("v", Problem::OutOfRange)]);
    }
}
