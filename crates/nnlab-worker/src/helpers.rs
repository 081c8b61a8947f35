//! Data-parallel training across Web Workers ([`nnlab::train::helpers`] in
//! the browser): the training Worker starts helper Workers (the same wasm
//! program, told [`ToWorker::BecomeHelper`]) and, for every batch, hands
//! each the current weights and some rows through shared memory; they send
//! back the gradients of their rows the same way.
//!
//! Why shared memory and `Atomics.wait`, not messages: a step takes about
//! 2 ms, and a message between Workers waits for the receiver's event loop.
//! Here a helper blocks in `Atomics.wait` until the training Worker bumps
//! the job number, and the training Worker blocks (after its own part) until
//! every helper has published its result — both are Workers, so blocking is
//! allowed. Shared memory needs a cross-origin isolated page (the project's
//! server sends COOP/COEP); without it the Worker trains alone.
//!
//! Buffers (each a `SharedArrayBuffer`; wasm's own memory is not shared):
//! - `weights`, one for all helpers: every parameter in slot order;
//! - per helper: `control` (job number, job done, rows, batch size),
//!   `x` and `labels` (its rows), `grads` (its gradients, slot order) and
//!   `result` (loss sum, correct count).

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{
    Array, Atomics, Float32Array, Float64Array, Int32Array, Object, Reflect, SharedArrayBuffer,
};
use nnlab::init::Init;
use nnlab::nn::step::TrainStep;
use nnlab::nn::{Mlp, MlpSpec};
use nnlab::train::{BatchHelpers, PartResult};
use nnlab::Error;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use crate::protocol::{ToPage, ToWorker};

/// Rows a helper can take: the largest batch the page offers.
const MAX_ROWS: usize = 256;
/// How long the training Worker waits for a helper before giving up on it.
const TIMEOUT_MS: f64 = 10_000.0;
/// `control` slots.
const JOB: u32 = 0;
const DONE: u32 = 1;
const ROWS: u32 = 2;
const BATCH: u32 = 3;

/// One helper's shared buffers, as typed views.
#[derive(Clone)]
struct Shared {
    control: Int32Array,
    weights: Float32Array,
    x: Float32Array,
    labels: Int32Array,
    grads: Float32Array,
    result: Float64Array,
}

impl Shared {
    fn new(weights: &Float32Array, spec: &MlpSpec) -> Shared {
        let floats = |n: usize| Float32Array::new(&SharedArrayBuffer::new((4 * n) as _));
        Shared {
            control: Int32Array::new(&SharedArrayBuffer::new(16)),
            weights: weights.clone(),
            x: floats(MAX_ROWS * spec.input),
            labels: Int32Array::new(&SharedArrayBuffer::new((4 * MAX_ROWS) as _)),
            grads: floats(spec.param_count()),
            result: Float64Array::new(&SharedArrayBuffer::new(16)),
        }
    }

    /// The buffers, to post beside [`ToWorker::BecomeHelper`].
    fn to_array(&self) -> Array {
        [
            self.control.buffer(),
            self.weights.buffer(),
            self.x.buffer(),
            self.labels.buffer(),
            self.grads.buffer(),
            self.result.buffer(),
        ]
        .iter()
        .collect()
    }

    fn from_array(array: &Array) -> Option<Shared> {
        Some(Shared {
            control: Int32Array::new(&array.get(0)),
            weights: Float32Array::new(&array.get(1)),
            x: Float32Array::new(&array.get(2)),
            labels: Int32Array::new(&array.get(3)),
            grads: Float32Array::new(&array.get(4)),
            result: Float64Array::new(&array.get(5)),
        })
        .filter(|s| s.control.length() == 4 && s.result.length() == 2)
    }
}

/// Where each parameter (slot order: weight 0, bias 0, weight 1, …) lies in
/// the flat `weights` and `grads` buffers: (offset, length), in floats.
fn layout(spec: &MlpSpec) -> Vec<(u32, u32)> {
    let mut at = 0;
    spec.layer_sizes()
        .flat_map(|(inputs, outputs)| [outputs * inputs, outputs])
        .map(|len| {
            let place = (at, len as u32);
            at += len as u32;
            place
        })
        .collect()
}

fn js_error(e: JsValue) -> Error {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"));
    Error::InvalidData(format!("training helper: {text}"))
}

