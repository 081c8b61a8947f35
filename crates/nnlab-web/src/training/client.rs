//! The page's side of the training Worker: starts it once, sends it
//! messages, records its replies ([`TrainingRecord`]) and publishes the data
//! in [`crate::data_store`]. Also the whole-page drop target for CIFAR-10 files
//! (and for a photo, while a lesson takes one).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DragEvent, Event, File, FileList, MessageEvent, Worker};

use super::record::{Effect, TrainingRecord};
use super::simd::WorkerBuild;
use crate::data_store::{self, DataStatus};
use crate::error::{WebError, WebResult};
use crate::widgets::{dom, Listener};
use nnlab_worker::protocol::{Envelope, ToPage, ToWorker};

pub use nnlab_worker::protocol::ARCHIVE_URL;

struct Client {
    worker: Worker,
    /// Which build of the Worker runs (relaxed SIMD or plain SIMD128).
    build: WorkerBuild,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

thread_local! {
    /// Messages posted before the Worker said it is listening.
    static PENDING: RefCell<Option<Vec<Object>>> = const { RefCell::new(Some(Vec::new())) };
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    static RECORD: Rc<RefCell<TrainingRecord>> = Rc::new(RefCell::new(TrainingRecord::default()));
    /// The page-wide drop handlers (see [`install_drop_target`]).
    static DROP: RefCell<Option<Vec<Listener>>> = const { RefCell::new(None) };
    /// Whether the Worker was asked to look for the archive already.
    static FETCH_ASKED: Cell<bool> = const { Cell::new(false) };
    /// Where a dropped image goes while a lesson takes photos (see [`ImageDrop`]).
    static IMAGE_DROP: RefCell<Option<ImageHandler>> = const { RefCell::new(None) };
}

/// What a lesson does with an image file.
type ImageHandler = Rc<dyn Fn(File)>;

/// While this lives, an image dropped anywhere on the page goes to its
/// handler (a lesson's "your own photo"), not to the Worker as CIFAR-10 data.
pub struct ImageDrop(ImageHandler);

impl ImageDrop {
    /// Sends dropped images to `handler` until the returned value is dropped.
    pub fn new(handler: impl Fn(File) + 'static) -> ImageDrop {
        let handler: ImageHandler = Rc::new(handler);
        IMAGE_DROP.with(|d| *d.borrow_mut() = Some(handler.clone()));
        ImageDrop(handler)
    }
}

impl Drop for ImageDrop {
    /// Unregisters, unless a newer lesson's handler replaced this one.
    fn drop(&mut self) {
        IMAGE_DROP.with(|d| {
            let mut d = d.borrow_mut();
            if d.as_ref().is_some_and(|h| Rc::ptr_eq(h, &self.0)) {
                *d = None;
            }
        });
    }
}

/// The shared record of what the Worker said.
pub fn record() -> Rc<RefCell<TrainingRecord>> {
    RECORD.with(Rc::clone)
}

/// Which build of the Worker the page started (None before it starts).
pub fn worker_build() -> Option<WorkerBuild> {
    CLIENT.with(|c| c.borrow().as_ref().map(|client| client.build))
}

/// Starts the Worker (once) and asks it to look for the archive (once,
/// unless data is already loaded). Every lesson that uses CIFAR-10 calls
/// this when it is shown (`mount`); it is cheap after the first call.
pub fn ensure_started() -> WebResult<()> {
    start_worker()?;
    let fetch = !FETCH_ASKED.with(|f| f.replace(true))
        && !matches!(data_store::status(), DataStatus::Ready { .. });
    if !fetch {
        return Ok(());
    }
    if matches!(data_store::status(), DataStatus::Missing) {
        data_store::set(DataStatus::Loading { fraction: 0.0 }, None);
    }
    send(&ToWorker::FetchArchive {
        url: ARCHIVE_URL.into(),
    })
}

/// Makes the whole page a drop target for CIFAR-10 files (the browser would
/// otherwise open a dropped file in place of the app). The app calls this at
/// start; the Worker starts only when files are actually dropped.
pub fn install_drop_target() -> WebResult<()> {
    if DROP.with(|d| d.borrow().is_some()) {
        return Ok(());
    }
    let listeners = page_drop_target()?;
    DROP.with(|d| *d.borrow_mut() = Some(listeners));
    Ok(())
}

/// Creates the Worker and its message handlers, once.
fn start_worker() -> WebResult<()> {
    if CLIENT.with(|c| c.borrow().is_some()) {
        return Ok(());
    }
    install_drop_target()?;
    let build = WorkerBuild::detect();
    let worker = Worker::new(build.loader_url())?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        match decode(&event.data()) {
            Ok(message) => receive(message),
            Err(e) => receive(ToPage::Error {
                message: e.to_string(),
            }),
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    let on_error = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        event.prevent_default();
        let detail = event
            .dyn_ref::<web_sys::ErrorEvent>()
            .map(|e| e.message())
            .unwrap_or_else(|| "the training worker could not start".into());
        receive(ToPage::DataFailed { message: detail });
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let requested = super::workers::detect();
    CLIENT.with(|c| {
        *c.borrow_mut() = Some(Client {
            worker,
            build,
            _on_message: on_message,
            _on_error: on_error,
        })
    });
    // Queued until the Worker is listening, like every message.
    send(&ToWorker::UseWorkers {
        workers: requested.workers,
        measure: requested.measure,
    })
}

/// Runs training, or pauses it when it runs (the lessons' Run buttons).
pub fn run_or_pause() -> WebResult<()> {
    let running = record().borrow().running();
    send(if running {
        &ToWorker::Pause
    } else {
        &ToWorker::Run
    })
}

/// Asks the Worker to evaluate now; the record says "evaluating" until
/// this request is answered.
pub fn evaluate() -> WebResult<()> {
    let request = record().borrow_mut().ask_evaluation();
    send(&ToWorker::Evaluate { request })
}

/// Sends `message` to the Worker (starting it if needed).
pub fn send(message: &ToWorker) -> WebResult<()> {
    post(message, None)
}

/// Sends dropped or picked files to the Worker to load.
pub fn send_files(files: &FileList) -> WebResult<()> {
    let list = Array::new();
    let mut names = Vec::new();
    for i in 0..files.length() {
        if let Some(file) = files.get(i) {
            names.push(file.name());
            list.push(&file);
        }
    }
    if names.is_empty() {
        return Ok(());
    }
    post(&ToWorker::ReadFiles { names }, Some(list))
}

fn post(message: &ToWorker, files: Option<Array>) -> WebResult<()> {
    start_worker()?;
    let object = Object::new();
    let bytes = Uint8Array::from(message.to_bytes()?.as_slice());
    Reflect::set(&object, &"message".into(), &bytes)?;
    if let Some(files) = files {
        Reflect::set(&object, &"files".into(), &files)?;
    }
    let queued = PENDING.with(|p| match p.borrow_mut().as_mut() {
        Some(pending) => {
            pending.push(object.clone());
            true
        }
        None => false,
    });
    if queued {
        return Ok(());
    }
    post_now(&object)
}

fn post_now(object: &Object) -> WebResult<()> {
    CLIENT.with(|c| match c.borrow().as_ref() {
        Some(client) => client.worker.post_message(object).map_err(WebError::from),
        None => Err(WebError::MissingElement("training worker")),
    })
}

/// The Worker listens: send what waited.
fn flush_pending() {
    let pending = PENDING.with(|p| p.borrow_mut().take()).unwrap_or_default();
    for object in pending {
        if let Err(e) = post_now(&object) {
            RECORD.with(|r| r.borrow_mut().error = Some(e.to_string()));
        }
    }
}

/// `{ message, blobs }` from the Worker back into a [`ToPage`].
fn decode(data: &JsValue) -> WebResult<ToPage> {
    let message = Reflect::get(data, &"message".into())?
        .dyn_into::<Uint8Array>()
        .map_err(|_| WebError::Js("a worker message without its bytes".into()))?
        .to_vec();
    let blobs = Reflect::get(data, &"blobs".into())?;
    let blobs: Vec<Vec<u8>> = if blobs.is_undefined() {
        Vec::new()
    } else {
        Array::from(&blobs)
            .iter()
            .map(|b| Uint8Array::new(&b).to_vec())
            .collect()
    };
    Ok(ToPage::decode(Envelope { message, blobs })?)
}

/// Records a message and does what it asks of the page.
fn receive(message: ToPage) {
    if message == ToPage::WorkerReady {
        flush_pending();
        return;
    }
    let progress = match &message {
        ToPage::Progress(loading) => Some(loading.fraction().unwrap_or(0.0)),
        _ => None,
    };
    let missing = matches!(message, ToPage::DataMissing { .. });
    let effect = RECORD.with(|r| r.borrow_mut().apply(message));
    let ready = matches!(data_store::status(), DataStatus::Ready { .. });
    match effect {
        Effect::Data(samples, held_out) => data_store::set_samples(Rc::new(samples), held_out),
        Effect::TrainingImages(images, total) => {
            data_store::set_training_images(Rc::new(images), total)
        }
        Effect::Complete { train, test } => {
            data_store::set(DataStatus::Ready { train, test }, None);
        }
        Effect::Download { name, mime, bytes } => {
            if let Err(e) = download(&name, &mime, &bytes) {
                RECORD.with(|r| r.borrow_mut().error = Some(e.to_string()));
            }
        }
        // The data loaded before (if any) stays in use.
        Effect::Failed(message) if !ready => {
            if RECORD.with(|r| r.borrow().load.error.is_some()) {
                data_store::set(DataStatus::Failed(message), None);
            }
        }
        Effect::Failed(_) | Effect::None => {
            if let (Some(fraction), false) = (progress, ready) {
                data_store::set(DataStatus::Loading { fraction }, None);
            } else if missing && !ready {
                data_store::set(DataStatus::Missing, None);
            } else {
                // Stored-copy news and the like: views redraw from the record.
                data_store::touch();
            }
        }
    }
}

/// Offers `bytes` as a file download called `name`.
fn download(name: &str, mime: &str, bytes: &[u8]) -> WebResult<()> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = dom::create("a", "")?;
    link.set_href(&url);
    link.set_download(name);
    dom::append(
        &dom::document()?
            .body()
            .ok_or(WebError::MissingElement("body"))?,
        &link,
    )?;
    link.click();
    link.remove();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Files dropped anywhere on the page are loaded (the browser would
/// otherwise open them in place of the app).
fn page_drop_target() -> WebResult<Vec<Listener>> {
    let document = dom::document()?;
    let over = Listener::new(&document, "dragover", |event: Event| {
        if carries_files(&event) {
            event.prevent_default();
        }
        Ok(())
    })?;
    let dropped = Listener::new(&document, "drop", |event: Event| {
        let Some(files) = event
            .dyn_ref::<DragEvent>()
            .and_then(DragEvent::data_transfer)
            .and_then(|t| t.files())
        else {
            return Ok(());
        };
        if files.length() == 0 {
            return Ok(());
        }
        event.prevent_default();
        let image = files.get(0).filter(|f| f.type_().starts_with("image/"));
        if let Some((file, handler)) = image.zip(IMAGE_DROP.with(|d| d.borrow().clone())) {
            handler(file);
            return Ok(());
        }
        send_files(&files)
    })?;
    Ok(vec![over, dropped])
}

fn carries_files(event: &Event) -> bool {
    event
        .dyn_ref::<DragEvent>()
        .and_then(DragEvent::data_transfer)
        .is_some_and(|t| {
            t.types()
                .iter()
                .any(|v| v.as_string().as_deref() == Some("Files"))
        })
}

/// The bytes of a picked file (a saved model).
pub async fn read_bytes(file: File) -> WebResult<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
