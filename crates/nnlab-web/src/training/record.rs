//! What the page knows about loading and training: everything the Worker has
//! said, kept so a lesson shown later (or rebuilt in the other language)
//! draws the whole story, not just what arrived while it was visible.

use nnlab::data::{Dataset, ImageShape};

use nnlab_worker::protocol::{
    CheckpointInfo, Classification, ImageFeatures, Loading, RaceReport, RunConfig, Snapshot, Stats,
    TestPoint, ToPage, TrainPoint,
};

/// How loading stands, in more detail than [`crate::data_store::DataStatus`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadView {
    /// Bytes and images so far while loading.
    pub progress: Option<Loading>,
    /// How far the last load got (kept after it ended).
    pub last: Option<Loading>,
    /// Bytes of the archive kept on this device (None: nothing stored);
    /// unknown until the Worker has looked.
    pub stored: Option<Option<u64>>,
    /// The last load's failure (the data loaded before, if any, is still in use).
    pub error: Option<String>,
    /// The archive was looked for at this URL and is not there.
    pub missing_url: Option<String>,
    /// Whether a complete data set is loaded.
    pub ready: bool,
}

/// The network in the Worker.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkInfo {
    /// What the network was built and is trained with.
    pub config: RunConfig,
    /// Whether it was loaded from a model file.
    pub from_file: bool,
    /// Number of trainable parameters.
    pub params: usize,
    /// Training images it learns from.
    pub train_size: usize,
}

/// Something the page must do about a message besides recording it.
#[derive(Debug, PartialEq)]
pub enum Effect {
    /// Nothing beyond recording it.
    None,
    /// Images for the page: held-out training images (`true`) while the
    /// test set has not arrived, then the test set.
    Data(Dataset, bool),
    /// Training images for the lessons that train in the page, and how
    /// many training images there are in all.
    TrainingImages(Dataset, usize),
    /// Every image has arrived: this many training and test images.
    Complete {
        /// Training images.
        train: usize,
        /// Test images.
        test: usize,
    },
    /// A file to download: its name, MIME type and bytes.
    Download {
        /// The file's name.
        name: String,
        /// Its MIME type.
        mime: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// A failure to show.
    Failed(String),
}

/// The evaluations the student asked for with "Evaluate": the page numbers
/// its requests and the Worker answers each by number, so two evaluations at
/// the same update are two answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluations {
    /// Requests sent so far (the last one's number).
    pub asked: u64,
    /// The last request answered.
    pub answered: u64,
    /// The answer to the latest request, once it came; cleared by a new
    /// network or when training starts again.
    pub result: Option<TestPoint>,
}

impl Evaluations {
    /// True while the latest request is unanswered.
    pub fn pending(&self) -> bool {
        self.asked > self.answered
    }
}

/// The photo classifications the page asked for, numbered like
/// [`Evaluations`] so only the answer to the latest request is shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PhotoRequests {
    /// Requests sent so far (the last one's number).
    pub asked: u64,
    /// The last request answered (or given up on after an error).
    pub answered: u64,
    /// The answer to the latest answered request.
    pub result: Option<Classification>,
}

impl PhotoRequests {
    /// True while the latest request is unanswered.
    pub fn pending(&self) -> bool {
        self.asked > self.answered
    }
}

/// See the module docs. `revision` grows with every change, so views redraw
/// only when something happened.
#[derive(Clone, Debug, Default)]
pub struct TrainingRecord {
    /// Bumped whenever anything recorded changes.
    pub revision: u64,
    /// How loading stands.
    pub load: LoadView,
    /// The network in the Worker, once there is one.
    pub network: Option<NetworkInfo>,
    /// The latest training statistics.
    pub stats: Option<Stats>,
    /// Loss and accuracy on training batches, oldest first.
    pub train_curve: Vec<TrainPoint>,
    /// Test-set evaluations, oldest first.
    pub tests: Vec<TestPoint>,
    /// The latest weights, activations and predictions.
    pub snapshot: Option<Snapshot>,
    /// Grows with every snapshot, so pictures redraw only when one arrives.
    pub snapshot_revision: u64,
    /// The last failed request (cleared by the next network, or when
    /// training starts again).
    pub error: Option<String>,
    /// How the feature-engineering race stands, once one was started.
    pub race: Option<RaceReport>,
    /// The features of the image the feature-engineering lesson asked for last.
    pub image_features: Option<ImageFeatures>,
    /// The student's evaluation requests.
    pub evaluations: Evaluations,
    /// The deep-training lesson's pair of networks.
    pub deep: super::deep_record::DeepRecord,
    /// What the network made of the student's own photo.
    pub photo: PhotoRequests,
    /// The trained network kept on this device, if any.
    pub kept: Option<KeptRun>,
}

