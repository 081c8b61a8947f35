//! The images of a download in progress, sorted as they arrive: the pool
//! training draws from, a few training images held out to measure accuracy
//! on while the test set has not arrived, and the test set.
//!
//! In the official archive `test_batch.bin` comes last, 60 seconds into a
//! 20 Mbit/s download. Training starts on the first mini-batches, so until
//! then accuracy is measured on every [`HOLDOUT_EVERY`]-th training image
//! received (up to [`HOLDOUT_MAX`]), never trained on. Once the test set has
//! arrived, those images join the pool (training ends up with all 50,000) and
//! the test set takes over.
//!
//! The page shows the same images the Worker evaluates on (the cards and
//! clouds index into them), so the held-out set is published in steps
//! ([`PUBLISH_AT`]), each step a fixed set the page receives whole.

use nnlab::data::{BatchFile, Dataset, ImageShape, StreamEvent, BATCH_RECORDS, CLASS_NAMES};

/// One training image of this many goes to the held-out set.
pub const HOLDOUT_EVERY: usize = 5;
/// The held-out set stops growing here.
pub const HOLDOUT_MAX: usize = 1000;
/// The held-out set is published to the page when it reaches these sizes
/// (and when the stream ends).
pub const PUBLISH_AT: [usize; 6] = [10, 50, 100, 300, 600, HOLDOUT_MAX];
/// Training images in the official archive.
pub const OFFICIAL_TRAIN: usize = 5 * BATCH_RECORDS;

/// See the module docs.
pub struct Pool {
    class_names: Vec<String>,
    train: Dataset,
    holdout: Dataset,
    /// The held-out images as last published (the evaluation set).
    published: Option<Dataset>,
    test_arriving: Dataset,
    test: Option<Dataset>,
    train_received: usize,
    /// Records announced by the batch files' headers so far.
    announced: Vec<(BatchFile, usize)>,
    expected: usize,
    ended: bool,
}

/// What changed with the last events, for the page.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    /// New images to evaluate on and show (the held-out set grew a step, or
    /// the test set arrived).
    pub samples: bool,
    /// The pool training draws from grew.
    pub train: bool,
}

impl Pool {
    /// An empty pool expecting `expected` training images (the official
    /// archive's 50,000; corrected as the files' headers arrive).
    pub fn new(expected: usize) -> Pool {
        let names: Vec<String> = CLASS_NAMES.map(String::from).to_vec();
        let empty = || Dataset::empty(ImageShape::CIFAR, names.clone()).expect("CIFAR shape");
        Pool {
            train: empty(),
            holdout: empty(),
            published: None,
            test_arriving: empty(),
            test: None,
            class_names: names,
            train_received: 0,
            announced: Vec::new(),
            expected,
            ended: false,
        }
    }

    /// Sorts the decoded `events` into the pool.
    pub fn absorb(&mut self, events: Vec<StreamEvent>) -> nnlab::Result<Changes> {
        let mut changes = Changes::default();
        for event in events {
            match event {
                StreamEvent::FileStarted { file, records } => {
                    if matches!(file, BatchFile::Train(_)) {
                        self.announced.push((file, records));
                        let told: usize = self.announced.iter().map(|&(_, r)| r).sum();
                        let untold = 5usize.saturating_sub(self.announced.len());
                        self.expected = self.expected.min(told + untold * BATCH_RECORDS).max(told);
                        // Room for every training image still to come, at
                        // once: growing the buffer file by file would copy it
                        // and, for a moment, hold it twice. (Capped: at most
                        // five batches of 10,000, whatever a header says.)
                        let wanted = self.expected.min(OFFICIAL_TRAIN);
                        // The held-out images join training later: room for them too.
                        self.train.reserve(wanted.saturating_sub(self.train.len()));
                    } else if file == BatchFile::Test {
                        self.test_arriving.reserve(records);
                    }
                }
                StreamEvent::Records {
                    file,
                    labels,
                    images,
                    ..
                } => match file {
                    BatchFile::Test => self.test_arriving.append(&labels, &images)?,
                    _ => {
                        self.add_train(&labels, &images)?;
                        changes.train = true;
                        changes.samples |= self.publish_if_due();
                    }
                },
                StreamEvent::ClassNames(names) => self.rename(names)?,
                StreamEvent::FileEnded { file } => {
                    if file == BatchFile::Test {
                        self.take_test()?;
                        changes.samples = true;
                        changes.train = true;
                    }
                }
            }
        }
        Ok(changes)
    }

