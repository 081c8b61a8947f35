//! The state of the initialisation lesson, free of browser types: which
//! initialiser, network and activation, the batch pushed through the fresh
//! network, and — computed a slice at a time so no frame stalls — every
//! layer's weight and activation statistics and histograms.

use std::rc::Rc;

use nnlab::autodiff::Graph;
use nnlab::data::Dataset;
use nnlab::init::{self, Init};
use nnlab::nn::{Activation, Mlp, MlpSpec};
use nnlab::Tensor;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::stats::{shared_range, Histogram, Summary};
use crate::commands::Command;
use crate::data_store;
use crate::error::WebResult;
use crate::lessons::kit::clock::Budget;
use crate::lessons::{LessonModel, Playback};

/// Longest a frame may spend on the forward pass, in ms.
const WORK_BUDGET_MS: f64 = 12.0;

/// Images pushed through the fresh network (the lecture's batch size).
pub const BATCH: usize = 64;
/// CIFAR-10 images are 3 × 32 × 32 = 3072 values.
pub const INPUT: usize = 3072;
/// Rows of the batch sent through one layer per work unit: a quarter of the
/// batch keeps the widest layer (3072 → 256) to a few ms even in wasm.
pub const ROWS_PER_UNIT: usize = 16;
/// Bars per histogram.
pub const BINS: usize = 40;
/// Hidden layers of the deep variant.
pub const DEEP_HIDDEN: usize = 8;
/// Width of the deep variant's hidden layers.
pub const DEEP_WIDTH: usize = 256;

/// Which network the fresh weights belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// The lecture's MLP on CIFAR-10: 3072 → 100 → 256 → 256 → 10.
    Lecture,
    /// 3072 → 256 × 8 → 10: deep enough that vanishing and exploding show.
    Deep,
}

impl Depth {
    /// Both networks, in menu order.
    pub const ALL: [Depth; 2] = [Depth::Lecture, Depth::Deep];

    /// A stable name (for links and tests).
    pub fn name(self) -> &'static str {
        match self {
            Depth::Lecture => "lecture",
            Depth::Deep => "deep",
        }
    }

    /// The network called `name`; an error names the known ones.
    pub fn from_name(name: &str) -> nnlab::Result<Depth> {
        Depth::ALL
            .into_iter()
            .find(|d| d.name() == name)
            .ok_or_else(|| nnlab::Error::unknown("network", name, &Depth::ALL.map(Depth::name)))
    }

    /// The layer widths after the input (the last is the 10 classes).
    pub fn layers(self) -> Vec<usize> {
        match self {
            Depth::Lecture => MlpSpec::lecture_cifar().layers,
            Depth::Deep => {
                let mut layers = vec![DEEP_WIDTH; DEEP_HIDDEN];
                layers.push(10);
                layers
            }
        }
    }
}

/// The activations the lesson offers between layers.
pub const ACTIVATIONS: [Activation; 3] = [Activation::Relu, Activation::Tanh, Activation::Sigmoid];

/// What the user chose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// One of [`init::NAMES`].
    pub init: &'static str,
    /// The scale (uniform) or std (normal) of the small random initialisers.
    pub scale: f32,
    /// Which network.
    pub depth: Depth,
    /// The activation between layers.
    pub activation: Activation,
    /// Seed of the weights and of the stand-in batch.
    pub seed: u64,
}

impl Default for Settings {
    /// The lecture's "small random values": N(0, 0.01²), its MLP with ReLU.
    fn default() -> Settings {
        Settings {
            init: "small-normal",
            scale: init::SMALL_DEFAULT,
            depth: Depth::Lecture,
            activation: Activation::Relu,
            seed: 1,
        }
    }
}

