//! Is the team faster than one worker on this machine? A few steps each way,
//! measured, decide — not the number of cores: on two cores with the page
//! drawing, a second worker can lose (`docs/parallel-training.md`).

use super::shard::Shard;
use super::sharded_step::ShardedStep;
use super::team::Team;
use crate::error::Result;
use crate::nn::step::TrainStep;
use crate::nn::Mlp;
use crate::optim::{self, Hyper, OptimizerKind};

/// The team must beat one worker by this factor to be used: a tie is not
/// worth the other cores.
pub const MIN_GAIN: f64 = 1.05;

/// Milliseconds per step of one worker alone and of the team, measured on
/// the same batch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Calibration {
    /// Workers in the team.
    pub size: usize,
    /// One worker alone.
    pub alone_ms: f64,
    /// The whole team.
    pub team_ms: f64,
}

impl Calibration {
    /// How many times faster the team trained than one worker.
    pub fn speedup(&self) -> f64 {
        if self.team_ms > 0.0 {
            self.alone_ms / self.team_ms
        } else {
            0.0
        }
    }

    /// Train on the team: it has more than one worker and beat one worker
    /// by at least [`MIN_GAIN`].
    pub fn use_team(&self) -> bool {
        self.size > 1 && self.speedup() >= MIN_GAIN
    }
}

/// How long to measure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    /// Untimed steps both ways first, for this many milliseconds: a browser
    /// runs freshly loaded wasm on a quick first compilation and swaps in
    /// optimised code while it runs (measured in Chromium right after the
    /// data arrived: one Worker 6.5 ms a step, against 4 ms a few seconds later).
    pub warm_up_ms: f64,
    /// Timed rounds, each `steps` steps alone then `steps` on the team.
    pub rounds: usize,
    /// Steps per round and way.
    pub steps: usize,
}

/// Times `plan.rounds` × `plan.steps` training steps of a copy of `net`
/// (with a fresh optimiser `kind`, `hyper`) on the batch `x` / `labels`,
/// alternating one worker alone and the whole `team` round by round, so a
/// machine that gets busier or quieter meanwhile weighs on both alike.
/// `net` is not changed; the team is left holding the copy (a trainer
/// shares its own network again before its next step, see [`Team::shares`]).
#[allow(clippy::too_many_arguments)]
pub fn calibrate(
    net: &Mlp,
    kind: OptimizerKind,
    hyper: Hyper,
    x: &[f32],
    labels: &[usize],
    team: &mut dyn Team,
    clock: &mut dyn FnMut() -> f64,
    plan: Plan,
) -> Result<Calibration> {
    let Plan {
        warm_up_ms,
        rounds,
        steps,
    } = plan;
    let size = team.size();
    let (mut alone_net, mut team_net) = (net.clone(), net.clone());
    let mut alone_opt = optim::build::<f32>(kind, hyper)?;
    let mut team_opt = optim::build::<f32>(kind, hyper)?;
    let mut alone_step = TrainStep::new();
    let mut team_step = ShardedStep::new();
    let shard = Shard::new(&net.spec, 0, size);
    if size > 1 {
        team.share(net, kind, hyper)?;
    }
    // Untimed steps each way (at least one): buffers are made, caches and
    // the compiled code warmed.
    let start = clock();
    loop {
        alone_step.train_batch(&mut alone_net, alone_opt.as_mut(), x, labels)?;
        if size > 1 {
            team.begin_step(x, labels, hyper.lr)?;
            team_step.train_batch(
                &shard,
                &mut team_net,
                team_opt.as_mut(),
                x,
                labels,
                team.exchange(),
            )?;
        }
        if clock() - start >= warm_up_ms {
            break;
        }
    }
    let (mut alone_ms, mut team_ms) = (0.0, 0.0);
    for _ in 0..rounds {
        let t = clock();
        for _ in 0..steps {
            alone_step.train_batch(&mut alone_net, alone_opt.as_mut(), x, labels)?;
        }
        alone_ms += clock() - t;
        if size > 1 {
            let t = clock();
            for _ in 0..steps {
                team.begin_step(x, labels, hyper.lr)?;
                team_step.train_batch(
                    &shard,
                    &mut team_net,
                    team_opt.as_mut(),
                    x,
                    labels,
                    team.exchange(),
                )?;
            }
            team_ms += clock() - t;
        }
    }
    let n = (rounds * steps).max(1) as f64;
    let alone_ms = alone_ms / n;
    Ok(Calibration {
        size,
        alone_ms,
        team_ms: if size > 1 { team_ms / n } else { alone_ms },
    })
}
