//! The state of the network lesson, free of browser types: the MLP the
//! student builds (from the lecture's presets or typed by hand), checked by
//! the core, and its summary table. Nothing here allocates weights: the
//! table and the parameter count come from the spec alone, so a typo with
//! a billion parameters costs nothing.

use crate::lessons::LessonModel;
use nnlab::nn::{Activation, MlpSpec, Summary, MAX_PARAMS};

/// The activations offered between layers.
pub const ACTIVATIONS: [Activation; 3] = [Activation::Relu, Activation::Sigmoid, Activation::Tanh];
/// Largest batch size accepted (the table only shows shapes, but a batch
/// beyond this is surely a typo).
pub const MAX_BATCH: usize = 100_000;
/// Longest layer list accepted (the drawing has one column per layer).
pub const MAX_LAYERS: usize = 12;

/// A starting point offered in the menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// The lecture's `myMLP` on 3×100×100 images, batch 10 (its printed summary).
    Lecture,
    /// The same layers on CIFAR-10's 3×32×32 images, batch 64 (the lecture's DataLoader).
    Cifar,
    /// Whatever the student typed.
    Custom,
}

impl Preset {
    /// Every preset, in menu order.
    pub const ALL: [Preset; 3] = [Preset::Lecture, Preset::Cifar, Preset::Custom];

    /// A stable name (for links and tests).
    pub fn name(self) -> &'static str {
        match self {
            Preset::Lecture => "mymlp",
            Preset::Cifar => "cifar",
            Preset::Custom => "custom",
        }
    }

    /// The preset called `name`, if any.
    pub fn from_name(name: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The spec and batch size of a preset (`None` for `Custom`).
    pub fn spec(self) -> Option<(MlpSpec, usize)> {
        match self {
            Preset::Lecture => Some((MlpSpec::lecture(), 10)),
            Preset::Cifar => Some((MlpSpec::lecture_cifar(), 64)),
            Preset::Custom => None,
        }
    }
}

/// Which text field a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The input size field.
    Input,
    /// The layer sizes field.
    Layers,
    /// The batch size field.
    Batch,
}

/// Why the typed network cannot be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The field is empty.
    Empty(Part),
    /// A piece of text that is not a whole number.
    NotAWholeNumber(Part, String),
    /// A whole number too large to be a size at all.
    Huge(Part, String),
    /// The input size is 0.
    ZeroInput,
    /// Layer `n` (1-based) has 0 neurons.
    ZeroLayer(usize),
    /// More layers than [`MAX_LAYERS`].
    TooManyLayers(usize),
    /// A batch size of 0 or above [`MAX_BATCH`].
    BatchOutOfRange(usize),
    /// The core refused the size: `params` is more than [`MAX_PARAMS`]
    /// (counted in u128: the core's count saturates at `usize::MAX`, which in
    /// the browser's 32-bit wasm is only 4,294,967,295).
    TooManyParams {
        /// The parameter count.
        params: u128,
    },
    /// Any other refusal by the core, in its own words.
    Core(String),
}

/// The texts of the three fields, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texts {
    /// The input size, e.g. `3*32*32`.
    pub input: String,
    /// The layer sizes, e.g. `100, 256, 10`.
    pub layers: String,
    /// The batch size.
    pub batch: String,
}

impl Texts {
    /// How a spec reads in the fields: `3*100*100`-style input sizes are kept
    /// as the lecture writes them when they are one of its image shapes.
    pub fn of(spec: &MlpSpec, batch: usize) -> Texts {
        let input = match spec.input {
            30_000 => "3*100*100".to_string(),
            3072 => "3*32*32".to_string(),
            n => n.to_string(),
        };
        let layers: Vec<String> = spec.layers.iter().map(usize::to_string).collect();
        Texts {
            input,
            layers: layers.join(", "),
            batch: batch.to_string(),
        }
    }
}

/// The network lesson's state: the fields as typed, the activation and the network they build.
pub struct Model {
    texts: Texts,
    activation: Activation,
    preset: Preset,
    /// The network and batch when the texts describe a valid one.
    built: Result<(MlpSpec, usize, Summary), Problem>,
    revision: u64,
    /// Bumped when code (not typing) changes the fields, so the view rewrites them.
    controls_revision: u64,
}

impl Model {
    /// Opens on the lecture's `myMLP`.
    pub fn new() -> Model {
        let mut m = Model {
            texts: Texts {
                input: String::new(),
                layers: String::new(),
                batch: String::new(),
            },
            activation: Activation::Relu,
            preset: Preset::Lecture,
            built: Err(Problem::Empty(Part::Input)),
            revision: 0,
            controls_revision: 0,
        };
        m.choose_preset(Preset::Lecture);
        m
    }

    /// Fills the fields with a preset (nothing happens for `Custom`).
    pub fn choose_preset(&mut self, preset: Preset) {
        self.preset = preset;
        if let Some((spec, batch)) = preset.spec() {
            self.texts = Texts::of(&spec, batch);
            self.activation = spec.activation;
            self.controls_revision += 1;
        }
        self.rebuild();
    }

