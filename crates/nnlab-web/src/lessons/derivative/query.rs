//! The derivative lesson in a link: `p` (the point on the curve), `eps` (ε)
//! and `speed` (halvings per second), e.g. `p=0.5&eps=0.25&speed=3`.

use super::model::Model;
use super::model::{Settings, EPS_MAX, EPS_MIN, SPEED_MAX, SPEED_MIN};
use crate::lessons::LinkState;
use crate::url_state::{format_value, Notice, Query, QueryReader};
use nnlab::surfaces::Surface;

/// The settings as link pairs (`p`, `eps`, `speed`).
pub fn state_query(s: &Settings) -> Query {
    vec![
        ("p".into(), format_value(s.p)),
        ("eps".into(), format_value(s.eps)),
        ("speed".into(), format_value(s.speed)),
    ]
}

/// The settings a link asks for on `surface`, on top of the defaults; what
/// could not be used is reported and keeps its default.
pub fn from_query(surface: &Surface, query: &[(String, String)]) -> (Settings, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut s = Settings::default();
    let (lo, hi) = surface.view.x;
    r.number_into("p", lo..=hi, &mut s.p);
    r.number_into("eps", EPS_MIN..=EPS_MAX, &mut s.eps);
    r.number_into("speed", SPEED_MIN..=SPEED_MAX, &mut s.speed);
    (s, r.finish())
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(&self.settings())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (settings, notices) = from_query(self.surface(), query);
        // The settings were checked against the same ranges the model checks.
        let _ = self.apply(settings);
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::Model;
    use super::*;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let m = Model::new().unwrap();
        let (s, notices) = from_query(m.surface(), &query("p=0.5&eps=0.125&speed=3"));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            s,
            Settings {
                p: 0.5,
                eps: 0.125,
                speed: 3.0
            }
        );
        assert_eq!(state_query(&s), query("p=0.5&eps=0.125&speed=3"));
        // Through the model and back.
        let mut m = Model::new().unwrap();
        m.apply(s).unwrap();
        assert_eq!(from_query(m.surface(), &state_query(&m.settings())).0, s);
        // The defaults write themselves as the lesson opens.
        assert_eq!(
            state_query(&Settings::default()),
            query("p=-0.5&eps=1&speed=1.5")
        );
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let m = Model::new().unwrap();
        let (s, notices) = from_query(
            m.surface(),
            &query("p=NaN&eps=1e308&speed=-4&p=1&eps=0&x=%3Cscript%3Ealert(1)%3C/script%3E"),
        );
        assert_eq!(s, Settings::default());
        assert_eq!(
            problems(&notices),
 "p Repeated, p NotANumber, eps Repeated, eps OutOfRange, speed OutOfRange, x UnknownKey",
        );
        assert_eq!(notices[5].value, "<script>alert(1)</script>");
        // Off the picture (the double well is drawn for −2 ≤ x ≤ 2), ε of 0, empty values.
        let (s, notices) = from_query(m.surface(), &query("p=3&eps=0&speed="));
        assert_eq!(s, Settings::default());
        assert_eq!(
            problems(&notices),
            "p OutOfRange, eps OutOfRange, speed NotANumber",
        );
    }
}
