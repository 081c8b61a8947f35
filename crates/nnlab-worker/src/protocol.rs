//! The messages between the page and the training Worker.
//!
//! Each message is serde-encoded with postcard (a compact binary format whose
//! decoder is small: the page's wasm carries it, where a JSON parser cost
//! tens of KB) plus, for the few that carry many bytes (images, weight
//! pictures), a list of byte "blobs" posted beside it and *transferred*, not
//! copied, by `postMessage`. [`Envelope`] is that pair; [`ToPage::encode`] /
//! [`ToPage::decode`] move the byte fields out of and back into the message,
//! so the message stays small and the round trip is testable without a
//! browser. Floats travel bit for bit, NaN included (a loss is NaN before the
//! first step and after a divergence).
//!
//! Page → Worker ([`ToWorker`]): load data (fetch the archive, or read files
//! the student dropped — the `File` objects travel beside the message), forget
//! the copy stored on the device, set up a network, run, pause, change the
//! learning rate, evaluate, save, load a model, pick the image whose
//! activations the Depth lesson shows, classify a photo of the student's own.
//!
//! Worker → Page ([`ToPage`]): loading progress (the data streams in: images
//! are counted as they arrive), the images the page shows (held-out training
//! images until the test set has arrived, then the test set), training
//! images for the lessons that train in the page (once all have arrived),
//! what is stored on the device, training statistics, evaluations (and which
//! of the page's requests they answer), snapshots of what the network has
//! learned, a saved model, errors, what the network makes of a photo.

use nnlab::init::Init;
use nnlab::nn::{Activation, MlpSpec};
use nnlab::optim::{Hyper, OptimizerKind};
pub use nnlab::python::Framework;
use nnlab::train::TrainConfig;
use serde::{Deserialize, Serialize};

/// An encoded message and the byte arrays that travel beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// The message, postcard-encoded, its byte fields left empty.
    pub message: Vec<u8>,
    /// The byte fields, in the order [`ToPage::decode`] puts them back.
    pub blobs: Vec<Vec<u8>>,
}

/// Where the page looks for the archive, relative to itself (the project's
/// serve command serves `data/` there); also the key of the copy stored on
/// the device.
pub const ARCHIVE_URL: &str = "data/cifar-10-binary.tar.gz";

/// Training sizes the page offers (the first N images of the training set).
pub const TRAIN_SIZES: [usize; 4] = [5_000, 10_000, 25_000, 50_000];
/// Training images the Worker sends the page for the lessons that train
/// there (the training loop): 10,000 of the 50,000, about 30 MB.
pub const PAGE_TRAINING_IMAGES: usize = 10_000;
/// Batch sizes the page offers.
pub const BATCH_SIZES: [usize; 5] = [16, 32, 64, 128, 256];

/// What the student chose for a training run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// Which optimiser trains (with PyTorch's defaults besides `lr`).
    pub optimizer: OptimizerKind,
    /// The learning rate.
    pub lr: f64,
    /// Training images per mini-batch, one of [`BATCH_SIZES`] on the page.
    pub batch_size: usize,
    /// An [`nnlab::init::NAMES`] entry.
    pub init: String,
    /// Use the first `train_size` training images (all if there are fewer).
    pub train_size: usize,
    /// Seeds the initial weights and the shuffles of every epoch.
    pub seed: u64,
}

impl RunConfig {
    /// The lecture's run: Adam, lr 0.001, batches of 64, PyTorch's default
    /// initialisation, all 50,000 training images.
    pub fn lecture() -> RunConfig {
        RunConfig {
            optimizer: OptimizerKind::Adam,
            lr: 0.001,
            batch_size: 64,
            init: "pytorch".into(),
            train_size: 50_000,
            seed: 0,
        }
    }

    /// The core's training configuration for the lecture's network
    /// (3072 → 100 → 256 → 256 → 10). Errors on an unknown initialiser, a
    /// bad learning rate or a batch of 0.
    pub fn train_config(&self) -> nnlab::Result<TrainConfig> {
        let hyper = Hyper {
            lr: self.lr,
            ..Hyper::defaults(self.optimizer)
        };
        hyper.validate()?;
        if self.batch_size == 0 {
            return Err(nnlab::Error::OutOfRange {
                what: "batch size",
                detail: "must be at least 1".into(),
            });
        }
        Ok(TrainConfig {
            spec: MlpSpec::lecture_cifar(),
            init: Init::from_name(&self.init)?,
            optimizer: self.optimizer,
            hyper,
            batch_size: self.batch_size,
            drop_last: true,
            seed: self.seed,
        })
    }
}

