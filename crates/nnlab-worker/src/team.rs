//! Training on several Web Workers at once ([`nnlab::train::parallel`] in
//! the browser): the training Worker (worker 0) starts helper Workers (the
//! same wasm program, told [`ToWorker::BecomeHelper`]); each keeps its rows
//! of every hidden layer and their optimiser state, and every step they
//! exchange only layer activations through shared memory.
//!
//! Why shared memory and `Atomics`, not messages: a step takes 1–3 ms and
//! has five exchanges; a message between Workers waits for the receiver's
//! event loop. Here every exchange ends at a barrier: a worker that arrives
//! spins for a few microseconds (the others are usually a moment away),
//! then sleeps in `Atomics.wait` — so a worker descheduled by the page's
//! drawing costs the others a sleep, not a spinning core. Shared memory
//! needs a cross-origin isolated page (the project's server sends
//! COOP/COEP); without it the Worker trains alone.
//!
//! Buffers (each a `SharedArrayBuffer`; wasm's own memory is not shared),
//! one set for the team:
//! - `control`: the job number and kind, the batch's rows, the optimiser,
//!   and the barrier's count and generation;
//! - `params`: the learning rate, and the hyper-parameters of a new optimiser;
//! - `x`, `labels`: the batch, written by worker 0 (read by the others before
//!   the step's first exchange, so worker 0 can write the next one after it);
//! - `x_next`, `labels_next`: the next step's batch, staged by worker 0 after
//!   the last exchange of a step; the others copy it in when they finish
//!   their part, instead of waiting for it between the steps;
//! - `weights`: every parameter in slot order, to share a network and to
//!   collect the others' rows;
//! - `state`: the optimiser's state vectors in the same layout, one after
//!   the other, to move a run between one Worker and the team;
//! - `parts`: each worker's part of an exchange, two rounds' worth.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{
    Array, Atomics, Float32Array, Float64Array, Int32Array, Object, Reflect, SharedArrayBuffer,
};
use nnlab::nn::{Mlp, MlpSpec};
use nnlab::optim::{Hyper, OptimizerKind};
use nnlab::train::parallel::{
    write_flat, Exchange, FlatState, Follower, PhaseTimes, Piece, Shard, Team,
};
use nnlab::Error;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker};

use crate::protocol::{ToPage, ToWorker};

/// Rows a batch may have: the largest batch the page offers.
const MAX_ROWS: usize = 256;
/// How long a worker waits at a barrier before it gives up on the others.
const TIMEOUT_MS: f64 = 10_000.0;
/// Polls before sleeping, at most and at least (see [`Shared::wait_change`]):
/// about 200 µs and 1 µs.
const MAX_SPINS: u32 = 20_000;
const MIN_SPINS: u32 = 100;

/// `control` slots.
const JOB: u32 = 0;
const KIND: u32 = 1;
const ROWS: u32 = 2;
const OPTIMIZER: u32 = 3;
const COUNT: u32 = 4;
const GENERATION: u32 = 5;
/// How many batches worker 0 has staged ([`Team::stage`]), the rows of the
/// last, and the one a step is to use (0: the step's own, in `x`).
const STAGED: u32 = 6;
const STAGED_ROWS: u32 = 7;
const USE_STAGED: u32 = 8;
const CONTROL_LEN: u32 = 9;

/// `params` slots: the learning rate at 0, a new optimiser's
/// hyper-parameters at 1 to 6, from [`TIMES_AT`] each helper's
/// [`PhaseTimes`] (steps, total, exchanges, update, batch), in rank order,
/// and after those the step count of each slot of a shared optimiser state
/// (−1: not updated yet).
const TIMES_AT: u32 = 8;
const TIMES_LEN: u32 = 5;
/// The most state vectors an optimiser keeps (Adam, Nesterov).
const MAX_STATE_VECTORS: usize = 2;

/// Job kinds.
const STEP: i32 = 1;
const SHARE: i32 = 2;
const COLLECT: i32 = 3;
const SHARE_STATE: i32 = 4;
const COLLECT_STATE: i32 = 5;

