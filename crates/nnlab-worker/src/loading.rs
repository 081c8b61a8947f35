//! Getting CIFAR-10 into the Worker as a stream: from the copy on this
//! device ([`crate::device_store`]), else from the page's server, or from
//! files the student dropped. Every chunk is decoded as it arrives
//! ([`nnlab::data::StreamDecoder`]) and its images go straight to the
//! session, which trains on them while the rest downloads; nothing holds
//! the compressed archive, the tar and the images at once.
//!
//! One load at a time: a newer load (another file dropped) ends the older
//! one's stream (`LOAD`).

use std::cell::Cell;

use js_sys::{Array, Reflect, Uint8Array};
use nnlab::data::{BatchFile, StreamDecoder, StreamEvent, RECORD_BYTES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileReaderSync, ReadableStream, ReadableStreamDefaultReader, Response};

use crate::device_store::{self, Writer};
use crate::pool::OFFICIAL_TRAIN;
use crate::protocol::{DataSource, ToPage};
use crate::scope::{js_message, now_ms, post, scope, with_session};

thread_local! {
    /// The number of the load in progress; an older load stops when it sees
    /// a newer number.
    static LOAD: Cell<u64> = const { Cell::new(0) };
}

/// The data folder's listing, answered by the project's server.
const MANIFEST: &str = "manifest.json";

fn begin() -> u64 {
    LOAD.with(|l| {
        l.set(l.get() + 1);
        l.get()
    })
}

fn current(id: u64) -> bool {
    LOAD.with(Cell::get) == id
}

/// Loads the archive at `url` (relative to the page): the stored copy if
/// there is one, else a download that is stored as it decodes.
pub async fn load_url(url: String) {
    let id = begin();
    if let Some((response, bytes)) = device_store::stored(&url).await {
        post(ToPage::Stored { bytes: Some(bytes) });
        if let Some(body) = response.body() {
            let ok = stream_archive(id, body, bytes, DataSource::Device, None).await;
            if ok == Some(false) {
                // A stored copy that does not decode (damaged on disk) is
                // forgotten, so the next visit downloads a good one.
                let _ = device_store::forget(&url).await;
                post(ToPage::Stored { bytes: None });
            }
            return;
        }
    }
    post(ToPage::Stored { bytes: None });
    match fetch(&url).await {
        Ok(Some(response)) => {
            let Some(body) = response.body() else {
                post(ToPage::DataFailed {
                    message: format!("{url}: the response has no body"),
                });
                return;
            };
            let total = device_store::content_length(&response);
            let writer = Writer::start(&url, total).await.ok();
            stream_archive(id, body, total, DataSource::Network, writer).await;
            // Tell the page what ended up stored (commit reported success).
        }
        Ok(None) => post(ToPage::DataMissing { url }),
        Err(message) => post(ToPage::DataFailed { message }),
    }
}

/// Streams `body` through the archive decoder into the session. Returns
/// Some(true) when it decoded completely, Some(false) when it broke, None
/// when a newer load replaced it. `writer` (a download) is committed to the
/// device only in the first case.
async fn stream_archive(
    id: u64,
    body: ReadableStream,
    total: u64,
    source: DataSource,
    mut writer: Option<Writer>,
) -> Option<bool> {
    session_begin(source, total, OFFICIAL_TRAIN);
    let mut decoder = StreamDecoder::archive();
    let result = pump(id, &body, &mut decoder, 0, &mut writer).await;
    let result = match result {
        None => {
            if let Some(w) = writer {
                w.abort();
            }
            return None;
        }
        Some(Ok(done)) => finish(&mut decoder, done),
        Some(Err(e)) => Err(e),
    };
    let ok = result.is_ok();
    session_end(result);
    if let Some(w) = writer {
        if ok {
            let bytes = w.commit().await.ok();
            post(ToPage::Stored { bytes });
        } else {
            w.abort();
        }
    }
    Some(ok)
}

/// Reads `body` to its end, feeding `decoder` and the session; counts bytes
/// from `done`. None if a newer load began.
async fn pump(
    id: u64,
    body: &ReadableStream,
    decoder: &mut StreamDecoder,
    mut done: u64,
    writer: &mut Option<Writer>,
) -> Option<nnlab::Result<u64>> {
    let reader: ReadableStreamDefaultReader = match body.get_reader().dyn_into() {
        Ok(reader) => reader,
        Err(_) => return Some(Err(invalid("cannot read the data stream"))),
    };
    let mut bytes = Vec::new();
    let mut events = Vec::new();
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(e) => {
                return Some(Err(invalid(&format!(
                    "the download stopped after {} bytes: {}",
                    nnlab::nn::thousands(done as usize),
                    js_message(&e)
                ))))
            }
        };
        if !current(id) {
            let _ = reader.cancel();
            return None;
        }
        let finished = Reflect::get(&chunk, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if finished {
            return Some(Ok(done));
        }
        let Ok(value) =
            Reflect::get(&chunk, &"value".into()).and_then(|v| v.dyn_into::<Uint8Array>())
        else {
            return Some(Err(invalid(
                "the data stream gave something other than bytes",
            )));
        };
        if let Some(w) = writer.as_mut() {
            w.write(&value);
        }
        bytes.resize(value.length() as usize, 0);
        value.copy_to(&mut bytes);
        done += bytes.len() as u64;
        if let Err(e) = decoder.feed(&bytes, &mut events) {
            let _ = reader.cancel();
            return Some(Err(e));
        }
        session_events(std::mem::take(&mut events), done);
    }
}

