//! Everything the training Worker does, without the browser: it holds the
//! data and the network, answers the page's messages and trains in chunks of
//! about [`CHUNK_MS`] between message checks. The Worker's glue
//! ([`crate::scope`]) only moves messages and schedules chunks, so all of
//! this runs (and is tested) natively too.

use nnlab::data::{Cifar10, Dataset};
use nnlab::nn::Mlp;
use nnlab::optim::{self, Hyper};
use nnlab::train::{BatchHelpers, Schedule, Trainer};

use crate::protocol::{
    LayerCloud, RunConfig, Snapshot, Stats, TestPoint, ToPage, ToWorker, TrainPoint,
};
use crate::snapshot;

/// Milliseconds of training between two looks at the message queue.
pub const CHUNK_MS: f64 = 50.0;
/// Stats go to the page at most this often.
pub const STATS_EVERY_MS: f64 = 150.0;
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
/// The speed is measured over windows of about this length.
const SPEED_WINDOW_MS: f64 = 3000.0;

/// The loaded data, with the training subset in use.
struct Data {
    cifar: Cifar10,
    /// The first N training images, when fewer than all are used.
    subset: Option<Dataset>,
}

impl Data {
    /// The training set for `size` images (all of them if `size` is larger).
    fn train(&mut self, size: usize) -> nnlab::Result<&Dataset> {
        let full = &self.cifar.train;
        if size >= full.len() {
            return Ok(full);
        }
        if self.subset.as_ref().map(Dataset::len) != Some(size) {
            let n = full.sample_len();
            self.subset = Some(Dataset::new(
                full.images()[..size * n].to_vec(),
                full.labels()[..size].to_vec(),
                full.shape(),
                full.class_names().to_vec(),
            )?);
        }
        Ok(self.subset.as_ref().expect("just made"))
    }
}

/// A network being trained.
struct Run {
    trainer: Trainer,
    train_size: usize,
    running: bool,
    /// (time, samples seen) at the start of the speed window.
    speed_from: Option<(f64, usize)>,
    samples_per_sec: f64,
    /// Loss and accuracy sums of the batches since the last curve point.
    pending: (f32, f32, usize),
    points: Vec<TrainPoint>,
    last_stats_ms: f64,
    last_snapshot_ms: f64,
    last_eval_updates: Option<usize>,
    /// When the last evaluation ran (page clock, ms).
    last_eval_ms: f64,
}

/// The Worker's state; see the module docs.
#[derive(Default)]
pub struct Session {
    data: Option<Data>,
    run: Option<Run>,
    probe: usize,
    /// The pixels' PCA cloud: it depends on the data only.
    pixel_cloud: Option<LayerCloud>,
    /// Other Workers computing part of every batch.
    helpers: Option<Box<dyn BatchHelpers>>,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    /// From now on `helpers` compute part of every batch (data-parallel
    /// training, see [`nnlab::train::helpers`]).
    pub fn set_helpers(&mut self, helpers: Box<dyn BatchHelpers>) {
        self.helpers = Some(helpers);
    }

    /// Web Workers training: this one and its helpers that are ready.
    pub fn workers(&self) -> usize {
        1 + self.helpers.as_ref().map_or(0, |h| h.active())
    }

    pub fn has_data(&self) -> bool {
        self.data.is_some()
    }

    /// True while training (the glue keeps scheduling chunks).
    pub fn running(&self) -> bool {
        self.run.as_ref().is_some_and(|r| r.running)
    }

