//! The data lesson's view of the gallery in a link — never the images:
//! `class` (a CIFAR-10 class name, or `all`) and `img` (the test image taken
//! apart), e.g. `class=cat&img=3`.

use nnlab::data::{BATCH_RECORDS, CLASS_NAMES};

use super::model::Model;
use crate::lessons::LinkState;
use crate::url_state::{Notice, Problem, Query, QueryReader};

/// What the filter shows for every class.
const ALL: &str = "all";

pub fn state_query(m: &Model) -> Query {
    let class = m.class.and_then(|c| CLASS_NAMES.get(c)).copied();
    vec![
        ("class".into(), class.unwrap_or(ALL).into()),
        ("img".into(), m.selected.to_string()),
    ]
}

/// The gallery a link asks for (first page of its class); what could not be
/// used is reported and keeps its default.
pub fn from_query(query: &[(String, String)]) -> (Model, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut m = Model::default();
    if let Some(name) = r.text("class") {
        if name != ALL {
            match CLASS_NAMES.iter().position(|&c| c == name) {
                Some(class) => m.class = Some(class),
                None => r.report("class", name, Problem::UnknownName),
            }
        }
    }
    // The test set (the one batch file of 10,000 images) is what the gallery shows.
    if let Some(index) = r.number("img", 0.0..=(BATCH_RECORDS - 1) as f64) {
        if index.fract() == 0.0 {
            m.selected = index as usize;
        } else {
            r.report("img", &index.to_string(), Problem::NotANumber);
        }
    }
    (m, r.finish())
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(self)
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (fresh, notices) = from_query(query);
        // The view redraws on a new revision.
        let revision = self.revision + 1;
        *self = Model { revision, ..fresh };
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::parse_fragment;

    fn query(text: &str) -> Query {
        parse_fragment(&format!("#input-data?{text}")).query
    }

    fn problems(notices: &[Notice]) -> Vec<(&str, Problem)> {
        notices
            .iter()
            .map(|n| (n.key.as_str(), n.problem))
            .collect()
    }

    #[test]
    fn every_field_round_trips() {
        let (m, notices) = from_query(&query("class=cat&img=9999"));
        assert!(notices.is_empty(), "{notices:?}");
        // Cat is label 3 in CIFAR-10's batches.meta.txt order.
        assert_eq!((m.class, m.selected), (Some(3), 9999));
        assert_eq!(state_query(&m), query("class=cat&img=9999"));
        assert_eq!(state_query(&Model::default()), query("class=all&img=0"));
        for name in CLASS_NAMES {
            let q = query(&format!("class={name}&img=1"));
            assert_eq!(state_query(&from_query(&q).0), q);
        }
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let (m, notices) = from_query(&query("class=Cat&img=-1&class=dog&img=1e308&img=2.5&x=%00"));
        assert_eq!(m, Model::default());
        assert_eq!(
            problems(&notices),
            vec![
                ("class", Problem::Repeated),
                ("class", Problem::UnknownName),
                ("img", Problem::Repeated),
                ("img", Problem::Repeated),
                ("img", Problem::OutOfRange),
                ("x", Problem::UnknownKey),
            ]
        );
        let (m, notices) = from_query(&query("img=2.5&class=<script>"));
        assert_eq!(m, Model::default());
        assert_eq!(
            problems(&notices),
            vec![
                ("class", Problem::UnknownName),
                ("img", Problem::NotANumber)
            ]
        );
        assert_eq!(notices[0].value, "<script>");
    }
}