/// Messages from the page to the Worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Fetch the CIFAR-10 archive from `url` (relative to the page). A
    /// missing file is reported as [`ToPage::DataMissing`], not an error.
    FetchArchive {
        /// Where the archive is, e.g. [`ARCHIVE_URL`].
        url: String,
    },
    /// Read the files posted beside this message (an archive, or the `.bin`
    /// and `.txt` files of the distribution); `names` are their names.
    ReadFiles {
        /// The files' names, in the order they are posted.
        names: Vec<String>,
    },
    /// Delete the copy of the archive kept on this device (replied to with
    /// [`ToPage::Stored`]); the data in memory stays in use.
    ForgetStoredData,
    /// A fresh, untrained network for `config` (replaces any other).
    Configure {
        /// The student's choices for the run.
        config: RunConfig,
    },
    /// Start or resume training.
    Run,
    /// Stop training, keeping the network and the optimiser's state;
    /// [`ToWorker::Run`] resumes.
    Pause,
    /// Change the learning rate between steps (optimiser state kept).
    SetLr {
        /// The new learning rate.
        lr: f64,
    },
    /// Evaluate on the test subset now; answered with [`ToPage::Test`] then
    /// [`ToPage::Evaluated`] with the same `request`, so the page knows its
    /// own request was answered (even twice at the same update).
    Evaluate {
        /// The page's count of its evaluation requests.
        request: u64,
    },
    /// Reply with the model as a file to download ([`ToPage::Model`]).
    Save {
        /// Which file: the weights in one of two formats, or a Python script.
        format: SaveFormat,
    },
    /// Continue from a model file: `config` gives the optimiser, batch and
    /// training size to continue with.
    LoadModel {
        /// The model file's bytes: nnlab's JSON ([`nnlab::nn::saved`]) or
        /// safetensors ([`nnlab::nn::state_dict`]), told apart by their start.
        bytes: Vec<u8>,
        /// The run to continue with.
        config: RunConfig,
    },
    /// Continue the run kept on this device ([`ToPage::Checkpoint`]) with
    /// the settings it was trained with.
    ResumeCheckpoint,
    /// Which test image the layer activations are shown for.
    Probe {
        /// Index among the images of the last [`ToPage::Samples`].
        index: usize,
    },
    /// Start `workers − 1` helper Workers that can train with this one
    /// (each owning rows of every hidden layer, see `crate::team`), when the
    /// page is cross-origin isolated (shared memory); 1 trains alone.
    UseWorkers {
        /// Workers in all, the training Worker included.
        workers: usize,
        /// Use them only while trials of a run's own chunks (at its start
        /// and every 20 s of training) find them faster than one Worker (the
        /// default); false: the address asked for this many, use them.
        measure: bool,
    },
    /// The deep-training lesson: two fresh deep networks ([`DeepRecipe`]s,
    /// "before 2009" and "after"), trained side by side in turns on the
    /// same images for [`DEEP_EPOCHS`] epochs (replaces any earlier pair;
    /// the lecture's run is left alone). `run`: start training at once.
    DeepStart {
        /// The recipe of each network, "before" first.
        recipes: Vec<DeepRecipe>,
        /// Start training at once.
        run: bool,
    },
    /// Resume the deep pair (after [`ToWorker::DeepPause`]).
    DeepRun,
    /// Stop training the deep pair, keeping both networks.
    DeepPause,
    /// From a training Worker to a helper it started: be worker `rank` of a
    /// team of `size` training networks of `spec`, through the shared
    /// buffers posted beside this message (see `crate::team`), until stopped.
    BecomeHelper {
        /// The network the team trains.
        spec: MlpSpec,
        /// This helper's place in the team (1 to `size − 1`; 0 is the training Worker).
        rank: usize,
        /// Workers in the team.
        size: usize,
    },
    /// The feature-engineering race: a fresh race of the three pipelines
    /// (see [`RaceReport`]) on `budget`, started at once. Replaces any race.
    StartRace {
        /// Training images and epochs, the same for all three.
        budget: RaceBudget,
    },
    /// Pause (`false`) or resume (`true`) the race.
    RunRace {
        /// Whether the race should train.
        running: bool,
    },
    /// The hand-made features of one image ([`ToPage::ImageFeatures`]).
    ImageFeatures {
        /// Index among the images of the last [`ToPage::Samples`].
        index: usize,
    },
    /// Classify a photo of the student's own with the current network;
    /// answered with [`ToPage::Classified`] carrying the same `request`.
    Classify {
        /// The page's count of its requests.
        request: u64,
        /// 3072 bytes in a CIFAR-10 record's layout (see `nnlab::photo`).
        pixels: Vec<u8>,
    },
}

/// What the page says about a network kept on the device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckpointInfo {
    /// The run's settings, used again when it continues.
    pub config: RunConfig,
    /// Weight updates it had had.
    pub updates: usize,
    /// Whole passes over the training images it had made.
    pub epochs: usize,
    /// Its last test accuracy, if it was evaluated.
    pub test_accuracy: Option<f32>,
    /// When it was kept (ms since 1970, the device's clock).
    pub saved_at_ms: f64,
}

/// The files [`ToWorker::Save`] can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SaveFormat {
    /// The weights as a PyTorch `state_dict` in safetensors: what PyTorch,
    /// Paddle and NumPy load ([`nnlab::nn::state_dict`]).
    Safetensors,
    /// nnlab's own JSON ([`nnlab::nn::saved`]).
    Json,
    /// A script that rebuilds the network in `Framework` and loads the
    /// safetensors file ([`nnlab::python`]).
    Script(Framework),
}

