//! The feature-engineering race (lesson `feature-engineering`): the core's
//! three pipelines ([`nnlab::features::Pipeline`]) trained side by side on
//! the same first training images, for the same epochs, with the same
//! optimiser, batches and seed, and tested on the same test images after
//! every epoch.
//!
//! The Worker runs the race in chunks like any training ([`Race::chunk`]
//! does about one chunk of work), so the page hears how far each lane got
//! and never waits: the features lane first computes HOG + hue histograms
//! image by image, then every lane trains. Each chunk goes to the next lane
//! that is not finished, so all three advance together; the linear lanes
//! make more steps per chunk than the MLP and finish first.

use nnlab::data::{Dataset, FloatDataset, Samples};
use nnlab::features::extract::{feature_len, image_features};
use nnlab::features::{Pipeline, Standardised, Standardiser};
use nnlab::train::Trainer;

use crate::protocol::{
    ImageFeatures, LaneReport, LaneStage, RaceBudget, RaceReport, RACE_TEST_IMAGES,
};

/// The seed of every lane (the lecture's run uses 0 as well).
pub const RACE_SEED: u64 = 0;

/// The first `len` samples of another source: what the standardiser of the
/// raw-pixel lane is fitted on (the training images of the race, not all).
pub struct First<'a> {
    data: &'a dyn Samples,
    len: usize,
}

impl<'a> First<'a> {
    /// The first `len` samples of `data` (all if it has fewer).
    pub fn new(data: &'a dyn Samples, len: usize) -> First<'a> {
        First {
            len: len.min(data.len()),
            data,
        }
    }
}

impl Samples for First<'_> {
    fn len(&self) -> usize {
        self.len
    }

    fn sample_len(&self) -> usize {
        self.data.sample_len()
    }

    fn classes(&self) -> usize {
        self.data.classes()
    }

    fn fill_batch(
        &self,
        indices: &[usize],
        out: &mut [f32],
        labels_out: &mut [usize],
    ) -> nnlab::Result<()> {
        if let Some(&i) = indices.iter().find(|&&i| i >= self.len) {
            return Err(nnlab::Error::OutOfRange {
                what: "sample index",
                detail: format!("{i}, but there are {}", self.len),
            });
        }
        self.data.fill_batch(indices, out, labels_out)
    }
}

/// What a lane's network reads, once prepared.
enum Inputs {
    /// The images as bytes / 255 (the MLP).
    Pixels,
    /// The images standardised with the training images' statistics.
    Standardised(Standardiser),
    /// HOG + hue histograms, standardised: training then test rows.
    Features {
        train: FloatDataset,
        test: FloatDataset,
    },
}

/// The features computed so far, image by image (training images first).
struct Gathering {
    values: Vec<f32>,
    done: usize,
}

/// One pipeline of the race.
struct Lane {
    pipeline: Pipeline,
    /// None while the features are being computed.
    inputs: Option<Inputs>,
    gathering: Gathering,
    trainer: Option<Trainer>,
    accuracies: Vec<f32>,
    diverged: bool,
}

/// The race; see the module docs.
pub struct Race {
    budget: RaceBudget,
    train_images: usize,
    test_images: usize,
    running: bool,
    lanes: Vec<Lane>,
    /// The lane the next chunk goes to.
    turn: usize,
}

impl Race {
    /// A race on the first `budget.train_size` images of `train` (all if
    /// there are fewer), tested on the first [`RACE_TEST_IMAGES`] of `test`.
    /// Errors on a budget of no epoch or too few images for one batch.
    pub fn new(budget: RaceBudget, train: &Dataset, test: &Dataset) -> nnlab::Result<Race> {
        let train_images = budget.train_size.min(train.len());
        if budget.epochs == 0 {
            return Err(nnlab::Error::OutOfRange {
                what: "epochs",
                detail: "must be at least 1".into(),
            });
        }
        let batch = nnlab::train::TrainConfig::lecture().batch_size;
        if train_images < batch || test.is_empty() {
            return Err(nnlab::Error::InvalidData(format!(
                "a race needs at least {batch} training images and one test image"
            )));
        }
        let lanes = Pipeline::ALL
            .into_iter()
            .map(|pipeline| Lane {
                pipeline,
                inputs: None,
                gathering: Gathering {
                    values: Vec::new(),
                    done: 0,
                },
                trainer: None,
                accuracies: Vec::new(),
                diverged: false,
            })
            .collect();
        Ok(Race {
            budget,
            train_images,
            test_images: RACE_TEST_IMAGES.min(test.len()),
            running: true,
            lanes,
            turn: 0,
        })
    }