    /// The stream ended without error: whatever was held out is published
    /// (a small archive may never reach a publishing step).
    pub fn end(&mut self) -> Changes {
        self.ended = true;
        self.expected = self.train_received;
        let samples = self.test.is_none()
            && self.published.as_ref().map(Dataset::len) != Some(self.holdout.len())
            && !self.holdout.is_empty();
        if samples {
            self.published = Some(self.holdout.clone());
        }
        Changes {
            samples,
            train: false,
        }
    }

    fn add_train(&mut self, labels: &[u8], images: &[u8]) -> nnlab::Result<()> {
        let n = ImageShape::CIFAR.len();
        // Runs of consecutive records that go to the same set, appended at once.
        let base = self.train_received;
        let mut start = 0;
        while start < labels.len() {
            let held = |i: usize| {
                (base + i) % HOLDOUT_EVERY == HOLDOUT_EVERY - 1
                    && self.holdout.len() < HOLDOUT_MAX
                    && self.test.is_none()
            };
            let first = held(start);
            let mut end = start + 1;
            // A held-out record is always alone (the next one is not).
            while !first && end < labels.len() && !held(end) {
                end += 1;
            }
            let target = if first {
                &mut self.holdout
            } else {
                &mut self.train
            };
            target.append(&labels[start..end], &images[start * n..end * n])?;
            start = end;
        }
        self.train_received = base + labels.len();
        Ok(())
    }

    /// Publishes the held-out set when it reached the next step.
    fn publish_if_due(&mut self) -> bool {
        if self.test.is_some() {
            return false;
        }
        let shown = self.published.as_ref().map_or(0, Dataset::len);
        let due = PUBLISH_AT
            .iter()
            .any(|&at| self.holdout.len() >= at && shown < at);
        if due {
            self.published = Some(self.holdout.clone());
        }
        due
    }

    /// The test set is complete: it becomes the evaluation set and the
    /// held-out images go back to training.
    fn take_test(&mut self) -> nnlab::Result<()> {
        let names = self.class_names.clone();
        let test = std::mem::replace(
            &mut self.test_arriving,
            Dataset::empty(ImageShape::CIFAR, names.clone())?,
        );
        let holdout =
            std::mem::replace(&mut self.holdout, Dataset::empty(ImageShape::CIFAR, names)?);
        self.train.append(holdout.labels(), holdout.images())?;
        self.published = None;
        self.test = Some(test);
        Ok(())
    }

    /// batches.meta.txt's names replace the standard ones in every set (in
    /// place: a copy of the pool would lose its reserved room).
    fn rename(&mut self, names: Vec<String>) -> nnlab::Result<()> {
        for set in [&mut self.train, &mut self.holdout, &mut self.test_arriving] {
            set.set_class_names(names.clone())?;
        }
        for set in [self.published.as_mut(), self.test.as_mut()]
            .into_iter()
            .flatten()
        {
            set.set_class_names(names.clone())?;
        }
        self.class_names = names;
        Ok(())
    }

    /// The images training may use, in arrival order.
    pub fn train(&self) -> &Dataset {
        &self.train
    }

    /// The set evaluations, cards and clouds use: the test set, or the
    /// held-out images as last published. None before the first step.
    pub fn eval(&self) -> Option<&Dataset> {
        self.test.as_ref().or(self.published.as_ref())
    }

    /// True once the test set has arrived (evaluations are on it).
    pub fn has_test(&self) -> bool {
        self.test.is_some()
    }

    /// Training images received so far (in the pool or held out).
    pub fn train_received(&self) -> usize {
        self.train_received
    }

    /// Test images received so far.
    pub fn test_received(&self) -> usize {
        self.test.as_ref().unwrap_or(&self.test_arriving).len()
    }

    /// Training images expected in all.
    pub fn expected(&self) -> usize {
        self.expected.max(self.train_received)
    }

    /// The stream has ended (no more images will come).
    pub fn ended(&self) -> bool {
        self.ended
    }

    /// Everything has arrived: the stream ended and the test set is here.
    pub fn complete(&self) -> bool {
        self.ended && self.test.is_some()
    }