impl SaveFormat {
    /// Every choice, in the order the page lists them.
    pub const ALL: [SaveFormat; 5] = [
        SaveFormat::Safetensors,
        SaveFormat::Json,
        SaveFormat::Script(Framework::PyTorch),
        SaveFormat::Script(Framework::Paddle),
        SaveFormat::Script(Framework::NumPy),
    ];

    /// A short stable name (the page's select values, links and tests).
    pub fn name(self) -> &'static str {
        match self {
            SaveFormat::Safetensors => "safetensors",
            SaveFormat::Json => "json",
            SaveFormat::Script(f) => f.name(),
        }
    }

    /// The choice called `name` ([`SaveFormat::name`]), if any.
    pub fn from_name(name: &str) -> Option<SaveFormat> {
        SaveFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The file's name: scripts are named after the weights file they load.
    pub fn file_name(self) -> String {
        match self {
            SaveFormat::Safetensors => MODEL_WEIGHTS_FILE.to_string(),
            SaveFormat::Json => "nnlab-model.json".to_string(),
            SaveFormat::Script(f) => f.script_name(MODEL_WEIGHTS_FILE),
        }
    }
}

/// The name a downloaded safetensors model gets, which the scripts load.
pub const MODEL_WEIGHTS_FILE: &str = "nnlab-model.safetensors";

/// Where the data being loaded comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DataSource {
    /// Downloading from the page's server.
    Network,
    /// The copy stored on this device by an earlier visit (no download).
    Device,
    /// Files the student dropped or picked.
    File,
}

/// How far loading has got. The archive is decoded as its bytes arrive, so
/// images are usable long before the last byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loading {
    /// Where the bytes come from.
    pub source: DataSource,
    /// Bytes of the source read so far, of `bytes_total` (0 when unknown).
    pub bytes_done: u64,
    /// Size of the source in bytes (0 when unknown).
    pub bytes_total: u64,
    /// Training images received so far (of `train_expected`, 50,000 for
    /// the official archive).
    pub train: usize,
    /// Training images expected in all.
    pub train_expected: usize,
    /// Test images received so far (the official archive sends them last).
    pub test: usize,
    /// The Worker's wasm memory in bytes (it only grows: its peak), for the
    /// README's memory figure; 0 outside wasm.
    pub memory_bytes: u64,
}

/// The wasm memory of the running program in bytes (0 outside wasm).
pub fn wasm_memory_bytes() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        core::arch::wasm32::memory_size(0) as u64 * 65_536
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0
    }
}

impl Loading {
    /// `bytes_done / bytes_total`, if the total is known.
    pub fn fraction(&self) -> Option<f64> {
        (self.bytes_total > 0).then(|| (self.bytes_done as f64 / self.bytes_total as f64).min(1.0))
    }
}

/// Loss and accuracy of the training batches, averaged over a few iterations.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainPoint {
    /// Weight updates done when the point was taken.
    pub updates: usize,
    /// Mean mini-batch loss over those iterations.
    pub loss: f32,
    /// Fraction of their samples classified right, in [0, 1].
    pub accuracy: f32,
}

/// The counters and speed of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Training is going on (not paused).
    pub running: bool,
    /// A step gave a NaN or infinite loss; training stopped.
    pub diverged: bool,
    /// The loss exploded and the accuracy fell to chance (see
    /// [`crate::collapse`]): training paused.
    pub collapsed: bool,
    /// 0-based epoch.
    pub epoch: usize,
    /// Iterations done in this epoch.
    pub iteration: usize,
    /// ⌊N / batch⌋.
    pub iterations_per_epoch: usize,
    /// Weight updates since the start.
    pub updates: usize,
    /// Training samples fed to the network since the start.
    pub samples_seen: usize,
    /// Mean loss and accuracy over the epoch so far (NaN/0 before a step).
    pub loss: f32,
    /// Fraction of the epoch's samples classified right so far, in [0, 1].
    pub accuracy: f32,
    /// Training samples per second, 0 when not measured yet.
    pub samples_per_sec: f64,
    /// Images of the current pass (while the data downloads, those that had
    /// arrived when the pass began), of `train_wanted`.
    pub train_images: usize,
    /// The images training will use once all have arrived.
    pub train_wanted: usize,
    /// True while the training set is still arriving: `epoch` then counts
    /// passes over the images received so far.
    pub streaming: bool,
    /// Web Workers training this run (1, or the team's size).
    pub workers: usize,
    /// The team measured against one Worker, if it was: at the run's
    /// start, or by the last trial during the run.
    pub measured: Option<TeamSpeed>,
    /// The team's size while the run's first trial has not decided yet
    /// whether it trains faster than one Worker (the chunks alternate).
    pub measuring: Option<usize>,
    /// Where each Worker's steps on the team went since the last stats, per
    /// step: the training Worker's first, then each helper's (empty when not
    /// training on a team).
    pub step_times: Vec<StepTimes>,
    /// Seconds to the end of the epoch at this speed, if known.
    pub eta_secs: Option<f64>,
    /// The current learning rate.
    pub lr: f64,
    /// Curve points since the last stats.
    pub points: Vec<TrainPoint>,
}

