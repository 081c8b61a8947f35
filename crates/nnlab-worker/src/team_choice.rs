//! One Worker or the team: measured at a run's start and again and again
//! while it trains, on the run's own steps.
//!
//! On a shared machine the other load comes and goes within minutes — on
//! this project's 2-core host two threads went from 1.46× one to 0.66×
//! within the hour — and the page's own drawing changes with what the
//! student looks at. So a run begins with a trial, and every
//! [`TRIAL_EVERY_MS`] of training trains another: [`TRIAL_ORDER`] chunks,
//! one Worker and the team alternating. These are the run's own steps (the
//! optimiser's state moves with the rows,
//! [`Trainer::leave_team`](nnlab::train::Trainer::leave_team)), so a trial
//! loses only the slower way's time: with the team 1.3× one, about 0.2 s.
//! The median of its five pairs decides ([`Calibration`]); the run then
//! trains the faster way until the next.
//!
//! Before a page's first trial both ways train untimed for a while
//! ([`WARM_UP_MS`]): right after the data arrives the browser still runs the
//! Workers' wasm on its quick first compilation and swaps in optimised code
//! while it runs.

use nnlab::train::parallel::Calibration;

/// Training time between two trials (milliseconds of chunks).
pub const TRIAL_EVERY_MS: f64 = 20_000.0;
/// Chunks of both ways, alternating and untimed, before a page's first
/// trial (milliseconds). Measured in fresh pages (when the start timed
/// bare steps on a copy of the network): with 0.4 s of warm-up two Workers
/// measured 0.87–1.25× one and three of four pages kept one Worker where
/// two asked for trained 1.17× as fast; with 1.5 s, 1.17–1.49×, all four on
/// the team (`docs/parallel-training.md`).
pub const WARM_UP_MS: f64 = 1_500.0;
/// Which way each chunk of a trial trains (true: on the team): five
/// pairs, each one chunk each way, in the order alone-team, team-alone,
/// alone-team, …, so that a machine getting busier or quieter during the
/// trial weighs on both ways alike. (With three pairs, one of six trials
/// in a page on this project's busy host chose one Worker where the 20 s
/// before and after ran 6–11 % faster on the team.)
pub const TRIAL_ORDER: [bool; 10] = [
    false, true, true, false, false, true, true, false, false, true,
];

/// One chunk of a trial: which way, steps, milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Chunk {
    on_team: bool,
    steps: usize,
    ms: f64,
}

/// When the next trial is due, and the one under way.
#[derive(Clone, Debug, Default)]
pub struct TeamChoice {
    /// Milliseconds of training chunks so far.
    trained_ms: f64,
    /// When (in `trained_ms`) the next trial begins.
    next_trial_ms: f64,
    /// Chunks trained before the first trial (they alternate).
    warm_up_chunks: usize,
    /// The chunks of the trial under way, if one is.
    trial: Option<Vec<Chunk>>,
}

impl TeamChoice {
    /// The first trial after `warm_up_ms` of chunks (0: at once), the
    /// next ones every [`TRIAL_EVERY_MS`].
    pub fn new(warm_up_ms: f64) -> TeamChoice {
        TeamChoice {
            next_trial_ms: warm_up_ms.max(0.0),
            ..TeamChoice::default()
        }
    }

    /// A trial is under way.
    pub fn in_trial(&self) -> bool {
        self.trial.is_some()
    }

    /// Which way the next chunk trains (true: on the team): the way the
    /// last trial chose (`current`), unless a trial is under way or due;
    /// before the first trial (`current` is `None`) the two alternate.
    pub fn next_chunk(&mut self, current: Option<bool>) -> bool {
        if self.trial.is_none() && self.trained_ms >= self.next_trial_ms {
            self.trial = Some(Vec::with_capacity(TRIAL_ORDER.len()));
        }
        match (&self.trial, current) {
            (Some(chunks), _) => TRIAL_ORDER[chunks.len()],
            (None, Some(way)) => way,
            (None, None) => {
                self.warm_up_chunks += 1;
                self.warm_up_chunks.is_multiple_of(2)
            }
        }
    }

