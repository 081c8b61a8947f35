//! When training has collapsed: the learning rate was so large that the
//! network blew up and now guesses no better than chance. The loss stays
//! finite (so it has not *diverged*), but nothing more is learnt; going on
//! would only burn the student's time, so the run pauses and says why.
//!
//! The rule, for a classifier of `C` classes, whose chance accuracy is `1/C`
//! and whose loss when it guesses uniformly is `ln C`:
//!
//! 1. **the loss exploded** — some curve point's mean loss reached
//!    [`EXPLODED`] × ln C (confidently wrong, with huge logits); an untrained
//!    network starts at about ln C and training makes it smaller, so a sane
//!    run never gets there, however slowly it learns; and
//! 2. **the accuracy is at chance since** — the last [`WINDOW`] curve points
//!    (each the mean of [`crate::session::POINT_EVERY`] batches) all have an
//!    accuracy below [`CHANCE_MARGIN`] / C. A batch of 64 at chance scores
//!    10 % ± 4 % for ten classes, the mean of ten such batches 10 % ± 1.2 %:
//!    15 % is four standard deviations above, and a network that learns at
//!    all passes it within a few hundred updates.
//!
//! A tiny learning rate (stuck at chance, loss ≈ ln C) is slow, not
//! collapsed: it never meets condition 1.

use std::collections::VecDeque;

use crate::protocol::TrainPoint;

/// Condition 1: the loss reached this many times ln C.
pub const EXPLODED: f32 = 10.0;
/// Condition 2: accuracies below this many times the chance 1/C …
pub const CHANCE_MARGIN: f32 = 1.5;
/// … for this many curve points in a row.
pub const WINDOW: usize = 10;

/// Watches a run's curve points for a collapse (see the module docs).
#[derive(Clone, Debug)]
pub struct CollapseWatch {
    classes: usize,
    exploded: bool,
    recent: VecDeque<f32>,
}

impl CollapseWatch {
    /// A watch for a classifier of `classes` classes.
    pub fn new(classes: usize) -> CollapseWatch {
        CollapseWatch {
            classes: classes.max(2),
            exploded: false,
            recent: VecDeque::with_capacity(WINDOW),
        }
    }

    /// Takes the next curve point; true once the run has collapsed.
    pub fn observe(&mut self, point: &TrainPoint) -> bool {
        let classes = self.classes as f32;
        if point.loss >= EXPLODED * classes.ln() {
            self.exploded = true;
        }
        if self.recent.len() == WINDOW {
            self.recent.pop_front();
        }
        self.recent.push_back(point.accuracy);
        self.collapsed()
    }

    /// Both conditions hold.
    pub fn collapsed(&self) -> bool {
        let chance = CHANCE_MARGIN / self.classes as f32;
        self.exploded && self.recent.len() == WINDOW && self.recent.iter().all(|&a| a < chance)
    }

    /// The student resumes (perhaps with a smaller rate): the window starts
    /// again, so the run is judged on what it does from now on.
    pub fn restart(&mut self) {
        self.exploded = false;
        self.recent.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(loss: f32, accuracy: f32) -> TrainPoint {
        TrainPoint {
            updates: 0,
            loss,
            accuracy,
        }
    }

    /// Feeds `points`; the index of the first that reports a collapse.
    fn collapse_at(points: &[(f32, f32)]) -> Option<usize> {
        let mut watch = CollapseWatch::new(10);
        points
            .iter()
            .position(|&(l, a)| watch.observe(&point(l, a)))
    }

    #[test]
    fn an_explosion_then_chance_for_ten_points_is_a_collapse() {
        // ln 10 = 2.303: the threshold is 23.03. A loss of 500, then ten
        // points at 10 % accuracy (loss back near ln 10, the network dead).
        let mut run = vec![(2.3, 0.1), (500.0, 0.1)];
        run.extend([(2.31, 0.1); 9]);
        assert_eq!(collapse_at(&run), Some(9), "the tenth point at chance");
        // Exactly at the threshold counts as exploded.
        let mut edge = vec![(10.0 * 10f32.ln(), 0.1)];
        edge.extend([(2.3, 0.1); 9]);
        assert_eq!(collapse_at(&edge), Some(9));
    }

    #[test]
    fn slow_learning_and_a_recovering_spike_are_not_collapses() {
        // A tiny rate: at chance for ever, but the loss never exploded.
        assert_eq!(collapse_at(&[(2.302, 0.1); 100]), None);
        // A spike the network recovers from: within ten points it scores
        // 15 % (= 1.5 / 10, not below the margin) and then better.
        let mut spike = vec![(40.0, 0.1)];
        spike.extend([(2.2, 0.12); 8]);
        spike.push((2.1, 0.15));
        spike.extend([(2.0, 0.2); 20]);
        assert_eq!(collapse_at(&spike), None);
    }

    #[test]
    fn restarting_forgets_the_explosion() {
        let mut watch = CollapseWatch::new(10);
        // The explosion is the first point of the window; nine more fill it.
        assert!(!watch.observe(&point(1e4, 0.1)));
        for _ in 0..WINDOW - 2 {
            assert!(!watch.observe(&point(3.0, 0.1)));
        }
        assert!(watch.observe(&point(3.0, 0.1)));
        watch.restart();
        for _ in 0..WINDOW * 3 {
            assert!(!watch.observe(&point(2.3, 0.1)));
        }
    }
}
