//! The state of the training-loop lesson, free of browser types: the
//! lecture's five steps as phases that run one at a time on a real network
//! (the lecture's MLP) and a real autodiff graph, the counters of the loop
//! (`epoch`, `batch_id`, updates) and what each phase produced.

use std::collections::VecDeque;
use std::rc::Rc;

use nnlab::autodiff::{Graph, TVar};
use nnlab::data::{Batch, Dataset};
use nnlab::init::Init;
use nnlab::nn::{Mlp, MlpSpec};
use nnlab::optim::{self, Hyper, Optimizer, OptimizerKind};
use nnlab::train::{Sampler, Schedule};
use nnlab::Tensor;

use super::synthetic;
use crate::commands::Command;
use crate::data_store;
use crate::error::WebResult;
use crate::lessons::kit::clock::Budget;
use crate::lessons::{LessonModel, Playback};

/// Longest a frame may spend training while running, in ms.
const WORK_BUDGET_MS: f64 = 14.0;

/// The batch sizes offered; 64 is the lecture's.
pub const BATCH_SIZES: [usize; 5] = [16, 32, 64, 128, 256];
/// The optimisers offered: the five steps' plain `W = W − step·gradient`,
/// and the lecture's code, `paddle.optimizer.Adam(learning_rate=0.001)`.
pub const OPTIMIZERS: [OptimizerKind; 2] = [OptimizerKind::Sgd, OptimizerKind::Adam];
/// Iterations the loss curve remembers.
pub const LOSS_HISTORY: usize = 400;
/// Images of the batch drawn as thumbnails.
pub const THUMBNAILS: usize = 16;
/// The lecture's training-set size: CIFAR-10's 50,000 training images.
pub const LECTURE_TRAIN_SAMPLES: usize = 50_000;
/// The lecture's batch size.
pub const LECTURE_BATCH: usize = 64;
/// The lecture's number of epochs.
pub const LECTURE_EPOCHS: usize = 30;
/// The slide's training-set size (it counts the 10,000 test images too).
pub const SLIDE_SAMPLES: usize = 60_000;

/// The lecture's five steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Step 1: take a batch of images X and labels y.
    Batch,
    /// Step 2: run the network on X (forward pass) → logits.
    Forward,
    /// Step 3: the loss between the predictions and y.
    Loss,
    /// Step 4: the gradient of the loss for every weight (backward pass).
    Backward,
    /// Step 5: W = W − step·gradient (or the optimiser's rule).
    Update,
}

impl Phase {
    /// The five steps in order.
    pub const ALL: [Phase; 5] = [
        Phase::Batch,
        Phase::Forward,
        Phase::Loss,
        Phase::Backward,
        Phase::Update,
    ];

    /// 1 to 5, as the lecture numbers them.
    pub fn number(self) -> usize {
        Phase::ALL.iter().position(|&p| p == self).unwrap_or(0) + 1
    }

    fn next(self) -> Phase {
        Phase::ALL[self.number() % Phase::ALL.len()]
    }
}

/// Which images the loop trains on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The coloured-patch stand-in ([`synthetic`]).
    Synthetic,
    /// CIFAR-10 training images the Worker handed the page (10,000 of the
    /// `total`); never the test set, which only measures.
    Cifar {
        /// Training images CIFAR-10 has in all (50,000).
        total: usize,
    },
}

/// Where the loop is in epochs and batches, as the lecture's code counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counters {
    /// `epoch` of `for epoch in range(1, total_epoch+1)`: 1-based.
    pub epoch: usize,
    /// `batch_id` of `enumerate(train_reader())`: 0-based; None before the first batch.
    pub batch_id: Option<usize>,
    /// Batches per epoch.
    pub iterations_per_epoch: usize,
    /// Weight updates (Step 5) done.
    pub updates: usize,
    /// Images in the training set.
    pub samples: usize,
    /// Images per batch.
    pub batch_size: usize,
}

/// Norms of one layer's parameters or their change.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LayerNorms {
    /// ‖W‖.
    pub weight: f64,
    /// ‖b‖.
    pub bias: f64,
}