// `Atomics` on the `control` array, bound without js-sys's `catch`: js-sys
// calls each through a try/catch wrapper that allocates (an `arguments`
// object and a closure per call), and a barrier polls thousands of times a
// step. In the page that was 120 minor garbage collections a second in the
// Workers (each pausing one while the other waited at the next exchange).
// On an `Int32Array` with an index inside it — `control` is checked to be
// `CONTROL_LEN` long and every slot is a constant below that — these do not
// throw. `Atomics.wait` keeps js-sys's binding: it is called once per sleep.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Atomics, js_name = load)]
    fn atomic_load(array: &Int32Array, index: u32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = store)]
    fn atomic_store(array: &Int32Array, index: u32, value: i32) -> i32;
    /// Returns the value before the addition.
    #[wasm_bindgen(js_namespace = Atomics, js_name = add)]
    fn atomic_add(array: &Int32Array, index: u32, value: i32) -> i32;
    #[wasm_bindgen(js_namespace = Atomics, js_name = notify)]
    fn atomic_notify(array: &Int32Array, index: u32) -> u32;
}

/// The team's shared buffers, as typed views.
#[derive(Clone)]
struct Shared {
    size: usize,
    control: Int32Array,
    params: Float64Array,
    x: Float32Array,
    labels: Int32Array,
    x_next: Float32Array,
    labels_next: Int32Array,
    weights: Float32Array,
    state: Float32Array,
    parts: Float32Array,
    /// Where the step counts of a shared optimiser state start in `params`.
    steps_at: u32,
    /// Floats of one worker's part of one round.
    part_len: u32,
    /// This worker's polls before it sleeps, adapted to how waits end.
    spins: Rc<Cell<u32>>,
}

fn js_error(e: JsValue) -> Error {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"));
    Error::InvalidData(format!("training helper: {text}"))
}

impl Shared {
    fn new(spec: &MlpSpec, size: usize) -> Shared {
        let floats = |n: usize| Float32Array::new(&SharedArrayBuffer::new((4 * n) as u32));
        let widest = spec.layers.iter().copied().max().unwrap_or(0);
        let part_len = (MAX_ROWS * widest) as u32;
        let steps_at = TIMES_AT + TIMES_LEN * size as u32;
        Shared {
            size,
            control: Int32Array::new(&SharedArrayBuffer::new(4 * CONTROL_LEN)),
            params: Float64Array::new(&SharedArrayBuffer::new(
                8 * (steps_at + 2 * spec.layers.len() as u32),
            )),
            x: floats(MAX_ROWS * spec.input),
            labels: Int32Array::new(&SharedArrayBuffer::new((4 * MAX_ROWS) as u32)),
            x_next: floats(MAX_ROWS * spec.input),
            labels_next: Int32Array::new(&SharedArrayBuffer::new((4 * MAX_ROWS) as u32)),
            weights: floats(spec.param_count()),
            state: floats(MAX_STATE_VECTORS * spec.param_count()),
            parts: floats(2 * size * part_len as usize),
            steps_at,
            part_len,
            spins: Rc::new(Cell::new(MAX_SPINS)),
        }
    }

    /// The buffers, to post beside [`ToWorker::BecomeHelper`].
    fn to_array(&self) -> Array {
        [
            self.control.buffer(),
            self.params.buffer(),
            self.x.buffer(),
            self.labels.buffer(),
            self.weights.buffer(),
            self.parts.buffer(),
            self.x_next.buffer(),
            self.labels_next.buffer(),
            self.state.buffer(),
        ]
        .iter()
        .collect()
    }