    /// Takes the decoded data: replies with the data for the page, then sets
    /// up the lecture's untrained network (so its pictures show at once).
    pub fn set_data(&mut self, cifar: Cifar10, now_ms: f64) -> Vec<ToPage> {
        let test = &cifar.test;
        let n = CLOUD_POINTS.min(test.len());
        let pixel_cloud = snapshot::batch_of(test, &(0..n).collect::<Vec<_>>())
            .and_then(|x| snapshot::cloud(x.data(), n, test.sample_len()));
        let ready = ToPage::DataReady {
            train: cifar.train.len(),
            test: test.len(),
            class_names: test.class_names().to_vec(),
            test_images: test.images().to_vec(),
            test_labels: test.labels().to_vec(),
        };
        self.pixel_cloud = pixel_cloud.ok();
        self.data = Some(Data {
            cifar,
            subset: None,
        });
        self.run = None;
        self.probe = 0;
        let mut out = vec![ready];
        out.extend(self.handle(
            ToWorker::Configure {
                config: RunConfig::lecture(),
            },
            now_ms,
        ));
        out
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
            | ToWorker::UseWorkers { .. }
            | ToWorker::BecomeHelper { .. } => Vec::new(),
            ToWorker::Configure { config } => {
                let data = self.data_mut()?;
                let train_config = config.train_config()?;
                let train = data.train(config.train_size)?;
                let trainer = Trainer::new(&train_config, train)?;
                self.start_run(trainer, config, false, now_ms)?
            }
            ToWorker::LoadModel { json, config } => {
                let net = Mlp::from_json(&json)?;
                let train_config = config.train_config()?;
                let data = self.data_mut()?;
                let train = data.train(config.train_size)?;
                let optimizer = optim::build::<f32>(
                    config.optimizer,
                    Hyper {
                        lr: config.lr,
                        ..train_config.hyper
                    },
                )?;
                let schedule = Schedule::new(train.len(), config.batch_size, true, config.seed)?;
                let trainer = Trainer::with_network(net, optimizer, schedule)?;
                // Refuse a network that does not fit the data before it replaces the current one.
                trainer.evaluate(train, 1)?;
                self.start_run(trainer, config, true, now_ms)?
            }
            ToWorker::Run => {
                let run = self.run_mut()?;
                if !run.trainer.diverged() {
                    run.running = true;
                    run.speed_from = None;
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
            ToWorker::Evaluate => vec![self.evaluate()?, self.snapshot(now_ms)?],
            ToWorker::Save => vec![ToPage::Model {
                json: self.run_mut()?.trainer.to_saved().to_json()?,
            }],
            ToWorker::Probe { index } => {
                let test_len = self.data_mut()?.cifar.test.len();
                if index >= test_len {
                    return Err(nnlab::Error::OutOfRange {
                        what: "test image",
                        detail: format!("{index}, but there are {test_len}"),
                    });
                }
                self.probe = index;
                vec![self.snapshot(now_ms)?]
            }
        })
    }

    fn start_run(
        &mut self,
        trainer: Trainer,
        config: RunConfig,
        from_file: bool,
        now_ms: f64,
    ) -> nnlab::Result<Vec<ToPage>> {
        let train_size = trainer.schedule().samples;
        let ready = ToPage::NetworkReady {
            params: trainer.net().param_count(),
            config,
            from_file,
            train_size,
        };
        self.run = Some(Run {
            trainer,
            train_size,
            running: false,
            speed_from: None,
            samples_per_sec: 0.0,
            pending: (0.0, 0.0, 0),
            points: Vec::new(),
            last_stats_ms: now_ms,
            last_snapshot_ms: now_ms,
            last_eval_updates: None,
            last_eval_ms: f64::NEG_INFINITY,
        });
        Ok(vec![
            ready,
            self.stats(now_ms)?,
            self.evaluate()?,
            self.snapshot(now_ms)?,
        ])
    }

    /// Trains for about [`CHUNK_MS`] (at least one step) and returns what the
    /// page should hear: stats, test points and snapshots when they are due.
    pub fn run_chunk(&mut self, clock: &mut dyn FnMut() -> f64) -> Vec<ToPage> {
        match self.try_run_chunk(clock) {
            Ok(out) => out,
            Err(e) => {
                if let Some(run) = self.run.as_mut() {
                    run.running = false;
                }
                // A helper that failed once (or stopped answering) would
                // fail every step: train alone from now on.
                self.helpers = None;
                vec![ToPage::Error {
                    message: e.to_string(),
                }]
            }
        }
    }