/// The end of the input (`done` bytes in all): the decoder's last events,
/// or why it is incomplete.
fn finish(decoder: &mut StreamDecoder, done: u64) -> nnlab::Result<()> {
    let mut events = Vec::new();
    let result = decoder.finish(&mut events);
    session_events(events, done);
    result
}

/// Loads dropped or picked files: one archive, or the distribution's loose
/// `.bin` / `.txt` files, each streamed from disk (`File.stream()`).
pub fn load_files(names: &[String], files: &Array) -> Result<(), String> {
    let files: Vec<(String, File)> = names
        .iter()
        .zip(files.iter())
        .map(|(name, file)| {
            file.dyn_into::<File>()
                .map(|f| (name.clone(), f))
                .map_err(|_| format!("{name} is not a file"))
        })
        .collect::<Result<_, _>>()?;
    let id = begin();
    wasm_bindgen_futures::spawn_local(async move {
        let loose = files
            .iter()
            .any(|(name, _)| BatchFile::from_name(name).is_some());
        if loose {
            load_loose(id, files).await;
        } else if let [(_, file)] = &files[..] {
            let ok = stream_archive(
                id,
                file.stream(),
                file.size() as u64,
                DataSource::File,
                None,
            )
            .await;
            if ok == Some(true) {
                let url = crate::protocol::ARCHIVE_URL;
                let bytes = device_store::keep_file(url, file).await.ok();
                post(ToPage::Stored { bytes });
            }
        } else {
            post(ToPage::DataFailed {
                message: no_files_message(),
            });
        }
    });
    Ok(())
}

fn no_files_message() -> String {
    "no CIFAR-10 files found (expected cifar-10-binary.tar.gz, or data_batch_1.bin … \
     data_batch_5.bin and test_batch.bin)"
        .into()
}

/// The distribution's loose files: the class names first, then the batches
/// (training, then test), each checked and streamed.
async fn load_loose(id: u64, files: Vec<(String, File)>) {
    let mut batches: Vec<(BatchFile, String, File)> = files
        .into_iter()
        .filter_map(|(name, file)| BatchFile::from_name(&name).map(|b| (b, name, file)))
        .collect();
    batches.sort_by_key(|(b, _, _)| match b {
        BatchFile::Meta => 0,
        BatchFile::Train(n) => *n,
        BatchFile::Test => 10,
    });
    let total: u64 = batches.iter().map(|(_, _, f)| f.size() as u64).sum();
    let expected: usize = batches
        .iter()
        .filter(|(b, _, _)| matches!(b, BatchFile::Train(_)))
        .map(|(_, _, f)| f.size() as usize / RECORD_BYTES)
        .sum();
    session_begin(DataSource::File, total, expected);
    let mut done = 0;
    for (file, name, blob) in &batches {
        let result = if *file == BatchFile::Meta {
            read_meta(blob).map(|names| {
                session_events(vec![StreamEvent::ClassNames(names)], done);
                done + blob.size() as u64
            })
        } else {
            match StreamDecoder::batch_file(name, Some(blob.size() as u64)) {
                Ok(mut decoder) => {
                    match pump(id, &blob.stream(), &mut decoder, done, &mut None).await {
                        None => return,
                        Some(Ok(n)) => finish(&mut decoder, n).map(|()| n),
                        Some(Err(e)) => Err(e),
                    }
                }
                Err(e) => Err(e),
            }
        };
        match result {
            Ok(n) => done = n,
            Err(e) => {
                session_end(Err(e));
                return;
            }
        }
    }
    session_end(Ok(()));
}

/// batches.meta.txt, read at once (a few dozen bytes; this is a Worker).
fn read_meta(file: &File) -> nnlab::Result<Vec<String>> {
    if file.size() > 64.0 * 1024.0 {
        return Err(invalid(
            "batches.meta.txt is too large to be a list of class names",
        ));
    }
    let buffer = FileReaderSync::new()
        .and_then(|r| r.read_as_array_buffer(file))
        .map_err(|e| invalid(&format!("batches.meta.txt: {}", js_message(&e))))?;
    nnlab::data::parse_meta(&Uint8Array::new(&buffer).to_vec())
}

/// The archive's response, `None` if it is not there (404, an HTML fallback
/// page, or no server at all), or a message for another failure.
async fn fetch(url: &str) -> Result<Option<Response>, String> {
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
    Ok(Some(response))
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

fn invalid(message: &str) -> nnlab::Error {
    nnlab::Error::InvalidData(message.into())
}

fn session_begin(source: DataSource, total: u64, expected: usize) {
    let replies = with_session(|s| s.begin_load(source, total, expected, now_ms()));
    replies.into_iter().for_each(post);
}

fn session_events(events: Vec<StreamEvent>, done: u64) {
    if events.is_empty() {
        return;
    }
    let replies = with_session(|s| s.load_events(events, done, now_ms()));
    replies.into_iter().for_each(post);
    crate::scope::schedule_pump();
}

fn session_end(result: nnlab::Result<()>) {
    let replies = with_session(|s| s.end_load(result, now_ms()));
    replies.into_iter().for_each(post);
    crate::scope::schedule_pump();
}