/// The training Worker's side: its helpers and their buffers.
pub struct WorkerHelpers {
    spec: MlpSpec,
    /// [`layout`] of `spec`.
    layout: Vec<(u32, u32)>,
    weights: Float32Array,
    helpers: Vec<(Worker, Shared)>,
    /// Helpers that have answered [`ToPage::WorkerReady`] and got their buffers.
    ready: Rc<Cell<usize>>,
    _on_message: Vec<Closure<dyn FnMut(MessageEvent)>>,
    /// The job number of the step in flight.
    job: i32,
    /// Rows handed to each helper in the step in flight.
    rows: Vec<usize>,
    /// A helper's gradient of one slot (reused).
    scratch: Vec<f32>,
    /// Its labels as `i32` (reused).
    labels: Vec<i32>,
}

impl WorkerHelpers {
    /// Starts `count` helper Workers from `loader` (this Worker's own
    /// script) for networks of `spec`. `None` if the page is not
    /// cross-origin isolated (no shared memory) or a Worker cannot start.
    pub fn start(loader: &str, count: usize, spec: MlpSpec) -> Option<WorkerHelpers> {
        let isolated = Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if !isolated || count == 0 {
            return None;
        }
        let weights = Float32Array::new(&SharedArrayBuffer::new((4 * spec.param_count()) as _));
        let ready = Rc::new(Cell::new(0));
        let mut helpers = Vec::new();
        let mut closures = Vec::new();
        for _ in 0..count {
            let Ok(worker) = Worker::new(loader) else {
                helpers
                    .iter()
                    .for_each(|(w, _): &(Worker, Shared)| w.terminate());
                return None;
            };
            let shared = Shared::new(&weights, &spec);
            let init = ToWorker::BecomeHelper { spec: spec.clone() }
                .to_bytes()
                .ok()?;
            let (target, buffers, ready) = (worker.clone(), shared.to_array(), ready.clone());
            let sent = Rc::new(Cell::new(false));
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let ready_now = Reflect::get(&event.data(), &"message".into())
                    .ok()
                    .and_then(|m| m.dyn_into::<js_sys::Uint8Array>().ok())
                    .and_then(|m| {
                        ToPage::decode(crate::protocol::Envelope {
                            message: m.to_vec(),
                            blobs: Vec::new(),
                        })
                        .ok()
                    })
                    == Some(ToPage::WorkerReady);
                if ready_now && !sent.get() {
                    let object = Object::new();
                    let posted = Reflect::set(
                        &object,
                        &"message".into(),
                        &js_sys::Uint8Array::from(init.as_slice()),
                    )
                    .and_then(|_| Reflect::set(&object, &"shared".into(), &buffers))
                    .and_then(|_| target.post_message(&object));
                    if posted.is_ok() {
                        sent.set(true);
                        ready.set(ready.get() + 1);
                    }
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            closures.push(on_message);
            helpers.push((worker, shared));
        }
        Some(WorkerHelpers {
            layout: layout(&spec),
            spec,
            weights,
            helpers,
            ready,
            _on_message: closures,
            job: 0,
            rows: Vec::new(),
            scratch: Vec::new(),
            labels: Vec::new(),
        })
    }

    /// How many helpers there are.
    pub fn count(&self) -> usize {
        self.helpers.len()
    }

    /// Every helper has its buffers (only then can steps use them).
    pub fn ready(&self) -> bool {
        self.ready.get() == self.helpers.len()
    }
}

impl Drop for WorkerHelpers {
    fn drop(&mut self) {
        for (worker, _) in &self.helpers {
            worker.terminate();
        }
    }
}

impl BatchHelpers for WorkerHelpers {
    fn active(&self) -> usize {
        if self.ready() {
            self.helpers.len()
        } else {
            0
        }
    }

    fn rows_for(&self, batch: usize) -> usize {
        if !self.ready() {
            return 0;
        }
        let n = self.helpers.len();
        // An equal share for each Worker, this one included; at most MAX_ROWS each.
        (batch * n / (n + 1)).min(n * MAX_ROWS)
    }

    fn start(&mut self, net: &Mlp, x: &[f32], labels: &[usize], batch: usize) -> nnlab::Result<()> {
        if net.spec != self.spec {
            return Err(Error::InvalidData(
                "the helpers were made for another network".into(),
            ));
        }
        // The weights as they are now, once for all helpers.
        let params = net
            .layers
            .iter()
            .flat_map(|l| [l.weight.data(), l.bias.data()]);
        for (&(at, len), data) in self.layout.iter().zip(params) {
            self.weights.subarray(at, at + len).copy_from(data);
        }
        self.job = self.job.wrapping_add(1).max(1);
        let (input, n) = (self.spec.input, self.helpers.len());
        let rows = labels.len();
        self.rows.clear();
        let mut from = 0;
        for (i, (_, shared)) in self.helpers.iter().enumerate() {
            // Contiguous shares, the earlier helpers taking the remainder.
            let take = rows / n + usize::from(i < rows % n);
            let to = from + take;
            shared
                .x
                .subarray(0, (take * input) as u32)
                .copy_from(&x[from * input..to * input]);
            self.labels.clear();
            self.labels
                .extend(labels[from..to].iter().map(|&l| l as i32));
            shared
                .labels
                .subarray(0, take as u32)
                .copy_from(&self.labels);
            Atomics::store(&shared.control, ROWS, take as i32).map_err(js_error)?;
            Atomics::store(&shared.control, BATCH, batch as i32).map_err(js_error)?;
            Atomics::store(&shared.control, JOB, self.job).map_err(js_error)?;
            Atomics::notify(&shared.control, JOB).map_err(js_error)?;
            self.rows.push(take);
            from = to;
        }
        Ok(())
    }