    /// True while the race trains.
    pub fn running(&self) -> bool {
        self.running
    }

    /// Pause or resume (a finished race stays finished).
    pub fn set_running(&mut self, running: bool) {
        self.running = running && !self.finished();
    }

    /// True when every lane is done (or diverged).
    pub fn finished(&self) -> bool {
        self.lanes.iter().all(|l| self.lane_finished(l))
    }

    fn lane_finished(&self, lane: &Lane) -> bool {
        lane.diverged || lane.accuracies.len() > self.budget.epochs
    }

    /// About `budget_ms` of work (at least one step or image) for the next
    /// unfinished lane. Returns true if a lane reached a new accuracy (the
    /// page should hear at once).
    pub fn chunk(
        &mut self,
        train: &Dataset,
        test: &Dataset,
        clock: &mut dyn FnMut() -> f64,
        budget_ms: f64,
    ) -> nnlab::Result<bool> {
        if !self.running {
            return Ok(false);
        }
        let lanes = self.lanes.len();
        let Some(k) = (0..lanes)
            .map(|i| (self.turn + i) % lanes)
            .find(|&k| !self.lane_finished(&self.lanes[k]))
        else {
            self.running = false;
            return Ok(false);
        };
        self.turn = (k + 1) % lanes;
        let (n, t, epochs) = (self.train_images, self.test_images, self.budget.epochs);
        let start = clock();
        let news = self.lanes[k].work(train, test, (n, t, epochs), &mut || {
            clock() - start >= budget_ms
        })?;
        if self.finished() {
            self.running = false;
        }
        Ok(news)
    }

    /// How the race stands.
    pub fn report(&self) -> RaceReport {
        RaceReport {
            budget: self.budget,
            train_images: self.train_images,
            test_images: self.test_images,
            running: self.running,
            lanes: self.lanes.iter().map(|l| self.lane_report(l)).collect(),
        }
    }

    fn lane_report(&self, lane: &Lane) -> LaneReport {
        let stage = if lane.diverged {
            LaneStage::Diverged
        } else if self.lane_finished(lane) {
            LaneStage::Done
        } else if let Some(trainer) = &lane.trainer {
            let c = trainer.counters();
            LaneStage::Training {
                epoch: c.epoch,
                iteration: c.iteration,
                iterations_per_epoch: c.iterations_per_epoch,
            }
        } else {
            LaneStage::Preparing {
                done: lane.gathering.done,
                total: match lane.pipeline {
                    Pipeline::FeaturesLinear => self.train_images + self.test_images,
                    _ => self.train_images,
                },
            }
        };
        let classes = 10;
        let inputs = match lane.pipeline {
            Pipeline::FeaturesLinear => feature_len(nnlab::data::ImageShape::CIFAR),
            _ => nnlab::data::ImageShape::CIFAR.len(),
        };
        LaneReport {
            stage,
            accuracies: lane.accuracies.clone(),
            params: lane.pipeline.spec(inputs, classes).param_count(),
            inputs,
        }
    }
}

impl Lane {
    /// Prepares or trains until `done()` says the chunk is over; `sizes` are
    /// the race's (training images, test images, epochs). True if a new
    /// accuracy was measured.
    fn work(
        &mut self,
        train: &Dataset,
        test: &Dataset,
        sizes: (usize, usize, usize),
        done: &mut dyn FnMut() -> bool,
    ) -> nnlab::Result<bool> {
        let (n, t, _) = sizes;
        if self.inputs.is_none() {
            if !self.prepare(train, test, n, t, done)? {
                return Ok(false);
            }
            return self.start(train, test, n, t);
        }
        let (_, _, epochs) = sizes;
        let (Some(trainer), Some(inputs)) = (self.trainer.as_mut(), self.inputs.as_ref()) else {
            return Ok(false);
        };
        // What the network reads, built once per chunk.
        let standardised;
        let data: &dyn Samples = match inputs {
            Inputs::Pixels => train,
            Inputs::Standardised(s) => {
                standardised = Standardised::new(train, s.clone())?;
                &standardised
            }
            Inputs::Features { train, .. } => train,
        };
        let epoch = trainer.counters().epoch;
        loop {
            trainer.train_steps(data, 1)?;
            if trainer.diverged() {
                self.diverged = true;
                return Ok(true);
            }
            if trainer.counters().epoch != epoch {
                break;
            }
            if done() {
                return Ok(false);
            }
        }
        self.measure(test, t)?;
        if self.accuracies.len() > epochs {
            // Finished: the network and its inputs are no longer needed.
            self.trainer = None;
            self.inputs = None;
        }
        Ok(true)
    }

