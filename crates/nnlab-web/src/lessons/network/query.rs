//! The network lesson in a link: `p` for one of the lecture's presets
//! (`mymlp`, `cifar`), or the network itself: `in` (input size), `layers`,
//! `act` and `batch`, e.g. `in=3072&layers=100,10&act=tanh&batch=32`.

use nnlab::nn::Activation;

use super::model::{build, Model, Part, Preset, Texts, ACTIVATIONS, MAX_BATCH, MAX_LAYERS};
use crate::lessons::FromLink;
use crate::url_state::{Notice, Problem, Query, QueryReader};

/// Largest input size a link may ask for (the core's parameter cap refuses far less anyway).
const MAX_INPUT: usize = 1_000_000_000;

impl FromLink for Model {
    fn to_query(&self) -> Query {
        if self.preset() != Preset::Custom {
            return vec![("p".into(), self.preset().name().into())];
        }
        let (input, layers, batch) = match self.built() {
            Ok((spec, batch, _)) => {
                let layers: Vec<String> = spec.layers.iter().map(usize::to_string).collect();
                (spec.input.to_string(), layers.join(","), batch.to_string())
            }
            // A network that cannot be built is shared as typed; opening the
            // link explains what is wrong with it.
            Err(_) => {
                let t = self.texts();
                (t.input.clone(), t.layers.clone(), t.batch.clone())
            }
        };
        vec![
            ("in".into(), input),
            ("layers".into(), layers),
            ("act".into(), self.activation().name().into()),
            ("batch".into(), batch),
        ]
    }

    /// The network a link asks for, on top of the lecture's `myMLP` (or the
    /// preset `p` names); what could not be used is reported and left as it was.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Model, Vec<Notice>)> {
        let mut r = QueryReader::new(query);
        let mut m = Model::new();
        if let Some(preset) = r.name("p", Preset::from_name) {
            m.choose_preset(preset);
        }
        // The presets always build, so this is the preset's network.
        let Ok((spec, batch, _)) = m.built() else {
            return Ok((m, r.finish()));
        };
        let (mut spec, mut batch) = (spec.clone(), *batch);
        if let Some(n) = r.parsed("in", |text| whole_number(text, 1..=MAX_INPUT)) {
            spec.input = n;
        }
        let layers_text = r.text("layers");
        if let Some(text) = layers_text {
            match layer_list(text) {
                Ok(layers) => spec.layers = layers,
                Err(problem) => r.report("layers", text, problem),
            }
        }
        if let Some(n) = r.parsed("batch", |text| whole_number(text, 1..=MAX_BATCH)) {
            batch = n;
        }
        if let Some(activation) = r.offered("act", Activation::from_name, &ACTIVATIONS) {
            spec.activation = activation;
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
        Ok((m, r.finish()))
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::lesson::testing::round_trip;
    use crate::url_state::testing::{problems, query};

    #[test]
    fn every_field_round_trips() {
        let m: Model = round_trip("in=3072&layers=64,32,10&act=tanh&batch=32");
        let (spec, batch, summary) = m.built().unwrap();
        assert_eq!(spec.layers, vec![64, 32, 10]);
        assert_eq!((spec.input, *batch), (3072, 32));
        assert_eq!(spec.activation, Activation::Tanh);
        // 3072·64 + 64 = 196,672; 64·32 + 32 = 2,080; 32·10 + 10 = 330; total 199,082.
        assert_eq!(summary.total_params, 199_082);
        assert_eq!(m.texts().input, "3*32*32", "shown as the lecture writes it");
        // Presets are written by name.
        assert_eq!(round_trip::<Model>("p=cifar").preset(), Preset::Cifar);
        assert_eq!(Model::new().to_query(), query("p=mymlp"));
        // Fields on top of a preset: the CIFAR-10 network with a batch of 64 is
        // the preset itself, so it writes itself as `p=cifar`.
        let (m, _) = Model::from_query(&query("p=mymlp&in=3072&batch=64")).unwrap();
        assert_eq!(m.to_query(), query("p=cifar"));
    }

    #[test]
    fn hostile_values_keep_the_lecture_network_with_notices() {
        let (m, notices) = Model::from_query(&query(
            "p=%3Cscript%3E&in=-5&layers=10,,3&batch=1e308&act=softmax&in=7&zz=1",
        ))
        .unwrap();
        assert_eq!(m.to_query(), query("p=mymlp"));
        assert_eq!(
            problems(&notices),
 "p UnknownName, in Repeated, in NotANumber, layers Incomplete, batch NotANumber, act UnknownName, zz UnknownKey",
        );
        assert_eq!(notices[0].value, "<script>");
        // Sizes each fine but a network far past the core's parameter cap
        // (30000·10⁹ weights), zero neurons, and thirteen layers.
        let (m, notices) = Model::from_query(&query("layers=1000000000,10")).unwrap();
        assert_eq!(m.to_query(), query("p=mymlp"));
        assert_eq!(problems(&notices), "layers OutOfRange",);
        let (_, notices) = Model::from_query(&query("layers=10,0&batch=0")).unwrap();
        assert_eq!(problems(&notices), "layers OutOfRange, batch OutOfRange",);
        let (_, notices) =
            Model::from_query(&query(&format!("layers={}", ["2"; 13].join(",")))).unwrap();
        assert_eq!(problems(&notices), "layers OutOfRange",);
        let (_, notices) = Model::from_query(&query("in=99999999999999999999999")).unwrap();
        assert_eq!(problems(&notices), "in OutOfRange",);
    }
}