impl Settings {
    /// Prepared scenes for the digit keys, all on the deep network:
    /// 1 small N(0, 0.01²) + ReLU (vanishes), 2 He + ReLU (stays alive),
    /// 3 Xavier + tanh (stays alive), 4 N(0, 0.2²) + ReLU (explodes), 5 zeros.
    pub fn preset(n: usize) -> Option<Settings> {
        let deep = Settings {
            depth: Depth::Deep,
            ..Settings::default()
        };
        Some(match n {
            1 => deep,
            2 => Settings {
                init: "he-normal",
                ..deep
            },
            3 => Settings {
                init: "xavier-normal",
                activation: Activation::Tanh,
                ..deep
            },
            4 => Settings { scale: 0.2, ..deep },
            5 => Settings {
                init: "zeros",
                ..deep
            },
            _ => return None,
        })
    }

    /// The initialiser with the chosen scale. Errors on a bad scale or name.
    pub fn init(&self) -> nnlab::Result<Init> {
        let init = match Init::from_name(self.init)? {
            Init::SmallUniform { .. } => Init::SmallUniform { scale: self.scale },
            Init::SmallNormal { .. } => Init::SmallNormal { std: self.scale },
            other => other,
        };
        init.validate()?;
        Ok(init)
    }

    /// Whether the initialiser has a scale the user sets.
    pub fn uses_scale(&self) -> bool {
        matches!(self.init, "small-uniform" | "small-normal")
    }

    /// The network these settings build.
    pub fn spec(&self) -> MlpSpec {
        MlpSpec {
            input: INPUT,
            layers: self.depth.layers(),
            activation: self.activation,
        }
    }
}

/// Where the batch came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Uniform random pixels in [0, 1): no CIFAR-10 loaded yet.
    StandIn,
    /// 64 CIFAR-10 test images.
    Cifar,
}

/// One layer of the fresh network.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerReport {
    /// Inputs of the layer.
    pub inputs: usize,
    /// Neurons of the layer.
    pub outputs: usize,
    /// Its fresh weights.
    pub weights: Summary,
    /// The layer's outputs on the batch (after the activation; logits for the last layer).
    pub activations: Summary,
}

/// What the activation sizes say, once every layer is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every weight is 0: all neurons of a layer compute the same thing.
    Symmetric,
    /// The last layer's outputs are over 100 times smaller than the first's.
    Vanishing,
    /// … over 100 times larger (or not finite).
    Exploding,
    /// Within a factor of 100 from the first layer to the last.
    Healthy,
}

/// How much the signal may shrink or grow before the lesson calls it vanishing or exploding.
pub const VERDICT_FACTOR: f64 = 100.0;

/// Histograms of every layer over one shared range per row.
#[derive(Clone, Debug, PartialEq)]
pub struct Histograms {
    /// One histogram of weights per layer.
    pub weights: Vec<Histogram>,
    /// One histogram of activations per layer.
    pub activations: Vec<Histogram>,
}

/// The computation in progress: the network and the layer outputs so far.
struct Job {
    net: Mlp,
    /// Output of each finished layer, `[BATCH, outputs]`.
    outputs: Vec<Tensor>,
    /// Rows of the current layer done so far.
    partial: Vec<f32>,
}

/// The lesson's state: the settings, the batch and the layers computed so far.
pub struct Model {
    settings: Settings,
    data: Option<Rc<Dataset>>,
    source: Source,
    batch: Tensor,
    input: Summary,
    job: Option<Job>,
    layers: Vec<LayerReport>,
    histograms: Option<Histograms>,
    error: Option<nnlab::Error>,
    /// Bumped whenever anything shown changes.
    revision: u64,
}

impl Model {
    /// Opens on the lecture's "small random values" with a stand-in batch.
    pub fn new() -> Model {
        let mut model = Model {
            settings: Settings::default(),
            data: None,
            source: Source::StandIn,
            batch: Tensor::zeros(&[BATCH, INPUT]),
            input: Summary::of(&[]),
            job: None,
            layers: Vec::new(),
            histograms: None,
            error: None,
            revision: 0,
        };
        model.restart();
        model
    }

    /// What the user chose.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Where the batch came from.
    pub fn source(&self) -> Source {
        self.source
    }

    /// Statistics of the input batch.
    pub fn input(&self) -> &Summary {
        &self.input
    }

    /// Layers finished so far, in order.
    pub fn layers(&self) -> &[LayerReport] {
        &self.layers
    }

