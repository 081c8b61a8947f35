//! Everything the training Worker does, without the browser: it takes the
//! data as it streams in, holds the network, answers the page's messages and
//! trains in chunks of about [`CHUNK_MS`] between message checks. The
//! Worker's glue ([`crate::scope`]) only moves bytes and messages and
//! schedules chunks, so all of this runs (and is tested) natively too.
//!
//! Training starts as soon as the first mini-batches have arrived and draws
//! from the growing pool ([`crate::pool`]); every pass ("epoch" once all
//! images are in) is one exact pass over the images there when it began.

use nnlab::data::{BatchFile, Cifar10, Dataset, StreamEvent};
use nnlab::nn::Mlp;
use nnlab::optim::{self, Hyper};
use nnlab::train::parallel::{Calibration, PhaseTimes, Team};
use nnlab::train::{Schedule, Trainer};

use crate::collapse::CollapseWatch;
use crate::deep_race::DeepRace;
use crate::pool::Pool;
use crate::protocol::{
    CheckpointInfo, Classification, DataSource, LayerCloud, Loading, RunConfig, SaveFormat,
    Snapshot, Stats, StepTimes, TeamSpeed, TestPoint, ToPage, ToWorker, TrainPoint,
    MODEL_WEIGHTS_FILE, PAGE_TRAINING_IMAGES,
};
use crate::race::{self, Race};
use crate::snapshot;
use crate::team_choice::{TeamChoice, WARM_UP_MS};

/// A running network is kept on the device this often (and whenever
/// training pauses), so a reload loses at most this much of a run.
pub const CHECKPOINT_EVERY_MS: f64 = 10_000.0;

/// A network to keep on the device: its safetensors file and what the page
/// shows about it.
pub struct Checkpoint {
    /// The network as [`nnlab::nn::state_dict`] writes it.
    pub bytes: Vec<u8>,
    /// The run it came from.
    pub info: CheckpointInfo,
}

/// Milliseconds of training between two looks at the message queue.
pub const CHUNK_MS: f64 = 50.0;
/// Shorter chunks while data streams in, so decoding keeps pace with the
/// bytes (a chunk of data waits for the training chunk in front of it).
pub const CHUNK_MS_LOADING: f64 = 15.0;
/// Longer chunks on a team: between two chunks the helpers sleep while this
/// Worker is back in its event loop (with both cores busy that hop took over
/// 1 ms in half the gaps) and they hand their rows over; a chunk as long as
/// the stats interval costs no report.
pub const CHUNK_MS_TEAM: f64 = STATS_EVERY_MS;
/// Stats go to the page at most this often.
pub const STATS_EVERY_MS: f64 = 150.0;
/// Loading progress goes to the page at most this often.
pub const PROGRESS_EVERY_MS: f64 = 200.0;
/// Snapshots (weights, cards, clouds) at most this often while training.
pub const SNAPSHOT_EVERY_MS: f64 = 2000.0;
/// Test evaluation every this many updates (and at the end of each epoch),
/// but not more often than every [`EVAL_MIN_MS`].
pub const EVAL_EVERY: usize = 200;
/// At full speed 200 updates pass in half a second, and an evaluation with
/// its snapshot every half second took a fifth of the training time; a test
/// point a second is plenty to watch.
pub const EVAL_MIN_MS: f64 = 1000.0;
/// Test images evaluated (the first ones of the test set).
pub const TEST_SUBSET: usize = 1000;
/// Test images in the PCA clouds (the first ones of the test set).
pub const CLOUD_POINTS: usize = 300;
/// Test images shown as cards with their top-3 predictions.
pub const CARD_INDICES: [usize; 8] = [0, 1, 2, 3, 4, 5, 6, 7];
/// One training-curve point per this many updates (the mean of their batches).
pub const POINT_EVERY: usize = 10;
/// The speed is measured over the last this many milliseconds of wall time.
const SPEED_WINDOW_MS: f64 = 5000.0;
/// A network being trained.
struct Run {
    trainer: Trainer,
    /// The training images asked for (the first N of the pool).
    train_size: usize,
    /// The trainer's epoch when its passes first covered every image it
    /// will get: epochs are counted from there.
    epoch_offset: Option<usize>,
    running: bool,
    /// Watches the curve for a collapse (see [`crate::collapse`]).
    watch: CollapseWatch,
    /// The run paused because it collapsed (until it is resumed).
    collapsed: bool,
    /// (wall time, samples seen) at each stats of the last
    /// [`SPEED_WINDOW_MS`] and the one before, oldest first: the speed is
    /// the samples between the oldest and now over the wall time between.
    speed_marks: std::collections::VecDeque<(f64, usize)>,
    samples_per_sec: f64,
    /// Every Worker's phase times at the last stats (the training Worker's first).
    last_times: Vec<PhaseTimes>,
    /// Trains on the team: the last trial's verdict (`None` before the
    /// first; during a trial the chunks alternate), or always if the
    /// address asked for a number of Workers.
    on_team: Option<bool>,
    /// When the run next measures one Worker against the team.
    choice: TeamChoice,
    /// The last trial's verdict.
    measured: Option<Calibration>,
    /// The updates when its last trial measured, if it was not the run's
    /// first (at its start).
    measured_at: Option<usize>,
    /// Loss and accuracy sums of the batches since the last curve point.
    pending: (f32, f32, usize),
    points: Vec<TrainPoint>,
    last_stats_ms: f64,
    last_snapshot_ms: f64,
    last_eval_updates: Option<usize>,
    /// When the last evaluation ran (page clock, ms).
    last_eval_ms: f64,
    /// What the run was started with (kept with its checkpoints).
    config: RunConfig,
    /// The last evaluation's accuracy, for the checkpoint's description.
    last_test_accuracy: Option<f32>,
    /// Updates and time (page clock, ms) of the last checkpoint.
    checkpointed: (usize, f64),
}