    fn finish(&mut self, step: &mut TrainStep) -> nnlab::Result<PartResult> {
        let mut total = PartResult::default();
        for (i, (_, shared)) in self.helpers.iter().enumerate() {
            if self.rows.get(i).copied().unwrap_or(0) == 0 {
                continue;
            }
            loop {
                let done = Atomics::load(&shared.control, DONE).map_err(js_error)?;
                if done == self.job {
                    break;
                }
                let answer = Atomics::wait_with_timeout(&shared.control, DONE, done, TIMEOUT_MS)
                    .map_err(js_error)?;
                if answer == "timed-out" {
                    return Err(Error::InvalidData(
                        "a training helper stopped answering; training goes on in one Worker"
                            .into(),
                    ));
                }
            }
            let (loss_sum, correct) = (shared.result.get_index(0), shared.result.get_index(1));
            if !correct.is_finite() {
                return Err(Error::InvalidData(
                    "a training helper could not compute its part".into(),
                ));
            }
            total.loss_sum += loss_sum;
            total.correct += correct as usize;
            for (slot, &(at, len)) in self.layout.iter().enumerate() {
                self.scratch.resize(len as usize, 0.0);
                shared
                    .grads
                    .subarray(at, at + len)
                    .copy_to(&mut self.scratch);
                step.add_to_grad(slot, &self.scratch);
            }
        }
        Ok(total)
    }
}

/// The helper's side: computes gradients for every job the training Worker
/// posts, forever (the training Worker terminates it). Returns only on a
/// broken setup, with the reason.
pub fn serve(spec: MlpSpec, shared: &JsValue) -> Result<(), String> {
    let shared = shared
        .dyn_ref::<Array>()
        .and_then(Shared::from_array)
        .ok_or("a helper without its shared buffers")?;
    let layout = layout(&spec);
    let mut net = Mlp::new(spec, Init::PyTorchDefault, 0).map_err(|e| e.to_string())?;
    let input = net.spec.input;
    let mut step = TrainStep::new();
    let (mut x, mut labels32) = (vec![0.0f32; MAX_ROWS * input], vec![0i32; MAX_ROWS]);
    let mut labels = vec![0usize; MAX_ROWS];
    let mut seen = 0;
    let fail = |e: JsValue| format!("training helper: {e:?}");
    loop {
        Atomics::wait(&shared.control, JOB, seen).map_err(fail)?;
        let job = Atomics::load(&shared.control, JOB).map_err(fail)?;
        if job == seen {
            continue;
        }
        seen = job;
        let rows = (Atomics::load(&shared.control, ROWS).map_err(fail)? as usize).min(MAX_ROWS);
        let batch = Atomics::load(&shared.control, BATCH).map_err(fail)? as usize;
        let params = net
            .layers
            .iter_mut()
            .flat_map(|l| [l.weight.data_mut(), l.bias.data_mut()]);
        for (&(at, len), data) in layout.iter().zip(params) {
            shared.weights.subarray(at, at + len).copy_to(data);
        }
        shared
            .x
            .subarray(0, (rows * input) as u32)
            .copy_to(&mut x[..rows * input]);
        shared
            .labels
            .subarray(0, rows as u32)
            .copy_to(&mut labels32[..rows]);
        labels.clear();
        labels.extend(labels32[..rows].iter().map(|&l| l.max(0) as usize));
        match step.part_gradients(&net, &x[..rows * input], &labels, batch) {
            Ok(part) => {
                for (&(at, len), grad) in layout.iter().zip(step.grads()) {
                    shared.grads.subarray(at, at + len).copy_from(grad);
                }
                shared
                    .result
                    .set_index(0, f64::from(part.loss) * rows as f64);
                shared.result.set_index(1, part.correct as f64);
            }
            Err(_) => shared.result.set_index(1, f64::NAN),
        }
        Atomics::store(&shared.control, DONE, job).map_err(fail)?;
        Atomics::notify(&shared.control, DONE).map_err(fail)?;
    }
}