    fn from_array(array: &Array, spec: &MlpSpec, size: usize) -> Option<Shared> {
        let shared = Shared {
            size,
            control: Int32Array::new(&array.get(0)),
            params: Float64Array::new(&array.get(1)),
            x: Float32Array::new(&array.get(2)),
            labels: Int32Array::new(&array.get(3)),
            weights: Float32Array::new(&array.get(4)),
            parts: Float32Array::new(&array.get(5)),
            x_next: Float32Array::new(&array.get(6)),
            labels_next: Int32Array::new(&array.get(7)),
            state: Float32Array::new(&array.get(8)),
            steps_at: TIMES_AT + TIMES_LEN * size as u32,
            part_len: 0,
            spins: Rc::new(Cell::new(MAX_SPINS)),
        };
        let part_len = shared.parts.length() / (2 * size as u32).max(1);
        let fits = shared.control.length() == CONTROL_LEN
            && shared.weights.length() as usize == spec.param_count()
            && shared.state.length() as usize == MAX_STATE_VECTORS * spec.param_count()
            && shared.params.length() == shared.steps_at + 2 * spec.layers.len() as u32
            && shared.x.length() as usize == MAX_ROWS * spec.input
            && shared.x_next.length() == shared.x.length();
        fits.then_some(Shared { part_len, ..shared })
    }

    fn load(&self, slot: u32) -> i32 {
        atomic_load(&self.control, slot)
    }

    fn store(&self, slot: u32, value: i32) {
        atomic_store(&self.control, slot, value);
    }

    /// Adds 1 to `control[slot]` and returns the new value.
    fn increment(&self, slot: u32) -> i32 {
        atomic_add(&self.control, slot, 1) + 1
    }

    /// Waits until `control[slot]` is no longer `seen`: polling first, then
    /// asleep in `Atomics.wait`; gives up after `timeout_ms` asleep.
    ///
    /// Why poll, and how long: on a quiet machine the others arrive within
    /// microseconds, and waking from `Atomics.wait` costs tens of them, five
    /// times a step. But a worker that polls while the one it waits for is
    /// descheduled (the page drawing, another program) burns the core that
    /// one needs. So the polls adapt: a wait that ended while polling
    /// doubles the next one's budget, one that had to sleep halves it.
    fn wait_change(&self, slot: u32, seen: i32, timeout_ms: f64) -> nnlab::Result<()> {
        let spins = self.spins.get();
        for _ in 0..spins {
            if self.load(slot) != seen {
                self.spins.set((spins * 2).min(MAX_SPINS));
                return Ok(());
            }
        }
        self.spins.set((spins / 2).max(MIN_SPINS));
        loop {
            let answer = Atomics::wait_with_timeout(&self.control, slot, seen, timeout_ms)
                .map_err(js_error)?;
            if self.load(slot) != seen {
                return Ok(());
            }
            if answer == "timed-out" {
                return Err(Error::InvalidData(
                    "a training helper stopped answering; training goes on in one Worker".into(),
                ));
            }
        }
    }

    /// Every worker of the team waits here until all have arrived.
    fn barrier(&self) -> nnlab::Result<()> {
        // The generation is read before arriving: the last to arrive bumps it.
        let generation = self.load(GENERATION);
        if self.increment(COUNT) as usize >= self.size {
            self.store(COUNT, 0);
            self.increment(GENERATION);
            atomic_notify(&self.control, GENERATION);
            return Ok(());
        }
        self.wait_change(GENERATION, generation, TIMEOUT_MS)
    }

    /// Writes `state` into `state` and the step counts into `params`.
    fn write_state(&self, state: &FlatState) {
        let n = self.weights.length();
        for (i, vector) in state.vectors.iter().enumerate() {
            let at = i as u32 * n;
            self.state.subarray(at, at + n).copy_from(vector);
        }
        for (slot, steps) in state.steps.iter().enumerate() {
            let value = steps.map_or(-1.0, f64::from);
            self.params.set_index(self.steps_at + slot as u32, value);
        }
    }

    /// Reads `state`'s vectors (as many as it has) from `state` and its
    /// step counts from `params`.
    fn read_state(&self, state: &mut FlatState) {
        let n = self.weights.length();
        for (i, vector) in state.vectors.iter_mut().enumerate() {
            let at = i as u32 * n;
            self.state.subarray(at, at + n).copy_to(vector);
        }
        for (slot, steps) in state.steps.iter_mut().enumerate() {
            let value = self.params.get_index(self.steps_at + slot as u32);
            *steps = (value >= 0.0).then_some(value as u32);
        }
    }

