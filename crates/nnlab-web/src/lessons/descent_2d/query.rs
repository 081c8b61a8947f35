//! The race in a link: `s` surface, `o` the optimisers that race with their
//! settings, `start`, `speed` and `n` (the step budget), e.g.
//! `s=rosenbrock&o=adam:0.05,momentum:0.01:0.9&start=-1.5,2&speed=200&n=2000`.
//! Each `o` entry is `name:lr` or `name:lr:memory` (momentum, α or β₁, see [`Memory`]).

use nnlab::optim::OptimizerKind;

use super::model::{Model, MAX_BUDGET, MIN_BUDGET};
use super::runner::Memory;
use crate::lessons::FromLink;
use crate::url_state::{
    format_list, format_value, parse_number, parse_pair, Notice, Problem, Query, QueryReader,
};

/// The learning rates a link may set (those of the controls).
pub const LR_RANGE: std::ops::RangeInclusive<f64> = 1e-5..=10.0;
/// The memory settings (μ, α or β₁) a link may set.
pub const MEMORY_RANGE: std::ops::RangeInclusive<f64> = 0.0..=0.99;
/// The speeds a link may set, in steps per second.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 1.0..=3000.0;

impl FromLink for Model {
    /// The race as query pairs.
    fn to_query(&self) -> Query {
        let runners: Vec<String> = self
            .enabled()
            .map(|r| {
                let hyper = r.hyper();
                let mut entry = format!("{}:{}", r.kind().name(), format_value(hyper.lr));
                if let Some(memory) = Memory::of(r.kind()) {
                    entry.push(':');
                    entry.push_str(&format_value(memory.get(&hyper)));
                }
                entry
            })
            .collect();
        vec![
            ("s".into(), self.surface().name.into()),
            ("o".into(), runners.join(",")),
            ("start".into(), format_list(self.start().iter().copied())),
            ("speed".into(), format_value(self.speed())),
            ("n".into(), self.budget().to_string()),
        ]
    }

    /// A race built from `query` on top of the defaults; what could not be used is reported.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::new()?;
        r.parsed("s", |name| {
            m.set_surface(name).map_err(|_| Problem::UnknownName)
        });
        if let Some(list) = r.text("o") {
            apply_runners(&mut m, list, &mut r);
        }
        let view = m.surface().view;
        let (x, y) = (view.x.0..=view.x.1, view.y.0..=view.y.1);
        r.parsed("start", |text| {
            let point = parse_pair(text, &x, &y)?;
            m.set_start(point).map_err(|_| Problem::OutOfRange)
        });
        if let Some(speed) = r.number("speed", SPEED_RANGE) {
            m.set_speed(speed);
        }
        if let Some(n) = r.number("n", MIN_BUDGET as f64..=MAX_BUDGET as f64) {
            m.set_budget(n);
        }
        Ok((m, r.finish()))
    }

    /// A link replaces the whole race.
    fn take_place(&mut self, fresh: Model) {
        self.replace_with(fresh);
    }
}