    /// Computes inputs until `done()`; true once they are ready.
    fn prepare(
        &mut self,
        train: &Dataset,
        test: &Dataset,
        n: usize,
        t: usize,
        done: &mut dyn FnMut() -> bool,
    ) -> nnlab::Result<bool> {
        match self.pipeline {
            Pipeline::Mlp => self.inputs = Some(Inputs::Pixels),
            Pipeline::RawLinear => {
                let standardiser = Standardiser::fit(&First::new(train, n))?;
                self.inputs = Some(Inputs::Standardised(standardiser));
            }
            Pipeline::FeaturesLinear => {
                let g = &mut self.gathering;
                while g.done < n + t {
                    let image = if g.done < n {
                        train.image(g.done)
                    } else {
                        test.image(g.done - n)
                    };
                    g.values.extend(image_features(image, train.shape())?);
                    g.done += 1;
                    if done() && g.done < n + t {
                        return Ok(false);
                    }
                }
                let width = feature_len(train.shape());
                let test_values = g.values.split_off(n * width);
                let mut train_rows = FloatDataset::new(
                    std::mem::take(&mut g.values),
                    train.labels()[..n].to_vec(),
                    width,
                    train.classes(),
                )?;
                let mut test_rows = FloatDataset::new(
                    test_values,
                    test.labels()[..t].to_vec(),
                    width,
                    test.classes(),
                )?;
                let standardiser = Standardiser::fit(&train_rows)?;
                standardiser.apply_to(&mut train_rows)?;
                standardiser.apply_to(&mut test_rows)?;
                self.inputs = Some(Inputs::Features {
                    train: train_rows,
                    test: test_rows,
                });
            }
        }
        Ok(true)
    }

    /// The network of the pipeline, tested once untrained.
    fn start(
        &mut self,
        train: &Dataset,
        test: &Dataset,
        n: usize,
        t: usize,
    ) -> nnlab::Result<bool> {
        let trainer = match self.inputs.as_ref().expect("prepared") {
            Inputs::Pixels => Trainer::on_first(&self.pipeline.config(train, RACE_SEED), train, n)?,
            Inputs::Standardised(s) => {
                let view = Standardised::new(train, s.clone())?;
                Trainer::on_first(&self.pipeline.config(&view, RACE_SEED), &view, n)?
            }
            Inputs::Features { train, .. } => {
                Trainer::new(&self.pipeline.config(train, RACE_SEED), train)?
            }
        };
        self.trainer = Some(trainer);
        self.measure(test, t)?;
        Ok(true)
    }

    /// Test accuracy now, on the first `t` test images.
    fn measure(&mut self, test: &Dataset, t: usize) -> nnlab::Result<()> {
        let trainer = self.trainer.as_ref().expect("a lane measures its network");
        let evaluation = match self.inputs.as_ref().expect("prepared") {
            Inputs::Pixels => trainer.evaluate(test, t)?,
            Inputs::Standardised(s) => trainer.evaluate(&Standardised::new(test, s.clone())?, t)?,
            Inputs::Features { test, .. } => trainer.evaluate(test, t)?,
        };
        self.accuracies.push(evaluation.accuracy);
        Ok(())
    }
}

/// The HOG cells and hue histogram of image `index` of `images`, for the
/// page to draw. Errors if there is no such image.
pub fn describe_image(images: &Dataset, index: usize) -> nnlab::Result<ImageFeatures> {
    use nnlab::features::colour_histogram::hue_histogram;
    use nnlab::features::grey::grey;
    use nnlab::features::hog::{cell_histograms, HogParams};
    if index >= images.len() {
        return Err(nnlab::Error::OutOfRange {
            what: "image",
            detail: format!("{index}, but there are {}", images.len()),
        });
    }
    let shape = images.shape();
    let image = images.image(index);
    let cells = cell_histograms(
        &grey(image, shape)?,
        shape.height,
        shape.width,
        HogParams::DALAL_TRIGGS,
    )?;
    Ok(ImageFeatures {
        index,
        cell_rows: cells.rows(),
        cell_cols: cells.cols(),
        bin_degrees: (0..cells.orientations())
            .map(|b| cells.bin_centre_degrees(b) as f32)
            .collect(),
        cells: cells.values().to_vec(),
        hues: hue_histogram(image, shape)?.to_vec(),
    })
}