/// A team of Workers measured against one Worker.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamSpeed {
    /// Workers in the team.
    pub workers: usize,
    /// How many times faster the team trained than one Worker.
    pub speedup: f32,
    /// Milliseconds per step measured on one Worker alone.
    pub alone_ms: f32,
    /// Milliseconds per step measured on the team.
    pub team_ms: f32,
    /// The run's weight updates when it was measured again during the run
    /// (see [`crate::team_choice`]); `None`: measured at the start of a run.
    pub at_update: Option<usize>,
}

/// Milliseconds of one step on a team, by phase (the training Worker's).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepTimes {
    /// Matrix products and the passes around them.
    pub compute_ms: f32,
    /// Exchanges: publishing, waiting for the others, reading their parts.
    pub exchange_ms: f32,
    /// The optimiser's update of its rows.
    pub update_ms: f32,
    /// Getting the batch ready (the training Worker: from the data set to
    /// the helpers; a helper: copying it in), before the step.
    pub batch_ms: f32,
}

/// The network evaluated on the test subset.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestPoint {
    /// Weight updates done when the network was evaluated.
    pub updates: usize,
    /// Mean softmax cross-entropy per image.
    pub loss: f32,
    /// Fraction of the images classified right, in [0, 1].
    pub accuracy: f32,
    /// Images evaluated.
    pub samples: usize,
    /// Measured on training images held out of training because the test
    /// set had not arrived yet (false: on the test set).
    pub held_out: bool,
    /// Row = true class, column = predicted, `classes × classes`.
    pub confusion: Vec<u64>,
    /// Number of classes (10).
    pub classes: usize,
}

impl TestPoint {
    /// Fraction of class `c`'s images classified right (None if none seen).
    pub fn class_accuracy(&self, c: usize) -> Option<f64> {
        let row = &self.confusion[c * self.classes..(c + 1) * self.classes];
        let total: u64 = row.iter().sum();
        (total > 0).then(|| row[c] as f64 / total as f64)
    }
}

/// A test image with the network's three most likely classes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Index in the test set.
    pub index: usize,
    /// The true class.
    pub label: usize,
    /// (class, probability), most likely first.
    pub top: Vec<(usize, f32)>,
}

/// A cloud of test images as one layer represents them, projected to 2-D.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerCloud {
    /// Values per image at this layer (3072 for the pixels).
    pub width: usize,
    /// One point per test image 0, 1, 2, … (their labels are on the page).
    pub points: Vec<[f32; 2]>,
    /// Share of the variance the two axes show.
    pub explained: [f32; 2],
}

/// What the network has learned so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Weight updates done when the snapshot was taken.
    pub updates: usize,
    /// The first layer's weight rows as 32×32 RGBA pictures, one after the
    /// other (each normalised to its own min…max). Travels as a blob.
    #[serde(skip)]
    pub weight_images: Vec<u8>,
    /// How many pictures `weight_images` holds: the first layer's neurons.
    pub weight_image_count: usize,
    /// Test images with their top-3 predictions (none after a divergence).
    pub cards: Vec<Card>,
    /// The probed image and its activations after each layer (hidden layers
    /// after ReLU, then the output probabilities).
    pub probe_index: usize,
    /// One list per layer, input side first (empty after a divergence).
    pub probe_layers: Vec<Vec<f32>>,
    /// Pixels first, then each layer.
    pub clouds: Vec<LayerCloud>,
}

/// The training budget of the deep-training lesson: the first
/// [`DEEP_TRAIN_SIZE`] training images, [`DEEP_EPOCHS`] epochs, batches of
/// [`DEEP_BATCH`] — a few seconds per network in the browser, and enough to
/// show what 10,000 images × 10 epochs show natively (see
/// `deep_race::tests`): the old recipe stays at chance, ReLU + He learns,
/// Adam learns more, sigmoid with Xavier and Adam in between.
pub const DEEP_TRAIN_SIZE: usize = 5_000;
/// Epochs of the deep-training lesson.
pub const DEEP_EPOCHS: usize = 6;
/// Mini-batch size of the deep-training lesson.
pub const DEEP_BATCH: usize = 32;

/// How a deep network's weights start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeepInit {
    /// Small random numbers, N(0, 0.01²): the usual start before 2010.
    Small,
    /// Scaled to the layer's fan: Xavier (2010) for sigmoid, He (2015) for ReLU.
    Scaled,
}

/// One network of the deep-training lesson: the three ingredients that
/// changed around 2009–2010 (activation, initialisation, optimiser).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeepRecipe {
    /// The hidden layers' activation (sigmoid or ReLU on the page).
    pub activation: Activation,
    /// How the weights start.
    pub init: DeepInit,
    /// SGD or Adam on the page, each with its default learning rate.
    pub optimizer: OptimizerKind,
}

impl DeepRecipe {
    /// Before 2009: sigmoid, small random weights, plain SGD.
    pub const BEFORE: DeepRecipe = DeepRecipe {
        activation: Activation::Sigmoid,
        init: DeepInit::Small,
        optimizer: OptimizerKind::Sgd,
    };
    /// After: ReLU, He initialisation, Adam.
    pub const AFTER: DeepRecipe = DeepRecipe {
        activation: Activation::Relu,
        init: DeepInit::Scaled,
        optimizer: OptimizerKind::Adam,
    };

