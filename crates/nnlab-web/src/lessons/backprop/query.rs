//! The backprop lesson in a link: `e` (the expression: `chain`, `lecture`,
//! `neuron`) and `v` (the value of each of its inputs, in order), e.g.
//! `e=neuron&v=0.8,1.5,-0.3,1`.

use super::model::{Model, LIMIT};
use super::presets::PresetId;
use crate::lessons::FromLink;
use crate::url_state::{format_list, parse_list, Notice, Query, QueryReader};

impl FromLink for Model {
    fn to_query(&self) -> Query {
        vec![
            ("e".into(), self.preset().id.name().into()),
            ("v".into(), format_list(self.values().iter().copied())),
        ]
    }

    /// The expression and values a link asks for, on top of the lecture's
    /// composition; what could not be used is reported and keeps its default.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::new();
        if let Some(id) = r.name("e", PresetId::from_name) {
            m.choose(id);
        }
        let ranges = vec![-LIMIT..=LIMIT; m.values().len()];
        if let Some(values) = r.parsed("v", |text| parse_list(text, &ranges)) {
            m.set_values(&values);
        }
        Ok((m, r.finish()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson::testing::round_trip;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let m: Model = round_trip("e=neuron&v=0.5,-2,0.25,0");
        assert_eq!(m.preset().id, PresetId::Neuron);
        assert_eq!(m.values(), &[0.5, -2.0, 0.25, 0.0]);
        // The opening expression writes itself with its defaults.
        assert_eq!(Model::new().to_query(), query("e=lecture&v=2,0.7,1"));
        // x = 0 in the chain: m = sin(0²) = 0.
        let (m, _) = Model::from_query(&query("e=chain&v=0")).unwrap();
        let t = m.trace();
        assert_eq!(t.nodes[t.output].value, 0.0);
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let (m, notices) =
            Model::from_query(&query("e=<svg onload=alert(1)>&v=1,2&e=chain&w=3")).unwrap();
        assert_eq!(m.to_query(), Model::new().to_query());
        assert_eq!(
            problems(&notices),
            "e Repeated, e UnknownName, v Incomplete, w UnknownKey",
        );
        let (m, notices) = Model::from_query(&query("e=chain&v=NaN")).unwrap();
        assert_eq!(m.values(), &[1.2]);
        assert_eq!(problems(&notices), "v NotANumber",);
        let (m, notices) = Model::from_query(&query("e=lecture&v=1e308,1,1")).unwrap();
        assert_eq!(m.values(), &[2.0, 0.7, 1.0]);
        assert_eq!(problems(&notices), "v OutOfRange",);
    }
}