/// What the phases of the current iteration produced (cleared by Step 1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Readouts {
    /// Step 1: the batch's dataset indices and labels.
    pub indices: Vec<usize>,
    /// Step 1: the batch's labels.
    pub labels: Vec<usize>,
    /// Step 2: the first sample's logits and softmax probabilities.
    pub logits: Option<Vec<f32>>,
    /// Step 2: the first sample's softmax probabilities.
    pub probabilities: Option<Vec<f32>>,
    /// Step 3: the batch's mean cross-entropy.
    pub loss: Option<f32>,
    /// Step 4: ‖∂loss/∂W‖ and ‖∂loss/∂b‖ per layer.
    pub grad_norms: Vec<LayerNorms>,
    /// Step 5: ‖ΔW‖ and ‖Δb‖ per layer, and ‖W‖ after the update.
    pub update_norms: Vec<LayerNorms>,
    /// Step 5: ‖W‖ per layer after the update.
    pub weight_norms: Vec<f64>,
}

/// What the user chose.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The optimiser.
    pub optimizer: OptimizerKind,
    /// Its learning rate.
    pub lr: f64,
    /// Images per batch.
    pub batch_size: usize,
    /// Seed of the initial weights and the batch order.
    pub seed: u64,
}

impl Default for Settings {
    /// The lecture's code: Adam, learning rate 0.001, batches of 64.
    fn default() -> Settings {
        Settings {
            optimizer: OptimizerKind::Adam,
            lr: Hyper::defaults(OptimizerKind::Adam).lr,
            batch_size: LECTURE_BATCH,
            seed: 0,
        }
    }
}

/// One iteration in flight: its graph and the nodes the later phases need.
struct Pending {
    graph: Graph,
    params: Vec<TVar>,
    logits: Option<TVar>,
    loss: Option<TVar>,
}

/// The training loop's state: the settings, the data, the network and where the loop is.
pub struct Model {
    settings: Settings,
    data: Rc<Dataset>,
    source: Source,
    net: Mlp,
    optimizer: Box<dyn Optimizer<f32>>,
    sampler: Sampler,
    batch: Batch,
    pending: Option<Pending>,
    /// The phase done last (highlighted); None before the first.
    done: Option<Phase>,
    readouts: Readouts,
    counters: Counters,
    losses: VecDeque<(usize, f32)>,
    running: bool,
    /// The loss became NaN or ∞: the loop stops.
    diverged: bool,
    revision: u64,
}

impl Model {
    /// The loop on the stand-in data, ready for Step 1.
    pub fn new() -> nnlab::Result<Model> {
        Model::with_data(
            Rc::new(synthetic::dataset(0)),
            Source::Synthetic,
            Settings::default(),
        )
    }

    fn with_data(data: Rc<Dataset>, source: Source, settings: Settings) -> nnlab::Result<Model> {
        let spec = MlpSpec::lecture_cifar();
        if data.sample_len() != spec.input || data.classes() != spec.classes() {
            return Err(nnlab::Error::InvalidData(format!(
                "the training loop needs {}-value images of {} classes",
                spec.input,
                spec.classes()
            )));
        }
        let mut hyper = Hyper::defaults(settings.optimizer);
        hyper.lr = settings.lr;
        let optimizer = optim::build::<f32>(settings.optimizer, hyper)?;
        let schedule = Schedule::new(data.len(), settings.batch_size, true, settings.seed)?;
        Ok(Model {
            net: Mlp::new(spec, Init::PyTorchDefault, settings.seed)?,
            optimizer,
            sampler: Sampler::new(schedule),
            batch: Batch::new(settings.batch_size, data.sample_len()),
            counters: Counters {
                epoch: 1,
                batch_id: None,
                iterations_per_epoch: schedule.iterations_per_epoch(),
                updates: 0,
                samples: data.len(),
                batch_size: settings.batch_size,
            },
            settings,
            data,
            source,
            pending: None,
            done: None,
            readouts: Readouts::default(),
            losses: VecDeque::with_capacity(LOSS_HISTORY),
            running: false,
            diverged: false,
            revision: 1,
        })
    }

    /// What the user chose.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    /// Which images the loop trains on.
    pub fn source(&self) -> Source {
        self.source
    }
    /// The images.
    pub fn data(&self) -> &Dataset {
        &self.data
    }
    /// Where the loop is in epochs and batches.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }
    /// What the phases of the current iteration produced.
    pub fn readouts(&self) -> &Readouts {
        &self.readouts
    }
    /// The phase done last (the highlighted line of code).
    pub fn done(&self) -> Option<Phase> {
        self.done
    }
    /// The phase the next step will run.
    pub fn next_phase(&self) -> Phase {
        self.done.map_or(Phase::Batch, Phase::next)
    }
    /// `(update number, loss)` of the last [`LOSS_HISTORY`] iterations.
    pub fn losses(&self) -> &VecDeque<(usize, f32)> {
        &self.losses
    }
    /// Whether the loop runs by itself.
    pub fn is_running(&self) -> bool {
        self.running
    }
    /// Whether the loss stopped being finite (the loop then stays stopped).
    pub fn diverged(&self) -> bool {
        self.diverged
    }
    /// Bumped on every change the page shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Starts from scratch with `settings`: fresh weights, optimiser and counters.
    pub fn set(&mut self, settings: Settings) -> nnlab::Result<()> {
        *self = Model::with_data(self.data.clone(), self.source, settings)?.bumped(self.revision);
        Ok(())
    }