    fn try_run_chunk(&mut self, clock: &mut dyn FnMut() -> f64) -> nnlab::Result<Vec<ToPage>> {
        let (Some(data), Some(run)) = (self.data.as_mut(), self.run.as_mut()) else {
            return Ok(Vec::new());
        };
        if !run.running {
            return Ok(Vec::new());
        }
        let start = clock();
        if run.speed_from.is_none() {
            run.speed_from = Some((start, run.trainer.counters().samples_seen));
        }
        let train = data.train(run.train_size)?;
        let mut epoch_ended = false;
        loop {
            let epoch = run.trainer.counters().epoch;
            let counters = match self.helpers.as_mut() {
                Some(helpers) => *run.trainer.train_steps_with(train, 1, helpers.as_mut())?,
                None => *run.trainer.train_steps(train, 1)?,
            };
            epoch_ended |= counters.epoch != epoch;
            let pending = &mut run.pending;
            *pending = (
                pending.0 + counters.last_loss,
                pending.1 + counters.last_accuracy,
                pending.2 + 1,
            );
            if counters.updates % POINT_EVERY == 0 || run.trainer.diverged() {
                let (loss, acc, n) = *pending;
                run.points.push(TrainPoint {
                    updates: counters.updates,
                    loss: loss / n as f32,
                    accuracy: acc / n as f32,
                });
                *pending = (0.0, 0.0, 0);
            }
            if run.trainer.diverged() {
                run.running = false;
                break;
            }
            if clock() - start >= CHUNK_MS {
                break;
            }
        }
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
            out.push(self.stats(now)?);
        }
        Ok(out)
    }

    fn data_mut(&mut self) -> nnlab::Result<&mut Data> {
        self.data
            .as_mut()
            .ok_or_else(|| nnlab::Error::InvalidData("no data loaded yet".into()))
    }

    fn run_mut(&mut self) -> nnlab::Result<&mut Run> {
        self.run
            .as_mut()
            .ok_or_else(|| nnlab::Error::InvalidData("no network set up yet".into()))
    }

    fn stats(&mut self, now_ms: f64) -> nnlab::Result<ToPage> {
        let workers = self.workers();
        let run = self.run_mut()?;
        let c = *run.trainer.counters();
        if let Some((t0, s0)) = run.speed_from {
            let elapsed = now_ms - t0;
            if elapsed > 0.0 && c.samples_seen > s0 {
                run.samples_per_sec = (c.samples_seen - s0) as f64 / elapsed * 1000.0;
            }
            if elapsed >= SPEED_WINDOW_MS {
                run.speed_from = Some((now_ms, c.samples_seen));
            }
        }
        let batch = run.trainer.schedule().batch_size;
        let remaining = c.iterations_per_epoch.saturating_sub(c.iteration) * batch;
        let eta_secs = (run.samples_per_sec > 0.0).then(|| remaining as f64 / run.samples_per_sec);
        run.last_stats_ms = now_ms;
        Ok(ToPage::Stats(Stats {
            running: run.running,
            diverged: run.trainer.diverged(),
            epoch: c.epoch,
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
            workers,
            eta_secs: if run.running { eta_secs } else { None },
            lr: run.trainer.optimizer().hyper().lr,
            points: std::mem::take(&mut run.points),
        }))
    }

    fn evaluate(&mut self) -> nnlab::Result<ToPage> {
        let (Some(data), Some(run)) = (self.data.as_ref(), self.run.as_mut()) else {
            return Err(nnlab::Error::InvalidData("no network set up yet".into()));
        };
        let evaluation = run.trainer.evaluate(&data.cifar.test, TEST_SUBSET)?;
        let updates = run.trainer.counters().updates;
        run.last_eval_updates = Some(updates);
        Ok(ToPage::Test(TestPoint {
            updates,
            loss: evaluation.loss,
            accuracy: evaluation.accuracy,
            samples: evaluation.samples,
            confusion: evaluation.confusion.counts().to_vec(),
            classes: evaluation.confusion.classes(),
        }))
    }

    fn snapshot(&mut self, now_ms: f64) -> nnlab::Result<ToPage> {
        let (Some(data), Some(run)) = (self.data.as_ref(), self.run.as_mut()) else {
            return Err(nnlab::Error::InvalidData("no network set up yet".into()));
        };
        let test = &data.cifar.test;
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
            // NaN probabilities could not travel as JSON: no cards, no probe.
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
        assert!(
            matches!(&out[0], ToPage::DataReady { train: 64, test: 20, test_images, .. } if test_images.len() == 20 * 3072)
        );
        // Every reply survives the trip to the page (the untrained stats
        // carry a NaN loss, which JSON cannot write as a number).
        for message in &out {
            let back = ToPage::decode(message.clone().encode().unwrap());
            assert!(back.is_ok(), "{message:?}: {back:?}");
        }
        assert!(matches!(
            &out[1],
            ToPage::NetworkReady { train_size: 64, .. }
        ));
        let ToPage::Snapshot(shot) = out.last().unwrap() else {
            panic!("{:?}", out.last());
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

    /// A helper that computes its part in this thread (nnlab's
    /// `InlineHelper`), counting the steps it was given.
    #[derive(Default)]
    struct CountingHelper {
        inner: nnlab::train::InlineHelper,
        steps: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl BatchHelpers for CountingHelper {
        fn rows_for(&self, batch: usize) -> usize {
            self.inner.rows_for(batch)
        }
        fn active(&self) -> usize {
            1
        }
        fn start(
            &mut self,
            net: &Mlp,
            x: &[f32],
            labels: &[usize],
            batch: usize,
        ) -> nnlab::Result<()> {
            self.steps.set(self.steps.get() + 1);
            self.inner.start(net, x, labels, batch)
        }
        fn finish(
            &mut self,
            step: &mut nnlab::nn::step::TrainStep,
        ) -> nnlab::Result<nnlab::train::PartResult> {
            self.inner.finish(step)
        }
    }

    #[test]
    fn helpers_take_part_in_every_step_and_the_stats_count_them() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        assert_eq!(session.workers(), 1);
        let helper = CountingHelper::default();
        let steps = helper.steps.clone();
        session.set_helpers(Box::new(helper));
        assert_eq!(session.workers(), 2);
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
        let mut stats = None;
        for _ in 0..3 {
            for message in session.run_chunk(&mut clock) {
                if let ToPage::Stats(s) = message {
                    stats = Some(s);
                }
            }
        }
        let stats = stats.expect("stats while running");
        assert_eq!(stats.workers, 2);
        assert_eq!(stats.updates, 3);
        assert_eq!(steps.get(), 3, "the helper had a part of each step");
        assert!(stats.loss.is_finite());
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
    fn save_and_load_give_the_same_network_and_bad_files_are_refused() {
        let mut session = Session::new();
        session.set_data(synthetic(), 0.0);
        let [ToPage::Model { json }] = &session.handle(ToWorker::Save, 0.0)[..] else {
            panic!("no model");
        };
        let out = session.handle(
            ToWorker::LoadModel {
                json: json.clone(),
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
        let out = session.handle(
            ToWorker::LoadModel {
                json: "{\"format\":\"x\"".into(),
                config: RunConfig::lecture(),
            },
            0.0,
        );
        assert!(
            matches!(&out[0], ToPage::Error { message } if message.contains("JSON")),
            "{out:?}"
        );
        let out = session.handle(ToWorker::Probe { index: 20 }, 0.0);
        assert!(matches!(&out[0], ToPage::Error { .. }));
    }
}
