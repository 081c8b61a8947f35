//! What the bench page calls: each function runs for a fixed time and
//! returns its result as a JSON string.

use wasm_bindgen::prelude::*;

use crate::workload::Workload;
use crate::{peak, profile};

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, in milliseconds (`std::time::Instant` does not
    /// exist on wasm32-unknown-unknown).
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

fn seconds_now() -> f64 {
    performance_now() / 1000.0
}

/// Trains the lecture's network for `seconds`; returns a
/// [`Report`](crate::Report) as JSON.
#[wasm_bindgen]
pub fn bench_train(seconds: f64) -> String {
    let report = Workload::lecture(1234).train(seconds, &seconds_now);
    serde_json::to_string(&report).expect("a report serialises")
}

/// Runs the lecture's network forward on batches of 64 for `seconds`.
#[wasm_bindgen]
pub fn bench_infer(seconds: f64) -> String {
    let report = Workload::lecture(1234).infer(seconds, &seconds_now);
    serde_json::to_string(&report).expect("a report serialises")
}

/// Each part of a training step timed alone ([`profile`]), as a JSON list.
#[wasm_bindgen]
pub fn bench_profile(reps: usize) -> String {
    serde_json::to_string(&profile::measure(reps, &seconds_now)).expect("a profile serialises")
}

/// The multiply-add ceiling of this build on this core (see [`peak`]), as
/// JSON `{"what": …, "gflops": …}` or `null`.
#[wasm_bindgen]
pub fn bench_peak(seconds: f64) -> String {
    serde_json::to_string(&peak::measure(seconds, &seconds_now)).expect("a peak serialises")
}
