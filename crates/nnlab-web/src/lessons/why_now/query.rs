//! The "why now" lesson in a link: `decade=1970…2020`, the chosen column of
//! the lecture's table. The measurement is never in a link: it belongs to
//! the browser that opens it.

use super::decades::DECADES;
use super::model::Model;
use crate::lessons::LinkState;
use crate::url_state::{Notice, Query, QueryReader};

impl LinkState for Model {
    fn state_query(&self) -> Query {
        vec![("decade".into(), DECADES[self.decade()].to_string())]
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let mut r = QueryReader::new(query);
        if let Some(year) = r.choice("decade", &DECADES) {
            if let Some(i) = DECADES.iter().position(|&d| d == year) {
                self.choose(i);
            }
        }
        r.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_decade_round_trips() {
        for (i, year) in DECADES.iter().enumerate() {
            let mut m = Model::default();
            let link = query(&format!("decade={year}"));
            assert!(m.apply_query(&link).is_empty());
            assert_eq!(m.decade(), i);
            assert_eq!(m.state_query(), link);
        }
    }

    #[test]
    fn other_years_keep_the_default_with_notices() {
        let mut m = Model::default();
        let notices = m.apply_query(&query("decade=1995&decade=1970&y=1"));
        assert_eq!(m.decade(), 4);
        assert_eq!(
            problems(&notices),
            "decade Repeated, decade OutOfRange, y UnknownKey"
        );
    }
}
