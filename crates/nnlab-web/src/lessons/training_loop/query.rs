//! The training-loop lesson in a link: `opt` (`sgd` or `adam`), `lr` and
//! `batch`, e.g. `opt=sgd&lr=0.05&batch=128`.

use nnlab::optim::{Hyper, OptimizerKind};

use super::model::Model;
use super::model::{Settings, BATCH_SIZES, OPTIMIZERS};
use crate::lessons::LinkState;
use crate::url_state::{format_value, Notice, Query, QueryReader};

/// The smallest learning rate the slider (and a link) may set.
pub const LR_MIN: f64 = 1e-5;
/// The largest learning rate the slider (and a link) may set.
pub const LR_MAX: f64 = 1.0;

/// The settings as link pairs (`opt`, `lr`, `batch`).
pub fn state_query(s: &Settings) -> Query {
    vec![
        ("opt".into(), s.optimizer.name().into()),
        ("lr".into(), format_value(s.lr)),
        ("batch".into(), s.batch_size.to_string()),
    ]
}

/// The settings a link asks for, on top of the lecture's (an optimiser
/// without `lr` brings its own default rate); what could not be used is
/// reported and keeps its default.
pub fn from_query(query: &[(String, String)]) -> (Settings, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut s = Settings::default();
    if let Some(kind) = r.offered("opt", OptimizerKind::from_name, &OPTIMIZERS) {
        s.optimizer = kind;
        s.lr = Hyper::defaults(kind).lr;
    }
    r.number_into("lr", LR_MIN..=LR_MAX, &mut s.lr);
    if let Some(batch) = r.choice("batch", &BATCH_SIZES) {
        s.batch_size = batch;
    }
    (s, r.finish())
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(self.settings())
    }

    /// Starts the loop from scratch with the link's settings; they were
    /// checked against the ranges the controls offer.
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (settings, notices) = from_query(query);
        let _ = self.set(settings);
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let link = "opt=sgd&lr=0.05&batch=128";
        let (s, notices) = from_query(&query(link));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            (s.optimizer, s.lr, s.batch_size),
            (OptimizerKind::Sgd, 0.05, 128)
        );
        assert_eq!(state_query(&s), query(link));
        // The lecture's code: Adam, 0.001, batches of 64.
        assert_eq!(
            state_query(&Settings::default()),
            query("opt=adam&lr=0.001&batch=64")
        );
        // SGD alone brings PyTorch's default rate for it, 0.01.
        assert_eq!(from_query(&query("opt=sgd")).0.lr, 0.01);
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let (s, notices) = from_query(&query(
            "opt=rmsprop&lr=1e308&batch=-64&opt=%3Cb%3E&lr=NaN&x=",
        ));
        assert_eq!(s, Settings::default());
        assert_eq!(
            problems(&notices),
 "opt Repeated, opt UnknownName, lr Repeated, lr OutOfRange, batch OutOfRange, x UnknownKey",
        );
        // Only the offered batch sizes: 100 is none of 16, 32, 64, 128, 256.
        let (_, notices) = from_query(&query("batch=100&lr=0"));
        assert_eq!(problems(&notices), "lr OutOfRange, batch OutOfRange",);
    }
}