/// A load in progress.
struct Load {
    source: DataSource,
    bytes_total: u64,
    bytes_done: u64,
    last_progress_ms: f64,
    /// The data in use was complete when this load began: the new images
    /// are gathered aside and replace it only if this load succeeds.
    aside: Option<Pool>,
}

/// The Worker's state; see the module docs.
#[derive(Default)]
pub struct Session {
    pool: Option<Pool>,
    load: Option<Load>,
    run: Option<Run>,
    probe: usize,
    /// The pixels' PCA cloud: it depends on the evaluation images only.
    pixel_cloud: Option<LayerCloud>,
    /// Other Workers that can train with this one (see [`nnlab::train::parallel`]).
    team: Option<Box<dyn Team>>,
    /// Measure whether the team is faster before using it (false: the
    /// address asked for a number of Workers, use them).
    measure_team: bool,
    /// The team has trained in a run before: later runs' first trials need
    /// no warm-up ([`WARM_UP_MS`]).
    team_warmed: bool,
    /// Times the steps' phases (the page's clock; `None` natively).
    step_clock: Option<fn() -> f64>,
    /// The feature-engineering race, if one was started.
    race: Option<Race>,
    /// When the page last heard how the race stands (page clock, ms).
    race_reported_ms: f64,
    /// The deep-training lesson's pair of networks, once asked for.
    deep: Option<DeepRace>,
}

impl Session {
    /// A Worker with no data, network or run yet.
    pub fn new() -> Session {
        Session::default()
    }

    /// Runs from now on may train on `team` (this Worker being worker 0):
    /// with `measure`, only while trials of the run's own chunks find it
    /// faster than this Worker alone ([`TeamChoice`]); otherwise always.
    /// `clock` (milliseconds) times where the team's steps go.
    pub fn set_team(&mut self, team: Box<dyn Team>, measure: bool, clock: Option<fn() -> f64>) {
        self.team = Some(team);
        self.measure_team = measure;
        self.step_clock = clock;
    }

    /// Web Workers training the current run: the team's, if it trains on
    /// it, or this one.
    pub fn workers(&self) -> usize {
        match (&self.team, self.run.as_ref().and_then(|r| r.on_team)) {
            (Some(team), Some(true)) => team.size(),
            _ => 1,
        }
    }

    /// True once images to evaluate on have arrived.
    pub fn has_data(&self) -> bool {
        self.pool.as_ref().is_some_and(|p| p.eval().is_some())
    }

    /// True while data streams in.
    pub fn loading(&self) -> bool {
        self.load.is_some()
    }

    /// Milliseconds the next training chunk may take.
    pub fn chunk_ms(&self) -> f64 {
        if self.loading() {
            CHUNK_MS_LOADING
        } else if self.workers() > 1
            || self.first_measurement().is_some()
            || self.run.as_ref().is_some_and(|r| r.choice.in_trial())
        {
            CHUNK_MS_TEAM
        } else {
            CHUNK_MS
        }
    }

    /// The team's size while runs measure it against one Worker
    /// ([`TeamChoice`]): there is a team, the address did not ask for a
    /// number of Workers, and no data streams in (short chunks then, the
    /// decoding sharing the Worker; the run trains alone until a trial has
    /// chosen).
    fn measured_team(&self) -> Option<usize> {
        let size = self.team.as_ref()?.size();
        (size > 1 && self.measure_team && !self.loading()).then_some(size)
    }

    /// [`Session::measured_team`] while the run trains and its first trial
    /// (with its warm-up) has not decided yet whether the team is faster:
    /// the run's chunks alternate between one Worker and the team meanwhile.
    fn first_measurement(&self) -> Option<usize> {
        let run = self.run.as_ref()?;
        self.measured_team()
            .filter(|_| run.running && run.on_team.is_none())
    }

