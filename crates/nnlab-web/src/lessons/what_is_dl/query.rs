//! The AI ⊃ ML ⊃ DL lesson in a link: `region=ai|ml|dl`, the open region.

use super::model::{Model, Region};
use crate::lessons::FromLink;
use crate::url_state::{Notice, Query, QueryReader};

impl FromLink for Model {
    fn to_query(&self) -> Query {
        vec![("region".into(), self.region().name().into())]
    }

    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::default();
        if let Some(region) = r.name("region", Region::from_name) {
            m.open(region);
        }
        Ok((m, r.finish()))
    }

    /// The view redraws on a new revision.
    fn take_place(&mut self, fresh: Model) {
        let region = fresh.region();
        self.open(region);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson::testing::round_trip;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_region_round_trips() {
        for region in Region::ALL {
            let m: Model = round_trip(&format!("region={}", region.name()));
            assert_eq!(m.region(), region);
        }
        assert_eq!(Model::default().to_query(), query("region=ai"));
    }

    #[test]
    fn unknown_values_keep_the_default_with_notices() {
        let (m, notices) = Model::from_query(&query("region=brain&x=1")).unwrap();
        assert_eq!(m.region(), Region::Ai);
        assert_eq!(problems(&notices), "region UnknownName, x UnknownKey");
    }
}