    /// Same settings, fresh start.
    pub fn reset(&mut self) -> nnlab::Result<()> {
        self.set(self.settings)
    }

    /// Another optimiser, at its default learning rate (PyTorch's).
    pub fn set_optimizer(&mut self, kind: OptimizerKind) -> nnlab::Result<()> {
        self.set(Settings {
            optimizer: kind,
            lr: Hyper::defaults(kind).lr,
            ..self.settings
        })
    }

    /// A new learning rate between steps; the network and optimiser state stay.
    pub fn set_lr(&mut self, lr: f64) -> nnlab::Result<()> {
        let hyper = Hyper {
            lr,
            ..self.optimizer.hyper()
        };
        self.optimizer.set_hyper(hyper)?;
        self.settings.lr = lr;
        self.revision += 1;
        Ok(())
    }

    /// The real training images arrived (`data`, of `total` in all): train
    /// on them from scratch.
    pub fn use_cifar(&mut self, data: Rc<Dataset>, total: usize) -> nnlab::Result<()> {
        if Rc::ptr_eq(&data, &self.data) {
            return Ok(());
        }
        let running = self.running;
        let source = Source::Cifar { total };
        *self = Model::with_data(data, source, self.settings)?.bumped(self.revision);
        self.running = running;
        Ok(())
    }

    fn bumped(mut self, revision: u64) -> Model {
        self.revision = revision + 1;
        self
    }

    /// Runs or pauses the loop (a diverged one stays stopped).
    pub fn toggle_run(&mut self) {
        self.running = !self.running && !self.diverged;
        self.revision += 1;
    }

    /// Stops the loop.
    pub fn pause(&mut self) {
        self.running = false;
        self.revision += 1;
    }

    /// Runs the next phase of the loop.
    pub fn step_phase(&mut self) -> nnlab::Result<()> {
        if self.diverged {
            return Ok(());
        }
        let phase = self.next_phase();
        match phase {
            Phase::Batch => self.take_batch()?,
            Phase::Forward => self.forward(),
            Phase::Loss => self.loss(),
            Phase::Backward => self.backward(),
            Phase::Update => self.update(),
        }
        self.done = Some(phase);
        self.revision += 1;
        Ok(())
    }

    /// Runs phases until the current iteration's update is done.
    pub fn step_iteration(&mut self) -> nnlab::Result<()> {
        loop {
            self.step_phase()?;
            if self.diverged || self.done == Some(Phase::Update) {
                return Ok(());
            }
        }
    }

    /// Step 1: `for batch_id, (image, label) in enumerate(train_reader())`.
    fn take_batch(&mut self) -> nnlab::Result<()> {
        let indices = self.sampler.next_batch().to_vec();
        self.batch.fill(&self.data, &indices)?;
        self.counters.epoch = self.sampler.epoch() + 1;
        self.counters.batch_id = Some(self.sampler.iteration() - 1);
        self.readouts = Readouts {
            labels: self.batch.labels().to_vec(),
            indices,
            ..Readouts::default()
        };
        self.pending = None;
        Ok(())
    }

    /// Step 2: `logits = model(image)`, recorded on a fresh graph.
    fn forward(&mut self) {
        let mut graph = Graph::new();
        let x = graph.input(self.batch.x().clone());
        let (logits, params) = self.net.forward(&mut graph, x);
        let first = graph.value(logits).row(0).to_vec();
        self.readouts.probabilities = Some(softmax(&first));
        self.readouts.logits = Some(first);
        self.pending = Some(Pending {
            graph,
            params,
            logits: Some(logits),
            loss: None,
        });
    }

    /// Step 3: `loss = F.cross_entropy(logits, label)`.
    fn loss(&mut self) {
        let labels = self.batch.labels();
        let Some(p) = self.pending.as_mut() else {
            return;
        };
        let Some(logits) = p.logits else { return };
        let loss = p.graph.softmax_cross_entropy(logits, labels);
        p.loss = Some(loss);
        let value = p.graph.value(loss).item();
        self.readouts.loss = Some(value);
        if !value.is_finite() {
            self.diverged = true;
            self.running = false;
        }
    }