    /// Takes the text typed in a field and rebuilds.
    pub fn set_text(&mut self, part: Part, text: &str) {
        let slot = match part {
            Part::Input => &mut self.texts.input,
            Part::Layers => &mut self.texts.layers,
            Part::Batch => &mut self.texts.batch,
        };
        *slot = text.to_string();
        self.rebuild();
    }

    /// Another activation between layers.
    pub fn set_activation(&mut self, activation: Activation) {
        self.activation = activation;
        self.rebuild();
    }

    /// The fields as typed.
    pub fn texts(&self) -> &Texts {
        &self.texts
    }
    /// The activation between layers.
    pub fn activation(&self) -> Activation {
        self.activation
    }
    /// The preset the fields currently match (`Custom` once edited away from one).
    pub fn preset(&self) -> Preset {
        self.preset
    }
    /// The network, its batch and summary, or why the fields do not build one.
    pub fn built(&self) -> Result<&(MlpSpec, usize, Summary), &Problem> {
        self.built.as_ref()
    }
    /// Bumped on every change the page shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when code (not typing) changes the fields, so the view rewrites them.
    pub fn controls_revision(&self) -> u64 {
        self.controls_revision
    }

    fn rebuild(&mut self) {
        self.built = build(&self.texts, self.activation);
        // The menu follows the fields: an edit that leaves a preset makes it "custom".
        self.preset = Preset::ALL
            .into_iter()
            .find(|p| {
                p.spec().is_some_and(|(spec, batch)| {
                    matches!(&self.built, Ok((s, b, _)) if *s == spec && *b == batch)
                })
            })
            .unwrap_or(Preset::Custom);
        self.revision += 1;
    }
}

impl Default for Model {
    fn default() -> Self {
        Model::new()
    }
}

/// The network the fields describe, checked by the core's `MlpSpec::validate`,
/// and its summary table for the batch size.
pub fn build(texts: &Texts, activation: Activation) -> Result<(MlpSpec, usize, Summary), Problem> {
    let input = parse_size(&texts.input, Part::Input)?;
    let layers: Vec<usize> = texts
        .layers
        .split([',', '，', ' ', '\t'])
        .filter(|piece| !piece.trim().is_empty())
        .map(|piece| parse_size(piece, Part::Layers))
        .collect::<Result<_, _>>()?;
    if layers.is_empty() {
        return Err(Problem::Empty(Part::Layers));
    }
    if layers.len() > MAX_LAYERS {
        return Err(Problem::TooManyLayers(layers.len()));
    }
    let batch = parse_size(&texts.batch, Part::Batch)?;
    if !(1..=MAX_BATCH).contains(&batch) {
        return Err(Problem::BatchOutOfRange(batch));
    }
    let spec = MlpSpec {
        input,
        layers,
        activation,
    };
    spec.validate().map_err(|err| explain(&spec, err))?;
    let summary = Summary::new(&spec, batch);
    Ok((spec, batch, summary))
}

/// The core's refusal, named so the page can say it in either language.
fn explain(spec: &MlpSpec, err: nnlab::Error) -> Problem {
    if spec.input == 0 {
        Problem::ZeroInput
    } else if let Some(i) = spec.layers.iter().position(|&n| n == 0) {
        Problem::ZeroLayer(i + 1)
    } else if spec.param_count() > MAX_PARAMS {
        Problem::TooManyParams {
            params: exact_param_count(spec),
        }
    } else {
        Problem::Core(err.to_string())
    }
}

/// Σ (in·out + out) without overflow on any target.
pub fn exact_param_count(spec: &MlpSpec) -> u128 {
    spec.layer_sizes()
        .map(|(i, o)| i as u128 * o as u128 + o as u128)
        .sum()
}

/// `n` with a comma every three digits (the core's `nn::thousands` for counts beyond `usize`).
pub fn thousands_wide(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A size such as `100`, `30000` or `3*100*100` (a product, as the lecture
/// writes image sizes; `×` works too).
fn parse_size(text: &str, part: Part) -> Result<usize, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Empty(part));
    }
    let mut product: usize = 1;
    for factor in text.split(['*', '×', 'x']) {
        let factor = factor.trim().replace('_', "");
        if factor.is_empty() || !factor.chars().all(|c| c.is_ascii_digit()) {
            return Err(Problem::NotAWholeNumber(part, text.to_string()));
        }
        let n: usize = factor
            .parse()
            .map_err(|_| Problem::Huge(part, text.to_string()))?;
        product = product
            .checked_mul(n)
            .ok_or_else(|| Problem::Huge(part, text.to_string()))?;
    }
    Ok(product)
}

