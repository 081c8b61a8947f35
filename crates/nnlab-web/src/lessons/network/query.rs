//! The network lesson in a link: `p` for one of the lecture's presets
//! (`mymlp`, `cifar`), or the network itself: `in` (input size), `layers`,
//! `act` and `batch`, e.g. `in=3072&layers=100,10&act=tanh&batch=32`.

use nnlab::nn::Activation;

use super::model::{build, Model, Part, Preset, Texts, ACTIVATIONS, MAX_BATCH, MAX_LAYERS};
use crate::lessons::LinkState;
use crate::url_state::{Notice, Problem, Query, QueryReader};

/// Largest input size a link may ask for (the core's parameter cap refuses far less anyway).
const MAX_INPUT: usize = 1_000_000_000;

pub fn state_query(m: &Model) -> Query {
    if m.preset() != Preset::Custom {
        return vec![("p".into(), m.preset().name().into())];
    }
    let (input, layers, batch) = match m.built() {
        Ok((spec, batch, _)) => {
            let layers: Vec<String> = spec.layers.iter().map(usize::to_string).collect();
            (spec.input.to_string(), layers.join(","), batch.to_string())
        }
        // A network that cannot be built is shared as typed; opening the
        // link explains what is wrong with it.
        Err(_) => {
            let t = m.texts();
            (t.input.clone(), t.layers.clone(), t.batch.clone())
        }
    };
    vec![
        ("in".into(), input),
        ("layers".into(), layers),
        ("act".into(), m.activation().name().into()),
        ("batch".into(), batch),
    ]
}

/// The network a link asks for, on top of the lecture's `myMLP` (or the
/// preset `p` names); what could not be used is reported and left as it was.
pub fn from_query(query: &[(String, String)]) -> (Model, Vec<Notice>) {
    let mut r = QueryReader::new(query);
    let mut m = Model::new();
    if let Some(name) = r.text("p") {
        match Preset::from_name(name) {
            Some(preset) => m.choose_preset(preset),
            None => r.report("p", name, Problem::UnknownName),
        }
    }
    // The presets always build, so this is the preset's network.
    let Ok((spec, batch, _)) = m.built() else {
        return (m, r.finish());
    };
    let (mut spec, mut batch) = (spec.clone(), *batch);
    if let Some(text) = r.text("in") {
        match whole_number(text, 1..=MAX_INPUT) {
            Ok(n) => spec.input = n,
            Err(problem) => r.report("in", text, problem),
        }
    }
    let layers_text = r.text("layers");
    if let Some(text) = layers_text {
        match layer_list(text) {
            Ok(layers) => spec.layers = layers,
            Err(problem) => r.report("layers", text, problem),
        }
    }
    if let Some(text) = r.text("batch") {
        match whole_number(text, 1..=MAX_BATCH) {
            Ok(n) => batch = n,
            Err(problem) => r.report("batch", text, problem),
        }
    }
    if let Some(name) = r.text("act") {
        match Activation::from_name(name) {
            Ok(a) if ACTIVATIONS.contains(&a) => spec.activation = a,
            _ => r.report("act", name, Problem::UnknownName),
        }
    }
    // Each part is fine on its own; together they may still be too big for the core.
    let texts = Texts::of(&spec, batch);
    if build(&texts, spec.activation).is_ok() {
        m.set_text(Part::Input, &texts.input);
        m.set_text(Part::Layers, &texts.layers);
        m.set_text(Part::Batch, &texts.batch);
        m.set_activation(spec.activation);
    } else {
        r.report(
            "layers",
            layers_text.unwrap_or(&texts.layers),
            Problem::OutOfRange,
        );
    }
    (m, r.finish())
}

/// Digits only (no sign, no exponent), within `range`.
fn whole_number(text: &str, range: std::ops::RangeInclusive<usize>) -> Result<usize, Problem> {
    let text = text.trim();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::NotANumber);
    }
    match text.parse::<usize>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(Problem::OutOfRange),
    }
}