    /// The core's initialiser for this recipe.
    pub fn init(&self) -> Init {
        match (self.init, self.activation) {
            (DeepInit::Small, _) => Init::SmallNormal {
                std: nnlab::init::SMALL_DEFAULT,
            },
            (DeepInit::Scaled, Activation::Relu) => Init::HeNormal,
            (DeepInit::Scaled, _) => Init::XavierNormal,
        }
    }

    /// The core's training configuration: [`MlpSpec::deep_cifar`], the
    /// optimiser's default hyper-parameters, batches of [`DEEP_BATCH`].
    pub fn train_config(&self, seed: u64) -> TrainConfig {
        TrainConfig {
            spec: MlpSpec::deep_cifar(self.activation),
            init: self.init(),
            optimizer: self.optimizer,
            hyper: Hyper::defaults(self.optimizer),
            batch_size: DEEP_BATCH,
            drop_last: true,
            seed,
        }
    }
}

/// One deep network's news since the last [`DeepProgress`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeepLane {
    /// Weight updates done.
    pub updates: usize,
    /// Training-curve points since the last report.
    pub points: Vec<TrainPoint>,
    /// Test evaluations since the last report (one per epoch).
    pub tests: Vec<TrainPoint>,
    /// ‖∂loss/∂W‖ of each layer, input side first, averaged over the steps
    /// since the last report (empty before the first step).
    pub grad_norms: Vec<f32>,
    /// A step gave a NaN or infinite loss; this network stopped.
    pub diverged: bool,
}

/// How the deep pair trains.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeepProgress {
    /// Training is going on.
    pub running: bool,
    /// Both networks have had their budget (or diverged).
    pub finished: bool,
    /// One per network, in the order of the recipes.
    pub lanes: Vec<DeepLane>,
}

/// Messages from the Worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToPage {
    /// The Worker is listening (messages posted before this would be lost:
    /// the page holds them until it arrives).
    WorkerReady,
    /// Loading has got further.
    Progress(Loading),
    /// The archive is not where the page looked (the student has not
    /// downloaded it yet): not an error.
    DataMissing {
        /// Where the page looked.
        url: String,
    },
    /// The images the page shows and the Worker evaluates on (gallery,
    /// cards, clouds): while the test set has not arrived, training images
    /// held out of training (`held_out`), replaced as more arrive; then the
    /// test set.
    Samples {
        /// True while these are held-out training images, not the test set.
        held_out: bool,
        /// The names of the classes, by label.
        class_names: Vec<String>,
        /// 3072 planar bytes per image. Travels as a blob.
        #[serde(skip)]
        images: Vec<u8>,
        /// Travels as a blob.
        #[serde(skip)]
        labels: Vec<u8>,
    },
    /// Training images for the lessons that train in the page (the training
    /// loop): the first [`PAGE_TRAINING_IMAGES`] of the training set, sent
    /// once every image has arrived. Never test images.
    TrainingImages {
        /// The names of the classes, by label.
        class_names: Vec<String>,
        /// 3072 planar bytes per image. Travels as a blob.
        #[serde(skip)]
        images: Vec<u8>,
        /// Travels as a blob.
        #[serde(skip)]
        labels: Vec<u8>,
        /// Training images there are in all (the page says "n of total").
        total: usize,
    },
    /// Every image has arrived: `train` training and `test` test images.
    DataReady {
        /// Training images received.
        train: usize,
        /// Test images received.
        test: usize,
    },
    /// What this device keeps for the next visit: the archive's size in
    /// bytes, or None when nothing is stored.
    Stored {
        /// The archive's size in bytes, or None.
        bytes: Option<u64>,
    },
    /// Loading failed; nothing of it is used.
    DataFailed {
        /// What went wrong, as a sentence for the student.
        message: String,
    },
    /// A new network (fresh, or loaded from a file) replaced the old one.
    NetworkReady {
        /// The run the network trains with.
        config: RunConfig,
        /// True if the network was loaded from a model file.
        from_file: bool,
        /// Parameters of the network.
        params: usize,
        /// Training images the run will use: `config.train_size`, or fewer if
        /// the set is smaller.
        train_size: usize,
    },
    /// The run's counters and speed.
    Stats(Stats),
    /// An evaluation on the test subset (or on held-out training images, see
    /// [`TestPoint::held_out`]).
    Test(TestPoint),
    /// The evaluation the page asked for with this `request` is done (its
    /// [`ToPage::Test`] came just before).
    Evaluated {
        /// The request's number, from [`ToWorker::Evaluate`].
        request: u64,
    },
    /// What the network has learned so far.
    Snapshot(Snapshot),
    /// The file asked for by [`ToWorker::Save`].
    Model {
        /// The name to save it under, e.g. `nnlab-model.safetensors`.
        name: String,
        /// Its MIME type, for the download.
        mime: String,
        /// Its bytes (a blob: transferred, not copied).
        bytes: Vec<u8>,
    },
    /// A trained network is kept on this device: just saved (`found` false),
    /// or found there when the Worker started (`found` true), ready for
    /// [`ToWorker::ResumeCheckpoint`].
    Checkpoint {
        /// The run it comes from.
        info: CheckpointInfo,
        /// True if it was there before this visit's training.
        found: bool,
    },
    /// The deep pair of [`ToWorker::DeepStart`] is set up (untrained).
    DeepReady {
        /// The recipes, as asked for.
        recipes: Vec<DeepRecipe>,
        /// Training images each network learns from.
        train_size: usize,
        /// Weight updates each network gets in all.
        total_updates: usize,
    },
    /// How the deep pair trains (while running, a few times a second).
    DeepProgress(DeepProgress),
    /// A request that could not be done (the core's message).
    Error {
        /// What went wrong, as a sentence for the student.
        message: String,
    },
    /// How the feature-engineering race stands.
    Race(RaceReport),
    /// The features of the image asked for by [`ToWorker::ImageFeatures`].
    ImageFeatures(ImageFeatures),
    /// The answer to [`ToWorker::Classify`].
    Classified(Classification),
}