    /// Posts job `kind` to the helpers and wakes them.
    fn post_job(&self, kind: i32) {
        self.store(KIND, kind);
        self.increment(JOB);
        atomic_notify(&self.control, JOB);
    }
}

/// One worker's end of the exchanges, over `parts`.
struct SharedExchange {
    rank: usize,
    shared: Shared,
    round: usize,
    scratch: Vec<f32>,
}

impl SharedExchange {
    fn slot(&self, round: usize, rank: usize) -> u32 {
        ((round % 2) * self.shared.size + rank) as u32 * self.shared.part_len
    }
}

impl Exchange for SharedExchange {
    fn rank(&self) -> usize {
        self.rank
    }

    fn size(&self) -> usize {
        self.shared.size
    }

    fn publish(&mut self, mine: &[f32]) -> nnlab::Result<()> {
        if mine.len() > self.shared.part_len as usize {
            return Err(Error::InvalidData(format!(
                "an exchange of {} floats does not fit the helpers' buffers",
                mine.len()
            )));
        }
        let at = self.slot(self.round, self.rank);
        self.shared
            .parts
            .subarray(at, at + mine.len() as u32)
            .copy_from(mine);
        self.shared.barrier()?;
        self.round += 1;
        Ok(())
    }

    fn part(&mut self, rank: usize, len: usize) -> &[f32] {
        let at = self.slot(self.round + 1, rank);
        self.scratch.resize(len, 0.0);
        self.shared
            .parts
            .subarray(at, at + len as u32)
            .copy_to(&mut self.scratch);
        &self.scratch
    }
}

/// The index of an optimiser in [`OptimizerKind::ALL`], as it crosses.
fn optimizer_index(kind: OptimizerKind) -> i32 {
    OptimizerKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(0) as i32
}

fn hyper_to(params: &Float64Array, hyper: Hyper) {
    let fields = [
        hyper.lr,
        hyper.momentum,
        hyper.beta1,
        hyper.beta2,
        hyper.alpha,
        hyper.eps,
    ];
    for (i, value) in fields.into_iter().enumerate() {
        params.set_index(1 + i as u32, value);
    }
}

fn hyper_from(params: &Float64Array) -> Hyper {
    let field = |i: u32| params.get_index(1 + i);
    Hyper {
        lr: field(0),
        momentum: field(1),
        beta1: field(2),
        beta2: field(3),
        alpha: field(4),
        eps: field(5),
    }
}

/// Worker 0's side: the helper Workers and the team's buffers.
pub struct WorkerTeam {
    spec: MlpSpec,
    shared: Shared,
    exchange: SharedExchange,
    helpers: Vec<Worker>,
    /// Helpers that have answered [`ToPage::WorkerReady`] and got their buffers.
    ready: Rc<Cell<usize>>,
    _on_message: Vec<Closure<dyn FnMut(MessageEvent)>>,
    shares: u64,
    /// Reused: labels as `i32`, the network laid out flat.
    labels: Vec<i32>,
    flat: Vec<f32>,
    /// The number of the last batch staged (`control[STAGED]`).
    staged: i32,
}

impl WorkerTeam {
    /// Starts `count` helper Workers from `loader` (this Worker's own
    /// script) for networks of `spec`. `None` if the page is not
    /// cross-origin isolated (no shared memory) or a Worker cannot start.
    pub fn start(loader: &str, count: usize, spec: MlpSpec) -> Option<WorkerTeam> {
        let isolated = Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if !isolated || count == 0 {
            return None;
        }
        let size = count + 1;
        let shared = Shared::new(&spec, size);
        let ready = Rc::new(Cell::new(0));
        let mut helpers = Vec::new();
        let mut closures = Vec::new();
        for rank in 1..size {
            let Ok(worker) = Worker::new(loader) else {
                helpers.iter().for_each(Worker::terminate);
                return None;
            };
            let init = ToWorker::BecomeHelper {
                spec: spec.clone(),
                rank,
                size,
            }
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
            helpers.push(worker);
        }
        Some(WorkerTeam {
            exchange: SharedExchange {
                rank: 0,
                shared: shared.clone(),
                round: 0,
                scratch: Vec::new(),
            },
            flat: vec![0.0; spec.param_count()],
            spec,
            shared,
            helpers,
            ready,
            _on_message: closures,
            shares: 0,
            labels: Vec::new(),
            staged: 0,
        })
    }