    /// True while training (the glue keeps scheduling chunks): the
    /// lecture's run or the deep pair.
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.running)
            || self.race.as_ref().is_some_and(Race::running)
            || self.deep.as_ref().is_some_and(DeepRace::running)
    }

    /// A load from `source` begins (`bytes_total` 0 when unknown), of
    /// `expected` training images. Replaces a load in progress; if the data
    /// in use is complete it stays in use until this load has succeeded.
    pub fn begin_load(
        &mut self,
        source: DataSource,
        bytes_total: u64,
        expected: usize,
        now_ms: f64,
    ) -> Vec<ToPage> {
        let keep = self.pool.as_ref().is_some_and(Pool::complete);
        let fresh = Pool::new(expected);
        let aside = if keep {
            Some(fresh)
        } else {
            self.pool = Some(fresh);
            self.run = None;
            self.race = None;
            self.deep = None;
            self.pixel_cloud = None;
            self.probe = 0;
            None
        };
        self.load = Some(Load {
            source,
            bytes_total,
            bytes_done: 0,
            last_progress_ms: f64::NEG_INFINITY,
            aside,
        });
        self.progress(now_ms, true).into_iter().collect()
    }

    /// Decoded `events` of the load in progress, after `bytes_done` bytes of
    /// its source. Replies with progress (throttled), new images for the
    /// page, and — once the first mini-batches are in — the lecture's
    /// untrained network.
    pub fn load_events(
        &mut self,
        events: Vec<StreamEvent>,
        bytes_done: u64,
        now_ms: f64,
    ) -> Vec<ToPage> {
        match self.try_load_events(events, bytes_done, now_ms) {
            Ok(out) => out,
            Err(e) => self.end_load(Err(e), now_ms),
        }
    }

    fn try_load_events(
        &mut self,
        events: Vec<StreamEvent>,
        bytes_done: u64,
        now_ms: f64,
    ) -> nnlab::Result<Vec<ToPage>> {
        let Some(load) = self.load.as_mut() else {
            return Ok(Vec::new());
        };
        load.bytes_done = bytes_done;
        if let Some(aside) = load.aside.as_mut() {
            aside.absorb(events)?;
            return Ok(self.progress(now_ms, false).into_iter().collect());
        }
        let pool = self.pool.as_mut().expect("a live load has its pool");
        let changes = pool.absorb(events)?;
        let mut out: Vec<ToPage> = self.progress(now_ms, false).into_iter().collect();
        if changes.samples {
            out.extend(self.samples_changed(now_ms)?);
        }
        if changes.train {
            out.extend(self.pool_grew(now_ms)?);
        }
        Ok(out)
    }

    /// The load's source ended (`Ok`) or broke (`Err`). A finished load
    /// without a test set is an error. After a failure the images that did
    /// arrive stay in use (training goes on with what a dropped connection
    /// left), unless earlier complete data was kept aside.
    pub fn end_load(&mut self, result: nnlab::Result<()>, now_ms: f64) -> Vec<ToPage> {
        let Some(mut load) = self.load.take() else {
            return Vec::new();
        };
        let failed = |message: String| ToPage::DataFailed { message };
        if let Err(e) = result {
            let mut out = vec![failed(e.to_string())];
            if load.aside.is_some() {
                return out;
            }
            if !self.has_data() {
                self.pool = None;
                self.run = None;
                return out;
            }
            // Nothing more will come: what arrived is the whole pool.
            let changes = self.pool.as_mut().map(Pool::end).unwrap_or_default();
            if changes.samples {
                out.extend(self.samples_changed(now_ms).unwrap_or_default());
            }
            out.extend(self.pool_grew(now_ms).unwrap_or_default());
            out.extend(self.training_images());
            if let Some(pool) = self.pool.as_ref() {
                out.push(Session::loading_message(
                    pool,
                    load.source,
                    load.bytes_done,
                    load.bytes_total,
                ));
            }
            return out;
        }
        let mut out = Vec::new();
        if let Some(mut aside) = load.aside.take() {
            aside.end();
            if !aside.complete() {
                return vec![failed(missing_test())];
            }
            self.pool = Some(aside);
            self.run = None;
            self.race = None;
            self.deep = None;
            self.probe = 0;
            out.extend(self.samples_changed(now_ms).unwrap_or_default());
        } else {
            let Some(pool) = self.pool.as_mut() else {
                return vec![failed(missing_test())];
            };
            let changes = pool.end();
            if changes.samples {
                match self.samples_changed(now_ms) {
                    Ok(more) => out.extend(more),
                    Err(e) => out.push(failed(e.to_string())),
                }
            }
        }
        let pool = self.pool.as_ref().expect("set above");
        out.push(Session::loading_message(
            pool,
            load.source,
            load.bytes_done,
            load.bytes_total,
        ));
        if pool.complete() {
            out.extend(self.training_images());
            let pool = self.pool.as_ref().expect("set above");
            out.push(ToPage::DataReady {
                train: pool.train().len(),
                test: pool.test_received(),
            });
        } else {
            out.push(failed(missing_test()));
        }
        match self.pool_grew(now_ms) {
            Ok(more) => out.extend(more),
            Err(e) => out.push(ToPage::Error {
                message: e.to_string(),
            }),
        }
        out
    }

    /// Loads a whole [`Cifar10`] at once (tests, and files decoded in one go).
    pub fn set_data(&mut self, cifar: Cifar10, now_ms: f64) -> Vec<ToPage> {
        let mut out = self.begin_load(DataSource::File, 0, cifar.train.len(), now_ms);
        let mut events = Vec::new();
        let names = cifar.train.class_names().to_vec();
        events.push(StreamEvent::ClassNames(names));
        for (file, data) in [
            (BatchFile::Train(1), &cifar.train),
            (BatchFile::Test, &cifar.test),
        ] {
            events.push(StreamEvent::FileStarted {
                file,
                records: data.len(),
            });
            events.push(StreamEvent::Records {
                file,
                first: 0,
                labels: data.labels().to_vec(),
                images: data.images().to_vec(),
            });
            events.push(StreamEvent::FileEnded { file });
        }
        out.extend(self.load_events(events, 0, now_ms));
        out.extend(self.end_load(Ok(()), now_ms));
        out
    }

    fn loading_message(
        pool: &Pool,
        source: DataSource,
        bytes_done: u64,
        bytes_total: u64,
    ) -> ToPage {
        ToPage::Progress(Loading {
            source,
            bytes_done,
            bytes_total,
            train: pool.train_received(),
            train_expected: pool.expected(),
            test: pool.test_received(),
            memory_bytes: crate::protocol::wasm_memory_bytes(),
        })
    }

    /// The first [`PAGE_TRAINING_IMAGES`] training images for the page
    /// (None while there are none).
    fn training_images(&self) -> Option<ToPage> {
        let train = self.pool.as_ref()?.train();
        let n = PAGE_TRAINING_IMAGES.min(train.len());
        (n > 0).then(|| ToPage::TrainingImages {
            class_names: train.class_names().to_vec(),
            images: train.images()[..n * train.sample_len()].to_vec(),
            labels: train.labels()[..n].to_vec(),
            total: train.len(),
        })
    }

    /// A progress message, if one is due (or `force`d).
    fn progress(&mut self, now_ms: f64, force: bool) -> Option<ToPage> {
        let load = self.load.as_mut()?;
        if !force && now_ms - load.last_progress_ms < PROGRESS_EVERY_MS {
            return None;
        }
        load.last_progress_ms = now_ms;
        let (source, done, total) = (load.source, load.bytes_done, load.bytes_total);
        let pool = load.aside.as_ref().or(self.pool.as_ref())?;
        Some(Session::loading_message(pool, source, done, total))
    }

    /// The evaluation images changed: the page gets them, the pixel cloud
    /// is recomputed, and a running network is shown on them.
    fn samples_changed(&mut self, now_ms: f64) -> nnlab::Result<Vec<ToPage>> {
        let Some(pool) = self.pool.as_ref() else {
            return Ok(Vec::new());
        };
        let Some(eval) = pool.eval() else {
            return Ok(Vec::new());
        };
        let n = CLOUD_POINTS.min(eval.len());
        self.pixel_cloud = snapshot::batch_of(eval, &(0..n).collect::<Vec<_>>())
            .and_then(|x| snapshot::cloud(x.data(), n, eval.sample_len()))
            .ok();
        self.probe = self.probe.min(eval.len() - 1);
        let mut out = vec![ToPage::Samples {
            held_out: !pool.has_test(),
            class_names: pool.class_names().to_vec(),
            images: eval.images().to_vec(),
            labels: eval.labels().to_vec(),
        }];
        if self.run.is_some() {
            out.push(self.evaluate()?);
            out.push(self.snapshot(now_ms)?);
        }
        Ok(out)
    }

    /// More training images: a network trains on them from its next pass;
    /// the first network is set up once a mini-batch has arrived.
    fn pool_grew(&mut self, now_ms: f64) -> nnlab::Result<Vec<ToPage>> {
        let Some(pool) = self.pool.as_ref() else {
            return Ok(Vec::new());
        };
        if let Some(deep) = self.deep.as_mut() {
            deep.grow_to(pool.train().len());
        }
        match self.run.as_mut() {
            Some(run) => {
                run.trainer.grow_to(run.train_size.min(pool.train().len()));
                Ok(Vec::new())
            }
            None => {
                let config = RunConfig::lecture();
                if pool.eval().is_none() || pool.train().len() < config.batch_size {
                    return Ok(Vec::new());
                }
                self.try_handle(ToWorker::Configure { config }, now_ms)
            }
        }
    }

    /// Answers one message from the page (loading messages are the glue's).
    pub fn handle(&mut self, message: ToWorker, now_ms: f64) -> Vec<ToPage> {
        match self.try_handle(message, now_ms) {
            Ok(out) => out,
            Err(e) => vec![ToPage::Error {
                message: e.to_string(),
            }],
        }
    }

    fn try_handle(&mut self, message: ToWorker, now_ms: f64) -> nnlab::Result<Vec<ToPage>> {
        Ok(match message {
            // The Worker's glue does these (they need the browser).
            ToWorker::FetchArchive { .. }
            | ToWorker::ReadFiles { .. }
            | ToWorker::ForgetStoredData
            | ToWorker::UseWorkers { .. }
            | ToWorker::ResumeCheckpoint
            | ToWorker::BecomeHelper { .. } => Vec::new(),
            ToWorker::StartRace { .. }
            | ToWorker::RunRace { .. }
            | ToWorker::ImageFeatures { .. } => self.race_message(message, now_ms)?,
            ToWorker::Configure { config } => {
                let train_config = config.train_config()?;
                let train = self.train_set()?;
                let trainer = Trainer::on_first(&train_config, train, config.train_size)?;
                self.start_run(trainer, config, false, now_ms)?
            }
            ToWorker::LoadModel { bytes, config } => {
                let net = Mlp::from_model_file(&bytes)?;
                let train_config = config.train_config()?;
                let train = self.train_set()?;
                let optimizer = optim::build::<f32>(
                    config.optimizer,
                    Hyper {
                        lr: config.lr,
                        ..train_config.hyper
                    },
                )?;
                let samples = config.train_size.min(train.len());
                let schedule = Schedule::new(samples, config.batch_size, true, config.seed)?;
                let trainer = Trainer::with_network(net, optimizer, schedule)?;
                // Refuse a network that does not fit the data before it replaces the current one.
                trainer.evaluate(train, 1)?;
                self.start_run(trainer, config, true, now_ms)?
            }
            ToWorker::Run => {
                let run = self.run_mut()?;
                if !run.trainer.diverged() {
                    run.running = true;
                    run.speed_marks.clear();
                    // Resumed after a collapse: judged afresh from here.
                    run.collapsed = false;
                    run.watch.restart();
                }
                vec![self.stats(now_ms)?]
            }
            ToWorker::Pause => {
                self.run_mut()?.running = false;
                let mut out = vec![self.stats(now_ms)?];
                out.push(self.snapshot(now_ms)?);
                out
            }
            ToWorker::SetLr { lr } => {
                self.run_mut()?.trainer.set_lr(lr)?;
                vec![self.stats(now_ms)?]
            }
            ToWorker::Evaluate { request } => vec![
                self.evaluate()?,
                ToPage::Evaluated { request },
                self.snapshot(now_ms)?,
            ],
            ToWorker::Save { format } => vec![model_file(&self.run_mut()?.trainer, format)?],
            ToWorker::Probe { index } => {
                let eval_len = self.eval_set()?.len();
                if index >= eval_len {
                    return Err(nnlab::Error::OutOfRange {
                        what: "test image",
                        detail: format!("{index}, but there are {eval_len}"),
                    });
                }
                self.probe = index;
                vec![self.snapshot(now_ms)?]
            }
            ToWorker::DeepStart { recipes, run } => {
                let expected = self.expected_train();
                let mut deep = DeepRace::new(recipes, self.train_set()?, expected)?;
                deep.set_running(run);
                let out = vec![deep.ready(), deep.report()];
                self.deep = Some(deep);
                out
            }
            ToWorker::Classify { request, pixels } => vec![self.classify(request, &pixels)?],
            ToWorker::DeepRun | ToWorker::DeepPause => {
                let deep = self
                    .deep
                    .as_mut()
                    .ok_or_else(|| nnlab::Error::InvalidData("no network set up yet".into()))?;
                deep.set_running(message == ToWorker::DeepRun);
                vec![deep.report()]
            }
        })
    }

    /// The network to keep on the device now, if it has been trained since
    /// the last checkpoint and either [`CHECKPOINT_EVERY_MS`] have passed or
    /// training is paused. A diverged network is not kept (it would replace
    /// a good checkpoint with one that cannot be saved as numbers).
    pub fn checkpoint_due(&mut self, now_ms: f64) -> Option<Checkpoint> {
        let run = self.run.as_mut()?;
        let counters = run.trainer.counters();
        let (updates, at_ms) = run.checkpointed;
        let due = counters.updates > updates
            && (!run.running || now_ms - at_ms >= CHECKPOINT_EVERY_MS)
            && !run.trainer.diverged();
        if !due {
            return None;
        }
        run.checkpointed = (counters.updates, now_ms);
        let bytes = run.trainer.to_saved().to_safetensors().ok()?;
        Some(Checkpoint {
            bytes,
            info: CheckpointInfo {
                config: run.config.clone(),
                updates: counters.updates,
                epochs: counters.epoch - run.epoch_offset.unwrap_or(0).min(counters.epoch),
                test_accuracy: run.last_test_accuracy,
                saved_at_ms: 0.0,
            },
        })
    }

    fn start_run(
        &mut self,
        trainer: Trainer,
        config: RunConfig,
        from_file: bool,
        now_ms: f64,
    ) -> nnlab::Result<Vec<ToPage>> {
        let ready = ToPage::NetworkReady {
            params: trainer.net().param_count(),
            train_size: config.train_size.min(self.expected_train()),
            config: config.clone(),
            from_file,
        };
        let mut trainer = trainer;
        let available = self.train_set()?.len();
        trainer.grow_to(config.train_size.min(available));
        if let Some(clock) = self.step_clock {
            trainer.measure_with(clock);
        }
        let classes = trainer.net().spec.classes();
        self.run = Some(Run {
            trainer,
            train_size: config.train_size,
            epoch_offset: None,
            running: false,
            watch: CollapseWatch::new(classes),
            collapsed: false,
            speed_marks: Default::default(),
            samples_per_sec: 0.0,
            on_team: None,
            choice: TeamChoice::new(if self.team_warmed { 0.0 } else { WARM_UP_MS }),
            measured: None,
            measured_at: None,
            last_times: Vec::new(),
            pending: (0.0, 0.0, 0),
            points: Vec::new(),
            last_stats_ms: now_ms,
            last_snapshot_ms: now_ms,
            last_eval_updates: None,
            last_eval_ms: f64::NEG_INFINITY,
            config,
            last_test_accuracy: None,
            // Nothing new to keep until the network has been trained.
            checkpointed: (0, now_ms),
        });
        self.note_complete_pass();
        Ok(vec![
            ready,
            self.stats(now_ms)?,
            self.evaluate()?,
            self.snapshot(now_ms)?,
        ])
    }

    /// Trains for about [`Session::chunk_ms`] (at least one step) and returns
    /// what the page should hear: stats, test points and snapshots when they
    /// are due.
    pub fn run_chunk(&mut self, clock: &mut dyn FnMut() -> f64) -> Vec<ToPage> {
        let mut out = self.race_chunk(clock);
        out.extend(self.run_deep_chunk(clock));
        out.extend(self.train_chunk(clock));
        out
    }

    /// A chunk of the deep pair's training, if it runs.
    fn run_deep_chunk(&mut self, clock: &mut dyn FnMut() -> f64) -> Vec<ToPage> {
        let chunk_ms = self.chunk_ms();
        let (Some(pool), Some(deep)) = (self.pool.as_ref(), self.deep.as_mut()) else {
            return Vec::new();
        };
        let Some(eval) = pool.eval() else {
            return Vec::new();
        };
        match deep.run_chunk(pool.train(), eval, clock, chunk_ms) {
            Ok(out) => out,
            Err(e) => {
                deep.set_running(false);
                vec![
                    deep.report(),
                    ToPage::Error {
                        message: e.to_string(),
                    },
                ]
            }
        }
    }

    fn train_chunk(&mut self, clock: &mut dyn FnMut() -> f64) -> Vec<ToPage> {
        match self.try_run_chunk(clock) {
            Ok(out) => out,
            Err(e) => {
                if let Some(run) = self.run.as_mut() {
                    run.running = false;
                }
                // A helper that failed once (or stopped answering) would
                // fail every step: train alone from now on.
                self.team = None;
                vec![ToPage::Error {
                    message: e.to_string(),
                }]
            }
        }
    }

    fn try_run_chunk(&mut self, clock: &mut dyn FnMut() -> f64) -> nnlab::Result<Vec<ToPage>> {
        if !self.run.as_ref().is_some_and(|r| r.running) || self.pool.is_none() {
            return Ok(Vec::new());
        }
        let (on_team, trial) = self.choose_way()?;
        let chunk_ms = self.chunk_ms();
        let (Some(pool), Some(run)) = (self.pool.as_ref(), self.run.as_mut()) else {
            return Ok(Vec::new());
        };
        let start = clock();
        let train = pool.train();
        let team = match team_mut(&mut self.team) {
            Some(team) if on_team => Some(team),
            _ => None,
        };
        let updates_before = run.trainer.counters().updates;
        let first_epoch = run.trainer.counters().epoch;
        let counting_epochs = run.epoch_offset.is_some();
        let (pending, points, watch, collapsed) = (
            &mut run.pending,
            &mut run.points,
            &mut run.watch,
            &mut run.collapsed,
        );
        let mut epoch_ended = false;
        run.trainer.train_while(train, team, &mut |counters| {
            // Passes over a pool still arriving do not count as epochs.
            epoch_ended |= counters.epoch != first_epoch && counting_epochs;
            *pending = (
                pending.0 + counters.last_loss,
                pending.1 + counters.last_accuracy,
                pending.2 + 1,
            );
            if counters.updates % POINT_EVERY == 0 || counters.diverged() {
                let (loss, acc, n) = *pending;
                let point = TrainPoint {
                    updates: counters.updates,
                    loss: loss / n as f32,
                    accuracy: acc / n as f32,
                };
                *collapsed = watch.observe(&point);
                points.push(point);
                *pending = (0.0, 0.0, 0);
            }
            !*collapsed && clock() - start < chunk_ms
        })?;
        if let Some(size) = trial {
            let steps = run.trainer.counters().updates - updates_before;
            if let Some(verdict) = run.choice.record(on_team, steps, clock() - start, size) {
                run.on_team = Some(verdict.use_team());
                // The first trial is the run's start; later ones say when.
                run.measured_at = run
                    .measured
                    .is_some()
                    .then(|| run.trainer.counters().updates);
                run.measured = Some(verdict);
                self.team_warmed = true;
            }
        }
        if run.trainer.diverged() || run.collapsed {
            run.running = false;
        }
        self.note_complete_pass();
        let now = clock();
        let run = self.run.as_mut().expect("checked above");
        let updates = run.trainer.counters().updates;
        let mut out = Vec::new();
        let eval_due = updates >= run.last_eval_updates.unwrap_or(0) + EVAL_EVERY
            && now - run.last_eval_ms >= EVAL_MIN_MS;
        if epoch_ended || eval_due {
            run.last_eval_ms = now;
            out.push(self.evaluate()?);
            out.push(self.snapshot(now)?);
        } else if now - run.last_snapshot_ms >= SNAPSHOT_EVERY_MS {
            out.push(self.snapshot(now)?);
        }
        let run = self.run.as_mut().expect("checked above");
        if !run.running || now - run.last_stats_ms >= STATS_EVERY_MS {
            // The wall clock now, after the evaluation and the pictures:
            // their time is training time too, as a stopwatch sees it.
            out.push(self.stats(clock())?);
        }
        Ok(out)
    }

    /// Which way the next chunk trains (true: on the team) and, if it is
    /// timed for [`TeamChoice`] (warm-up or trial), the team's size. Unless
    /// the address asked for a number of Workers, a run's chunks alternate
    /// until its first trial has decided, then keep that way between
    /// trials; not while data streams in (one Worker then, until a trial has
    /// chosen). The run moves to the chunk's way before it begins, with its
    /// optimiser's state, so that the move is not timed as steps.
    fn choose_way(&mut self) -> nnlab::Result<(bool, Option<usize>)> {
        let timed = self.measured_team();
        let measure = self.measure_team;
        let (Some(run), Some(team)) = (
            self.run.as_mut(),
            team_mut(&mut self.team).filter(|t| t.size() > 1),
        ) else {
            return Ok((false, None));
        };
        if !measure {
            run.on_team = Some(true);
        }
        let way = match timed {
            Some(_) => run.choice.next_chunk(run.on_team),
            None => run.on_team == Some(true),
        };
        if way {
            run.trainer.join_team(team)?;
        } else {
            run.trainer.leave_team(team)?;
        }
        Ok((way, timed))
    }

    /// Training images the run will have once all have arrived.
    fn expected_train(&self) -> usize {
        self.pool.as_ref().map_or(0, Pool::expected)
    }

    /// True while the run's passes do not yet cover every image it will get.
    fn streaming(&self) -> bool {
        let Some(run) = self.run.as_ref() else {
            return false;
        };
        run.trainer.schedule().samples < run.train_size.min(self.expected_train())
    }

    /// Epochs are counted from the first pass over all the run's images.
    fn note_complete_pass(&mut self) {
        let streaming = self.streaming();
        if let Some(run) = self.run.as_mut() {
            if run.epoch_offset.is_none() && !streaming {
                run.epoch_offset = Some(run.trainer.counters().epoch);
            }
        }
    }

    fn train_set(&self) -> nnlab::Result<&Dataset> {
        match self.pool.as_ref() {
            Some(pool) if !pool.train().is_empty() => Ok(pool.train()),
            _ => Err(nnlab::Error::InvalidData("no data loaded yet".into())),
        }
    }

    fn eval_set(&self) -> nnlab::Result<&Dataset> {
        self.pool
            .as_ref()
            .and_then(Pool::eval)
            .ok_or_else(|| nnlab::Error::InvalidData("no data loaded yet".into()))
    }

    fn run_mut(&mut self) -> nnlab::Result<&mut Run> {
        self.run
            .as_mut()
            .ok_or_else(|| nnlab::Error::InvalidData("no network set up yet".into()))
    }

    fn stats(&mut self, now_ms: f64) -> nnlab::Result<ToPage> {
        let workers = self.workers();
        let follower_times: Vec<PhaseTimes> = self
            .team
            .as_ref()
            .map(|t| t.follower_times())
            .unwrap_or_default();
        let streaming = self.streaming();
        let expected = self.expected_train();
        let measuring = self.first_measurement();
        let run = self.run_mut()?;
        let measured = run.measured.map(|c| TeamSpeed {
            workers: c.size,
            speedup: c.speedup() as f32,
            alone_ms: c.alone_ms as f32,
            team_ms: c.team_ms as f32,
            at_update: run.measured_at,
        });
        let c = *run.trainer.counters();
        if run.running {
            run.speed_marks.push_back((now_ms, c.samples_seen));
            // Keep one mark at least a window old, so the speed is always
            // measured over a whole window once training has run that long.
            while run.speed_marks.len() > 2 && now_ms - run.speed_marks[1].0 >= SPEED_WINDOW_MS {
                run.speed_marks.pop_front();
            }
            if let (Some(&(t0, s0)), Some(&(t1, s1))) =
                (run.speed_marks.front(), run.speed_marks.back())
            {
                if t1 > t0 && s1 > s0 {
                    run.samples_per_sec = (s1 - s0) as f64 / (t1 - t0) * 1000.0;
                }
            }
        }
        let mut times: Vec<PhaseTimes> = run.trainer.team_times().into_iter().collect();
        if !times.is_empty() {
            times.extend(follower_times);
        }
        // Every Worker's or none: the training Worker's times start again
        // when the run moves back onto the team, and a list without its
        // first entry would label the helper's times as the training Worker's.
        let step_times = times
            .iter()
            .enumerate()
            .map(|(i, now)| {
                let last = run.last_times.get(i).copied().unwrap_or_default();
                per_step(now, &last)
            })
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default();
        run.last_times = times;
        let batch = run.trainer.schedule().batch_size;
        let remaining = c.iterations_per_epoch.saturating_sub(c.iteration) * batch;
        let eta_secs = (run.samples_per_sec > 0.0 && !streaming)
            .then(|| remaining as f64 / run.samples_per_sec);
        run.last_stats_ms = now_ms;
        Ok(ToPage::Stats(Stats {
            running: run.running,
            diverged: run.trainer.diverged(),
            collapsed: run.collapsed,
            epoch: c.epoch - run.epoch_offset.unwrap_or(0).min(c.epoch),
            iteration: c.iteration,
            iterations_per_epoch: c.iterations_per_epoch,
            updates: c.updates,
            samples_seen: c.samples_seen,
            loss: c.running_loss,
            accuracy: c.running_accuracy,
            samples_per_sec: if run.running {
                run.samples_per_sec
            } else {
                0.0
            },
            train_images: run.trainer.schedule().samples,
            train_wanted: run.train_size.min(expected),
            streaming,
            workers,
            measured,
            measuring,
            step_times,
            eta_secs: if run.running { eta_secs } else { None },
            lr: run.trainer.optimizer().hyper().lr,
            points: std::mem::take(&mut run.points),
        }))
    }

    fn evaluate(&mut self) -> nnlab::Result<ToPage> {
        let (Some(pool), Some(run)) = (self.pool.as_ref(), self.run.as_mut()) else {
            return Err(nnlab::Error::InvalidData("no network set up yet".into()));
        };
        let eval = pool
            .eval()
            .ok_or_else(|| nnlab::Error::InvalidData("no data loaded yet".into()))?;
        let evaluation = run.trainer.evaluate(eval, TEST_SUBSET)?;
        let updates = run.trainer.counters().updates;
        run.last_eval_updates = Some(updates);
        run.last_test_accuracy = Some(evaluation.accuracy);
        Ok(ToPage::Test(TestPoint {
            updates,
            loss: evaluation.loss,
            accuracy: evaluation.accuracy,
            samples: evaluation.samples,
            held_out: !pool.has_test(),
            confusion: evaluation.confusion.counts().to_vec(),
            classes: evaluation.confusion.classes(),
        }))
    }

    /// What the current network makes of a photo (3072 bytes, a CIFAR-10
    /// record's layout), with the first evaluation image of each class.
    fn classify(&self, request: u64, pixels: &[u8]) -> nnlab::Result<ToPage> {
        let run = self
            .run
            .as_ref()
            .ok_or_else(|| nnlab::Error::InvalidData("no network set up yet".into()))?;
        if run.trainer.diverged() {
            return Err(nnlab::Error::InvalidData(
                "the network diverged (its outputs are not numbers); start a new network".into(),
            ));
        }
        let net = run.trainer.net();
        Ok(ToPage::Classified(Classification {
            request,
            updates: run.trainer.counters().updates,
            probabilities: snapshot::classify(net, pixels)?,
            examples: snapshot::class_examples(net, self.eval_set()?)?,
        }))
    }

    fn snapshot(&mut self, now_ms: f64) -> nnlab::Result<ToPage> {
        let (Some(pool), Some(run)) = (self.pool.as_ref(), self.run.as_mut()) else {
            return Err(nnlab::Error::InvalidData("no network set up yet".into()));
        };
        let test = pool
            .eval()
            .ok_or_else(|| nnlab::Error::InvalidData("no data loaded yet".into()))?;
        let net = run.trainer.net();
        let first = &net.layers[0].weight;
        let mut clouds: Vec<LayerCloud> = self.pixel_cloud.iter().cloned().collect();
        // A diverged network has NaN activations: no cloud rather than an error.
        let diverged = run.trainer.diverged();
        if !diverged {
            clouds.extend(snapshot::layer_clouds(net, test, CLOUD_POINTS)?);
        }
        let cards: Vec<usize> = CARD_INDICES
            .into_iter()
            .filter(|&i| i < test.len())
            .collect();
        let shot = Snapshot {
            updates: run.trainer.counters().updates,
            weight_images: snapshot::weight_images(first, test.shape()),
            weight_image_count: first.dims2().0,
            // A diverged network's probabilities are NaN: no cards, no probe.
            cards: if diverged {
                Vec::new()
            } else {
                snapshot::cards(net, test, &cards)?
            },
            probe_index: self.probe,
            probe_layers: if diverged {
                Vec::new()
            } else {
                snapshot::probe(net, test, self.probe.min(test.len() - 1))?
            },
            clouds,
        };
        run.last_snapshot_ms = now_ms;
        Ok(ToPage::Snapshot(shot))
    }
}