// ---- A photo of one's own (lessons `live-training`, `input-data`) ---------

/// What the current network makes of a photo of the student's own, and of
/// one evaluation image of each class to compare it with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Classification {
    /// The request this answers ([`ToWorker::Classify`]).
    pub request: u64,
    /// Weight updates the network had when it classified.
    pub updates: usize,
    /// The softmax probability of each class for the photo.
    pub probabilities: Vec<f32>,
    /// The first evaluation image of each class (the first, not the one the
    /// network does best on), with the network's probabilities for it.
    pub examples: Vec<ClassExample>,
}

/// One evaluation image and the network's probabilities for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassExample {
    /// Index among the images of the last [`ToPage::Samples`].
    pub index: usize,
    /// Its true class.
    pub label: usize,
    /// The softmax probability of each class.
    pub probabilities: Vec<f32>,
}

// ---- The feature-engineering race (lesson `feature-engineering`) ----------

/// Training images a race offers (the first N of the training set).
pub const RACE_TRAIN_SIZES: [usize; 5] = [2_000, 5_000, 10_000, 20_000, 50_000];
/// Epochs a race offers.
pub const RACE_EPOCHS: [usize; 5] = [1, 2, 5, 10, 20];
/// Test images every pipeline of a race is evaluated on (the first ones).
pub const RACE_TEST_IMAGES: usize = 10_000;

/// The budget every pipeline of a race gets: the same first `train_size`
/// training images, `epochs` passes over them, and otherwise the lecture's
/// run (Adam, lr 0.001, batches of 64, seed 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaceBudget {
    /// Training images, one of [`RACE_TRAIN_SIZES`] on the page.
    pub train_size: usize,
    /// Passes over them, one of [`RACE_EPOCHS`] on the page.
    pub epochs: usize,
}

impl Default for RaceBudget {
    /// 5,000 images for 2 epochs: a race that ends within a minute or two.
    fn default() -> Self {
        RaceBudget {
            train_size: 5_000,
            epochs: 2,
        }
    }
}

/// Where one pipeline of a race is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LaneStage {
    /// Computing its inputs: `done` of `total` images (the features).
    Preparing {
        /// Images done.
        done: usize,
        /// Images to do (training, then test).
        total: usize,
    },
    /// Training: 0-based `epoch`, `iteration` of `iterations_per_epoch`.
    Training {
        /// Epochs finished.
        epoch: usize,
        /// Iterations done in this epoch.
        iteration: usize,
        /// Mini-batches per epoch.
        iterations_per_epoch: usize,
    },
    /// Every epoch of the budget is done.
    Done,
    /// The loss became NaN or infinite; the lane stopped.
    Diverged,
}

/// One pipeline of a race.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaneReport {
    /// Where it is.
    pub stage: LaneStage,
    /// Test accuracy (fraction in [0, 1]) after 0, 1, 2, … epochs.
    pub accuracies: Vec<f32>,
    /// Trainable parameters of its network.
    pub params: usize,
    /// Values per image its network reads.
    pub inputs: usize,
}

/// The race of `nnlab::features::Pipeline::ALL` (raw pixels into softmax
/// regression, HOG + hues into the same, the lecture's MLP), one lane each
/// in that order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RaceReport {
    /// The budget of the race.
    pub budget: RaceBudget,
    /// Training images actually used (fewer if the set is smaller).
    pub train_images: usize,
    /// Test images each lane is evaluated on.
    pub test_images: usize,
    /// True while the race trains.
    pub running: bool,
    /// One per pipeline, in `Pipeline::ALL` order.
    pub lanes: Vec<LaneReport>,
}

/// The hand-made description of one image: its HOG cells (drawn as glyphs)
/// and its hue histogram.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImageFeatures {
    /// Index among the images of the last [`ToPage::Samples`].
    pub index: usize,
    /// Cells down the image.
    pub cell_rows: usize,
    /// Cells across the image.
    pub cell_cols: usize,
    /// The direction of each bin's gradients, in degrees (0° = brightness
    /// changing from left to right; rows count downwards).
    pub bin_degrees: Vec<f32>,
    /// `cell_rows · cell_cols · bins` mean gradient magnitudes, cell by cell.
    pub cells: Vec<f32>,
    /// Fraction of the pixels per tenth of the hue circle (red first).
    pub hues: Vec<f32>,
}