/// A trained network kept on this device (see the Worker's checkpoint store).
#[derive(Clone, Debug, PartialEq)]
pub struct KeptRun {
    /// The run it comes from.
    pub info: CheckpointInfo,
    /// True while it is a run from before this visit that the page offers to
    /// continue: until this visit keeps a network of its own, or it is continued.
    pub offered: bool,
}

impl TrainingRecord {
    /// Records `message`; returns what else the page must do.
    pub fn apply(&mut self, message: ToPage) -> Effect {
        self.revision += 1;
        match message {
            ToPage::WorkerReady => {}
            ToPage::Progress(loading) => {
                self.load.progress = Some(loading);
                self.load.last = Some(loading);
                self.load.error = None;
                self.load.missing_url = None;
            }
            ToPage::Stored { bytes } => self.load.stored = Some(bytes),
            ToPage::Checkpoint { info, found } => {
                self.kept = Some(KeptRun {
                    info,
                    offered: found,
                })
            }
            ToPage::DataMissing { url } => {
                self.load.progress = None;
                self.load.missing_url = Some(url);
            }
            ToPage::DataFailed { message } => {
                self.load.progress = None;
                self.load.error = Some(message.clone());
                return Effect::Failed(message);
            }
            ToPage::Samples {
                held_out,
                class_names,
                images,
                labels,
            } => {
                return match Dataset::new(images, labels, ImageShape::CIFAR, class_names) {
                    Ok(samples) => Effect::Data(samples, held_out),
                    Err(e) => {
                        self.load.error = Some(e.to_string());
                        Effect::Failed(e.to_string())
                    }
                };
            }
            ToPage::TrainingImages {
                class_names,
                images,
                labels,
                total,
            } => {
                return match Dataset::new(images, labels, ImageShape::CIFAR, class_names) {
                    Ok(images) => Effect::TrainingImages(images, total),
                    Err(e) => Effect::Failed(e.to_string()),
                };
            }
            ToPage::DataReady { train, test } => {
                self.load.progress = None;
                self.load.error = None;
                self.load.ready = true;
                return Effect::Complete { train, test };
            }
            ToPage::NetworkReady {
                config,
                from_file,
                params,
                train_size,
            } => {
                if from_file {
                    // Continued (or another file loaded): the offer has been answered.
                    if let Some(kept) = &mut self.kept {
                        kept.offered = false;
                    }
                }
                self.network = Some(NetworkInfo {
                    config,
                    from_file,
                    params,
                    train_size,
                });
                self.stats = None;
                self.train_curve.clear();
                self.tests.clear();
                self.snapshot = None;
                self.error = None;
                self.evaluations.result = None;
            }
            ToPage::Stats(mut stats) => {
                // Training starts again: an old answer or failure is no longer news.
                if stats.running && !self.running() {
                    self.evaluations.result = None;
                    self.error = None;
                }
                self.train_curve.append(&mut stats.points);
                self.stats = Some(stats);
            }
            ToPage::Test(point) => {
                // Re-evaluating at the same update replaces the point.
                if self
                    .tests
                    .last()
                    .is_some_and(|t| t.updates == point.updates)
                {
                    self.tests.pop();
                }
                self.tests.push(point);
            }
            ToPage::Evaluated { request } => {
                self.evaluations.answered = self.evaluations.answered.max(request);
                if request == self.evaluations.asked {
                    self.evaluations.result = self.tests.last().cloned();
                }
            }
            ToPage::Snapshot(snapshot) => {
                self.snapshot = Some(snapshot);
                self.snapshot_revision += 1;
            }
            ToPage::DeepReady {
                recipes,
                train_size,
                total_updates,
            } => self.deep.ready(recipes, train_size, total_updates),
            ToPage::DeepProgress(progress) => self.deep.progress(progress),
            ToPage::Model { name, mime, bytes } => return Effect::Download { name, mime, bytes },
            ToPage::Error { message } => {
                self.error = Some(message.clone());
                // A request that failed is not answered: the page stops waiting.
                self.evaluations.answered = self.evaluations.asked;
                self.photo.answered = self.photo.asked;
                return Effect::Failed(message);
            }
            ToPage::Race(report) => self.race = Some(report),
            ToPage::ImageFeatures(features) => self.image_features = Some(features),
            ToPage::Classified(classification) => {
                let photo = &mut self.photo;
                photo.answered = photo.answered.max(classification.request);
                if classification.request == photo.asked {
                    photo.result = Some(classification);
                }
            }
        }
        Effect::None
    }

