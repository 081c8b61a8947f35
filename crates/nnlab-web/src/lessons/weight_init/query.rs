//! The initialisation lesson in a link: `init` (an initialiser name), `scale`
//! (of the small random ones), `net` (`lecture` or `deep`), `act` and `seed`,
//! e.g. `init=he-normal&scale=0.01&net=deep&act=relu&seed=3`.

use nnlab::init::NAMES;
use nnlab::nn::Activation;

use super::model::Model;
use super::model::{Depth, Settings, ACTIVATIONS};
use crate::lessons::LinkState;
use crate::url_state::{Notice, Problem, Query, QueryReader};

/// The smallest scale the slider (and a link) may set.
pub const SCALE_MIN: f64 = 1e-4;
/// The largest scale the slider (and a link) may set.
pub const SCALE_MAX: f64 = 2.0;

/// The settings as link pairs (`init`, `scale`, `net`, `act`, `seed`).
pub fn state_query(s: &Settings) -> Query {
    vec![
        ("init".into(), s.init.into()),
        // f32 written as f32, so 0.01 reads 0.01 and not 0.009999999776482582.
        ("scale".into(), s.scale.to_string()),
        ("net".into(), s.depth.name().into()),
        ("act".into(), s.activation.name().into()),
        ("seed".into(), s.seed.to_string()),
    ]
}

/// The settings a link asks for, on top of the lecture's; what could not be
/// used is reported and keeps its default.
pub fn from_query(query: &[(String, String)]) -> (Settings, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut s = Settings::default();
    if let Some(init) = r.listed("init", &NAMES) {
        s.init = init;
    }
    if let Some(scale) = r.number("scale", SCALE_MIN..=SCALE_MAX) {
        s.scale = scale as f32;
    }
    if let Some(depth) = r.name("net", |name| Depth::from_name(name).ok()) {
        s.depth = depth;
    }
    if let Some(activation) = r.offered("act", Activation::from_name, &ACTIVATIONS) {
        s.activation = activation;
    }
    if let Some(text) = r.text("seed") {
        // Digits only: no sign, no exponent.
        match text.parse::<u64>() {
            Ok(seed) if text.chars().all(|c| c.is_ascii_digit()) => s.seed = seed,
            _ => r.report("seed", text, Problem::NotANumber),
        }
    }
    (s, r.finish())
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(self.settings())
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (settings, notices) = from_query(query);
        self.set(settings);
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let link = "init=small-uniform&scale=0.2&net=deep&act=tanh&seed=42";
        let (s, notices) = from_query(&query(link));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(
            s,
            Settings {
                init: "small-uniform",
                scale: 0.2,
                depth: Depth::Deep,
                activation: Activation::Tanh,
                seed: 42
            }
        );
        assert_eq!(state_query(&s), query(link));
        // The lecture's N(0, 0.01²) writes itself as it opens.
        assert_eq!(
            state_query(&Settings::default()),
            query("init=small-normal&scale=0.01&net=lecture&act=relu&seed=1")
        );
        // Every initialiser name and every prepared scene survives the trip.
        for name in NAMES {
            let s = Settings {
                init: name,
                ..Settings::default()
            };
            assert_eq!(from_query(&state_query(&s)).0, s);
        }
        for n in 1..=5 {
            let s = Settings::preset(n).unwrap();
            assert_eq!(from_query(&state_query(&s)), (s, Vec::new()));
        }
    }

    #[test]
    fn hostile_values_keep_the_defaults_with_notices() {
        let (s, notices) = from_query(&query(
            "init=<script>x</script>&scale=1e308&net=-3&act=identity&seed=-1&scale=NaN&k=v",
        ));
        assert_eq!(s, Settings::default());
        assert_eq!(
            problems(&notices),
 "init UnknownName, scale Repeated, scale OutOfRange, net UnknownName, act UnknownName, seed NotANumber, k UnknownKey",
        );
        let (s, notices) = from_query(&query("scale=0&seed=99999999999999999999999&seed=1e3"));
        assert_eq!(s, Settings::default());
        assert_eq!(
            problems(&notices),
            "scale OutOfRange, seed Repeated, seed NotANumber",
        );
    }
}
