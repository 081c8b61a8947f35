//! The Worker's glue: receives the page's messages, loads the data (fetch or
//! dropped files), and keeps training in chunks while letting messages in
//! between (a `MessageChannel` to itself yields to the event loop without
//! the delay a `setTimeout` chain gets).
//!
//! Wire format, both ways: a plain object `{ message, blobs?, files? }` — the
//! encoded [`ToWorker`] / [`ToPage`] as a `Uint8Array`, the byte blobs of an
//! [`Envelope`](crate::protocol::Envelope) as `Uint8Array`s whose buffers are
//! transferred, and the dropped `File`s.

use std::cell::{Cell, RefCell};

use js_sys::{Array, Object, Reflect, Uint8Array};
use nnlab::data::{Cifar10, Progress};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DedicatedWorkerGlobalScope, File, FileReaderSync, MessageChannel, MessageEvent,
    ReadableStreamDefaultReader, Response,
};

use crate::helpers::WorkerHelpers;
use crate::protocol::{LoadPhase, ToPage, ToWorker};
use crate::session::Session;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::new());
    /// The channel whose messages run training chunks.
    static PUMP: RefCell<Option<MessageChannel>> = const { RefCell::new(None) };
    static PUMP_QUEUED: Cell<bool> = const { Cell::new(false) };
}

/// Report fetch progress about once per this many bytes.
const FETCH_REPORT_BYTES: usize = 1 << 20;
/// Web Workers a training run may use at most (the page asks for one per core).
const MAX_WORKERS: usize = 8;
/// The data folder's listing, answered by the project's server.
const MANIFEST: &str = "manifest.json";

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now_ms() -> f64 {
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
            wasm_bindgen_futures::spawn_local(async move {
                match fetch(&url).await {
                    Ok(Some(bytes)) => decode(&[(url.as_str(), bytes)]),
                    Ok(None) => post(ToPage::DataMissing { url }),
                    Err(message) => post(ToPage::DataFailed { message }),
                }
            });
        }
        ToWorker::ReadFiles { names } => {
            let files: Array = Reflect::get(data, &"files".into())
                .map_err(|e| js_message(&e))?
                .dyn_into()
                .map_err(|_| "a ReadFiles message without files")?;
            match read_files(&names, &files) {
                Ok(read) => {
                    let named: Vec<(&str, Vec<u8>)> =
                        read.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
                    decode(&named);
                }
                Err(message) => post(ToPage::DataFailed { message }),
            }
        }
        ToWorker::UseWorkers { workers } => {
            let loader = scope().location().href();
            let count = workers.clamp(1, MAX_WORKERS) - 1;
            let spec = nnlab::nn::MlpSpec::lecture_cifar();
            if let Some(helpers) = WorkerHelpers::start(&loader, count, spec) {
                SESSION.with(|s| s.borrow_mut().set_helpers(Box::new(helpers)));
            }
        }
        ToWorker::BecomeHelper { spec } => {
            let shared = Reflect::get(data, &"shared".into()).map_err(|e| js_message(&e))?;
            // Computes parts of batches until the training Worker stops it.
            crate::helpers::serve(spec, &shared)?;
        }
        other => {
            let replies = SESSION.with(|s| s.borrow_mut().handle(other, now_ms()));
            replies.into_iter().for_each(post);
            schedule_pump();
        }
    }
    Ok(())
}

/// Runs one chunk and, while training, queues the next.
fn pump() {
    PUMP_QUEUED.with(|q| q.set(false));
    let replies = SESSION.with(|s| s.borrow_mut().run_chunk(&mut now_ms));
    replies.into_iter().for_each(post);
    schedule_pump();
}