/// `100,256,10`: one to [`MAX_LAYERS`] sizes.
fn layer_list(text: &str) -> Result<Vec<usize>, Problem> {
    let pieces: Vec<&str> = text.split(',').collect();
    if pieces.len() > MAX_LAYERS {
        return Err(Problem::OutOfRange);
    }
    pieces
        .iter()
        .map(|p| {
            if p.trim().is_empty() {
                Err(Problem::Incomplete)
            } else {
                whole_number(p, 1..=MAX_INPUT)
            }
        })
        .collect()
}

impl LinkState for Model {
    fn state_query(&self) -> Query {
        state_query(self)
    }

    /// The view is rebuilt after a link is applied, so a fresh model is safe.
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let (fresh, notices) = from_query(query);
        *self = fresh;
        notices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::parse_fragment;

    fn query(text: &str) -> Query {
        parse_fragment(&format!("#network?{text}")).query
    }

    fn problems(notices: &[Notice]) -> Vec<(&str, Problem)> {
        notices
            .iter()
            .map(|n| (n.key.as_str(), n.problem))
            .collect()
    }

    #[test]
    fn every_field_round_trips() {
        let link = "in=3072&layers=64,32,10&act=tanh&batch=32";
        let (m, notices) = from_query(&query(link));
        assert!(notices.is_empty(), "{notices:?}");
        let (spec, batch, summary) = m.built().unwrap();
        assert_eq!(spec.layers, vec![64, 32, 10]);
        assert_eq!((spec.input, *batch), (3072, 32));
        assert_eq!(spec.activation, Activation::Tanh);
        // 3072·64 + 64 = 196,672; 64·32 + 32 = 2,080; 32·10 + 10 = 330; total 199,082.
        assert_eq!(summary.total_params, 199_082);
        assert_eq!(m.texts().input, "3*32*32", "shown as the lecture writes it");
        assert_eq!(state_query(&m), query(link));
        // Presets are written by name.
        let (m, notices) = from_query(&query("p=cifar"));
        assert!(notices.is_empty());
        assert_eq!(m.preset(), Preset::Cifar);
        assert_eq!(state_query(&m), query("p=cifar"));
        assert_eq!(state_query(&Model::new()), query("p=mymlp"));
        // Fields on top of a preset: the CIFAR-10 network with a batch of 64 is
        // the preset itself, so it writes itself as `p=cifar`.
        let (m, _) = from_query(&query("p=mymlp&in=3072&batch=64"));
        assert_eq!(state_query(&m), query("p=cifar"));
    }

    #[test]
    fn hostile_values_keep_the_lecture_network_with_notices() {
        let (m, notices) = from_query(&query(
            "p=%3Cscript%3E&in=-5&layers=10,,3&batch=1e308&act=softmax&in=7&zz=1",
        ));
        assert_eq!(state_query(&m), query("p=mymlp"));
        assert_eq!(
            problems(&notices),
            vec![
                ("p", Problem::UnknownName),
                ("in", Problem::Repeated),
                ("in", Problem::NotANumber),
                ("layers", Problem::Incomplete),
                ("batch", Problem::NotANumber),
                ("act", Problem::UnknownName),
                ("zz", Problem::UnknownKey),
            ]
        );
        assert_eq!(notices[0].value, "<script>");
        // Sizes each fine but a network far past the core's parameter cap
        // (30000·10⁹ weights), zero neurons, and thirteen layers.
        let (m, notices) = from_query(&query("layers=1000000000,10"));
        assert_eq!(state_query(&m), query("p=mymlp"));
        assert_eq!(problems(&notices), vec![("layers", Problem::OutOfRange)]);
        let (_, notices) = from_query(&query("layers=10,0&batch=0"));
        assert_eq!(
            problems(&notices),
            vec![
                ("layers", Problem::OutOfRange),
                ("batch", Problem::OutOfRange)
            ]
        );
        let (_, notices) = from_query(&query(&format!("layers={}", ["2"; 13].join(","))));
        assert_eq!(problems(&notices), vec![("layers", Problem::OutOfRange)]);
        let (_, notices) = from_query(&query("in=99999999999999999999999"));
        assert_eq!(problems(&notices), vec![("in", Problem::OutOfRange)]);
    }
}