    /// The class names of every set: CIFAR-10's standard ones, replaced by
    /// those of `batches.meta.txt` when it arrives.
    pub fn class_names(&self) -> &[String] {
        &self.class_names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab::data::IMAGE_BYTES;

    /// `n` records of `file`: record i has label i % 10 and every pixel i % 256.
    fn records(file: BatchFile, first: usize, n: usize) -> StreamEvent {
        let labels: Vec<u8> = (first..first + n).map(|i| (i % 10) as u8).collect();
        let images = (first..first + n)
            .flat_map(|i| std::iter::repeat_n((i % 256) as u8, IMAGE_BYTES))
            .collect();
        StreamEvent::Records {
            file,
            first,
            labels,
            images,
        }
    }

    #[test]
    fn every_fifth_image_is_held_out_until_the_test_set_arrives() {
        let mut pool = Pool::new(OFFICIAL_TRAIN);
        let b4 = BatchFile::Train(4);
        let changes = pool
            .absorb(vec![
                StreamEvent::FileStarted {
                    file: b4,
                    records: 100,
                },
                records(b4, 0, 60),
            ])
            .unwrap();
        // 60 received: 12 held out (records 4, 9, 14, …), 48 to train on.
        assert_eq!((pool.train().len(), pool.train_received()), (48, 60));
        assert!(
            changes.train && changes.samples,
            "10 held out: the first step"
        );
        let eval = pool.eval().unwrap();
        assert_eq!(
            eval.len(),
            12,
            "published at 10, it holds the 12 of this feed"
        );
        // The held-out images are records 4, 9, 14…: pixel value = index.
        assert_eq!(eval.image(0)[0], 4);
        assert_eq!(eval.image(1)[0], 9);
        assert_eq!(pool.train().image(4)[0], 5, "record 4 skipped");
        // The header said 100 records: 4 × 10,000 + 100 expected in all.
        assert_eq!(pool.expected(), 40_100);

        // The rest of batch 4, then the test set.
        pool.absorb(vec![
            records(b4, 60, 40),
            StreamEvent::FileEnded { file: b4 },
        ])
        .unwrap();
        assert_eq!(pool.train().len() + 20, 100);
        let t = BatchFile::Test;
        pool.absorb(vec![
            StreamEvent::FileStarted {
                file: t,
                records: 7,
            },
            records(t, 0, 7),
        ])
        .unwrap();
        assert!(!pool.has_test(), "not before its last record");
        assert_eq!(pool.test_received(), 7);
        let changes = pool
            .absorb(vec![StreamEvent::FileEnded { file: t }])
            .unwrap();
        assert!(changes.samples && changes.train);
        assert!(pool.has_test());
        assert_eq!(pool.eval().unwrap().len(), 7);
        assert_eq!(
            pool.train().len(),
            100,
            "the held-out images joined training"
        );
        // After the test set, nothing more is held out.
        let b5 = BatchFile::Train(5);
        pool.absorb(vec![records(b5, 0, 10)]).unwrap();
        assert_eq!(pool.train().len(), 110);
        assert!(!pool.complete());
        pool.end();
        assert!(pool.complete());
        assert_eq!(pool.expected(), 110);
    }

    #[test]
    fn a_small_stream_publishes_what_it_held_out_when_it_ends() {
        let mut pool = Pool::new(OFFICIAL_TRAIN);
        let b1 = BatchFile::Train(1);
        pool.absorb(vec![records(b1, 0, 30)]).unwrap();
        assert!(pool.eval().is_none(), "6 held out, below the first step");
        assert!(pool.end().samples);
        assert_eq!(pool.eval().unwrap().len(), 6);
        assert!(!pool.complete(), "no test set");
    }

    #[test]
    fn class_names_from_the_meta_file_rename_every_set() {
        let mut pool = Pool::new(OFFICIAL_TRAIN);
        let b4 = BatchFile::Train(4);
        pool.absorb(vec![records(b4, 0, 50)]).unwrap();
        let names: Vec<String> = (0..10).map(|i| format!("class {i}")).collect();
        pool.absorb(vec![StreamEvent::ClassNames(names.clone())])
            .unwrap();
        assert_eq!(pool.train().class_names(), &names[..]);
        assert_eq!(pool.eval().unwrap().class_names(), &names[..]);
        assert_eq!(pool.class_names(), &names[..]);
    }
}
