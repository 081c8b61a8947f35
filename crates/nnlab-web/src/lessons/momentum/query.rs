//! The momentum lesson in a link: `s` the surface (`double-well` or
//! `ill-conditioned`), `lr`, `m` (the momentum factor), `start` (`x` or `x,y`)
//! and `speed` (lines per second).

use super::model::{Model, Scene};
use crate::lessons::FromLink;
use crate::url_state::{
    format_list, format_value, parse_list, Notice, Problem, Query, QueryReader,
};

/// The learning rates a link may set.
pub const LR_RANGE: std::ops::RangeInclusive<f64> = 1e-5..=10.0;
/// The momentum factors a link may set.
pub const MOMENTUM_RANGE: std::ops::RangeInclusive<f64> = 0.0..=0.99;
/// The speeds a link may set, in lines per second.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 1.0..=3000.0;

impl FromLink for Model {
    fn to_query(&self) -> Query {
        vec![
            ("s".into(), self.scene().surface_name().into()),
            ("lr".into(), format_value(self.lr())),
            ("m".into(), format_value(self.momentum())),
            ("start".into(), format_list(self.start().iter().copied())),
            ("speed".into(), format_value(self.speed())),
        ]
    }

    /// The lesson built from `query` on top of the defaults; what could not be used is reported.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::new()?;
        if let Some(scene) = r.name("s", Scene::from_name) {
            m = Model::for_scene(scene)?;
        }
        if let Some(lr) = r.number("lr", LR_RANGE) {
            m.set_lr(lr)?;
        }
        if let Some(momentum) = r.number("m", MOMENTUM_RANGE) {
            m.set_momentum(momentum)?;
        }
        // `x` on the double well, `x,y` in the valley.
        let view = m.surface().view;
        let ranges = [view.x.0..=view.x.1, view.y.0..=view.y.1];
        let ranges = &ranges[..m.surface().dim.min(2)];
        r.parsed("start", |text| {
            let point = parse_list(text, ranges)?;
            m.set_start(&point).map_err(|_| Problem::OutOfRange)
        });
        if let Some(speed) = r.number("speed", SPEED_RANGE) {
            m.set_speed(speed);
        }
        // A link restarts the code from its first line with these settings.
        m.reset()?;
        Ok((m, r.finish()))
    }

    /// A link replaces both walks.
    fn take_place(&mut self, fresh: Model) {
        self.replace_with(fresh);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson::testing::round_trip;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn a_prepared_link_round_trips() {
        let m: Model = round_trip("s=ill-conditioned&lr=0.02&m=0.5&start=-6,1.5&speed=30");
        assert_eq!(m.scene(), Scene::Valley);
        assert_eq!((m.lr(), m.momentum(), m.speed()), (0.02, 0.5, 30.0));
        assert_eq!(m.start(), &[-6.0, 1.5]);
        let default = Model::new().unwrap();
        assert_eq!(
            default.to_query(),
            query("s=double-well&lr=0.025&m=0.9&start=1.95&speed=4")
        );
    }

    #[test]
    fn hostile_links_fall_back_to_defaults_with_notices() {
        let (m, notices) = Model::from_query(&query(
            "s=<img src=x onerror=alert(1)>&lr=1e308&m=NaN&start=1.5,2&speed=9e99&lr=0.5&x=1",
        ))
        .unwrap();
        assert_eq!(m.scene(), Scene::DoubleWell);
        assert_eq!((m.lr(), m.momentum()), (0.025, 0.9));
        assert_eq!(m.start(), &[1.95]);
        assert_eq!(
            problems(&notices),
 "s UnknownName, lr Repeated, lr OutOfRange, m NotANumber, start Incomplete, speed OutOfRange, x UnknownKey",
        );
    }
}
