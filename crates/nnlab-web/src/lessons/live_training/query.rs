//! The live-training lesson's choices in a link — never its data or weights:
//! `opt`, `lr`, `batch`, `init` and `size` (training images used), e.g.
//! `opt=sgd&lr=0.01&batch=128&init=he-normal&size=10000`.

use nnlab::init::NAMES;
use nnlab::optim::OptimizerKind;

use super::model::Run;
use crate::lessons::LinkState;
use crate::url_state::{format_value, Notice, Query, QueryReader};
use nnlab_worker::protocol::{RunConfig, BATCH_SIZES, TRAIN_SIZES};

/// The smallest learning rate the slider (and a link) may set.
pub const LR_MIN: f64 = 1e-5;
/// The largest learning rate the slider (and a link) may set.
pub const LR_MAX: f64 = 1.0;

/// The run's choices as link pairs (`opt`, `lr`, `batch`, `init`, `size`).
pub fn state_query(c: &RunConfig) -> Query {
    vec![
        ("opt".into(), c.optimizer.name().into()),
        ("lr".into(), format_value(c.lr)),
        ("batch".into(), c.batch_size.to_string()),
        ("init".into(), c.init.clone()),
        ("size".into(), c.train_size.to_string()),
    ]
}

/// The choices a link asks for, on top of the lecture's run; what could not
/// be used is reported and keeps its default. As on the page, another
/// optimiser keeps the learning rate.
pub fn from_query(query: &[(String, String)]) -> (RunConfig, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut c = RunConfig::lecture();
    if let Some(kind) = r.name("opt", |name| OptimizerKind::from_name(name).ok()) {
        c.optimizer = kind;
    }
    r.number_into("lr", LR_MIN..=LR_MAX, &mut c.lr);
    if let Some(batch) = r.choice("batch", &BATCH_SIZES) {
        c.batch_size = batch;
    }
    if let Some(init) = r.listed("init", &NAMES) {
        c.init = init.into();
    }
    if let Some(size) = r.choice("size", &TRAIN_SIZES) {
        c.train_size = size;
    }
    (c, r.finish())
}

impl LinkState for Run {
    fn state_query(&self) -> Query {
        state_query(&self.config)
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (config, notices) = from_query(query);
        self.config = config;
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let link = "opt=rmsprop&lr=0.0005&batch=256&init=xavier-uniform&size=10000";
        let (c, notices) = from_query(&query(link));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            c,
            RunConfig {
                optimizer: OptimizerKind::RmsProp,
                lr: 0.0005,
                batch_size: 256,
                init: "xavier-uniform".into(),
                train_size: 10_000,
                seed: 0,
            }
        );
        assert_eq!(state_query(&c), query(link));
        assert_eq!(
            state_query(&RunConfig::lecture()),
            query("opt=adam&lr=0.001&batch=64&init=pytorch&size=50000")
        );
    }

    #[test]
    fn hostile_values_keep_the_lecture_run_with_notices() {
        let (c, notices) = from_query(&query(
            "opt=%3Cscript%3E&lr=NaN&batch=0&init=../../etc&size=-50000&size=1e308&w=1",
        ));
        assert_eq!(c, RunConfig::lecture());
        assert_eq!(
            problems(&notices),
 "opt UnknownName, lr NotANumber, batch OutOfRange, init UnknownName, size Repeated, size OutOfRange, w UnknownKey",
        );
        let (c, notices) = from_query(&query("lr=2&batch=64.0&size=60000"));
        assert_eq!(c, RunConfig::lecture());
        assert_eq!(
            problems(&notices),
            "lr OutOfRange, batch OutOfRange, size OutOfRange",
        );
    }
}