    /// A chunk trained `steps` steps in `ms` milliseconds, on the team of
    /// `size` or alone. At the end of a trial, its verdict.
    pub fn record(
        &mut self,
        on_team: bool,
        steps: usize,
        ms: f64,
        size: usize,
    ) -> Option<Calibration> {
        self.trained_ms += ms.max(0.0);
        let chunks = self.trial.as_mut()?;
        chunks.push(Chunk { on_team, steps, ms });
        if chunks.len() < TRIAL_ORDER.len() {
            return None;
        }
        let per_step = |c: &Chunk| {
            if c.steps > 0 {
                c.ms / c.steps as f64
            } else {
                0.0
            }
        };
        let rounds: Vec<(f64, f64)> = chunks
            .chunks_exact(2)
            .map(|pair| {
                let (alone, team) = if pair[0].on_team {
                    (&pair[1], &pair[0])
                } else {
                    (&pair[0], &pair[1])
                };
                (per_step(alone), per_step(team))
            })
            .collect();
        self.trial = None;
        self.next_trial_ms = self.trained_ms + TRIAL_EVERY_MS;
        Some(Calibration::from_rounds(size, &rounds))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs chunks of 150 ms until a verdict, the team taking `team_ms`
    /// and one Worker `alone_ms` a step; the ways the chunks trained.
    fn trial(
        choice: &mut TeamChoice,
        current: Option<bool>,
        alone_ms: f64,
        team_ms: f64,
    ) -> (Vec<bool>, Calibration) {
        let mut ways = Vec::new();
        loop {
            let on_team = choice.next_chunk(current);
            ways.push(on_team);
            let per_step = if on_team { team_ms } else { alone_ms };
            let steps = (150.0 / per_step) as usize;
            if let Some(verdict) = choice.record(on_team, steps, steps as f64 * per_step, 2) {
                return (ways, verdict);
            }
            assert!(ways.len() < 1000, "a trial every 20 s of training");
        }
    }

    #[test]
    fn a_run_warms_up_both_ways_then_measures_and_again_every_twenty_seconds() {
        let mut choice = TeamChoice::new(WARM_UP_MS);
        // 1.5 s of chunks of 150 ms (30 steps of 5 ms alone, 50 of 3 on the
        // team), alternating from one Worker, then the trial.
        let (ways, verdict) = trial(&mut choice, None, 5.0, 3.0);
        let warm_up = [false, true].repeat(5);
        assert_eq!(ways, [&warm_up[..], &TRIAL_ORDER[..]].concat());
        assert_eq!((verdict.alone_ms, verdict.team_ms), (5.0, 3.0));
        assert!((verdict.ratio - 5.0 / 3.0).abs() < 1e-12);
        assert!(verdict.use_team());
        assert!(!choice.in_trial());
        // 20 s on the team, then a trial measuring a team that became slower.
        let (ways, verdict) = trial(&mut choice, Some(true), 4.0, 5.0);
        let before = ways.len() - TRIAL_ORDER.len();
        assert_eq!(before, 134, "20 s of 150 ms chunks");
        assert!(ways[..before].iter().all(|&w| w));
        assert_eq!(ways[before..], TRIAL_ORDER);
        assert_eq!((verdict.alone_ms, verdict.team_ms), (4.0, 5.0));
        assert!(!verdict.use_team(), "0.8×: back to one Worker");
        // Without a warm-up (the page's Workers have trained before), the
        // trial comes first.
        let mut choice = TeamChoice::new(0.0);
        let (ways, _) = trial(&mut choice, None, 5.0, 3.0);
        assert_eq!(ways, TRIAL_ORDER);
    }

    #[test]
    fn the_median_pair_decides_and_a_chunk_without_steps_does_not_count() {
        let mut choice = TeamChoice::new(0.0);
        // Pairs (alone, team) ms per step: (4, 2) 2×, (4, 8) 0.5× — the
        // team disturbed —, (4, 3.2) 1.25×, (8, 8) 1× — the machine busy
        // both ways — and (4, 2.5) 1.6×: the median pair, 1.25×.
        let chunks = [
            (false, 10, 40.0),
            (true, 20, 40.0),
            (true, 5, 40.0),
            (false, 10, 40.0),
            (false, 10, 40.0),
            (true, 25, 80.0),
            (true, 10, 80.0),
            (false, 10, 80.0),
            (false, 10, 40.0),
            (true, 16, 40.0),
        ];
        let mut verdict = None;
        for (i, &(on_team, steps, ms)) in chunks.iter().enumerate() {
            assert_eq!(choice.next_chunk(Some(false)), on_team, "chunk {i}");
            verdict = choice.record(on_team, steps, ms, 2);
        }
        let verdict = verdict.expect("ten chunks make a trial");
        assert_eq!(verdict.speedup(), 1.25);
        assert!(verdict.use_team());
        // A trial whose team chunks finished no step (paused at once) gives
        // no ratio, so it cannot choose the team.
        let mut choice = TeamChoice::new(0.0);
        let mut verdict = None;
        for &on_team in &TRIAL_ORDER {
            choice.next_chunk(Some(true));
            verdict = choice.record(on_team, if on_team { 0 } else { 10 }, 40.0, 2);
        }
        assert!(!verdict.expect("a verdict").use_team());
    }
}