fn message_error(e: postcard::Error) -> nnlab::Error {
    nnlab::Error::InvalidData(format!("bad worker message: {e}"))
}

impl ToWorker {
    /// The message postcard-encoded, for `postMessage` (files travel beside it).
    pub fn to_bytes(&self) -> nnlab::Result<Vec<u8>> {
        postcard::to_allocvec(self).map_err(message_error)
    }

    /// The message back from its postcard bytes; errors on bytes that are not one.
    pub fn from_bytes(bytes: &[u8]) -> nnlab::Result<ToWorker> {
        postcard::from_bytes(bytes).map_err(message_error)
    }
}

impl ToPage {
    /// The message and its byte fields as blobs (moved out, not copied).
    pub fn encode(mut self) -> nnlab::Result<Envelope> {
        let blobs = match &mut self {
            ToPage::Samples { images, labels, .. }
            | ToPage::TrainingImages { images, labels, .. } => {
                vec![std::mem::take(images), std::mem::take(labels)]
            }
            ToPage::Snapshot(snapshot) => vec![std::mem::take(&mut snapshot.weight_images)],
            ToPage::Model { bytes, .. } => vec![std::mem::take(bytes)],
            _ => Vec::new(),
        };
        let message = postcard::to_allocvec(&self).map_err(message_error)?;
        Ok(Envelope { message, blobs })
    }