/// Nothing moves by itself and no shared key applies: the page is all sliders and fields.
impl LessonModel for Model {}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(summary: &Summary) -> Vec<(String, String, String, String)> {
        summary
            .rows
            .iter()
            .map(|r| {
                (
                    r.name.clone(),
                    r.input_text(),
                    r.output_text(),
                    r.params_text(),
                )
            })
            .collect()
    }

    #[test]
    fn the_lecture_table() {
        // The lecture's printed summary of myMLP with batch 10:
        // 30000·100 + 100 = 3,000,100; 100·256 + 256 = 25,856; 256·256 + 256 = 65,792;
        // 256·10 + 10 = 2,570; total 3,094,318.
        let m = Model::new();
        let (spec, batch, summary) = m.built().unwrap();
        assert_eq!((spec.input, *batch), (30_000, 10));
        let lit = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
        assert_eq!(
            rows(summary),
            vec![
                lit("Linear-1", "[[10, 30000]]", "[10, 100]", "3,000,100"),
                lit("ReLU-1", "[[10, 100]]", "[10, 100]", "0"),
                lit("Linear-2", "[[10, 100]]", "[10, 256]", "25,856"),
                lit("ReLU-2", "[[10, 256]]", "[10, 256]", "0"),
                lit("Linear-3", "[[10, 256]]", "[10, 256]", "65,792"),
                lit("ReLU-3", "[[10, 256]]", "[10, 256]", "0"),
                lit("Linear-4", "[[10, 256]]", "[10, 10]", "2,570"),
            ]
        );
        assert_eq!(summary.total_params, 3_094_318);
        assert_eq!(m.texts().input, "3*100*100");
        assert_eq!(m.texts().layers, "100, 256, 256, 10");
    }

    #[test]
    fn the_cifar_preset() {
        // 3072·100 + 100 = 307,300; + 25,856 + 65,792 + 2,570 = 401,518.
        let mut m = Model::new();
        m.choose_preset(Preset::Cifar);
        let (_, batch, summary) = m.built().unwrap();
        assert_eq!(*batch, 64);
        assert_eq!(summary.rows[0].params_text(), "307,300");
        assert_eq!(summary.rows[0].input_text(), "[[64, 3072]]");
        assert_eq!(summary.total_params, 401_518);
        assert_eq!(m.preset(), Preset::Cifar);
    }

    #[test]
    fn editing_makes_it_custom_and_back() {
        let mut m = Model::new();
        m.set_text(Part::Layers, "100, 10");
        assert_eq!(m.preset(), Preset::Custom);
        // 30000·100 + 100 + 100·10 + 10 = 3,001,110.
        assert_eq!(m.built().unwrap().2.total_params, 3_001_110);
        m.set_text(Part::Layers, "100，256 256,10");
        assert_eq!(m.preset(), Preset::Lecture);
        m.set_activation(Activation::Tanh);
        assert_eq!(m.preset(), Preset::Custom);
        assert_eq!(m.built().unwrap().2.rows[1].name, "Tanh-1");
    }

    #[test]
    fn a_billion_parameters_is_refused_by_the_core() {
        let mut m = Model::new();
        m.set_text(Part::Layers, "1000000000, 10");
        // 30000·10⁹ + 10⁹ + 10·10⁹ + 10 = 30,011,000,000,010 > 100,000,000.
        assert_eq!(
            m.built().unwrap_err(),
            &Problem::TooManyParams {
                params: 30_011_000_000_010
            }
        );
        assert_eq!(thousands_wide(30_011_000_000_010), "30,011,000,000,010");
        assert_eq!(thousands_wide(999), "999");
    }

    #[test]
    fn bad_texts_are_named() {
        let t = |input: &str, layers: &str, batch: &str| {
            build(
                &Texts {
                    input: input.into(),
                    layers: layers.into(),
                    batch: batch.into(),
                },
                Activation::Relu,
            )
            .map(|(spec, _, s)| (spec.layers.len(), s.total_params))
        };
        assert_eq!(t("", "10", "1"), Err(Problem::Empty(Part::Input)));
        assert_eq!(t("4", " , ", "1"), Err(Problem::Empty(Part::Layers)));
        assert_eq!(
            t("4", "10, abc", "1"),
            Err(Problem::NotAWholeNumber(Part::Layers, "abc".into()))
        );
        assert_eq!(
            t("4", "-3", "1"),
            Err(Problem::NotAWholeNumber(Part::Layers, "-3".into()))
        );
        assert_eq!(
            t("99999999999999999999999", "10", "1"),
            Err(Problem::Huge(Part::Input, "99999999999999999999999".into()))
        );
        assert_eq!(t("0", "10", "1"), Err(Problem::ZeroInput));
        assert_eq!(t("4", "10, 0, 3", "1"), Err(Problem::ZeroLayer(2)));
        assert_eq!(t("4", "10", "0"), Err(Problem::BatchOutOfRange(0)));
        assert_eq!(
            t("4", &["2"; 13].join(","), "1"),
            Err(Problem::TooManyLayers(13))
        );
        // 4·3 + 3 = 15 parameters; 3*32*32 reads as 3072.
        assert_eq!(t("4", "3", "1"), Ok((1, 15)));
        assert_eq!(t("3 × 32 × 32", "1", "1"), Ok((1, 3073)));
    }
}