/// The feature-engineering race ([`crate::race`]): started only once every
/// image has arrived, it pauses the lecture's run (both would share one
/// core) and trains in the same chunks.
impl Session {
    fn race_message(&mut self, message: ToWorker, now_ms: f64) -> nnlab::Result<Vec<ToPage>> {
        let mut out = Vec::new();
        match message {
            ToWorker::StartRace { budget } => {
                let pool = self.pool.as_ref().filter(|p| p.complete()).ok_or_else(|| {
                    nnlab::Error::InvalidData("the data has not all arrived yet".into())
                })?;
                let test = pool.eval().expect("complete data has its test set");
                self.race = Some(Race::new(budget, pool.train(), test)?);
                if let Some(run) = self.run.as_mut().filter(|r| r.running) {
                    run.running = false;
                    out.push(self.stats(now_ms)?);
                }
            }
            ToWorker::RunRace { running } => match self.race.as_mut() {
                Some(race) => race.set_running(running),
                None => return Err(nnlab::Error::InvalidData("no race started yet".into())),
            },
            ToWorker::ImageFeatures { index } => {
                return Ok(vec![ToPage::ImageFeatures(race::describe_image(
                    self.eval_set()?,
                    index,
                )?)]);
            }
            _ => {}
        }
        out.extend(self.race_report(now_ms));
        Ok(out)
    }