    /// Present once every layer is done.
    pub fn histograms(&self) -> Option<&Histograms> {
        self.histograms.as_ref()
    }

    /// The reason nothing could be computed (a bad scale, say).
    pub fn error(&self) -> Option<&nnlab::Error> {
        self.error.as_ref()
    }

    /// Number of layers of the chosen network.
    pub fn layer_count(&self) -> usize {
        self.settings.depth.layers().len()
    }

    /// Whether layers are still being computed (a few per frame).
    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }

    /// Bumped on every change the page shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The user changed something: validate, then recompute from scratch.
    pub fn set(&mut self, settings: Settings) {
        self.settings = settings;
        self.restart();
    }

    /// Same settings, the next seed: new weights (and a new batch).
    pub fn redraw(&mut self) {
        self.settings.seed = self.settings.seed.wrapping_add(1);
        self.restart();
    }

    /// CIFAR-10 arrived (or went): use its images from now on.
    pub fn set_data(&mut self, data: Option<Rc<Dataset>>) {
        let same = match (&self.data, &data) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same {
            self.data = data;
            self.restart();
        }
    }

    fn restart(&mut self) {
        self.revision += 1;
        self.layers.clear();
        self.histograms = None;
        self.job = None;
        self.error = None;
        self.fill_batch();
        self.input = Summary::of(self.batch.data());
        let settings = self.settings;
        match settings
            .init()
            .and_then(|init| Mlp::new(settings.spec(), init, settings.seed))
        {
            Ok(net) => {
                self.job = Some(Job {
                    net,
                    outputs: Vec::new(),
                    partial: Vec::with_capacity(BATCH * DEEP_WIDTH.max(256)),
                })
            }
            Err(err) => self.error = Some(err),
        }
    }

    /// 64 CIFAR-10 images picked by the seed, or uniform random pixels.
    fn fill_batch(&mut self) {
        let mut rng = ChaCha8Rng::seed_from_u64(self.settings.seed);
        if let Some(data) = self
            .data
            .as_ref()
            .filter(|d| d.sample_len() == INPUT && d.len() >= BATCH)
        {
            let indices: Vec<usize> =
                rand::seq::index::sample(&mut rng, data.len(), BATCH).into_vec();
            let mut labels = vec![0; BATCH];
            if data
                .fill_batch(&indices, self.batch.data_mut(), &mut labels)
                .is_ok()
            {
                self.source = Source::Cifar;
                return;
            }
        }
        for v in self.batch.data_mut() {
            *v = rng.random::<f32>();
        }
        self.source = Source::StandIn;
    }

    /// Does one slice of the computation: ROWS_PER_UNIT rows through one
    /// layer (and, after the last slice, the histograms). Returns whether
    /// more work remains.
    pub fn work_unit(&mut self) -> bool {
        let Some(job) = self.job.as_mut() else {
            return false;
        };
        let l = job.outputs.len();
        let layer = &job.net.layers[l];
        let input = job.outputs.last().unwrap_or(&self.batch);
        let width = input.dims2().1;
        let done_rows = job.partial.len() / layer.outputs();
        let rows = ROWS_PER_UNIT.min(BATCH - done_rows);
        let slice = &input.data()[done_rows * width..(done_rows + rows) * width];

        // Step 2 of the lecture, one layer on a slice of the batch, on the autodiff graph.
        let mut g = Graph::new();
        let x = g.input(Tensor::new(&[rows, width], slice.to_vec()));
        let (out, _) = layer.forward(&mut g, x);
        job.partial.extend_from_slice(g.value(out).data());

        if job.partial.len() == BATCH * layer.outputs() {
            let values = std::mem::take(&mut job.partial);
            self.layers.push(LayerReport {
                inputs: layer.inputs(),
                outputs: layer.outputs(),
                weights: Summary::of(layer.weight.data()),
                activations: Summary::of(&values),
            });
            job.outputs
                .push(Tensor::new(&[BATCH, layer.outputs()], values));
            self.revision += 1;
            if job.outputs.len() == job.net.layers.len() {
                self.histograms = Some(histograms(job, &self.layers));
                self.job = None;
                return false;
            }
        }
        true
    }

    /// The verdict on the finished network (None while computing).
    pub fn verdict(&self) -> Option<Verdict> {
        self.histograms.as_ref()?;
        let (first, last) = (self.layers.first()?, self.layers.last()?);
        if self.layers.iter().all(|l| l.weights.zero_fraction == 1.0) {
            return Some(Verdict::Symmetric);
        }
        let (a, b) = (first.activations.std, last.activations.std);
        Some(
            if !b.is_finite() || last.activations.has_non_finite || b > a * VERDICT_FACTOR {
                Verdict::Exploding
            } else if b < a / VERDICT_FACTOR {
                Verdict::Vanishing
            } else {
                Verdict::Healthy
            },
        )
    }

    /// Runs the whole computation now (tests, and small networks).
    pub fn finish(&mut self) {
        while self.work_unit() {}
    }
}