    /// Every helper has its buffers (only then can the team train).
    pub fn ready(&self) -> bool {
        self.ready.get() == self.helpers.len()
    }

    /// The rows the helpers alone keep current ([`Shard::pieces`] of every
    /// rank but 0): what `collect` and `collect_state` read back.
    fn helpers_pieces(&self) -> impl Iterator<Item = Piece> + '_ {
        let shard = Shard::new(&self.spec, 0, self.size());
        (1..self.size()).flat_map(move |rank| shard.pieces(rank, &self.spec))
    }
}

/// Writes a batch into the shared `xs` and `ls` (`scratch`: its labels as `i32`).
fn write_batch(
    xs: &Float32Array,
    ls: &Int32Array,
    scratch: &mut Vec<i32>,
    x: &[f32],
    labels: &[usize],
) -> nnlab::Result<()> {
    let rows = labels.len();
    if rows > MAX_ROWS || x.len() > xs.length() as usize {
        return Err(Error::InvalidData(format!(
            "batches of more than {MAX_ROWS} images cannot be shared between Workers"
        )));
    }
    xs.subarray(0, x.len() as u32).copy_from(x);
    scratch.clear();
    scratch.extend(labels.iter().map(|&l| l as i32));
    ls.subarray(0, rows as u32).copy_from(scratch);
    Ok(())
}

impl Drop for WorkerTeam {
    fn drop(&mut self) {
        self.helpers.iter().for_each(Worker::terminate);
    }
}

impl Team for WorkerTeam {
    fn size(&self) -> usize {
        if self.ready() {
            self.helpers.len() + 1
        } else {
            1
        }
    }

    fn shares(&self) -> u64 {
        self.shares
    }

    fn share(&mut self, net: &Mlp, kind: OptimizerKind, hyper: Hyper) -> nnlab::Result<()> {
        if net.spec != self.spec {
            return Err(Error::InvalidData(
                "the helpers were made for another network".into(),
            ));
        }
        write_flat(net, &mut self.flat);
        self.shared.weights.copy_from(&self.flat);
        hyper_to(&self.shared.params, hyper);
        self.shared.store(OPTIMIZER, optimizer_index(kind));
        self.shared.post_job(SHARE);
        // Done when every helper has its copy.
        self.shared.barrier()?;
        self.shares += 1;
        Ok(())
    }

    fn begin_step(
        &mut self,
        x: &[f32],
        labels: &[usize],
        lr: f64,
        staged: bool,
    ) -> nnlab::Result<()> {
        let rows = labels.len();
        if staged {
            self.shared.store(USE_STAGED, self.staged);
        } else {
            let shared = &self.shared;
            write_batch(&shared.x, &shared.labels, &mut self.labels, x, labels)?;
            self.shared.store(USE_STAGED, 0);
        }
        self.shared.params.set_index(0, lr);
        self.shared.store(ROWS, rows as i32);
        self.shared.post_job(STEP);
        Ok(())
    }

    fn stage(&mut self, x: &[f32], labels: &[usize]) -> nnlab::Result<bool> {
        let shared = &self.shared;
        write_batch(
            &shared.x_next,
            &shared.labels_next,
            &mut self.labels,
            x,
            labels,
        )?;
        self.shared.store(STAGED_ROWS, labels.len() as i32);
        // After the batch: a helper that sees the new number sees the batch.
        self.staged = self.shared.increment(STAGED);
        Ok(true)
    }

    fn exchange(&mut self) -> &mut dyn Exchange {
        &mut self.exchange
    }

