//! What the Worker said about the deep-training lesson's pair of networks,
//! kept whole so the lesson draws the full curves when shown again (or
//! rebuilt in the other language).

use nnlab_worker::protocol::{DeepProgress, DeepRecipe, TrainPoint};

/// One network's story so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LaneRecord {
    /// Weight updates done.
    pub updates: usize,
    /// Training-batch loss and accuracy, oldest first.
    pub curve: Vec<TrainPoint>,
    /// Test evaluations (one per epoch), oldest first.
    pub tests: Vec<TrainPoint>,
    /// The latest mean gradient norm of each layer, input side first.
    pub grad_norms: Vec<f32>,
    /// The network diverged and stopped.
    pub diverged: bool,
}

/// The pair in the Worker (none until the lesson asked for one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeepRecord {
    /// The recipes the Worker's networks were built from, "before" first.
    pub recipes: Option<Vec<DeepRecipe>>,
    /// Training images each network learns from.
    pub train_size: usize,
    /// Weight updates each network gets in all.
    pub total_updates: usize,
    /// One per recipe.
    pub lanes: Vec<LaneRecord>,
    /// Training is going on.
    pub running: bool,
    /// Both networks have had their budget.
    pub finished: bool,
}

impl DeepRecord {
    /// A new pair: its recipes and budget, nothing trained yet.
    pub fn ready(&mut self, recipes: Vec<DeepRecipe>, train_size: usize, total_updates: usize) {
        *self = DeepRecord {
            lanes: vec![LaneRecord::default(); recipes.len()],
            recipes: Some(recipes),
            train_size,
            total_updates,
            running: false,
            finished: false,
        };
    }

    /// Adds a report's news.
    pub fn progress(&mut self, progress: DeepProgress) {
        self.running = progress.running;
        self.finished = progress.finished;
        for (lane, news) in self.lanes.iter_mut().zip(progress.lanes) {
            lane.updates = news.updates;
            lane.curve.extend(news.points);
            lane.tests.extend(news.tests);
            lane.grad_norms = news.grad_norms;
            lane.diverged = news.diverged;
        }
    }

    /// Updates done by the slowest network (they train in turns).
    pub fn updates(&self) -> usize {
        self.lanes.iter().map(|l| l.updates).min().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nnlab_worker::protocol::DeepLane;

    fn point(updates: usize, accuracy: f32) -> TrainPoint {
        TrainPoint {
            updates,
            loss: 2.3,
            accuracy,
        }
    }

    #[test]
    fn reports_add_up_and_a_new_pair_starts_empty() {
        let mut record = DeepRecord::default();
        record.ready(vec![DeepRecipe::BEFORE, DeepRecipe::AFTER], 5_000, 624);
        assert_eq!(record.lanes.len(), 2);
        let lane = |updates: usize, norm: f32| DeepLane {
            updates,
            points: vec![point(updates, 0.1)],
            tests: Vec::new(),
            grad_norms: vec![norm; 10],
            diverged: false,
        };
        for (u, norm) in [(5, 0.5), (10, 0.25)] {
            record.progress(DeepProgress {
                running: true,
                finished: false,
                lanes: vec![lane(u, norm), lane(u + 1, norm)],
            });
        }
        assert_eq!(record.lanes[0].curve.len(), 2, "points accumulate");
        assert_eq!(
            record.lanes[0].grad_norms,
            vec![0.25; 10],
            "norms are the latest"
        );
        assert_eq!(record.updates(), 10);
        assert!(record.running);
        record.ready(vec![DeepRecipe::AFTER, DeepRecipe::AFTER], 5_000, 624);
        assert!(record.lanes.iter().all(|l| l.curve.is_empty()));
        assert_eq!(record.updates(), 0);
    }
}
