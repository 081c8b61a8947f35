//! The gradient lesson in a link: `s` (a 2-D surface), `start` (W₀ as `x,y`),
//! `step` and `speed`, e.g. `s=ill-conditioned&start=1,1&step=0.05&speed=2`.

use super::model::{Model, Settings, SPEED_MAX, SPEED_MIN, STEP_MAX, STEP_MIN};
use crate::lessons::kit::labels::SURFACES;
use crate::lessons::LinkState;
use crate::url_state::{format_list, format_value, parse_pair, Notice, Query, QueryReader};

/// The settings as link pairs (`s`, `start`, `step`, `speed`).
pub fn state_query(s: &Settings) -> Query {
    vec![
        ("s".into(), s.surface.clone()),
        ("start".into(), format_list(s.start)),
        ("step".into(), format_value(s.step)),
        ("speed".into(), format_value(s.speed)),
    ]
}

/// The settings a link asks for, on top of the defaults (those of its surface
/// when it names one); what could not be used is reported and keeps its default.
pub fn from_query(query: &[(String, String)]) -> nnlab::Result<(Settings, Vec<Notice>)> {
    let mut r = QueryReader::new(query);
    // A scratch model knows each surface's default start and step.
    let mut m = Model::new()?;
    // Only the menu's 2-D surfaces; setting one fails only for a broken built-in.
    r.name("s", |name| {
        (SURFACES.contains(&name) && m.set_surface(name).is_ok()).then_some(())
    });
    let mut s = m.settings();
    let view = m.surface().view;
    let (x, y) = (view.x.0..=view.x.1, view.y.0..=view.y.1);
    if let Some(point) = r.parsed("start", |text| parse_pair(text, &x, &y)) {
        s.start = point;
    }
    r.number_into("step", STEP_MIN..=STEP_MAX, &mut s.step);
    r.number_into("speed", SPEED_MIN..=SPEED_MAX, &mut s.speed);
    Ok((s, r.finish()))
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(&self.settings())
    }

    /// Only a broken built-in surface could fail to read; the lesson then stays as it is.
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let Ok((settings, notices)) = from_query(query) else {
            return Vec::new();
        };
        // The settings were checked against the same ranges the model checks.
        let _ = self.apply(&settings);
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let link = "s=ill-conditioned&start=1,-0.5&step=0.05&speed=7.5";
        let (s, notices) = from_query(&query(link)).unwrap();
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            s,
            Settings {
                surface: "ill-conditioned".into(),
                start: [1.0, -0.5],
                step: 0.05,
                speed: 7.5
            }
        );
        let mut m = Model::new().unwrap();
        m.apply(&s).unwrap();
        assert_eq!(m.settings(), s);
        assert_eq!(state_query(&m.settings()), query(link));
        // The lesson as it opens: Himmelblau from its own default start and step.
        let fresh = Model::new().unwrap().settings();
        let (back, notices) = from_query(&state_query(&fresh)).unwrap();
        assert!(notices.is_empty());
        assert_eq!(back, fresh);
    }

    #[test]
    fn a_surface_brings_its_own_defaults() {
        // Only `s`: the start and step are the surface's, not Himmelblau's.
        let (s, _) = from_query(&query("s=beale")).unwrap();
        let beale = nnlab::surfaces::by_name("beale").unwrap();
        assert_eq!(s.start.to_vec(), beale.default_start);
        assert_eq!(s.step, beale.default_lr);
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let (s, notices) = from_query(&query(
            "s=<script>alert(1)</script>&start=1e308,0&step=NaN&speed=-1&junk=1",
        ))
        .unwrap();
        assert_eq!(s, Model::new().unwrap().settings());
        assert_eq!(
            problems(&notices),
            "s UnknownName, start OutOfRange, step NotANumber, speed OutOfRange, junk UnknownKey",
        );
        // A 1-D surface is no name here; a lone x, three numbers, an empty step.
        let (s, notices) = from_query(&query("s=double-well&start=1&step=")).unwrap();
        assert_eq!(s, Model::new().unwrap().settings());
        assert_eq!(
            problems(&notices),
            "s UnknownName, start Incomplete, step NotANumber",
        );
        let (_, notices) = from_query(&query("start=1,2,3")).unwrap();
        assert_eq!(problems(&notices), "start Incomplete",);
    }
}