    /// Step 4: `loss.backward()`.
    fn backward(&mut self) {
        let Some(p) = self.pending.as_mut() else {
            return;
        };
        let Some(loss) = p.loss else { return };
        p.graph.backward(loss);
        let g = &p.graph;
        self.readouts.grad_norms = p
            .params
            .chunks(2)
            .map(|wb| LayerNorms {
                weight: g.grad(wb[0]).map_or(0.0, norm),
                bias: g.grad(wb[1]).map_or(0.0, norm),
            })
            .collect();
    }

    /// Step 5: `opt.step()` — every weight moves against its gradient.
    fn update(&mut self) {
        let Some(p) = self.pending.take() else { return };
        let grads: Vec<Tensor> = p
            .params
            .iter()
            .map(|&v| {
                p.graph
                    .grad(v)
                    .cloned()
                    .unwrap_or_else(|| Tensor::zeros(p.graph.value(v).shape()))
            })
            .collect();
        let before: Vec<(Tensor, Tensor)> = self
            .net
            .layers
            .iter()
            .map(|l| (l.weight.clone(), l.bias.clone()))
            .collect();
        self.net.apply_grads(self.optimizer.as_mut(), &grads);
        self.readouts.update_norms = self
            .net
            .layers
            .iter()
            .zip(&before)
            .map(|(l, (w, b))| LayerNorms {
                weight: distance(&l.weight, w),
                bias: distance(&l.bias, b),
            })
            .collect();
        self.readouts.weight_norms = self.net.layers.iter().map(|l| norm(&l.weight)).collect();
        self.counters.updates += 1;
        if let Some(loss) = self.readouts.loss {
            if self.losses.len() == LOSS_HISTORY {
                self.losses.pop_front();
            }
            self.losses.push_back((self.counters.updates, loss));
        }
    }
}

/// The Euclidean (Frobenius) norm, summed in f64.
fn norm(t: &Tensor) -> f64 {
    t.data()
        .iter()
        .map(|&v| f64::from(v).powi(2))
        .sum::<f64>()
        .sqrt()
}

