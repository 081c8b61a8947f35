//! Native training and inference speed of the lecture's MLP on one thread.
//!
//! `cargo run --release -p nnlab-bench --example train_bench -- [train seconds] [infer seconds] [--json]`
//!
//! Prints samples/s, GFLOP/s (at the peer harness's FLOP counts) and the
//! fraction of this core's peak reached by the FLOPs actually computed
//! (training skips the gradient with respect to the images, a quarter of the
//! peers' count), where the peak is the best rate of a short
//! in-process probe of nothing but independent vector FMAs on the instruction
//! set the matrix kernels use (see `nnlab_bench::peak`), then each part of a
//! training step timed alone (`nnlab_bench::profile`). With `--json` it
//! prints one JSON object instead, for `scripts/bench.sh`.

use std::time::Instant;

use nnlab_bench::{peak, profile, Workload};

/// Calls per timing of each part of a step.
const PROFILE_REPS: usize = 20;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let mut numbers = args.iter().filter_map(|a| a.parse::<f64>().ok());
    let train_seconds = numbers.next().unwrap_or(10.0);
    let infer_seconds = numbers.next().unwrap_or(4.0);

    let start = Instant::now();
    let clock = move || start.elapsed().as_secs_f64();
    let peak = peak::measure(1.0, &clock);
    let mut workload = Workload::lecture(1234);
    let train = workload.train(train_seconds, &clock);
    let infer = workload.infer(infer_seconds, &clock);
    let parts = profile::measure(PROFILE_REPS, &clock);

    if json {
        let out =
            serde_json::json!({ "peak": peak, "train": train, "infer": infer, "profile": parts });
        println!("{out}");
        return;
    }
    let peak_gflops = peak.as_ref().map(|p| p.gflops);
    match &peak {
        Some(p) => println!("peak ({}): {:.1} GFLOP/s", p.what, p.gflops),
        None => println!("peak: no probe for this target"),
    }
    for r in [&train, &infer] {
        let share = peak_gflops
            .map(|p| format!("{:.0}% of peak", 100.0 * r.gflops_computed / p))
            .unwrap_or_default();
        println!(
            "{:<5} {:>9.0} samples/s  {:>6.1} GFLOP/s  {share}  ({} steps in {:.1} s on {})",
            r.what, r.samples_per_second, r.gflops, r.steps, r.seconds, r.isa
        );
    }
    println!("one training step, part by part:");
    for p in &parts {
        let rate = if p.flop > 0.0 {
            format!("{:>6.1} GFLOP/s", p.flop / p.ms / 1e6)
        } else {
            String::new()
        };
        println!("  {:<48} {:>7.3} ms  {rate}", p.what, p.ms);
    }
}