impl Default for Model {
    fn default() -> Model {
        Model::new()
    }
}

fn histograms(job: &Job, layers: &[LayerReport]) -> Histograms {
    let (wlo, whi) = shared_range(&layers.iter().map(|l| l.weights).collect::<Vec<_>>());
    let (alo, ahi) = shared_range(&layers.iter().map(|l| l.activations).collect::<Vec<_>>());
    Histograms {
        weights: job
            .net
            .layers
            .iter()
            .map(|layer| Histogram::new(layer.weight.data(), wlo, whi, BINS))
            .collect(),
        activations: job
            .outputs
            .iter()
            .map(|out| Histogram::new(out.data(), alo, ahi, BINS))
            .collect(),
    }
}

impl LessonModel for Model {
    /// Picks up CIFAR-10 once it is loaded, then does slices of the forward
    /// pass until the frame's budget is spent (always at least one slice).
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        self.set_data(data_store::samples());
        let budget = Budget::start(WORK_BUDGET_MS);
        while self.work_unit() && !budget.spent() {}
        Ok(())
    }

    /// → draws new weights, R goes back to the lecture's setting, digits pick a scene.
    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::Step => self.redraw(),
            Command::Reset => self.set(Settings::default()),
            Command::Preset(n) => {
                if let Some(settings) = Settings::preset(n) {
                    self.set(settings);
                }
            }
            Command::PlayPause => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        // → draws new weights and R resets; nothing plays.
        Playback {
            playing: None,
            steps: true,
            resets: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn computed(settings: Settings) -> Model {
        let mut m = Model::new();
        m.set(settings);
        m.finish();
        assert!(m.error().is_none(), "{:?}", m.error());
        assert_eq!(m.layers().len(), m.layer_count());
        m
    }

    #[test]
    fn he_normal_weights_have_std_sqrt_2_over_fan_in() {
        // He/MSRA normal: σ = √(2 / fan_in). First layer: √(2/3072) = 0.025516;
        // second: √(2/100) = 0.141421; with 307,200 and 25,600 samples the
        // sample std is within 1 % of σ (relative error of a std ≈ 1/√(2n)).
        let m = computed(Settings {
            init: "he-normal",
            ..Settings::default()
        });
        let w0 = m.layers()[0].weights.std;
        let w1 = m.layers()[1].weights.std;
        assert!((w0 / 0.025_516 - 1.0).abs() < 0.02, "{w0}");
        assert!((w1 / 0.141_421 - 1.0).abs() < 0.02, "{w1}");
        assert!(m.layers()[0].weights.mean.abs() < 0.001);
        assert!(m.histograms().is_some());
    }

    #[test]
    fn small_normal_activations_vanish_layer_by_layer() {
        // N(0, 0.01²) with ReLU: each layer multiplies the signal's size by about
        // 0.01·√(fan_in/2) — 0.01·√(100/2) ≈ 0.07 and 0.01·√(256/2) ≈ 0.11 —
        // so by the logits it is more than 100 times smaller than after layer 1.
        let m = computed(Settings::default());
        let first = m.layers()[0].activations.std;
        let last = m.layers().last().unwrap().activations.std;
        assert!(first > 0.1 && first < 0.3, "{first}");
        assert!(last < first / 100.0, "first {first}, last {last}");

        // Eight hidden layers: seven more factors of ≈ 0.11, below a millionth.
        let deep = computed(Settings {
            depth: Depth::Deep,
            ..Settings::default()
        });
        let first = deep.layers()[0].activations.std;
        let last = deep.layers().last().unwrap().activations.std;
        assert!(last < first * 1e-6, "first {first}, last {last}");
        assert_eq!(deep.verdict(), Some(Verdict::Vanishing));
    }

    #[test]
    fn he_keeps_relu_activations_alive_in_the_deep_net() {
        // He gains exactly the factor √2 that ReLU's halving loses: the size of
        // the signal stays put layer after layer (within a factor of 2 here).
        let m = computed(Settings {
            init: "he-normal",
            depth: Depth::Deep,
            ..Settings::default()
        });
        let stds: Vec<f64> = m.layers()[..DEEP_HIDDEN]
            .iter()
            .map(|l| l.activations.std)
            .collect();
        for s in &stds {
            assert!(*s > stds[0] / 2.0 && *s < stds[0] * 2.0, "{stds:?}");
        }
        assert_eq!(m.verdict(), Some(Verdict::Healthy));
    }

    #[test]
    fn large_small_normal_explodes_in_the_deep_net() {
        // σ = 0.5 multiplies the signal by about 0.5·√(256/2) ≈ 5.7 per layer.
        let m = computed(Settings {
            scale: 0.5,
            depth: Depth::Deep,
            ..Settings::default()
        });
        assert_eq!(m.verdict(), Some(Verdict::Exploding));
    }

    #[test]
    fn presets_show_what_they_promise() {
        let expected = [
            Verdict::Vanishing,
            Verdict::Healthy,
            Verdict::Healthy,
            Verdict::Exploding,
            Verdict::Symmetric,
        ];
        for (n, verdict) in (1..=5).zip(expected) {
            let m = computed(Settings::preset(n).unwrap());
            assert_eq!(m.verdict(), Some(verdict), "preset {n}");
        }
        assert_eq!(Settings::preset(6), None);
    }

    #[test]
    fn zeros_give_all_zero_weights_and_activations() {
        let m = computed(Settings {
            init: "zeros",
            ..Settings::default()
        });
        for layer in m.layers() {
            assert_eq!(layer.weights.zero_fraction, 1.0);
            assert_eq!(layer.activations.std, 0.0);
        }
        assert_eq!(m.verdict(), Some(Verdict::Symmetric));
    }

    #[test]
    fn work_is_sliced_and_bad_scales_are_reported() {
        // 4 layers × (64 / 16) slices = 16 units for the lecture's network.
        let mut m = Model::new();
        let mut units = 1;
        while m.work_unit() {
            units += 1;
        }
        assert_eq!(units, 4 * BATCH / ROWS_PER_UNIT);
        assert_eq!(m.source(), Source::StandIn);
        // The stand-in pixels are uniform on [0, 1): mean ½, std 1/√12 ≈ 0.2887.
        assert!((m.input().mean - 0.5).abs() < 0.01);
        assert!((m.input().std - 0.2887).abs() < 0.01);

        m.set(Settings {
            scale: f32::NAN,
            ..Settings::default()
        });
        assert!(m.error().is_some());
        assert!(!m.work_unit());
    }

    #[test]
    fn redraw_changes_the_weights_but_not_their_law() {
        let mut m = computed(Settings {
            init: "xavier-uniform",
            ..Settings::default()
        });
        let before = m.layers()[0].weights;
        m.redraw();
        m.finish();
        let after = m.layers()[0].weights;
        assert_ne!(before.mean, after.mean);
        // Xavier uniform bound √(6/(3072+100)) = 0.04349, std = bound/√3 = 0.02511.
        assert!((after.std / 0.025_11 - 1.0).abs() < 0.02, "{}", after.std);
    }
}
