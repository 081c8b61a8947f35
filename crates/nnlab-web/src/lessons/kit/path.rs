//! The points a walk has visited, kept to a bounded number so drawing a long
//! run stays cheap: when the list fills up, every other recorded step is
//! dropped and recording continues at half the rate. The start and the
//! current point are always kept.

/// Most points kept; above this the path is thinned.
pub const MAX_POINTS: usize = 4000;

/// A walk's visited points, thinned to at most a fixed number (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    points: Vec<Vec<f64>>,
    /// Step number of each point (0 = the start).
    steps: Vec<usize>,
    /// Steps that are multiples of `stride` are kept; the last point is kept whatever its step.
    stride: usize,
    max_points: usize,
}

impl Path {
    /// A path holding only `start`, kept to [`MAX_POINTS`].
    pub fn new(start: &[f64]) -> Path {
        Path::with_capacity(start, MAX_POINTS)
    }

    /// A path that thins itself above `max_points` (at least 4).
    pub fn with_capacity(start: &[f64], max_points: usize) -> Path {
        Path {
            points: vec![start.to_vec()],
            steps: vec![0],
            stride: 1,
            max_points: max_points.max(4),
        }
    }

    /// Start first, current point last.
    pub fn points(&self) -> &[Vec<f64>] {
        &self.points
    }

    /// Records the point reached at step `step` (steps only increase).
    pub fn push(&mut self, step: usize, point: &[f64]) {
        // The previous last point was kept only for being current; drop it
        // unless it falls on the stride.
        let last = self.steps.len() - 1;
        if last > 0 && !self.steps[last].is_multiple_of(self.stride) {
            self.points.pop();
            self.steps.pop();
        }
        self.points.push(point.to_vec());
        self.steps.push(step);
        if self.points.len() > self.max_points {
            self.thin();
        }
    }

    /// Doubles the stride and keeps only the points on it (plus the last).
    fn thin(&mut self) {
        self.stride *= 2;
        let stride = self.stride;
        let last_step = self.steps[self.steps.len() - 1];
        let (points, steps) = self
            .points
            .drain(..)
            .zip(self.steps.drain(..))
            .filter(|(_, step)| step.is_multiple_of(stride) || *step == last_step)
            .unzip();
        self.points = points;
        self.steps = steps;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps_of(path: &Path) -> Vec<f64> {
        path.points().iter().map(|p| p[0]).collect()
    }

    #[test]
    fn keeps_every_step_while_there_is_room() {
        let mut p = Path::with_capacity(&[0.0], 8);
        for k in 1..=5 {
            p.push(k, &[k as f64]);
        }
        assert_eq!(steps_of(&p), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    }

    #[test]
    fn thins_to_even_steps_then_keeps_the_current_point() {
        // Capacity 8: pushing steps 1..=8 makes 9 points → keep steps 0, 2, 4, 6, 8.
        let mut p = Path::with_capacity(&[0.0], 8);
        for k in 1..=8 {
            p.push(k, &[k as f64]);
        }
        assert_eq!(steps_of(&p), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        // Step 9 is off the stride: shown as the current point...
        p.push(9, &[9.0]);
        assert_eq!(steps_of(&p), vec![0.0, 2.0, 4.0, 6.0, 8.0, 9.0]);
        // ...and replaced by step 10, which is on it.
        p.push(10, &[10.0]);
        assert_eq!(steps_of(&p), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
    }

    #[test]
    fn stays_bounded_over_a_long_run() {
        let mut p = Path::with_capacity(&[0.0], 100);
        for k in 1..=100_000 {
            p.push(k, &[k as f64]);
        }
        assert!(p.points().len() <= 100);
        assert_eq!(p.points()[0], vec![0.0]);
        assert_eq!(p.points().last().unwrap(), &vec![100_000.0]);
    }
}
