//! The last trained network, kept on the device so that a reload (or a
//! crashed tab) does not lose a ten-minute run.
//!
//! It lives beside the CIFAR-10 archive in the Cache Storage of
//! [`crate::device_store`] (the store the browser's settings show and clear
//! with the site), as one entry: the network's safetensors file, with what
//! the page says about it ([`CheckpointInfo`]) as JSON in a header. One
//! entry, not two, so the file and its description are replaced together.

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Response, ResponseInit};

use crate::device_store;
use crate::protocol::CheckpointInfo;

/// The entry's key (a URL, as Cache Storage wants; nothing is served there).
const KEY: &str = "nnlab-checkpoint/last-run.safetensors";
/// The header that carries the [`CheckpointInfo`].
const INFO_HEADER: &str = "x-nnlab-checkpoint";

/// Keeps `bytes` (a safetensors file) and `info`, replacing the last ones.
pub async fn keep(bytes: &[u8], info: &CheckpointInfo) -> Result<(), JsValue> {
    let cache = device_store::open().await?;
    let headers = Headers::new()?;
    headers.set("content-type", "application/octet-stream")?;
    let info = serde_json::to_string(info).map_err(|e| JsValue::from_str(&e.to_string()))?;
    headers.set(INFO_HEADER, &info)?;
    let init = ResponseInit::new();
    init.set_headers_headers(&headers);
    let mut body = bytes.to_vec();
    let response = Response::new_with_opt_u8_array_and_init(Some(&mut body), &init)?;
    JsFuture::from(cache.put_with_str(KEY, &response)).await?;
    Ok(())
}

/// The kept network's description, if one is kept (and readable).
pub async fn info() -> Option<CheckpointInfo> {
    let response = stored().await?;
    info_of(&response)
}

/// The kept network's file and description.
pub async fn load() -> Option<(Vec<u8>, CheckpointInfo)> {
    let response = stored().await?;
    let info = info_of(&response)?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some((Uint8Array::new(&buffer).to_vec(), info))
}

async fn stored() -> Option<Response> {
    let cache = device_store::open().await.ok()?;
    let found = JsFuture::from(cache.match_with_str(KEY)).await.ok()?;
    found.dyn_into().ok()
}

fn info_of(response: &Response) -> Option<CheckpointInfo> {
    let text = response.headers().get(INFO_HEADER).ok()??;
    serde_json::from_str(&text).ok()
}