    /// The race's report, remembering when it was sent.
    fn race_report(&mut self, now_ms: f64) -> Option<ToPage> {
        let race = self.race.as_ref()?;
        self.race_reported_ms = now_ms;
        Some(ToPage::Race(race.report()))
    }

    /// A chunk of the race, if it runs; its report when something changed
    /// or every [`STATS_EVERY_MS`]. An error stops the race.
    fn race_chunk(&mut self, clock: &mut dyn FnMut() -> f64) -> Vec<ToPage> {
        let chunk_ms = self.chunk_ms();
        let (Some(pool), Some(race)) = (self.pool.as_ref(), self.race.as_mut()) else {
            return Vec::new();
        };
        let Some(test) = pool.eval().filter(|_| race.running()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let news = match race.chunk(pool.train(), test, clock, chunk_ms) {
            Ok(news) => news,
            Err(e) => {
                race.set_running(false);
                out.push(ToPage::Error {
                    message: e.to_string(),
                });
                true
            }
        };
        let now = clock();
        if news || !race.running() || now - self.race_reported_ms >= STATS_EVERY_MS {
            out.extend(self.race_report(now));
        }
        out
    }
}

/// The file [`ToWorker::Save`] asked for, for the network `trainer` trains.
fn model_file(trainer: &Trainer, format: SaveFormat) -> nnlab::Result<ToPage> {
    let (mime, bytes) = match format {
        SaveFormat::Safetensors => (
            "application/octet-stream",
            trainer.to_saved().to_safetensors()?,
        ),
        SaveFormat::Json => (
            "application/json",
            trainer.to_saved().to_json()?.into_bytes(),
        ),
        SaveFormat::Script(framework) => {
            let spec = &trainer.net().spec;
            let text = nnlab::python::script(framework, spec, MODEL_WEIGHTS_FILE);
            ("text/x-python", text.into_bytes())
        }
    };
    Ok(ToPage::Model {
        name: format.file_name(),
        mime: mime.into(),
        bytes,
    })
}

/// The message for a load that ended without the test set.
fn missing_test() -> String {
    "test_batch.bin is missing; it holds the 10,000 test images".into()
}

/// Milliseconds per step of each phase between two readings of a Worker's
/// [`PhaseTimes`] (`None` if it made no step in between).
fn per_step(now: &PhaseTimes, last: &PhaseTimes) -> Option<StepTimes> {
    let steps = now.steps.checked_sub(last.steps).filter(|&n| n > 0)? as f64;
    let each = |now: f64, before: f64| ((now - before) / steps) as f32;
    Some(StepTimes {
        compute_ms: each(now.compute_ms(), last.compute_ms()),
        exchange_ms: each(now.exchange_ms, last.exchange_ms),
        update_ms: each(now.update_ms, last.update_ms),
        batch_ms: each(now.batch_ms, last.batch_ms),
    })
}

/// The team as a short borrow (a `Box<dyn Team>` is `'static` inside).
fn team_mut(team: &mut Option<Box<dyn Team>>) -> Option<&mut dyn Team> {
    team.as_mut().map(|t| -> &mut dyn Team { t.as_mut() })
}

#[cfg(test)]
mod tests;
