//! The copy of the CIFAR-10 archive kept on the student's device, so the
//! second visit downloads nothing and the page trains offline.
//!
//! Why Cache Storage (not IndexedDB or OPFS): it stores a `Response` whose
//! body is a stream, so the 174 MB archive goes to disk chunk by chunk as it
//! downloads, without ever being one buffer in memory; it reads back as a
//! stream, which is exactly what the decoder eats; it is available in Web
//! Workers (OPFS's synchronous handles are, but IndexedDB would need the
//! archive cut into records of our own); and it is the store the service
//! worker already uses, so the browser's storage settings show and clear
//! both together. The archive is keyed by its URL in the cache [`CACHE`],
//! which the service worker never deletes.
//!
//! A download is written while it is decoded ([`Writer`]): each network
//! chunk is handed to a `ReadableStream` that `cache.put` drains. Only a
//! download that decoded completely is committed; a broken one errors the
//! stream, and the cache then keeps nothing.

use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, Cache, CacheStorage, Headers, ReadableStream, ReadableStreamDefaultController, Response,
    ResponseInit, WorkerGlobalScope,
};

/// The cache the archive is kept in (the service worker leaves it alone).
pub const CACHE: &str = "nnlab-data";

/// The Cache Storage, if this context has one (secure contexts only: on
/// plain http from another machine there is none, and nothing is stored).
fn caches() -> Result<CacheStorage, JsValue> {
    let global = js_sys::global();
    let present = Reflect::get(&global, &"caches".into())?;
    if present.is_undefined() || present.is_null() {
        return Err(JsValue::from_str(
            "no Cache Storage here (not a secure context)",
        ));
    }
    global.unchecked_into::<WorkerGlobalScope>().caches()
}

pub(crate) async fn open() -> Result<Cache, JsValue> {
    JsFuture::from(caches()?.open(CACHE)).await?.dyn_into()
}

/// The stored archive for `url` and its size in bytes, if there is one.
pub async fn stored(url: &str) -> Option<(Response, u64)> {
    let cache = open().await.ok()?;
    let found = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let response: Response = found.dyn_into().ok()?;
    let bytes = content_length(&response);
    Some((response, bytes))
}

/// Forgets the stored archive for `url`.
pub async fn forget(url: &str) -> Result<(), JsValue> {
    let cache = open().await?;
    JsFuture::from(cache.delete_with_str(url)).await?;
    Ok(())
}

/// Stores a file the student dropped (it decoded completely) as the archive
/// for `url`, so later visits find it without the file.
pub async fn keep_file(url: &str, file: &Blob) -> Result<u64, JsValue> {
    let cache = open().await?;
    let init = ResponseInit::new();
    init.set_headers_headers(&headers(file.size() as u64)?);
    let response = Response::new_with_opt_blob_and_init(Some(file), &init)?;
    JsFuture::from(cache.put_with_str(url, &response)).await?;
    Ok(file.size() as u64)
}

/// The `content-length` of a response (0 if it has none).
pub fn content_length(response: &Response) -> u64 {
    response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn headers(bytes: u64) -> Result<Headers, JsValue> {
    let headers = Headers::new()?;
    headers.set("content-type", "application/gzip")?;
    if bytes > 0 {
        headers.set("content-length", &bytes.to_string())?;
    }
    Ok(headers)
}

/// A download being written to the cache as it arrives.
pub struct Writer {
    controller: ReadableStreamDefaultController,
    put: Promise,
    bytes: u64,
}

impl Writer {
    /// Starts storing `bytes` bytes (0: unknown) as the archive for `url`.
    pub async fn start(url: &str, bytes: u64) -> Result<Writer, JsValue> {
        let cache = open().await?;
        let slot = std::rc::Rc::new(std::cell::RefCell::new(None));
        let keep = slot.clone();
        // `start` runs inside the constructor, handing over the controller.
        let start = Closure::once(move |controller: ReadableStreamDefaultController| {
            *keep.borrow_mut() = Some(controller);
        });
        let source = Object::new();
        Reflect::set(
            &source,
            &"start".into(),
            start.as_ref().unchecked_ref::<Function>(),
        )?;
        let stream = ReadableStream::new_with_underlying_source(&source)?;
        drop(start);
        let controller = slot
            .borrow_mut()
            .take()
            .ok_or_else(|| JsValue::from_str("the stream gave no controller"))?;
        let init = ResponseInit::new();
        init.set_headers_headers(&headers(bytes)?);
        let response = Response::new_with_opt_readable_stream_and_init(Some(&stream), &init)?;
        let put = cache.put_with_str(url, &response);
        Ok(Writer {
            controller,
            put,
            bytes: 0,
        })
    }

    /// Hands the next downloaded chunk to the cache.
    pub fn write(&mut self, chunk: &Uint8Array) {
        self.bytes += u64::from(chunk.length());
        // An error here means the cache gave up (e.g. no room): the
        // download goes on, only the copy is lost (`commit` says so).
        let _ = self.controller.enqueue_with_chunk(chunk);
    }

    /// The download decoded completely: finish the copy. Resolves to the
    /// bytes stored.
    pub async fn commit(self) -> Result<u64, JsValue> {
        self.controller.close()?;
        JsFuture::from(self.put).await?;
        Ok(self.bytes)
    }

    /// The download broke or was replaced: the cache keeps nothing of it.
    pub fn abort(self) {
        self.controller
            .error_with_e(&JsValue::from_str("the download did not complete"));
        // The put rejects now; it is expected, so nothing is logged.
        wasm_bindgen_futures::spawn_local(async move {
            let _ = JsFuture::from(self.put).await;
        });
    }
}
