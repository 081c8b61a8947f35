//! The momentum lesson in a link: `s` the surface (`double-well` or
//! `ill-conditioned`), `lr`, `m` (the momentum factor), `start` (`x` or `x,y`)
//! and `speed` (lines per second).

use super::model::{Model, Scene};
use crate::lessons::LinkState;
use crate::url_state::{format_value, parse_number, Notice, Problem, Query, QueryReader};

pub const LR_RANGE: std::ops::RangeInclusive<f64> = 1e-5..=10.0;
pub const MOMENTUM_RANGE: std::ops::RangeInclusive<f64> = 0.0..=0.99;
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 1.0..=3000.0;

pub fn state_query(m: &Model) -> Query {
    let start: Vec<String> = m.start().iter().map(|&c| format_value(c)).collect();
    vec![
        ("s".into(), m.scene().surface_name().into()),
        ("lr".into(), format_value(m.lr())),
        ("m".into(), format_value(m.momentum())),
        ("start".into(), start.join(",")),
        ("speed".into(), format_value(m.speed())),
    ]
}

/// The lesson built from `query` on top of the defaults; what could not be used is reported.
pub fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
    let mut r = QueryReader::new(query);
    let mut m = Model::new()?;
    if let Some(name) = r.text("s") {
        match Scene::from_name(name) {
            Some(scene) => m = Model::for_scene(scene)?,
            None => r.report("s", name, Problem::UnknownName),
        }
    }
    if let Some(lr) = r.number("lr", LR_RANGE) {
        m.set_lr(lr)?;
    }
    if let Some(momentum) = r.number("m", MOMENTUM_RANGE) {
        m.set_momentum(momentum)?;
    }
    if let Some(text) = r.text("start") {
        let view = m.surface().view;
        let ranges = [view.x.0..=view.x.1, view.y.0..=view.y.1];
        let parts: Vec<&str> = text.split(',').collect();
        if parts.len() != m.surface().dim {
            r.report("start", text, Problem::Incomplete);
        } else {
            let point: Result<Vec<f64>, Problem> = parts
                .iter()
                .zip(&ranges)
                .map(|(t, range)| parse_number(t, range))
                .collect();
            match point {
                Ok(p) => {
                    if m.set_start(&p).is_err() {
                        r.report("start", text, Problem::OutOfRange);
                    }
                }
                Err(problem) => r.report("start", text, problem),
            }
        }
    }
    if let Some(speed) = r.number("speed", SPEED_RANGE) {
        m.set_speed(speed);
    }
    // A link restarts the code from its first line with these settings.
    m.reset()?;
    Ok((m, r.finish()))
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(self)
    }

    /// A link replaces both walks (a broken built-in surface keeps them as they are).
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        match from_query(query) {
            Ok((fresh, notices)) => {
                self.replace_with(fresh);
                notices
            }
            Err(_) => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::parse_fragment;

    fn query(text: &str) -> Query {
        parse_fragment(&format!("#momentum?{text}")).query
    }

    #[test]
    fn a_prepared_link_round_trips() {
        let (m, notices) = from_query(&query(
            "s=ill-conditioned&lr=0.02&m=0.5&start=-6,1.5&speed=30",
        ))
        .unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(m.scene(), Scene::Valley);
        assert_eq!((m.lr(), m.momentum(), m.speed()), (0.02, 0.5, 30.0));
        assert_eq!(m.start(), &[-6.0, 1.5]);
        let (back, _) = from_query(&state_query(&m)).unwrap();
        assert_eq!(state_query(&back), state_query(&m));
        let default = Model::new().unwrap();
        assert_eq!(
            state_query(&default),
            query("s=double-well&lr=0.025&m=0.9&start=1.95&speed=4")
        );
    }

    #[test]
    fn hostile_links_fall_back_to_defaults_with_notices() {
        let (m, notices) = from_query(&query(
            "s=<img src=x onerror=alert(1)>&lr=1e308&m=NaN&start=1.5,2&speed=9e99&lr=0.5&x=1",
        ))
        .unwrap();
        assert_eq!(m.scene(), Scene::DoubleWell);
        assert_eq!((m.lr(), m.momentum()), (0.025, 0.9));
        assert_eq!(m.start(), &[1.95]);
        let problems: Vec<(&str, Problem)> = notices
            .iter()
            .map(|n| (n.key.as_str(), n.problem))
            .collect();
        assert_eq!(
            problems,
            vec![
                ("s", Problem::UnknownName),
                ("lr", Problem::Repeated),
                ("lr", Problem::OutOfRange),
                ("m", Problem::NotANumber),
                ("start", Problem::Incomplete),
                ("speed", Problem::OutOfRange),
                ("x", Problem::UnknownKey),
            ]
        );
    }
}