fn schedule_pump() {
    let running = SESSION.with(|s| s.borrow().running());
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

/// The archive's bytes, `None` if it is not there (404, an HTML fallback
/// page, or no server at all), or a message for another failure.
async fn fetch(url: &str) -> Result<Option<Vec<u8>>, String> {
    if listed_in_manifest(url).await == Some(false) {
        return Ok(None);
    }
    let Ok(response) = JsFuture::from(scope().fetch_with_str(url)).await else {
        return Ok(None);
    };
    let response: Response = response.dyn_into().map_err(|_| "fetch gave no response")?;
    let content_type = response
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    if response.status() == 404 || content_type.contains("text/html") {
        return Ok(None);
    }
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let total: u64 = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let body = response.body().ok_or("the response has no body")?;
    let reader: ReadableStreamDefaultReader = body
        .get_reader()
        .dyn_into()
        .map_err(|_| "cannot read the response")?;
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    let mut reported = 0;
    post(ToPage::Progress {
        phase: LoadPhase::Fetching,
        done: 0,
        total,
    });
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| format!("{url}: {}", js_message(&e)))?;
        if Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(|e| js_message(&e))?
            .dyn_into()
            .map_err(|_| "the response is not bytes")?;
        let start = bytes.len();
        bytes.resize(start + value.length() as usize, 0);
        value.copy_to(&mut bytes[start..]);
        if bytes.len() - reported >= FETCH_REPORT_BYTES {
            reported = bytes.len();
            post(ToPage::Progress {
                phase: LoadPhase::Fetching,
                done: bytes.len() as u64,
                total,
            });
        }
    }
    Ok(Some(bytes))
}

/// Whether the project's server lists the archive in `manifest.json` beside
/// it (so a missing archive is never asked for, and no 404 shows in the
/// console). `None` when there is no manifest (another server): then the
/// archive itself is tried.
async fn listed_in_manifest(url: &str) -> Option<bool> {
    let (folder, name) = url.rsplit_once('/').unwrap_or(("", url));
    let manifest = if folder.is_empty() {
        MANIFEST.to_string()
    } else {
        format!("{folder}/{MANIFEST}")
    };
    let response: Response = JsFuture::from(scope().fetch_with_str(&manifest))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let text = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    let listing: Manifest = serde_json::from_str(&text).ok()?;
    Some(listing.files.iter().any(|f| f == name))
}

/// What `data/manifest.json` says: the files in the data folder.
#[derive(serde::Deserialize)]
struct Manifest {
    files: Vec<String>,
}

/// The dropped files' bytes (read synchronously: this is a worker).
fn read_files(names: &[String], files: &Array) -> Result<Vec<(String, Vec<u8>)>, String> {
    let reader = FileReaderSync::new().map_err(|e| js_message(&e))?;
    let total = files.length();
    let mut out = Vec::new();
    for (i, (name, file)) in names.iter().zip(files.iter()).enumerate() {
        post(ToPage::Progress {
            phase: LoadPhase::Reading,
            done: i as u64,
            total: u64::from(total),
        });
        let file: File = file
            .dyn_into()
            .map_err(|_| format!("{name} is not a file"))?;
        let buffer = reader
            .read_as_array_buffer(&file)
            .map_err(|e| format!("{name}: {}", js_message(&e)))?;
        out.push((name.clone(), Uint8Array::new(&buffer).to_vec()));
    }
    Ok(out)
}

/// Decodes an archive (one gzip file) or the distribution's loose files,
/// and hands the result to the session. Nothing is kept if anything fails.
fn decode(files: &[(&str, Vec<u8>)]) {
    const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
    let result = match files {
        [(_, bytes)] if bytes.starts_with(&GZIP_MAGIC) => {
            Cifar10::from_archive(bytes, |p: Progress| {
                post(ToPage::Progress {
                    phase: LoadPhase::Decoding,
                    done: p.done,
                    total: p.total,
                });
            })
        }
        [(name, _)] if name.ends_with(".gz") || name.ends_with(".tgz") => {
            // Not gzip inside: let the archive reader say so.
            Cifar10::from_archive(&files[0].1, |_| {})
        }
        _ => {
            post(ToPage::Progress {
                phase: LoadPhase::Decoding,
                done: 0,
                total: 1,
            });
            let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
            Cifar10::from_files(&named)
        }
    };
    match result {
        Ok(cifar) => {
            let replies = SESSION.with(|s| s.borrow_mut().set_data(cifar, now_ms()));
            replies.into_iter().for_each(post);
        }
        Err(e) => post(ToPage::DataFailed {
            message: e.to_string(),
        }),
    }
}

/// Sends `message` to the page, its blobs transferred.
fn post(message: ToPage) {
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
fn js_message(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(err) => String::from(err.message()),
        None => value.as_string().unwrap_or_else(|| format!("{value:?}")),
    }
}