    /// The message back from an [`Envelope`]; errors if the blobs do not
    /// match what the message carries.
    pub fn decode(envelope: Envelope) -> nnlab::Result<ToPage> {
        let mut message: ToPage = postcard::from_bytes(&envelope.message).map_err(message_error)?;
        let mut blobs = envelope.blobs.into_iter();
        let mut next = |what: &str| {
            blobs.next().ok_or_else(|| {
                nnlab::Error::InvalidData(format!("worker message without its {what}"))
            })
        };
        match &mut message {
            ToPage::Samples { images, labels, .. }
            | ToPage::TrainingImages { images, labels, .. } => {
                *images = next("images")?;
                *labels = next("labels")?;
            }
            ToPage::Snapshot(snapshot) => snapshot.weight_images = next("weight images")?,
            ToPage::Model { bytes, .. } => *bytes = next("model file")?,
            _ => {}
        }
        Ok(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_messages_round_trip_with_their_blobs() {
        let ready = ToPage::Samples {
            held_out: true,
            class_names: vec!["a".into(), "b".into()],
            images: vec![1, 2, 3],
            labels: vec![1],
        };
        let envelope = ready.clone().encode().unwrap();
        // The bytes travel beside the message, not inside it.
        assert_eq!(envelope.blobs, vec![vec![1, 2, 3], vec![1]]);
        let without_bytes = ToPage::Samples {
            held_out: true,
            class_names: vec!["a".into(), "b".into()],
            images: Vec::new(),
            labels: Vec::new(),
        };
        assert_eq!(envelope.message, without_bytes.encode().unwrap().message);
        assert_eq!(ToPage::decode(envelope).unwrap(), ready);

        // Training images travel the same way.
        let training = ToPage::TrainingImages {
            class_names: vec!["a".into()],
            images: vec![4; 6],
            labels: vec![0, 0],
            total: 50_000,
        };
        let envelope = training.clone().encode().unwrap();
        assert_eq!(envelope.blobs, vec![vec![4; 6], vec![0, 0]]);
        assert_eq!(ToPage::decode(envelope).unwrap(), training);

        let snapshot = ToPage::Snapshot(Snapshot {
            updates: 7,
            weight_images: vec![9; 8],
            weight_image_count: 2,
            cards: vec![Card {
                index: 3,
                label: 1,
                top: vec![(1, 0.75), (0, 0.25)],
            }],
            probe_index: 3,
            probe_layers: vec![vec![0.5, 0.0], vec![0.25, 0.75]],
            clouds: vec![LayerCloud {
                width: 2,
                points: vec![[1.0, -1.0]],
                explained: [0.5, 0.25],
            }],
        });
        assert_eq!(
            ToPage::decode(snapshot.clone().encode().unwrap()).unwrap(),
            snapshot
        );

        let stats = ToPage::Stats(Stats {
            running: true,
            diverged: false,
            collapsed: false,
            epoch: 1,
            iteration: 5,
            iterations_per_epoch: 781,
            updates: 786,
            samples_seen: 50_304,
            loss: 1.5,
            accuracy: 0.25,
            samples_per_sec: 1000.0,
            train_images: 50_000,
            train_wanted: 50_000,
            streaming: false,
            workers: 2,
            measured: Some(TeamSpeed {
                workers: 2,
                speedup: 1.6,
                alone_ms: 4.0,
                team_ms: 2.5,
                at_update: Some(700),
            }),
            measuring: None,
            step_times: Vec::new(),
            eta_secs: Some(49.6),
            lr: 0.001,
            points: vec![TrainPoint {
                updates: 786,
                loss: 1.5,
                accuracy: 0.25,
            }],
        });
        let envelope = stats.clone().encode().unwrap();
        assert!(envelope.blobs.is_empty());
        assert_eq!(ToPage::decode(envelope).unwrap(), stats);

        let classified = ToPage::Classified(Classification {
            request: 3,
            updates: 40,
            probabilities: vec![0.75, 0.25],
            examples: vec![ClassExample {
                index: 9,
                label: 1,
                probabilities: vec![0.5, 0.5],
            }],
        });
        let envelope = classified.clone().encode().unwrap();
        assert!(envelope.blobs.is_empty());
        assert_eq!(ToPage::decode(envelope).unwrap(), classified);
    }

    #[test]
    fn a_loss_of_nan_comes_back_nan() {
        // Before the first step the running loss is NaN (0 / 0).
        let point = ToPage::Test(TestPoint {
            updates: 0,
            loss: f32::NAN,
            accuracy: 0.5,
            samples: 1,
            held_out: false,
            confusion: vec![1],
            classes: 1,
        });
        let ToPage::Test(back) = ToPage::decode(point.encode().unwrap()).unwrap() else {
            panic!("not a test point");
        };
        assert!(back.loss.is_nan());
        assert_eq!(back.accuracy, 0.5);
    }

    #[test]
    fn a_message_missing_its_blobs_is_an_error() {
        let ready = ToPage::Samples {
            held_out: false,
            class_names: vec!["a".into()],
            images: vec![0; 3072],
            labels: vec![0],
        };
        let mut envelope = ready.encode().unwrap();
        envelope.blobs.pop();
        let err = ToPage::decode(envelope).unwrap_err();
        assert!(err.to_string().contains("without its labels"), "{err}");
    }

    #[test]
    fn worker_messages_round_trip() {
        let messages = [
            ToWorker::FetchArchive {
                url: "data/cifar-10-binary.tar.gz".into(),
            },
            ToWorker::ReadFiles {
                names: vec!["data_batch_1.bin".into()],
            },
            ToWorker::ForgetStoredData,
            ToWorker::Configure {
                config: RunConfig::lecture(),
            },
            ToWorker::Run,
            ToWorker::Pause,
            ToWorker::SetLr { lr: 0.01 },
            ToWorker::Evaluate { request: 2 },
            ToWorker::Save {
                format: SaveFormat::Script(Framework::Paddle),
            },
            ToWorker::LoadModel {
                bytes: b"{}".to_vec(),
                config: RunConfig::lecture(),
            },
            ToWorker::ResumeCheckpoint,
            ToWorker::Probe { index: 4 },
            ToWorker::UseWorkers {
                workers: 2,
                measure: true,
            },
            ToWorker::DeepStart {
                recipes: vec![DeepRecipe::BEFORE, DeepRecipe::AFTER],
                run: true,
            },
            ToWorker::DeepRun,
            ToWorker::DeepPause,
            ToWorker::BecomeHelper {
                spec: MlpSpec::lecture_cifar(),
                rank: 1,
                size: 2,
            },
            ToWorker::StartRace {
                budget: RaceBudget::default(),
            },
            ToWorker::RunRace { running: false },
            ToWorker::ImageFeatures { index: 3 },
            ToWorker::Classify {
                request: 5,
                pixels: vec![7; 3072],
            },
        ];
        for message in messages {
            let bytes = message.to_bytes().unwrap();
            assert_eq!(ToWorker::from_bytes(&bytes).unwrap(), message);
        }
        // No such message (variant 200), a message cut short, nothing at all.
        assert!(ToWorker::from_bytes(&[200]).is_err());
        let cut = ToWorker::SetLr { lr: 0.01 }.to_bytes().unwrap();
        assert!(ToWorker::from_bytes(&cut[..cut.len() - 1]).is_err());
        assert!(ToWorker::from_bytes(&[]).is_err());
    }

    #[test]
    fn the_lecture_run_is_adam_at_0_001_with_batches_of_64() {
        let config = RunConfig::lecture().train_config().unwrap();
        assert_eq!(config.optimizer, OptimizerKind::Adam);
        assert_eq!(config.hyper.lr, 0.001);
        assert_eq!(config.batch_size, 64);
        assert_eq!(config.spec.input, 3072);
        assert_eq!(config.spec.layers, vec![100, 256, 256, 10]);
    }

    #[test]
    fn bad_choices_are_the_cores_errors() {
        let bad_lr = RunConfig {
            lr: f64::NAN,
            ..RunConfig::lecture()
        };
        assert!(bad_lr.train_config().is_err());
        let bad_init = RunConfig {
            init: "magic".into(),
            ..RunConfig::lecture()
        };
        let err = bad_init.train_config().unwrap_err().to_string();
        assert!(err.contains("magic"), "{err}");
    }

    #[test]
    fn class_accuracy_reads_the_confusion_row() {
        // Two classes: class 0 seen 4 times, 3 right; class 1 never seen.
        let point = TestPoint {
            updates: 0,
            loss: 0.0,
            accuracy: 0.75,
            samples: 4,
            held_out: false,
            confusion: vec![3, 1, 0, 0],
            classes: 2,
        };
        assert_eq!(point.class_accuracy(0), Some(0.75));
        assert_eq!(point.class_accuracy(1), None);
    }
}