    fn follower_times(&self) -> Vec<PhaseTimes> {
        (1..self.size())
            .map(|rank| {
                let at = TIMES_AT + TIMES_LEN * (rank as u32 - 1);
                let get = |k: u32| self.shared.params.get_index(at + k);
                PhaseTimes {
                    steps: get(0) as u64,
                    total_ms: get(1),
                    exchange_ms: get(2),
                    update_ms: get(3),
                    batch_ms: get(4),
                }
            })
            .collect()
    }

    fn share_state(&mut self, state: &FlatState) -> nnlab::Result<()> {
        if state.vectors.len() > MAX_STATE_VECTORS {
            return Err(Error::InvalidData(
                "an optimiser state too large to share between Workers".into(),
            ));
        }
        self.shared.write_state(state);
        self.shared.post_job(SHARE_STATE);
        // Done when every helper has taken its part.
        self.shared.barrier()
    }

    fn collect_state(&mut self, state: &mut FlatState) -> nnlab::Result<()> {
        self.shared.post_job(COLLECT_STATE);
        // Done when every helper has written its rows' state.
        self.shared.barrier()?;
        // Only the helpers' rows, as `collect` reads the weights.
        let n = self.shared.weights.length();
        for piece in self.helpers_pieces() {
            for (i, vector) in state.vectors.iter_mut().enumerate() {
                let at = i as u32 * n;
                self.shared
                    .state
                    .subarray(at + piece.flat.start as u32, at + piece.flat.end as u32)
                    .copy_to(&mut vector[piece.flat.clone()]);
            }
        }
        Ok(())
    }

    fn collect(&mut self, net: &mut Mlp) -> nnlab::Result<()> {
        self.shared.post_job(COLLECT);
        // Done when every helper has written its rows.
        self.shared.barrier()?;
        for piece in self.helpers_pieces() {
            let values =
                &mut nnlab::train::parallel::slot_mut(net, piece.slot)[piece.within.clone()];
            self.shared
                .weights
                .subarray(piece.flat.start as u32, piece.flat.end as u32)
                .copy_to(values);
        }
        Ok(())
    }
}

/// A batch in a helper's own memory.
struct HelperBatch {
    x: Vec<f32>,
    labels: Vec<usize>,
    /// The staged batch it holds (`control[STAGED]` when it was staged), or 0.
    number: i32,
}

impl HelperBatch {
    /// Copies the batch of `rows` images in the shared `xs` and `ls` in
    /// (`scratch`: room for the labels as `i32`).
    fn read(&mut self, xs: &Float32Array, ls: &Int32Array, rows: usize, scratch: &mut [i32]) {
        let (rows, input) = (rows.min(MAX_ROWS), self.x.len() / MAX_ROWS);
        xs.subarray(0, (rows * input) as u32)
            .copy_to(&mut self.x[..rows * input]);
        ls.subarray(0, rows as u32).copy_to(&mut scratch[..rows]);
        self.labels.clear();
        self.labels
            .extend(scratch[..rows].iter().map(|&l| l.max(0) as usize));
    }
}