    /// Numbers a new evaluation request (to send as `ToWorker::Evaluate`);
    /// until it is answered the page says it is evaluating.
    pub fn ask_evaluation(&mut self) -> u64 {
        self.revision += 1;
        self.evaluations.asked += 1;
        self.evaluations.result = None;
        self.evaluations.asked
    }

    /// Numbers a new photo classification request (to send as
    /// `ToWorker::Classify`).
    pub fn ask_classification(&mut self) -> u64 {
        self.revision += 1;
        self.photo.asked += 1;
        self.photo.asked
    }

    /// True while the Worker trains.
    pub fn running(&self) -> bool {
        self.stats.as_ref().is_some_and(|s| s.running)
    }

    /// Updates done so far.
    pub fn updates(&self) -> usize {
        self.stats.as_ref().map_or(0, |s| s.updates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(updates: usize, points: Vec<TrainPoint>) -> Stats {
        Stats {
            running: true,
            diverged: false,
            collapsed: false,
            epoch: 0,
            iteration: updates,
            iterations_per_epoch: 781,
            updates,
            samples_seen: updates * 64,
            loss: 2.0,
            accuracy: 0.2,
            samples_per_sec: 640.0,
            train_images: 50_000,
            train_wanted: 50_000,
            streaming: false,
            workers: 1,
            measured: None,
            measuring: None,
            step_times: Vec::new(),
            eta_secs: Some(10.0),
            lr: 0.001,
            points,
        }
    }

    fn point(updates: usize) -> TrainPoint {
        TrainPoint {
            updates,
            loss: 2.0,
            accuracy: 0.1,
        }
    }

    #[test]
    fn curves_grow_and_a_new_network_clears_them() {
        let mut record = TrainingRecord::default();
        record.apply(ToPage::Stats(stats(10, vec![point(10)])));
        record.apply(ToPage::Stats(stats(20, vec![point(20)])));
        assert_eq!(record.train_curve.len(), 2);
        assert!(record.running());
        assert_eq!(record.updates(), 20);
        assert_eq!(record.revision, 2);
        record.apply(ToPage::NetworkReady {
            config: RunConfig::lecture(),
            from_file: false,
            params: 361_578,
            train_size: 50_000,
        });
        assert!(record.train_curve.is_empty() && record.stats.is_none());
    }

    #[test]
    fn a_run_kept_from_before_is_offered_until_answered() {
        let mut record = TrainingRecord::default();
        let info = CheckpointInfo {
            config: RunConfig::lecture(),
            updates: 2_345,
            epochs: 3,
            test_accuracy: Some(0.41),
            saved_at_ms: 1.8e12,
        };
        record.apply(ToPage::Checkpoint {
            info: info.clone(),
            found: true,
        });
        assert!(record.kept.as_ref().is_some_and(|k| k.offered));
        // A fresh network (the page configures one when the data is ready) keeps the offer.
        let ready = |from_file| ToPage::NetworkReady {
            config: RunConfig::lecture(),
            from_file,
            params: 401_518,
            train_size: 50_000,
        };
        record.apply(ready(false));
        assert!(record.kept.as_ref().is_some_and(|k| k.offered));
        // Continuing it (a network from a file) answers it.
        record.apply(ready(true));
        assert_eq!(
            record.kept,
            Some(KeptRun {
                info: info.clone(),
                offered: false
            })
        );
        // A network kept during this visit is never offered.
        record.apply(ToPage::Checkpoint { info, found: false });
        assert!(record.kept.as_ref().is_some_and(|k| !k.offered));
    }

    #[test]
    fn samples_give_the_page_its_images_and_bad_bytes_fail() {
        let mut record = TrainingRecord::default();
        let samples = |images: Vec<u8>| ToPage::Samples {
            held_out: true,
            class_names: vec!["a".into(), "b".into()],
            images,
            labels: vec![1],
        };
        match record.apply(samples(vec![7; 3072])) {
            Effect::Data(images, held_out) => {
                assert_eq!((images.len(), images.label(0), held_out), (1, 1, true))
            }
            other => panic!("{other:?}"),
        }
        assert!(!record.load.ready, "held-out images are not the whole data");
        // 3071 bytes for one label: the Dataset refuses, the page says why.
        assert!(matches!(
            record.apply(samples(vec![7; 3071])),
            Effect::Failed(_)
        ));
        assert_eq!(
            record.apply(ToPage::DataReady { train: 5, test: 1 }),
            Effect::Complete { train: 5, test: 1 }
        );
        assert!(record.load.ready && record.load.error.is_none());
        record.apply(ToPage::Stored {
            bytes: Some(174_000_000),
        });
        assert_eq!(record.load.stored, Some(Some(174_000_000)));
    }

    #[test]
    fn a_save_becomes_a_download_and_errors_are_kept() {
        let mut record = TrainingRecord::default();
        let model = || ToPage::Model {
            name: "nnlab-model.json".into(),
            mime: "application/json".into(),
            bytes: b"{}".to_vec(),
        };
        assert_eq!(
            record.apply(model()),
            Effect::Download {
                name: "nnlab-model.json".into(),
                mime: "application/json".into(),
                bytes: b"{}".to_vec()
            }
        );
        record.apply(ToPage::Error {
            message: "learning rate".into(),
        });
        assert_eq!(record.error.as_deref(), Some("learning rate"));
    }

    fn test_point(updates: usize, accuracy: f32) -> TestPoint {
        TestPoint {
            updates,
            loss: 1.5,
            accuracy,
            samples: 1000,
            held_out: false,
            confusion: vec![1],
            classes: 1,
        }
    }

    #[test]
    fn each_evaluation_request_is_answered_by_number() {
        let mut record = TrainingRecord::default();
        let mut paused = stats(40, Vec::new());
        paused.running = false;
        record.apply(ToPage::Stats(paused));
        // Twice at the same update: each request is pending until its answer.
        for request in 1..=2 {
            assert_eq!(record.ask_evaluation(), request);
            assert!(record.evaluations.pending());
            assert_eq!(record.evaluations.result, None);
            record.apply(ToPage::Test(test_point(40, 0.25 * request as f32)));
            record.apply(ToPage::Evaluated { request });
            assert!(!record.evaluations.pending());
            let result = record.evaluations.result.as_ref().map(|t| t.accuracy);
            assert_eq!(result, Some(0.25 * request as f32));
        }
        assert_eq!(record.tests.len(), 1, "same update: the point is replaced");
        // An answer to an older request while a newer one waits: still pending.
        record.ask_evaluation();
        record.ask_evaluation();
        record.apply(ToPage::Evaluated { request: 3 });
        assert!(record.evaluations.pending() && record.evaluations.result.is_none());
        record.apply(ToPage::Evaluated { request: 4 });
        assert!(record.evaluations.result.is_some());
        // Training starts again: the answer is no longer news.
        record.apply(ToPage::Stats(stats(50, Vec::new())));
        assert!(record.evaluations.result.is_none());
        // An error (no network yet, say) ends the wait.
        record.ask_evaluation();
        record.apply(ToPage::Error {
            message: "no network set up yet".into(),
        });
        assert!(!record.evaluations.pending());
    }

    #[test]
    fn only_the_latest_photo_request_is_shown_and_an_error_ends_the_wait() {
        let classified = |request| {
            ToPage::Classified(Classification {
                request,
                updates: 10 * request as usize,
                probabilities: vec![0.5, 0.5],
                examples: Vec::new(),
            })
        };
        let mut record = TrainingRecord::default();
        assert_eq!(record.ask_classification(), 1);
        assert_eq!(record.ask_classification(), 2);
        // The answer to request 1 arrives while 2 waits: not shown.
        record.apply(classified(1));
        assert!(record.photo.pending() && record.photo.result.is_none());
        record.apply(classified(2));
        assert!(!record.photo.pending());
        assert_eq!(record.photo.result.as_ref().map(|c| c.updates), Some(20));
        // A failed request (the network diverged, say) is not waited for.
        record.ask_classification();
        record.apply(ToPage::Error {
            message: "diverged".into(),
        });
        assert!(!record.photo.pending());
    }

    #[test]
    fn training_images_are_their_own_data() {
        let mut record = TrainingRecord::default();
        let effect = record.apply(ToPage::TrainingImages {
            class_names: vec!["a".into(), "b".into()],
            images: vec![1; 2 * 3072],
            labels: vec![0, 1],
            total: 50_000,
        });
        match effect {
            Effect::TrainingImages(images, total) => assert_eq!((images.len(), total), (2, 50_000)),
            other => panic!("{other:?}"),
        }
    }
}
