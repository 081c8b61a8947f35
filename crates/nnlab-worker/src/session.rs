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

    /// The team's size while the run trains and its first trial (with its
    /// warm-up) has not decided yet whether the team is faster: the run's
    /// chunks alternate between one Worker and the team meanwhile. `None` when
    /// there is nothing to measure (no team, or the address asked for a
    /// number of Workers) or while data streams in (the run trains alone
    /// then: short chunks, the decoding sharing the Worker).
    fn first_measurement(&self) -> Option<usize> {
        let run = self.run.as_ref()?;
        let size = self.team.as_ref()?.size();
        (run.running && size > 1 && self.measure_team && !self.loading() && run.on_team.is_none())
            .then_some(size)
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
        let loading = self.loading();
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
        let timed = (measure && !loading).then_some(team.size());
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
mod tests {
    use super::*;
    use nnlab::data::RECORD_BYTES;

    /// `n` CIFAR records: label i % 10, every pixel byte i % 256.
    fn records(n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n * RECORD_BYTES);
        for i in 0..n {
            out.push((i % 10) as u8);
            out.extend(std::iter::repeat_n((i % 256) as u8, RECORD_BYTES - 1));
        }
        out
    }

    fn synthetic() -> Cifar10 {
        let (train, test) = (records(64), records(20));
        Cifar10::from_files(&[("data_batch_1.bin", &train), ("test_batch.bin", &test)]).unwrap()
    }

    #[test]
    fn data_ready_then_an_untrained_network_with_its_pictures() {
        let mut session = Session::new();
        let out = session.set_data(synthetic(), 0.0);
        // All at once: the test set for the page, the lecture's untrained
        // network on all 64 training images, and everything has arrived.
        let position = |test: &dyn Fn(&ToPage) -> bool| out.iter().position(test);
        assert!(
            position(&|m| matches!(m, ToPage::Samples { held_out: false, images, .. } if images.len() == 20 * 3072)).is_some(),
            "{out:?}"
        );
        let network = position(&|m| matches!(m, ToPage::NetworkReady { .. })).expect("a network");
        assert!(position(&|m| matches!(
            m,
            ToPage::DataReady {
                train: 64,
                test: 20
            }
        ))
        .is_some());
        // Every reply survives the trip to the page (postcard, blobs beside;
        // the untrained stats carry a NaN loss).
        for message in &out {
            let back = ToPage::decode(message.clone().encode().unwrap());
            assert!(back.is_ok(), "{message:?}: {back:?}");
        }
        assert!(matches!(
            &out[network],
            ToPage::NetworkReady { train_size: 64, .. }
        ));
        let Some(ToPage::Snapshot(shot)) =
            out.iter().rev().find(|m| matches!(m, ToPage::Snapshot(_)))
        else {
            panic!("no snapshot in {out:?}");
        };
        // 100 first-layer rows as 32×32 RGBA; clouds: pixels + 4 layers.
        assert_eq!(shot.weight_image_count, 100);
        assert_eq!(shot.weight_images.len(), 100 * 32 * 32 * 4);
        assert_eq!(shot.clouds.len(), 5);
        assert_eq!(shot.clouds[0].points.len(), 20);
        assert_eq!(
            shot.probe_layers.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![100, 256, 256, 10]
        );
        assert!(!session.running());
    }

    /// A run on a team of two threads (what the helper Workers do, natively).
    #[cfg(not(target_arch = "wasm32"))]
    fn team_session(measure: bool) -> Session {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let team = nnlab::train::parallel::threads::ThreadTeam::start(
            &nnlab::nn::MlpSpec::lecture_cifar(),
            2,
        )
        .unwrap();
        session.set_team(Box::new(team), measure, None);
        let config = RunConfig {
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(ToWorker::Configure { config }, 0.0);
        session.handle(ToWorker::Run, 0.0);
        session
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn stats_of(session: &mut Session, chunks: usize, clock: &mut dyn FnMut() -> f64) -> Stats {
        let mut stats = None;
        for _ in 0..chunks {
            for message in session.run_chunk(clock) {
                if let ToPage::Stats(s) = message {
                    stats = Some(s);
                }
            }
        }
        stats.expect("stats while running")
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_team_asked_for_trains_every_step_and_the_stats_say_so() {
        let mut session = team_session(false);
        assert_eq!(session.workers(), 1, "not before the run's first step");
        assert_eq!(session.chunk_ms(), CHUNK_MS);
        let mut t = 0.0;
        let mut clock = || {
            t += 100.0;
            t
        };
        let stats = stats_of(&mut session, 3, &mut clock);
        assert_eq!(stats.workers, 2);
        // The clock moves 100 ms per look: every chunk trains on the team
        // (the first too: the way is chosen before the chunk's length) and
        // stops after two steps, at 150 ms.
        assert_eq!(stats.updates, 2 + 2 + 2);
        assert_eq!(stats.measured, None, "asked for, not measured");
        assert!(stats.loss.is_finite());
        assert_eq!(session.chunk_ms(), CHUNK_MS_TEAM, "longer chunks on a team");
    }

    /// Chunks until the stats carry a measurement (at most `limit`): the
    /// chunks run and the stats before it, and the stats that carry it.
    #[cfg(not(target_arch = "wasm32"))]
    fn until_measured(
        session: &mut Session,
        limit: usize,
        clock: &mut dyn FnMut() -> f64,
    ) -> (usize, Vec<Stats>, Stats) {
        let mut before = Vec::new();
        for chunk in 1..=limit {
            for message in session.run_chunk(clock) {
                if let ToPage::Stats(s) = message {
                    match s.measured {
                        Some(_) => return (chunk, before, s),
                        None => before.push(s),
                    }
                }
            }
        }
        panic!("not measured after {limit} chunks");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_measured_team_is_used_only_if_it_was_faster() {
        // On a clock that moves 100 ms per look, every chunk takes as long
        // alone as on the team for as many steps: no gain, so one Worker trains.
        let mut session = team_session(true);
        let mut t = 0.0;
        let mut ticking = || {
            t += 100.0;
            t
        };
        assert_eq!(session.chunk_ms(), CHUNK_MS_TEAM, "measuring: team chunks");
        let (chunks, before, stats) = until_measured(&mut session, 40, &mut ticking);
        // 1.5 s of warm-up (chunks of 300 ms on this clock), then ten chunks.
        assert_eq!(chunks, 5 + 10);
        assert!(!before.is_empty());
        assert!(before
            .iter()
            .all(|s| s.measuring == Some(2) && s.updates > 0));
        assert_eq!(stats.measuring, None);
        assert_eq!(stats.workers, 1);
        let measured = stats.measured.expect("measured");
        assert_eq!((measured.workers, measured.at_update), (2, None));
        assert_eq!(session.workers(), 1);
        assert_eq!(session.chunk_ms(), CHUNK_MS, "alone: the usual chunks");
        // A new run measures again, from its start, without a warm-up: the
        // page's Workers have trained.
        let config = RunConfig {
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(ToWorker::Configure { config }, 0.0);
        session.handle(ToWorker::Run, 0.0);
        let (chunks, before, _) = until_measured(&mut session, 40, &mut ticking);
        assert_eq!(chunks, 10);
        assert!(before.iter().all(|s| s.measuring == Some(2)));
        // On the wall clock, two threads on this machine: whatever the
        // verdict, the stats report it and the run trains.
        let mut session = team_session(true);
        let start = std::time::Instant::now();
        let mut wall = || start.elapsed().as_secs_f64() * 1000.0;
        let (_, _, stats) = until_measured(&mut session, 1000, &mut wall);
        let measured = stats.measured.expect("measured");
        // The speed-up crossed as f32 hundredths (1.05 is 1.0499999 as f32).
        let hundredths = (f64::from(measured.speedup) * 100.0).round();
        let expected = if hundredths >= (nnlab::train::parallel::MIN_GAIN * 100.0).round() {
            2
        } else {
            1
        };
        assert_eq!(session.workers(), expected, "{measured:?}");
        assert!(stats.updates > 0);
    }

    /// Trials of one Worker against the team, on a team of threads.
    #[cfg(not(target_arch = "wasm32"))]
    mod trials {
        use super::*;
        use nnlab::optim::OptimizerKind;
        use nnlab::train::parallel::FlatState;

        /// A team of two threads whose steps a test clock can see: each step
        /// it begins is counted, so the clock can make the team look faster
        /// or slower than one Worker.
        struct CountedTeam {
            team: nnlab::train::parallel::threads::ThreadTeam,
            steps: std::rc::Rc<std::cell::Cell<u32>>,
        }

        impl Team for CountedTeam {
            fn size(&self) -> usize {
                self.team.size()
            }
            fn shares(&self) -> u64 {
                self.team.shares()
            }
            fn share(&mut self, net: &Mlp, kind: OptimizerKind, hyper: Hyper) -> nnlab::Result<()> {
                self.team.share(net, kind, hyper)
            }
            fn begin_step(
                &mut self,
                x: &[f32],
                labels: &[usize],
                lr: f64,
                staged: bool,
            ) -> nnlab::Result<()> {
                self.steps.set(self.steps.get() + 1);
                self.team.begin_step(x, labels, lr, staged)
            }
            fn stage(&mut self, x: &[f32], labels: &[usize]) -> nnlab::Result<bool> {
                self.team.stage(x, labels)
            }
            fn exchange(&mut self) -> &mut dyn nnlab::train::parallel::Exchange {
                self.team.exchange()
            }
            fn collect(&mut self, net: &mut Mlp) -> nnlab::Result<()> {
                self.team.collect(net)
            }
            fn share_state(&mut self, state: &FlatState) -> nnlab::Result<()> {
                self.team.share_state(state)
            }
            fn collect_state(&mut self, state: &mut FlatState) -> nnlab::Result<()> {
                self.team.collect_state(state)
            }
        }

        #[test]
        fn the_run_moves_between_the_team_and_one_worker_as_trials_measure_them() {
            use std::cell::Cell;
            use std::rc::Rc;
            let steps = Rc::new(Cell::new(0));
            let team = CountedTeam {
                team: nnlab::train::parallel::threads::ThreadTeam::start(
                    &nnlab::nn::MlpSpec::lecture_cifar(),
                    2,
                )
                .unwrap(),
                steps: steps.clone(),
            };
            let mut session = Session::new();
            session.set_data(synthetic(), 0.0);
            session.set_team(Box::new(team), true, None);
            let config = RunConfig {
                batch_size: 16,
                ..RunConfig::lecture()
            };
            session.handle(ToWorker::Configure { config }, 0.0);
            session.handle(ToWorker::Run, 0.0);
            // A look at the clock after steps of the team moves it `team_ms`
            // per step; any other look 60 ms (a chunk looks after every step:
            // one Worker takes 60 ms a step).
            let team_ms = Rc::new(Cell::new(200.0));
            let mut clock = {
                let (team_ms, mut t, mut seen) = (team_ms.clone(), 0.0, 0);
                move || {
                    let new = steps.get() - seen;
                    seen = steps.get();
                    t += if new > 0 {
                        team_ms.get() * f64::from(new)
                    } else {
                        60.0
                    };
                    t
                }
            };
            // The start's trial (after 1.5 s of chunks both ways) finds the
            // team slower: 200 ms a step against 60. One Worker trains.
            let (_, _, stats) = until_measured(&mut session, 100, &mut clock);
            let start = stats.measured.expect("measured at the start");
            assert!(start.speedup < 0.5, "{start:?}");
            assert_eq!(start.at_update, None);
            assert_eq!(stats.workers, 1);
            team_ms.set(24.0);
            // Chunks until the stats say `workers` train, at most `limit`.
            let mut until =
                |session: &mut Session, workers: usize, limit: usize| -> (usize, Stats) {
                    for chunk in 1..=limit {
                        let out = session.run_chunk(&mut clock);
                        if let Some(stats) = last_stats(&out).filter(|s| s.workers == workers) {
                            return (chunk, stats);
                        }
                    }
                    panic!("not on {workers} Workers after {limit} chunks");
                };
            // After 20 s of training (chunks of one step alone, 120 ms with the
            // look after it) a trial: one Worker 60 ms a step, the team 24 ms
            // (and a look at the end of each chunk): about 2.5× — the run moves
            // to the team.
            let (chunks, stats) = until(&mut session, 2, 1000);
            assert!((170..=185).contains(&chunks), "{chunks} chunks");
            let trial = stats.measured.expect("measured again");
            assert!((2.3..=2.7).contains(&trial.speedup), "{trial:?}");
            let at = trial.at_update.expect("during the run");
            assert!(at > 150 && at <= stats.updates, "{at} of {}", stats.updates);
            assert_eq!(session.chunk_ms(), CHUNK_MS_TEAM);
            // The team gets slow (200 ms a step): 20 s later (chunks of one
            // step, 260 ms with the look after it) the run is back on one Worker.
            team_ms.set(200.0);
            let before = stats.updates;
            let (chunks, stats) = until(&mut session, 1, 1000);
            assert!((80..=100).contains(&chunks), "{chunks} chunks");
            let trial = stats.measured.expect("measured again");
            assert!(trial.speedup < 0.5, "{trial:?}");
            assert!(stats.updates > before && stats.loss.is_finite());
            assert_eq!(session.chunk_ms(), CHUNK_MS);
        }
    }

    #[test]
    fn samples_per_second_is_wall_clock_time_including_evaluations() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let config = RunConfig {
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(ToWorker::Configure { config }, 0.0);
        session.handle(ToWorker::Run, 0.0);
        // Every look at the clock is 10 ms later. The speed must be the
        // samples over the time from the Run message (at 0 ms) to the
        // stats' own look — the last of its chunk, after the
        // evaluation and the pictures — not to a look taken before them.
        let looks = std::cell::Cell::new(0u32);
        let mut clock = || {
            looks.set(looks.get() + 1);
            f64::from(looks.get()) * 10.0
        };
        let mut checked = 0;
        for _ in 0..12 {
            let out = session.run_chunk(&mut clock);
            for message in out {
                if let ToPage::Stats(s) = message {
                    if s.samples_seen == 0 || s.samples_per_sec == 0.0 {
                        continue;
                    }
                    let elapsed_s = f64::from(looks.get()) * 0.01;
                    let wall = s.samples_seen as f64 / elapsed_s;
                    assert!(
                        (s.samples_per_sec - wall).abs() < 1e-6 * wall,
                        "{} shown vs {wall} by the stopwatch",
                        s.samples_per_sec
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 3, "{checked} stats checked");
        assert!(looks.get() < 500, "all within one speed window (5 s)");
    }

    #[test]
    fn runs_in_chunks_and_evaluates_when_an_epoch_ends() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let config = RunConfig {
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(ToWorker::Configure { config }, 0.0);
        session.handle(ToWorker::Run, 0.0);
        assert!(session.running());
        // A clock that jumps 100 ms per look: one step per chunk.
        let mut t = 0.0;
        let mut clock = || {
            t += 100.0;
            t
        };
        let mut tests = 0;
        let mut last_stats = None;
        // 64 images in batches of 16: ⌊64/16⌋ = 4 iterations per epoch.
        for _ in 0..4 {
            for message in session.run_chunk(&mut clock) {
                match message {
                    ToPage::Test(_) => tests += 1,
                    ToPage::Stats(s) => last_stats = Some(s),
                    _ => {}
                }
            }
        }
        let stats = last_stats.unwrap();
        assert_eq!(
            (stats.updates, stats.epoch, stats.iterations_per_epoch),
            (4, 1, 4)
        );
        assert_eq!(tests, 1, "one evaluation at the end of the epoch");
        session.handle(ToWorker::Pause, 1000.0);
        assert!(!session.running());
        assert!(session.run_chunk(&mut clock).is_empty());
    }

    #[test]
    fn a_trained_network_is_kept_every_ten_seconds_and_on_pause() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let config = RunConfig {
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(
            ToWorker::Configure {
                config: config.clone(),
            },
            0.0,
        );
        // Untrained: nothing worth keeping.
        assert!(session.checkpoint_due(60_000.0).is_none());
        session.handle(ToWorker::Run, 0.0);
        let mut t = 0.0;
        let mut clock = || {
            t += 100.0;
            t
        };
        session.run_chunk(&mut clock);
        // Trained, but running and only 0.1 s since the network was made.
        assert!(session.checkpoint_due(100.0).is_none());
        let kept = session
            .checkpoint_due(10_000.0)
            .expect("10 s later it is kept");
        assert_eq!(kept.info.updates, 1);
        assert_eq!(kept.info.config, config);
        assert_eq!(
            Mlp::from_safetensors(&kept.bytes).unwrap().spec,
            nnlab::nn::MlpSpec::lecture_cifar()
        );
        // Nothing new since: not kept again, however long it waits.
        assert!(session.checkpoint_due(30_000.0).is_none());
        session.run_chunk(&mut clock);
        assert!(
            session.checkpoint_due(10_500.0).is_none(),
            "only 0.5 s later"
        );
        // A pause keeps what is new at once.
        session.handle(ToWorker::Pause, 10_600.0);
        let kept = session.checkpoint_due(10_600.0).expect("kept on pause");
        assert_eq!(kept.info.updates, 2);
        // ⌊64/16⌋ = 4 iterations make an epoch: none finished yet.
        assert_eq!(kept.info.epochs, 0);
        assert!(kept.info.test_accuracy.is_some(), "evaluated when set up");
    }

    #[test]
    fn save_and_load_give_the_same_network_and_bad_files_are_refused() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let mut saved = Vec::new();
        for format in SaveFormat::ALL {
            let [ToPage::Model { name, bytes, .. }] =
                &session.handle(ToWorker::Save { format }, 0.0)[..]
            else {
                panic!("no {format:?} file");
            };
            saved.push((name.clone(), bytes.clone()));
        }
        let names: Vec<&str> = saved.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "nnlab-model.safetensors",
                "nnlab-model.json",
                "nnlab-model_pytorch.py",
                "nnlab-model_paddle.py",
                "nnlab-model_numpy.py"
            ]
        );
        let script = String::from_utf8(saved[2].1.clone()).unwrap();
        assert!(
            script.contains("    nn.Linear(3072, 100), nn.ReLU(),\n"),
            "{script}"
        );
        assert!(script.contains("\"nnlab-model.safetensors\""), "{script}");
        // Both weight files load back as the same network.
        let json_net = Mlp::from_model_file(&saved[1].1).unwrap();
        assert_eq!(Mlp::from_model_file(&saved[0].1).unwrap(), json_net);
        for bytes in [saved[0].1.clone(), saved[1].1.clone()] {
            let out = session.handle(
                ToWorker::LoadModel {
                    bytes,
                    config: RunConfig::lecture(),
                },
                0.0,
            );
            assert!(matches!(
                &out[0],
                ToPage::NetworkReady {
                    from_file: true,
                    ..
                }
            ));
        }
        let out = session.handle(
            ToWorker::LoadModel {
                bytes: b"{\"format\":\"x\"".to_vec(),
                config: RunConfig::lecture(),
            },
            0.0,
        );
        assert!(
            matches!(&out[0], ToPage::Error { message } if message.contains("JSON")),
            "{out:?}"
        );
        let mut cut = saved[0].1.clone();
        cut.truncate(cut.len() / 2);
        let out = session.handle(
            ToWorker::LoadModel {
                bytes: cut,
                config: RunConfig::lecture(),
            },
            0.0,
        );
        assert!(
            matches!(&out[0], ToPage::Error { message } if message.contains("safetensors")),
            "{out:?}"
        );
        let out = session.handle(ToWorker::Probe { index: 20 }, 0.0);
        assert!(matches!(&out[0], ToPage::Error { .. }));
    }

    /// The event of records `first..first + n` of `file` (as [`records`] makes them).
    fn arriving(file: BatchFile, first: usize, n: usize) -> StreamEvent {
        let all = records(first + n);
        let (labels, images): (Vec<u8>, Vec<u8>) = (
            all.chunks(RECORD_BYTES).skip(first).map(|r| r[0]).collect(),
            all.chunks(RECORD_BYTES)
                .skip(first)
                .flat_map(|r| r[1..].to_vec())
                .collect(),
        );
        StreamEvent::Records {
            file,
            first,
            labels,
            images,
        }
    }

    fn last_stats(out: &[ToPage]) -> Option<Stats> {
        out.iter().rev().find_map(|m| match m {
            ToPage::Stats(s) => Some(s.clone()),
            _ => None,
        })
    }

    #[test]
    fn training_starts_on_the_first_batches_and_grows_with_the_download() {
        let mut session = Session::new();
        let b4 = BatchFile::Train(4);
        session.begin_load(DataSource::Network, 10_000, 50_000, 0.0);
        let out = session.load_events(
            vec![
                StreamEvent::FileStarted {
                    file: b4,
                    records: 300,
                },
                arriving(b4, 0, 100),
            ],
            1000,
            // Past PROGRESS_EVERY_MS since the load began: progress is due.
            300.0,
        );
        // 100 received: every fifth (20) held out and shown, 80 to train on.
        assert!(
            out.iter().any(|m| matches!(m, ToPage::Samples { held_out: true, images, .. } if images.len() == 20 * 3072)),
            "{out:?}"
        );
        assert!(out.iter().any(
            |m| matches!(m, ToPage::Progress(l) if l.train == 100 && l.train_expected == 40_300)
        ));
        assert!(out
            .iter()
            .any(|m| matches!(m, ToPage::Test(t) if t.held_out && t.samples == 20)));
        assert!(out.iter().any(|m| matches!(m, ToPage::NetworkReady { .. })));

        let config = RunConfig {
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(ToWorker::Configure { config }, 20.0);
        session.handle(ToWorker::Run, 20.0);
        let mut t = 20.0;
        let mut clock = || {
            t += 100.0;
            t
        };
        let stats = last_stats(&session.run_chunk(&mut clock)).expect("stats");
        assert!(stats.streaming);
        assert_eq!((stats.train_images, stats.train_wanted), (80, 40_300));
        assert_eq!(stats.iterations_per_epoch, 5, "⌊80 / 16⌋");
        assert_eq!(stats.eta_secs, None, "no ETA while the data streams in");

        // The rest of the batch arrives: the next pass trains on 80 + 160.
        session.load_events(
            vec![arriving(b4, 100, 200), StreamEvent::FileEnded { file: b4 }],
            5000,
            500.0,
        );
        let mut stats = stats;
        for _ in 0..10 {
            if let Some(s) = last_stats(&session.run_chunk(&mut clock)) {
                stats = s;
            }
        }
        assert_eq!(stats.train_images, 240, "300 received, 60 held out");
        assert!(stats.updates >= 10);

        // The test set: evaluations move to it, the held-out images join training.
        let t_file = BatchFile::Test;
        let out = session.load_events(
            vec![
                StreamEvent::FileStarted {
                    file: t_file,
                    records: 20,
                },
                arriving(t_file, 0, 20),
                StreamEvent::FileEnded { file: t_file },
            ],
            9000,
            900.0,
        );
        assert!(out.iter().any(|m| matches!(
            m,
            ToPage::Samples {
                held_out: false,
                ..
            }
        )));
        assert!(out
            .iter()
            .any(|m| matches!(m, ToPage::Test(t) if !t.held_out && t.samples == 20)));
        // The stream ends: that was all (one batch file), 300 images to train on.
        let out = session.end_load(Ok(()), 1000.0);
        assert!(
            out.iter().any(|m| matches!(
                m,
                ToPage::DataReady {
                    train: 300,
                    test: 20
                }
            )),
            "{out:?}"
        );
        for _ in 0..60 {
            if let Some(s) = last_stats(&session.run_chunk(&mut clock)) {
                stats = s;
            }
        }
        assert!(!stats.streaming);
        assert_eq!((stats.train_images, stats.train_wanted), (300, 300));
        assert_eq!(stats.iterations_per_epoch, 18, "⌊300 / 16⌋");
        // Epochs count from the first pass over all 300 (60 chunks of one step
        // after it began: at most 3 full epochs, not the dozens of small passes).
        assert!(stats.epoch <= 3, "{stats:?}");
    }

    #[test]
    fn a_broken_download_keeps_what_arrived_and_says_why() {
        let mut session = Session::new();
        let b4 = BatchFile::Train(4);
        session.begin_load(DataSource::Network, 10_000, 50_000, 0.0);
        session.load_events(vec![arriving(b4, 0, 100)], 1000, 10.0);
        let out = session.end_load(
            Err(nnlab::Error::InvalidData(
                "the archive ends after 1,000 bytes".into(),
            )),
            20.0,
        );
        assert!(
            matches!(&out[0], ToPage::DataFailed { message } if message.contains("1,000 bytes"))
        );
        assert!(
            session.has_data(),
            "the 100 images that arrived stay in use"
        );
        assert_eq!(session.handle(ToWorker::Run, 30.0).len(), 1);
        assert!(session.running());

        // Nothing usable arrived: nothing is kept.
        let mut empty = Session::new();
        empty.begin_load(DataSource::Network, 10, 50_000, 0.0);
        let out = empty.end_load(
            Err(nnlab::Error::InvalidData("not a gzip file".into())),
            1.0,
        );
        assert_eq!(out.len(), 1);
        assert!(!empty.has_data());
    }

    #[test]
    fn a_new_load_over_complete_data_replaces_it_only_when_it_succeeds() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        session.begin_load(DataSource::File, 10, 50_000, 1.0);
        session.load_events(vec![arriving(BatchFile::Train(1), 0, 7)], 5, 2.0);
        let out = session.end_load(Err(nnlab::Error::InvalidData("cut off".into())), 3.0);
        assert_eq!(out.len(), 1, "{out:?}");
        // The complete data and its network are still there.
        assert!(session.has_data());
        assert_eq!(session.handle(ToWorker::Run, 4.0).len(), 1);
    }

    #[test]
    fn a_race_trains_three_lanes_to_the_end_of_its_budget_and_pauses_the_run() {
        use crate::protocol::{LaneStage, RaceBudget};
        let mut session = Session::new();
        let budget = RaceBudget {
            train_size: 64,
            epochs: 2,
        };
        // Before any data: refused, with the reason.
        let out = session.handle(ToWorker::StartRace { budget }, 0.0);
        assert!(
            matches!(&out[0], ToPage::Error { message } if message.contains("not all arrived"))
        );

        session.set_data(synthetic(), 0.0);
        session.handle(ToWorker::Run, 0.0);
        let out = session.handle(ToWorker::StartRace { budget }, 1.0);
        // The lecture's run pauses; the race begins with every lane preparing.
        assert!(matches!(&out[0], ToPage::Stats(s) if !s.running), "{out:?}");
        let ToPage::Race(report) = &out[1] else {
            panic!("no race report in {out:?}");
        };
        assert!(report.running);
        assert_eq!((report.train_images, report.test_images), (64, 20));
        assert_eq!(report.lanes.len(), 3);
        assert_eq!(
            report.lanes[1].stage,
            LaneStage::Preparing { done: 0, total: 84 },
            "the features of 64 training and 20 test images"
        );
        // 3072·10 + 10; (324 + 10)·10 + 10; the lecture's MLP.
        let params: Vec<usize> = report.lanes.iter().map(|l| l.params).collect();
        assert_eq!(params, vec![30_730, 3_350, 401_518]);

        let mut t = 1.0;
        let mut clock = || {
            t += 100.0;
            t
        };
        let mut last = None;
        for _ in 0..200 {
            assert!(session.running() || last.is_some());
            for message in session.run_chunk(&mut clock) {
                if let ToPage::Race(r) = message {
                    last = Some(r);
                }
            }
            if !session.running() {
                break;
            }
        }
        let last = last.expect("race reports");
        assert!(!last.running && !session.running(), "{last:?}");
        for lane in &last.lanes {
            assert_eq!(lane.stage, LaneStage::Done);
            // Untrained, after epoch 1, after epoch 2.
            assert_eq!(lane.accuracies.len(), 3, "{lane:?}");
            assert!(lane.accuracies.iter().all(|a| (0.0..=1.0).contains(a)));
        }
        // A finished race does not resume.
        session.handle(ToWorker::RunRace { running: true }, 0.0);
        assert!(!session.running());
    }

    #[test]
    fn an_image_is_described_by_its_hog_cells_and_hues() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let out = session.handle(ToWorker::ImageFeatures { index: 3 }, 0.0);
        let [ToPage::ImageFeatures(f)] = &out[..] else {
            panic!("{out:?}");
        };
        // 32×32 in 8×8 cells: 4×4 cells of 9 bins centred on 10°, 30°, …
        assert_eq!((f.index, f.cell_rows, f.cell_cols), (3, 4, 4));
        assert_eq!(f.bin_degrees[0], 10.0);
        assert_eq!(f.cells.len(), 4 * 4 * 9);
        // Image 3 is one flat grey (every byte 3): no gradient, no hue (red's bin).
        assert!(f.cells.iter().all(|&v| v == 0.0));
        assert_eq!(f.hues[0], 1.0);
        let out = session.handle(ToWorker::ImageFeatures { index: 20 }, 0.0);
        assert!(matches!(&out[0], ToPage::Error { .. }));
    }

    #[test]
    fn the_page_gets_training_images_once_all_have_arrived() {
        let mut session = Session::new();
        let out = session.set_data(synthetic(), 0.0);
        let training: Vec<_> = out
            .iter()
            .filter_map(|m| match m {
                ToPage::TrainingImages {
                    images,
                    labels,
                    total,
                    ..
                } => {
                    // In arrival order (the held-out ones last): sorted to compare.
                    let mut labels = labels.clone();
                    labels.sort();
                    Some((images.len(), labels, *total))
                }
                _ => None,
            })
            .collect();
        // All 64 training images (fewer than PAGE_TRAINING_IMAGES), not the 20 test images.
        let mut labels: Vec<u8> = (0..64).map(|i| (i % 10) as u8).collect();
        labels.sort();
        assert_eq!(training, vec![(64 * 3072, labels, 64)]);
        // While a download streams, none are sent: only at its end.
        let mut streaming = Session::new();
        streaming.begin_load(DataSource::Network, 10_000, 50_000, 0.0);
        let b1 = BatchFile::Train(1);
        let out = streaming.load_events(vec![arriving(b1, 0, 100)], 1000, 300.0);
        assert!(!out
            .iter()
            .any(|m| matches!(m, ToPage::TrainingImages { .. })));
    }

    #[test]
    fn each_evaluation_request_is_answered_even_at_the_same_update() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        for request in [1, 2] {
            let out = session.handle(ToWorker::Evaluate { request }, 10.0);
            assert!(
                matches!(&out[0], ToPage::Test(t) if t.updates == 0),
                "{out:?}"
            );
            assert_eq!(out[1], ToPage::Evaluated { request });
        }
    }

    #[test]
    fn a_photo_is_classified_by_the_current_network() {
        // Before any data there is no network to ask.
        let mut session = Session::new();
        let out = session.handle(
            ToWorker::Classify {
                request: 1,
                pixels: vec![128; 3072],
            },
            0.0,
        );
        assert!(
            matches!(&out[..], [ToPage::Error { message }] if message.contains("no network")),
            "{out:?}"
        );

        session.set_data(synthetic(), 0.0);
        let config = RunConfig {
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(ToWorker::Configure { config }, 0.0);
        session.handle(ToWorker::Run, 0.0);
        let mut t = 0.0;
        let mut clock = || {
            t += 100.0;
            t
        };
        for _ in 0..5 {
            session.run_chunk(&mut clock);
        }
        session.handle(ToWorker::Pause, 1000.0);
        // A photo: a grey gradient, in the record's layout.
        let pixels: Vec<u8> = (0..3072).map(|i| (i % 256) as u8).collect();
        let out = session.handle(ToWorker::Classify { request: 7, pixels }, 100.0);
        let [ToPage::Classified(c)] = &out[..] else {
            panic!("{out:?}");
        };
        assert_eq!(
            (c.request, c.updates),
            (7, 5),
            "five chunks of one step each (100 ms a step)"
        );
        assert_eq!(c.probabilities.len(), 10);
        let sum: f32 = c.probabilities.iter().sum();
        assert!((sum - 1.0).abs() < 1e-5, "{sum}");
        // The top three, most likely first, are the three largest probabilities.
        let top = snapshot::top_k(&c.probabilities, 3);
        assert!(top[0].1 >= top[1].1 && top[1].1 >= top[2].1, "{top:?}");
        let mut sorted = c.probabilities.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        assert_eq!(top.iter().map(|t| t.1).collect::<Vec<_>>(), sorted[..3]);
        // One test image per class: the first of each (test image i has label i % 10).
        let examples: Vec<(usize, usize)> = c.examples.iter().map(|e| (e.index, e.label)).collect();
        assert_eq!(examples, (0..10).map(|i| (i, i)).collect::<Vec<_>>());
        for example in &c.examples {
            let sum: f32 = example.probabilities.iter().sum();
            assert!((sum - 1.0).abs() < 1e-5);
        }
        // The same photo with the same network: the same answer.
        let again = session.handle(
            ToWorker::Classify {
                request: 8,
                pixels: (0..3072).map(|i| (i % 256) as u8).collect(),
            },
            100.0,
        );
        assert!(
            matches!(&again[..], [ToPage::Classified(d)] if d.probabilities == c.probabilities)
        );
        // Not a CIFAR-10 record's size: the core's message.
        let out = session.handle(
            ToWorker::Classify {
                request: 9,
                pixels: vec![0; 100],
            },
            100.0,
        );
        assert!(
            matches!(&out[..], [ToPage::Error { message }] if message.contains("needs 3072")),
            "{out:?}"
        );
    }

    #[test]
    fn a_learning_rate_of_1_collapses_the_run_and_it_pauses() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let config = RunConfig {
            lr: 1.0,
            batch_size: 16,
            ..RunConfig::lecture()
        };
        session.handle(ToWorker::Configure { config }, 0.0);
        session.handle(ToWorker::Run, 0.0);
        let mut t = 0.0;
        let mut clock = || {
            t += 10.0;
            t
        };
        let mut stats = None;
        // Adam at lr 1 blows the logits up at once, then guesses at chance;
        // the collapse is seen after WINDOW points of POINT_EVERY updates.
        for _ in 0..1000 {
            if let Some(s) = last_stats(&session.run_chunk(&mut clock)) {
                stats = Some(s);
            }
            if !session.running() {
                break;
            }
        }
        let stats = stats.expect("stats");
        assert!(
            stats.collapsed && !stats.running && !stats.diverged,
            "{stats:?}"
        );
        assert!(stats.updates >= crate::collapse::WINDOW * POINT_EVERY);
        // Resumed (say with a smaller rate), it is judged afresh.
        session.handle(ToWorker::SetLr { lr: 0.001 }, 1.0);
        let out = session.handle(ToWorker::Run, 1.0);
        assert!(matches!(&out[0], ToPage::Stats(s) if s.running && !s.collapsed));
    }
}
