//! One worker against a team of threads on the lecture's step (native):
//! `cargo run --release -p nnlab-bench --example team_bench [seconds] [threads]`.
//! Prints ms per step alone and on the team, and where worker 0's team steps
//! went (compute, exchanges, Adam) — the native half of
//! `docs/parallel-training.md`.

use std::time::Instant;

use nnlab::init::Init;
use nnlab::nn::step::TrainStep;
use nnlab::nn::{Mlp, MlpSpec};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::train::parallel::threads::ThreadTeam;
use nnlab::train::parallel::{Shard, ShardedStep, Team};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn now_ms() -> f64 {
    thread_local! { static START: Instant = Instant::now(); }
    START.with(|s| s.elapsed().as_secs_f64() * 1000.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seconds: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let size: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let spec = MlpSpec::lecture_cifar();
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let x: Vec<f32> = (0..64 * 3072).map(|_| rng.random::<f32>()).collect();
    let labels: Vec<usize> = (0..64).map(|_| rng.random_range(0..10)).collect();
    let net = Mlp::new(spec.clone(), Init::PyTorchDefault, 0).unwrap();
    let kind = OptimizerKind::Adam;
    let hyper = Hyper::defaults(kind);

    let mut alone = net.clone();
    let mut opt = optim::build::<f32>(kind, hyper).unwrap();
    let mut step = TrainStep::new();
    let (start, mut steps) = (now_ms(), 0);
    while now_ms() - start < seconds * 1000.0 {
        step.train_batch(&mut alone, opt.as_mut(), &x, &labels)
            .unwrap();
        steps += 1;
    }
    let alone_ms = (now_ms() - start) / steps as f64;

    let mut team = ThreadTeam::start(&spec, size).unwrap();
    let mut mine = net.clone();
    let mut opt = optim::build::<f32>(kind, hyper).unwrap();
    team.share(&mine, kind, hyper).unwrap();
    let shard = Shard::new(&spec, 0, size);
    let mut sharded = ShardedStep::new();
    sharded.set_clock(Some(now_ms));
    let (start, mut steps) = (now_ms(), 0);
    while now_ms() - start < seconds * 1000.0 {
        team.begin_step(&x, &labels, hyper.lr, false).unwrap();
        sharded
            .train_batch(
                &shard,
                &mut mine,
                opt.as_mut(),
                &x,
                &labels,
                team.exchange(),
            )
            .unwrap();
        steps += 1;
    }
    let team_ms = (now_ms() - start) / steps as f64;
    let t = sharded.times();
    let per = |v: f64| v / t.steps as f64;
    println!(
        "alone: {alone_ms:.3} ms/step ({:.0} samples/s)",
        64.0 / alone_ms * 1000.0
    );
    println!(
        "team of {size}: {team_ms:.3} ms/step ({:.0} samples/s), {:.2}x; worker 0 per step: compute {:.3} ms, exchanges {:.3} ms, Adam {:.3} ms",
        64.0 / team_ms * 1000.0,
        alone_ms / team_ms,
        per(t.compute_ms()),
        per(t.exchange_ms),
        per(t.update_ms),
    );
}