/// The helper's side: worker `rank` of `size`, running every job worker 0
/// posts, forever (worker 0 terminates it). Returns only on a broken setup
/// or a failed job, with the reason (worker 0 then times out and trains alone).
pub fn serve(
    spec: MlpSpec,
    rank: usize,
    size: usize,
    shared: &JsValue,
    clock: fn() -> f64,
) -> Result<(), String> {
    let shared = shared
        .dyn_ref::<Array>()
        .and_then(|a| Shared::from_array(a, &spec, size))
        .ok_or("a helper without its shared buffers")?;
    let mut follower = Follower::new(spec.clone(), rank, size).map_err(|e| e.to_string())?;
    follower.sharded_step().set_clock(Some(clock));
    let times_at = TIMES_AT + TIMES_LEN * (rank as u32 - 1);
    let mut exchange = SharedExchange {
        rank,
        shared: shared.clone(),
        round: 0,
        scratch: Vec::new(),
    };
    let input = spec.input;
    let new_batch = || HelperBatch {
        x: vec![0.0f32; MAX_ROWS * input],
        labels: Vec::with_capacity(MAX_ROWS),
        number: 0,
    };
    // This step's batch, and the next one if worker 0 staged it.
    let (mut batch, mut ahead) = (new_batch(), new_batch());
    let mut labels32 = vec![0i32; MAX_ROWS];
    let mut flat = vec![0.0f32; spec.param_count()];
    // The optimiser's state moving to and from worker 0, made for the
    // optimiser of the last share.
    let mut state = FlatState::empty(&spec, OptimizerKind::Sgd);
    let load = |slot| shared.load(slot);
    // Jobs are numbered from 1: one posted before this loop began is not missed.
    let mut seen = 0;
    loop {
        // Idle between runs: sleep as long as it takes.
        shared
            .wait_change(JOB, seen, f64::INFINITY)
            .map_err(|e| e.to_string())?;
        seen = load(JOB);
        let result = match load(KIND) {
            STEP => {
                let start = clock();
                let rows = (load(ROWS).max(0) as usize).min(MAX_ROWS);
                let use_staged = load(USE_STAGED);
                if use_staged == 0 {
                    batch.read(&shared.x, &shared.labels, rows, &mut labels32);
                } else {
                    if ahead.number != use_staged {
                        ahead.read(&shared.x_next, &shared.labels_next, rows, &mut labels32);
                    }
                    std::mem::swap(&mut batch, &mut ahead);
                }
                ahead.number = 0;
                let lr = shared.params.get_index(0);
                let step = follower.sharded_step();
                step.add_batch_time(clock() - start);
                let rows = batch.labels.len();
                let result = follower
                    .step(&batch.x[..rows * input], &batch.labels, lr, &mut exchange)
                    .map(|_| ());
                // The next step's batch, if worker 0 staged it while this
                // worker finished its part: copied in now, not between steps.
                let staged = load(STAGED);
                if result.is_ok() && staged != 0 && staged != ahead.number {
                    let start = clock();
                    let rows = (load(STAGED_ROWS).max(0) as usize).min(MAX_ROWS);
                    ahead.read(&shared.x_next, &shared.labels_next, rows, &mut labels32);
                    ahead.number = staged;
                    follower.sharded_step().add_batch_time(clock() - start);
                }
                let t = follower.sharded_step().times();
                let values = [
                    t.steps as f64,
                    t.total_ms,
                    t.exchange_ms,
                    t.update_ms,
                    t.batch_ms,
                ];
                for (k, value) in values.into_iter().enumerate() {
                    shared.params.set_index(times_at + k as u32, value);
                }
                result
            }
            SHARE => {
                shared.weights.copy_to(&mut flat);
                let index = load(OPTIMIZER);
                let kind = OptimizerKind::ALL
                    .get(index.max(0) as usize)
                    .copied()
                    .unwrap_or(OptimizerKind::Adam);
                if state.vectors.len() != kind.state_vectors() {
                    state = FlatState::empty(&spec, kind);
                }
                follower
                    .share(&flat, kind, hyper_from(&shared.params))
                    .and_then(|()| shared.barrier())
            }
            SHARE_STATE => {
                shared.read_state(&mut state);
                follower.share_state(&state).and_then(|()| shared.barrier())
            }
            COLLECT_STATE => {
                let n = shared.weights.length();
                follower
                    .own_state(&mut |i, at, values| {
                        let start = i as u32 * n;
                        shared
                            .state
                            .subarray(start + at.start as u32, start + at.end as u32)
                            .copy_from(values)
                    })
                    .and_then(|()| shared.barrier())
            }
            COLLECT => {
                follower.own_values(&mut |at, values| {
                    shared
                        .weights
                        .subarray(at.start as u32, at.end as u32)
                        .copy_from(values)
                });
                shared.barrier()
            }
            _ => Ok(()),
        };
        result.map_err(|e| e.to_string())?;
    }
}
