//! How much of the training Worker's time goes to training, natively: the
//! session (batches from bytes, statistics, evaluations, snapshots) against
//! its bare training steps, on synthetic CIFAR-sized data.
//!
//! `cargo run --release -p nnlab-worker --example session_speed [seconds]`

use std::time::Instant;

use nnlab::data::{Cifar10, RECORD_BYTES};
use nnlab_worker::protocol::{RunConfig, ToPage, ToWorker};
use nnlab_worker::session::Session;

fn records(n: usize, seed: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * RECORD_BYTES);
    for i in 0..n {
        out.push(((i * 7 + seed) % 10) as u8);
        out.extend((0..RECORD_BYTES - 1).map(|j| ((i * 31 + j * 17 + seed) % 251) as u8));
    }
    out
}

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    // Five batch files of 10,000 records, as the official archive has them.
    let names: Vec<String> = (1..=5).map(|i| format!("data_batch_{i}.bin")).collect();
    let batches: Vec<Vec<u8>> = (1..=5).map(|i| records(10_000, i)).collect();
    let test = records(1_000, 0);
    let mut files: Vec<(&str, &[u8])> = names
        .iter()
        .zip(&batches)
        .map(|(name, records)| (name.as_str(), records.as_slice()))
        .collect();
    files.push(("test_batch.bin", &test));
    let cifar = Cifar10::from_files(&files).expect("synthetic records");
    let start = Instant::now();
    let mut clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let mut session = Session::new();
    session.set_data(cifar, clock());
    let config = RunConfig {
        train_size: 50_000,
        ..RunConfig::lecture()
    };
    session.handle(ToWorker::Configure { config }, clock());
    session.handle(ToWorker::Run, clock());
    let t0 = clock();
    let (mut updates, mut kinds) = (0, std::collections::BTreeMap::<&str, usize>::new());
    while clock() - t0 < seconds * 1000.0 {
        for message in session.run_chunk(&mut clock) {
            let kind = match &message {
                ToPage::Stats(s) => {
                    updates = s.updates;
                    "stats"
                }
                ToPage::Test(_) => "test",
                ToPage::Snapshot(_) => "snapshot",
                _ => "other",
            };
            *kinds.entry(kind).or_default() += 1;
        }
    }
    let elapsed = (clock() - t0) / 1000.0;
    println!(
        "session: {updates} updates in {elapsed:.1} s = {:.0} samples/s; messages {kinds:?}",
        updates as f64 * 64.0 / elapsed
    );
}
