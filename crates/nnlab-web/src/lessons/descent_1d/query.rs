//! The 1-D descent lesson in a link: `preset` (`too-small`, `good`,
//! `too-large`) or, for a rate of one's own, `lr`; then `noise`, `start` and
//! `speed`, e.g. `preset=too-small&noise=5&start=1.5&speed=60`.

use super::model::Model;
use super::model::{Preset, Settings, LR_MAX, LR_MIN, NOISE_MAX, SPEED_MAX, SPEED_MIN};
use crate::lessons::LinkState;
use crate::url_state::{format_value, Notice, Query, QueryReader};
use nnlab::surfaces::Surface;

/// The settings as link pairs (a preset by name, else the learning rate).
pub fn state_query(s: &Settings) -> Query {
    let rate = match s.preset {
        Some(preset) => ("preset".into(), preset.name().into()),
        None => ("lr".into(), format_value(s.lr)),
    };
    vec![
        rate,
        ("noise".into(), format_value(s.noise)),
        ("start".into(), format_value(s.start)),
        ("speed".into(), format_value(s.speed)),
    ]
}

/// The settings a link asks for on `surface`, on top of the lesson's opening
/// (`opening` preset); what could not be used is reported and keeps its default.
/// A link with both `preset` and `lr` takes the rate from `lr`.
pub fn from_query(
    opening: Preset,
    surface: &Surface,
    query: &[(String, String)],
) -> (Settings, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut s = Settings::opening(opening, surface);
    if let Some(preset) = r.name("preset", Preset::from_name) {
        s.preset = Some(preset);
        s.lr = preset.lr();
    }
    if let Some(lr) = r.number("lr", LR_MIN..=LR_MAX) {
        s.lr = lr;
        s.preset = Preset::of_lr(lr);
    }
    r.number_into("noise", 0.0..=NOISE_MAX, &mut s.noise);
    let (lo, hi) = surface.view.x;
    r.number_into("start", lo..=hi, &mut s.start);
    r.number_into("speed", SPEED_MIN..=SPEED_MAX, &mut s.speed);
    (s, r.finish())
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(&self.settings())
    }

    /// What a link leaves out falls back to the section's opening preset.
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (settings, notices) = from_query(self.opening(), self.surface(), query);
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

    fn curve() -> Surface {
        nnlab::surfaces::by_name("double-well").unwrap()
    }

    #[test]
    fn every_field_round_trips() {
        let link = "preset=too-large&noise=2.5&start=-1.25&speed=120";
        let (s, notices) = from_query(Preset::Good, &curve(), &query(link));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            s,
            Settings {
                preset: Some(Preset::TooLarge),
                lr: 0.25,
                noise: 2.5,
                start: -1.25,
                speed: 120.0
            }
        );
        let mut m = Model::new(Preset::Good).unwrap();
        m.apply(s).unwrap();
        assert_eq!(state_query(&m.settings()), query(link));
        // A rate of one's own is written as `lr`; a preset's rate reads as the preset.
        let (own, notices) = from_query(Preset::Good, &curve(), &query("lr=0.05"));
        assert!(notices.is_empty());
        assert_eq!((own.preset, own.lr), (None, 0.05));
        assert_eq!(state_query(&own)[0], ("lr".into(), "0.05".into()));
        let (named, _) = from_query(Preset::Good, &curve(), &query("lr=0.01"));
        assert_eq!(named.preset, Some(Preset::TooSmall));
        // Each section opens with its own preset: 1.9 is the curve's default start.
        assert_eq!(
            state_query(&Model::new(Preset::TooSmall).unwrap().settings()),
            query("preset=too-small&noise=0&start=1.9&speed=30")
        );
    }

    #[test]
    fn hostile_values_keep_the_opening_with_notices() {
        let (s, notices) = from_query(
            Preset::TooSmall,
            &curve(),
            &query("preset=%22%3E%3Cimg%20src=x%3E&lr=1e308&noise=-1&start=NaN&speed=0&a=b"),
        );
        assert_eq!(s, Settings::opening(Preset::TooSmall, &curve()));
        assert_eq!(
            problems(&notices),
 "preset UnknownName, lr OutOfRange, noise OutOfRange, start NotANumber, speed OutOfRange, a UnknownKey",
        );
        assert_eq!(notices[0].value, "\"><img src=x>");
        let (s, notices) = from_query(Preset::Good, &curve(), &query("start=5&lr=&lr=0.1"));
        assert_eq!(s, Settings::opening(Preset::Good, &curve()));
        assert_eq!(
            problems(&notices),
            "lr Repeated, lr NotANumber, start OutOfRange",
        );
    }
}
