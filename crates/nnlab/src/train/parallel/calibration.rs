//! Is the team faster than one worker on this machine? Steps timed each way
//! decide — not the number of cores: on two cores with the page drawing, a
//! second worker can lose (`docs/parallel-training.md`). The page times
//! chunks of its run's own training, alternating the two ways
//! (`nnlab-worker`'s `team_choice`); this is the verdict of such rounds.

/// The team must beat one worker by this factor to be used: a tie is not
/// worth the other cores.
pub const MIN_GAIN: f64 = 1.05;

/// Milliseconds per step of one worker alone and of the team, measured on
/// the same batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    /// Workers in the team.
    pub size: usize,
    /// One worker alone, in the median round (see [`Calibration::from_rounds`]).
    pub alone_ms: f64,
    /// The whole team, in the median round.
    pub team_ms: f64,
    /// The median round's ratio alone / team: the median over the rounds
    /// of their ratios, so one round disturbed by a burst of other work
    /// (the page drawing what just arrived) does not decide.
    pub ratio: f64,
}

impl Calibration {
    /// How many times faster the team trained than one worker, to the
    /// hundredth: the figure the page shows, so that the verdict and the
    /// figure agree (a ratio of 1.0496 is shown as 1.05 and uses the team).
    pub fn speedup(&self) -> f64 {
        (self.ratio * 100.0).round() / 100.0
    }

    /// The verdict of timed `rounds`, each (milliseconds per step alone,
    /// on the team of `size`): the median round by its ratio alone / team
    /// (of an even number, the lower of the two middle ones), so that the
    /// times shown beside the ratio are the ones that gave it. Rounds with
    /// a time of zero are left out; none left gives a ratio of 0.
    pub fn from_rounds(size: usize, rounds: &[(f64, f64)]) -> Calibration {
        let mut timed: Vec<(f64, f64)> = rounds
            .iter()
            .copied()
            .filter(|&(a, t)| a > 0.0 && t > 0.0)
            .collect();
        timed.sort_by(|x, y| (x.0 / x.1).total_cmp(&(y.0 / y.1)));
        let Some(&(alone_ms, team_ms)) = timed.get(timed.len().saturating_sub(1) / 2) else {
            return Calibration {
                size,
                alone_ms: 0.0,
                team_ms: 0.0,
                ratio: if size > 1 { 0.0 } else { 1.0 },
            };
        };
        Calibration {
            size,
            alone_ms,
            team_ms,
            ratio: if size > 1 { alone_ms / team_ms } else { 1.0 },
        }
    }

    /// Train on the team: it has more than one worker and beat one worker
    /// by at least [`MIN_GAIN`].
    pub fn use_team(&self) -> bool {
        self.size > 1 && self.speedup() >= MIN_GAIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_is_the_median_round() {
        // Rounds of 1.6×, 1.5× and a disturbed 0.5×: 1.5×, a clear gain.
        let c = Calibration::from_rounds(2, &[(4.0, 2.5), (3.0, 2.0), (2.0, 4.0)]);
        assert_eq!(c.ratio, 1.5);
        assert!(c.use_team());
        assert!(!Calibration { ratio: 1.04, ..c }.use_team(), "below 1.05×");
        // Shown as 1.05 (the page prints hundredths), so it is used: the
        // page never says "measured 1.05×: not faster".
        assert!(Calibration { ratio: 1.0496, ..c }.use_team());
        assert!(!Calibration { ratio: 1.0449, ..c }.use_team());
        assert_eq!(Calibration { ratio: 1.0496, ..c }.speedup(), 1.05);
        assert!(!Calibration { size: 1, ..c }.use_team());
    }

    #[test]
    fn the_median_round_by_ratio_gives_the_verdict_and_its_times() {
        // Alone 4, 5, 6 ms a step; the team 2.5, 2.5, 6: ratios 1.6, 2, 1.
        // The median round is the first: its times, not each way's median
        // (5 and 2.5, which would read as 2× beside a verdict of 1.6×).
        let c = Calibration::from_rounds(2, &[(4.0, 2.5), (5.0, 2.5), (6.0, 6.0)]);
        assert_eq!((c.alone_ms, c.team_ms, c.ratio), (4.0, 2.5, 1.6));
        // Of four rounds (ratios 0.5, 1, 1.25, 2) the lower middle one.
        let c = Calibration::from_rounds(2, &[(4.0, 2.0), (4.0, 8.0), (5.0, 4.0), (3.0, 3.0)]);
        assert_eq!((c.alone_ms, c.team_ms, c.ratio), (3.0, 3.0, 1.0));
        // A round that timed nothing (no step finished) does not count.
        let c = Calibration::from_rounds(2, &[(4.0, 2.0), (0.0, 3.0), (6.0, 0.0)]);
        assert_eq!((c.alone_ms, c.team_ms, c.ratio), (4.0, 2.0, 2.0));
        let none = Calibration::from_rounds(2, &[(0.0, 3.0)]);
        assert_eq!(none.ratio, 0.0);
        assert!(!none.use_team());
        assert_eq!(Calibration::from_rounds(1, &[(4.0, 4.0)]).ratio, 1.0);
    }
}