fn distance(a: &Tensor, b: &Tensor) -> f64 {
    a.data()
        .iter()
        .zip(b.data())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Softmax of one row of logits, shifted by its maximum so it never overflows.
pub fn softmax(z: &[f32]) -> Vec<f32> {
    let max = z.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = z.iter().map(|&v| (v - max).exp()).collect();
    let sum: f32 = exp.iter().sum();
    exp.iter().map(|&e| e / sum).collect()
}

impl LessonModel for Model {
    /// Switches to CIFAR-10's training images once they are loaded; while running, does phases
    /// until the frame's budget is spent (at least one phase always runs, so
    /// the loop moves even on a slow machine).
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        if let Some((data, total)) = data_store::training_images() {
            self.use_cifar(data, total)?;
        }
        if self.is_running() {
            let budget = Budget::start(WORK_BUDGET_MS);
            loop {
                self.step_phase()?;
                let at_end = self.done() == Some(Phase::Update);
                if !self.is_running()
                    || (at_end && budget.elapsed() > WORK_BUDGET_MS / 2.0)
                    || budget.spent()
                {
                    break;
                }
            }
        }
        Ok(())
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::PlayPause => self.toggle_run(),
            Command::Step => {
                self.pause();
                self.step_phase()?;
            }
            Command::Reset => self.reset()?,
            Command::Preset(_) => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        Playback::full(self.is_running())
    }

    fn hidden(&mut self) {
        self.pause();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab::train::{iterations_per_epoch, total_updates};

    #[test]
    fn the_lectures_arithmetic_with_the_right_training_set() {
        // ⌊50,000 / 64⌋ = 781 (64 · 781 = 49,984; 16 images dropped); 30 · 781 = 23,430.
        assert_eq!(
            iterations_per_epoch(LECTURE_TRAIN_SAMPLES, LECTURE_BATCH, true),
            781
        );
        assert_eq!(
            total_updates(LECTURE_TRAIN_SAMPLES, LECTURE_BATCH, true, LECTURE_EPOCHS),
            23_430
        );
        // The slide: 60,000 / 64 = 937.5, written as 938; 30 · 938 = 28,140.
        assert_eq!(
            iterations_per_epoch(SLIDE_SAMPLES, LECTURE_BATCH, false),
            938
        );
        assert_eq!(
            total_updates(SLIDE_SAMPLES, LECTURE_BATCH, false, LECTURE_EPOCHS),
            28_140
        );
    }

    #[test]
    fn phases_run_in_the_lectures_order_and_counters_follow() {
        let mut m = Model::new().unwrap();
        // The stand-in set has 2,000 images: ⌊2000 / 64⌋ = 31 iterations per epoch.
        assert_eq!(m.counters().iterations_per_epoch, 31);
        assert_eq!(m.next_phase(), Phase::Batch);
        assert_eq!(m.done(), None);

        let mut seen = Vec::new();
        for _ in 0..5 {
            m.step_phase().unwrap();
            seen.push(m.done().unwrap().number());
        }
        assert_eq!(seen, vec![1, 2, 3, 4, 5]);
        assert_eq!(m.next_phase(), Phase::Batch);
        let r = m.readouts();
        assert_eq!(r.indices.len(), 64);
        assert_eq!(r.labels.len(), 64);
        let p: f32 = r.probabilities.as_ref().unwrap().iter().sum();
        assert!((p - 1.0).abs() < 1e-5);
        // PyTorch's default init gives small logits: the first loss is near ln 10 ≈ 2.303.
        assert!((r.loss.unwrap() - 10f32.ln()).abs() < 0.3, "{:?}", r.loss);
        assert_eq!(r.grad_norms.len(), 4);
        assert!(r.grad_norms.iter().all(|n| n.weight > 0.0));
        // Adam's first step moves every weight by about lr = 0.001: ‖ΔW‖ ≈ 0.001·√(#weights),
        // e.g. layer 1 has 3072·100 weights → ≈ 0.001·554 = 0.55.
        let dw = r.update_norms[0].weight;
        assert!(dw > 0.3 && dw < 0.6, "{dw}");
        assert_eq!(m.counters().updates, 1);
        assert_eq!((m.counters().epoch, m.counters().batch_id), (1, Some(0)));

        // Thirty more iterations end epoch 1 (31 batches) and start epoch 2.
        for _ in 0..30 {
            m.step_iteration().unwrap();
        }
        assert_eq!((m.counters().epoch, m.counters().batch_id), (1, Some(30)));
        m.step_phase().unwrap();
        assert_eq!((m.counters().epoch, m.counters().batch_id), (2, Some(0)));
        assert_eq!(m.counters().updates, 31);
        assert_eq!(m.losses().len(), 31);
    }

    #[test]
    fn the_stand_in_set_is_learnable() {
        // Mean loss over 10 iterations falls well below ln 10 within 60 Adam steps.
        let mut m = Model::new().unwrap();
        for _ in 0..60 {
            m.step_iteration().unwrap();
        }
        let last: f32 = m
            .losses()
            .iter()
            .rev()
            .take(10)
            .map(|&(_, l)| l)
            .sum::<f32>()
            / 10.0;
        assert!(last < 1.0, "loss after 60 steps {last}");
    }

    #[test]
    fn a_huge_learning_rate_diverges_and_stops() {
        let mut m = Model::new().unwrap();
        m.set(Settings {
            optimizer: OptimizerKind::Sgd,
            lr: 1e6,
            ..Settings::default()
        })
        .unwrap();
        for _ in 0..20 {
            m.step_iteration().unwrap();
        }
        assert!(m.diverged());
        m.toggle_run();
        assert!(!m.is_running());
        assert!(m.set_lr(f64::NAN).is_err());
    }

    #[test]
    fn batch_size_larger_than_the_data_is_an_error_not_a_panic() {
        let mut m = Model::new().unwrap();
        let err = m.set(Settings {
            batch_size: 5000,
            ..Settings::default()
        });
        assert!(err.is_err());
    }

    #[test]
    fn cifar_training_images_replace_the_stand_in_and_count_as_its_n() {
        let mut m = Model::new().unwrap();
        // 320 training images "of 50,000": ⌊320 / 64⌋ = 5 iterations per epoch.
        let all = synthetic::dataset(1);
        let n = 320;
        let images = Dataset::new(
            all.images()[..n * all.sample_len()].to_vec(),
            all.labels()[..n].to_vec(),
            all.shape(),
            all.class_names().to_vec(),
        )
        .unwrap();
        let images = Rc::new(images);
        m.use_cifar(images.clone(), 50_000).unwrap();
        assert_eq!(m.source(), Source::Cifar { total: 50_000 });
        assert_eq!(m.counters().samples, 320);
        assert_eq!(m.counters().iterations_per_epoch, 5);
        // The same images again: nothing restarts.
        m.step_iteration().unwrap();
        m.use_cifar(images, 50_000).unwrap();
        assert_eq!(m.counters().updates, 1);
    }
}