/// `name:lr[:memory],…`: the listed optimisers race, the others sit out. A
/// list with no usable entry leaves the default line-up.
fn apply_runners(m: &mut Model, list: &str, r: &mut QueryReader) {
    let mut chosen = Vec::new();
    for entry in list.split(',').filter(|e| !e.is_empty()) {
        let mut parts = entry.split(':');
        let name = parts.next().unwrap_or("");
        let Ok(kind) = OptimizerKind::from_name(name) else {
            r.report("o", entry, Problem::UnknownName);
            continue;
        };
        if chosen.iter().any(|(k, _, _)| *k == kind) {
            r.report("o", entry, Problem::Repeated);
            continue;
        }
        let lr = match parts.next().map(|t| parse_number(t, &LR_RANGE)) {
            Some(Ok(lr)) => Some(lr),
            None => None,
            Some(Err(problem)) => {
                r.report("o", entry, problem);
                None
            }
        };
        let memory = match (Memory::of(kind), parts.next()) {
            (_, None) => None,
            (Some(_), Some(t)) => match parse_number(t, &MEMORY_RANGE) {
                Ok(v) => Some(v),
                Err(problem) => {
                    r.report("o", entry, problem);
                    None
                }
            },
            (None, Some(_)) => {
                r.report("o", entry, Problem::UnknownKey);
                None
            }
        };
        if parts.next().is_some() {
            r.report("o", entry, Problem::UnknownKey);
        }
        chosen.push((kind, lr, memory));
    }
    if chosen.is_empty() {
        return;
    }
    for kind in OptimizerKind::ALL {
        let entry = chosen.iter().find(|(k, _, _)| *k == kind);
        // Both setters only fail on values outside the ranges checked above.
        let _ = m.set_enabled(kind, entry.is_some());
        if let Some(&(_, lr, memory)) = entry {
            if let Some(lr) = lr {
                let _ = m.set_lr(kind, lr);
            }
            if let Some(v) = memory {
                let _ = m.set_memory(kind, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson::testing::round_trip;
    use crate::url_state::format_query;
    use crate::url_state::testing::{problems, query};
    use nnlab::optim::OptimizerKind::*;

    #[test]
    fn a_prepared_link_round_trips() {
        let (m, notices) = Model::from_query(&query(
            "s=beale&o=adam:0.05,momentum:0.002:0.8&start=-1.5,2&speed=200&n=500",
        ))
        .unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(m.surface().name, "beale");
        let enabled: Vec<OptimizerKind> = m.enabled().map(|r| r.kind()).collect();
        assert_eq!(enabled, vec![Momentum, Adam]);
        assert_eq!(m.runner(Adam).hyper().lr, 0.05);
        assert_eq!(m.runner(Momentum).hyper().lr, 0.002);
        assert_eq!(m.runner(Momentum).hyper().momentum, 0.8);
        assert_eq!(m.start(), &[-1.5, 2.0]);
        assert_eq!((m.speed(), m.budget()), (200.0, 500));
        // Written in menu order with Adam's β₁ spelled out, a link that reads back as itself.
        let written = "s=beale&o=momentum:0.002:0.8,adam:0.05:0.9&start=-1.5,2&speed=200&n=500";
        assert_eq!(m.to_query(), query(written));
        round_trip::<Model>(written);
    }

    #[test]
    fn the_default_race_round_trips() {
        let link = format_query(&Model::new().unwrap().to_query());
        assert_eq!(round_trip::<Model>(&link).enabled().count(), 6);
    }

    #[test]
    fn hostile_links_fall_back_to_defaults_with_notices() {
        let (m, notices) = Model::from_query(&query(
            "s=%3Cscript%3Ealert(1)%3C/script%3E&o=adam:NaN,sgd:1e308,lbfgs:1,momentum:0.01:1.5,\
             adagrad:0.1:0.5&start=1e999,2&speed=-5&n=99999999999&s=beale&evil=1",
        ))
        .unwrap();
        // Unknown surface: still Rosenbrock, from its own default start.
        assert_eq!(m.surface().name, "rosenbrock");
        assert_eq!(m.start(), m.surface().default_start.as_slice());
        // The named optimisers race, at their suggested rates where the link's were unusable.
        let enabled: Vec<OptimizerKind> = m.enabled().map(|r| r.kind()).collect();
        assert_eq!(enabled, vec![Sgd, Momentum, Adagrad, Adam]);
        let fresh = Model::new().unwrap();
        assert_eq!(m.runner(Adam).hyper(), fresh.runner(Adam).hyper());
        assert_eq!(m.runner(Sgd).hyper(), fresh.runner(Sgd).hyper());
        assert_eq!(m.runner(Momentum).hyper().momentum, 0.9);
        assert_eq!(m.runner(Momentum).hyper().lr, 0.01);
        assert_eq!(m.speed(), fresh.speed());
        assert_eq!(m.budget(), fresh.budget());
        assert_eq!(
            problems(&notices),
 "s Repeated, s UnknownName, o NotANumber, o OutOfRange, o UnknownName, o OutOfRange, o UnknownKey, start NotANumber, speed OutOfRange, n OutOfRange, evil UnknownKey",
        );
        assert_eq!(notices[1].value, "<script>alert(1)</script>");
    }

    #[test]
    fn truncated_and_empty_values() {
        let (m, notices) = Model::from_query(&query("o=&start=1&speed=&o=adam")).unwrap();
        assert_eq!(m.enabled().count(), 6, "an empty list keeps the line-up");
        assert_eq!(
            problems(&notices),
            "o Repeated, start Incomplete, speed NotANumber",
        );
        // A start outside the map is refused.
        let (m, notices) = Model::from_query(&query("start=50,50")).unwrap();
        assert_eq!(m.start(), m.surface().default_start.as_slice());
        assert_eq!(problems(&notices), "start OutOfRange",);
    }
}
