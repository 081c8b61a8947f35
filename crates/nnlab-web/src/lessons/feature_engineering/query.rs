//! The feature lesson in a link: the race's budget and the image shown,
//! e.g. `n=20000&epochs=5&img=7`. The race itself is never in a link: it is
//! trained anew on the student's machine.

use nnlab::data::BATCH_RECORDS;
use nnlab_worker::protocol::{RACE_EPOCHS, RACE_TRAIN_SIZES};

use super::model::Model;
use crate::lessons::FromLink;
use crate::url_state::{Notice, Query, QueryReader};

impl FromLink for Model {
    fn to_query(&self) -> Query {
        vec![
            ("n".into(), self.budget.train_size.to_string()),
            ("epochs".into(), self.budget.epochs.to_string()),
            ("img".into(), self.image.to_string()),
        ]
    }

    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::default();
        if let Some(n) = r.choice("n", &RACE_TRAIN_SIZES) {
            m.budget.train_size = n;
        }
        if let Some(epochs) = r.choice("epochs", &RACE_EPOCHS) {
            m.budget.epochs = epochs;
        }
        // The images shown are the test set (one batch file of 10,000).
        if let Some(index) = r.whole("img", 0.0..=(BATCH_RECORDS - 1) as f64) {
            m.image = index as usize;
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
        let m: Model = round_trip("n=20000&epochs=5&img=9999");
        assert_eq!(
            (m.budget.train_size, m.budget.epochs, m.image),
            (20_000, 5, 9_999)
        );
        assert_eq!(Model::default().to_query(), query("n=5000&epochs=2&img=0"));
    }

    #[test]
    fn values_not_offered_keep_the_defaults_with_notices() {
        let (m, notices) = Model::from_query(&query("n=123&epochs=0&img=-3&x=1")).unwrap();
        assert_eq!(m, Model::default());
        assert_eq!(
            problems(&notices),
            "n OutOfRange, epochs OutOfRange, img OutOfRange, x UnknownKey"
        );
    }
}
