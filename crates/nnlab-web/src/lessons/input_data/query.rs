//! The data lesson's view of the gallery in a link — never the images:
//! `class` (a CIFAR-10 class name, or `all`) and `img` (the test image taken
//! apart), e.g. `class=cat&img=3`.

use nnlab::data::{BATCH_RECORDS, CLASS_NAMES};

use super::model::Model;
use crate::lessons::FromLink;
use crate::url_state::{Notice, Query, QueryReader};

/// What the filter shows for every class.
const ALL: &str = "all";

impl FromLink for Model {
    fn to_query(&self) -> Query {
        let class = self.class.and_then(|c| CLASS_NAMES.get(c)).copied();
        vec![
            ("class".into(), class.unwrap_or(ALL).into()),
            ("img".into(), self.selected.to_string()),
        ]
    }

    /// The gallery a link asks for (first page of its class); what could not
    /// be used is reported and keeps its default.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::default();
        let class = |name: &str| match name {
            ALL => Some(None),
            _ => CLASS_NAMES.iter().position(|&c| c == name).map(Some),
        };
        if let Some(class) = r.name("class", class) {
            m.class = class;
        }
        // The test set (the one batch file of 10,000 images) is what the gallery shows.
        if let Some(index) = r.whole("img", 0.0..=(BATCH_RECORDS - 1) as f64) {
            m.selected = index as usize;
        }
        Ok((m, r.finish()))
    }

    /// The view redraws on a new revision.
    fn take_place(&mut self, fresh: Model) {
        let revision = self.revision + 1;
        *self = Model { revision, ..fresh };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson::testing::round_trip;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let m: Model = round_trip("class=cat&img=9999");
        // Cat is label 3 in CIFAR-10's batches.meta.txt order.
        assert_eq!((m.class, m.selected), (Some(3), 9999));
        assert_eq!(Model::default().to_query(), query("class=all&img=0"));
        for name in CLASS_NAMES {
            round_trip::<Model>(&format!("class={name}&img=1"));
        }
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let (m, notices) =
            Model::from_query(&query("class=Cat&img=-1&class=dog&img=1e308&img=2.5&x=%00"))
                .unwrap();
        assert_eq!(m, Model::default());
        assert_eq!(
            problems(&notices),
 "class Repeated, class UnknownName, img Repeated, img Repeated, img OutOfRange, x UnknownKey",
        );
        let (m, notices) = Model::from_query(&query("img=2.5&class=<script>")).unwrap();
        assert_eq!(m, Model::default());
        assert_eq!(problems(&notices), "class UnknownName, img NotANumber",);
        assert_eq!(notices[0].value, "<script>");
    }
}
