//! The training Web Worker's program. Trunk builds it (`data-type="worker"`
//! in www/index.html) into `nnlab-worker.js` + `nnlab-worker_bg.wasm`,
//! started by the page through `nnlab-worker_loader.js`. Everything it does
//! is in the library (`nnlab_worker::scope`).

#![warn(missing_docs)]

fn main() {
    #[cfg(target_arch = "wasm32")]
    nnlab_worker::scope::run();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("nnlab-worker runs in the browser, as the page's training Web Worker");
}
