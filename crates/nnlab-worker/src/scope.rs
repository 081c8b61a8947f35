//! The Worker's glue: receives the page's messages, starts loads
//! ([`crate::loading`]), and keeps training in chunks while letting messages
//! and data in between (a `MessageChannel` to itself yields to the event loop
//! without the delay a `setTimeout` chain gets).
//!
//! Wire format, both ways: a plain object `{ message, blobs?, files? }` — the
//! encoded [`ToWorker`] / [`ToPage`] as a `Uint8Array`, the byte blobs of an
//! [`Envelope`](crate::protocol::Envelope) as `Uint8Array`s whose buffers are
//! transferred, and the dropped `File`s.

use std::cell::{Cell, RefCell};

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

use crate::protocol::{ToPage, ToWorker, ARCHIVE_URL};
use crate::session::Session;
use crate::team::WorkerTeam;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
    /// The channel whose messages run training chunks.
    static PUMP: RefCell<Option<MessageChannel>> = const { RefCell::new(None) };
    static PUMP_QUEUED: Cell<bool> = const { Cell::new(false) };
}

/// Web Workers a training run may use at most (the page asks for one per core).
const MAX_WORKERS: usize = 8;

pub(crate) fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Runs `f` on the Worker's session.
pub(crate) fn with_session<T>(f: impl FnOnce(&mut Session) -> T) -> T {
    SESSION.with(|s| f(&mut s.borrow_mut()))
}

pub(crate) fn now_ms() -> f64 {
    scope()
        .performance()
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Starts the Worker: message handler and training pump.
pub fn run() {
    console_error_panic_hook::set_once();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        if let Err(message) = on_message(&event.data()) {
            post(ToPage::Error { message });
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();

    match MessageChannel::new() {
        Ok(channel) => {
            let pump = Closure::<dyn FnMut(MessageEvent)>::new(|_: MessageEvent| pump());
            channel
                .port1()
                .set_onmessage(Some(pump.as_ref().unchecked_ref()));
            pump.forget();
            PUMP.with(|p| *p.borrow_mut() = Some(channel));
            post(ToPage::WorkerReady);
            // Tell the page about a run kept from an earlier visit.
            wasm_bindgen_futures::spawn_local(async {
                if let Some(info) = crate::checkpoint_store::info().await {
                    post(ToPage::Checkpoint { info, found: true });
                }
            });
        }
        Err(e) => post(ToPage::Error {
            message: js_message(&e),
        }),
    }
}

fn on_message(data: &JsValue) -> Result<(), String> {
    let bytes = Reflect::get(data, &"message".into())
        .ok()
        .and_then(|v| v.dyn_into::<Uint8Array>().ok())
        .ok_or("a message without its bytes")?;
    let message = ToWorker::from_bytes(&bytes.to_vec()).map_err(|e| e.to_string())?;
    match message {
        ToWorker::FetchArchive { url } => {
            wasm_bindgen_futures::spawn_local(crate::loading::load_url(url));
        }
        ToWorker::ReadFiles { names } => {
            let files: Array = Reflect::get(data, &"files".into())
                .map_err(|e| js_message(&e))?
                .dyn_into()
                .map_err(|_| "a ReadFiles message without files")?;
            crate::loading::load_files(&names, &files)?;
        }
        ToWorker::ForgetStoredData => {
            wasm_bindgen_futures::spawn_local(async {
                match crate::device_store::forget(ARCHIVE_URL).await {
                    Ok(()) => post(ToPage::Stored { bytes: None }),
                    Err(e) => post(ToPage::Error {
                        message: js_message(&e),
                    }),
                }
            });
        }
        ToWorker::UseWorkers { workers, measure } => {
            let loader = scope().location().href();
            let count = workers.clamp(1, MAX_WORKERS) - 1;
            let spec = nnlab::nn::MlpSpec::lecture_cifar();
            if let Some(team) = WorkerTeam::start(&loader, count, spec) {
                with_session(|s| s.set_team(Box::new(team), measure, Some(now_ms)));
            }
        }
        ToWorker::BecomeHelper { spec, rank, size } => {
            let shared = Reflect::get(data, &"shared".into()).map_err(|e| js_message(&e))?;
            // Trains its rows until the training Worker stops it.
            crate::team::serve(spec, rank.max(1), size, &shared, now_ms)?;
        }
        ToWorker::ResumeCheckpoint => wasm_bindgen_futures::spawn_local(resume_checkpoint()),
        other => {
            let replies = with_session(|s| s.handle(other, now_ms()));
            replies.into_iter().for_each(post);
            keep_checkpoint();
            schedule_pump();
        }
    }
    Ok(())
}

/// Runs one chunk and, while training, queues the next.
fn pump() {
    PUMP_QUEUED.with(|q| q.set(false));
    let replies = with_session(|s| s.run_chunk(&mut now_ms));
    replies.into_iter().for_each(post);
    keep_checkpoint();
    schedule_pump();
}

/// Keeps the network on the device when the session says it is time (see
/// [`Session::checkpoint_due`]) and tells the page once it is stored. Where
/// there is no storage (not a secure context), nothing is kept or said.
fn keep_checkpoint() {
    let Some(mut checkpoint) = with_session(|s| s.checkpoint_due(now_ms())) else {
        return;
    };
    checkpoint.info.saved_at_ms = js_sys::Date::now();
    wasm_bindgen_futures::spawn_local(async move {
        let info = checkpoint.info;
        if crate::checkpoint_store::keep(&checkpoint.bytes, &info)
            .await
            .is_ok()
        {
            post(ToPage::Checkpoint { info, found: false });
        }
    });
}

/// Continues the run kept on the device, with its own settings.
async fn resume_checkpoint() {
    let Some((bytes, info)) = crate::checkpoint_store::load().await else {
        post(ToPage::Error {
            message: "no trained network is kept on this device any more".into(),
        });
        return;
    };
    let message = ToWorker::LoadModel {
        bytes,
        config: info.config,
    };
    let replies = with_session(|s| s.handle(message, now_ms()));
    replies.into_iter().for_each(post);
}

pub(crate) fn schedule_pump() {
    let running = with_session(|s| s.running());
    if !running || PUMP_QUEUED.with(Cell::get) {
        return;
    }
    PUMP.with(|p| {
        if let Some(channel) = p.borrow().as_ref() {
            if channel.port2().post_message(&JsValue::NULL).is_ok() {
                PUMP_QUEUED.with(|q| q.set(true));
            }
        }
    });
}

/// Sends `message` to the page, its blobs transferred.
pub(crate) fn post(message: ToPage) {
    let envelope = match message.encode() {
        Ok(envelope) => envelope,
        Err(e) => {
            let fallback = ToPage::Error {
                message: e.to_string(),
            };
            match fallback.encode() {
                Ok(envelope) => envelope,
                Err(_) => return,
            }
        }
    };
    let object = Object::new();
    let blobs = Array::new();
    let transfer = Array::new();
    for blob in &envelope.blobs {
        let array = Uint8Array::from(blob.as_slice());
        transfer.push(&array.buffer());
        blobs.push(&array);
    }
    let message = Uint8Array::from(envelope.message.as_slice());
    let set = Reflect::set(&object, &"message".into(), &message)
        .and_then(|_| Reflect::set(&object, &"blobs".into(), &blobs));
    if set.is_ok() {
        if let Err(e) = scope().post_message_with_transfer(&object, &transfer) {
            web_sys::console::error_1(&e);
        }
    }
}

/// The message of a JavaScript exception (or its debug form).
pub(crate) fn js_message(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => value.as_string().unwrap_or_else(|| format!("{value:?}")),
    }
}
