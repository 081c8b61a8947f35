//! The "where is CIFAR-10?" panel of the data lessons: how to get the data
//! when it is missing, progress while it streams in (images so far, bytes so
//! far — the lessons use what has arrived), the failure message, the sizes
//! once loaded, what is stored on this device (with a button to forget it),
//! and a drop zone with a file picker.

use web_sys::{Event, HtmlElement, HtmlInputElement};

use crate::data_store::{self, DataStatus};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::training::client;
use crate::widgets::{dom, Listener};
use nnlab::data::Dataset;
use nnlab_worker::protocol::{DataSource, Loading, ToWorker};
use std::rc::Rc;

/// The mounted panel.
pub struct DataPanel {
    lang: Lang,
    /// The panel; insert this into the page.
    pub root: HtmlElement,
    status: HtmlElement,
    howto: HtmlElement,
    bar: HtmlElement,
    bar_fill: HtmlElement,
    /// "CIFAR-10 stored on this device, 174 MB" and its Forget button.
    stored: HtmlElement,
    stored_text: HtmlElement,
    /// Says that the images shown are held-out training images.
    note: HtmlElement,
    shown: Option<(u64, DataStatus)>,
    _listeners: Vec<Listener>,
}

impl DataPanel {
    /// Builds the panel into `parent`; element ids start with `id_prefix`.
    pub fn mount(parent: &HtmlElement, lang: Lang, id_prefix: &str) -> WebResult<DataPanel> {
        let t = |key| lang.text(key);
        let root: HtmlElement = dom::create("section", "card data-panel")?;
        root.set_id(&format!("{id_prefix}-data"));
        dom::name_control(&root, "data");
        let status = dom::text_element("p", "data-status", "")?;
        status.set_id(&format!("{id_prefix}-data-status"));
        status.set_attribute("role", "status")?;
        let bar: HtmlElement = dom::create("div", "data-bar")?;
        let bar_fill: HtmlElement = dom::add(&bar, "div", "data-bar-fill")?;
        let howto: HtmlElement = dom::create("div", "data-howto")?;
        howto.set_id(&format!("{id_prefix}-data-howto"));
        dom::add_text(&howto, "p", "", t(Key::DataHowToIntro))?;
        let list: HtmlElement = dom::add(&howto, "ol", "")?;
        dom::add_text(&list, "li", "", t(Key::DataHowToScript))?;
        dom::add_text(&list, "li", "", t(Key::DataHowToManual))?;
        dom::add_text(&howto, "p", "muted", t(Key::DataOthersWork))?;

        let zone: HtmlElement = dom::create("label", "data-drop")?;
        dom::add_text(&zone, "span", "", t(Key::DataDropHint))?;
        // The browser's own chooser speaks the browser's language ("Choose
        // Files / No file chosen" on the zh page): it stays, focusable but
        // unseen, behind a button-like label in the page's language.
        let choose = dom::add_text(&zone, "span", "btn data-choose", t(Key::DataChooseFiles))?;
        choose.set_attribute("aria-hidden", "true")?;
        let input: HtmlInputElement = dom::add(&zone, "input", "data-file visually-hidden")?;
        input.set_attribute("aria-label", t(Key::DataChooseFiles))?;
        input.set_type("file");
        input.set_multiple(true);
        input.set_accept(".gz,.tgz,.bin,.txt");
        input.set_id(&format!("{id_prefix}-data-file"));

        let stored: HtmlElement = dom::create("p", "data-stored")?;
        stored.set_id(&format!("{id_prefix}-data-stored"));
        let stored_text = dom::add_text(&stored, "span", "", "")?;
        let forget = crate::widgets::Button::new(t(Key::DataForget), "small")?;
        forget.element.set_id(&format!("{id_prefix}-data-forget"));
        dom::append(&stored, &forget.element)?;
        stored.set_hidden(true);

        let note = dom::text_element("p", "muted data-note", "")?;
        note.set_id(&format!("{id_prefix}-data-note"));
        note.set_hidden(true);

        for part in [&status, &bar, &note, &stored, &howto, &zone] {
            dom::append(&root, part)?;
        }
        dom::append(parent, &root)?;
        let picked = input.clone();
        let on_pick = Listener::new(&input, "change", move |_: Event| {
            if let Some(files) = picked.files() {
                client::send_files(&files)?;
            }
            picked.set_value("");
            Ok(())
        })?;
        let z = zone.clone();
        let over = Listener::new(&zone, "dragenter", move |_: Event| {
            z.class_list().add_1("over")?;
            Ok(())
        })?;
        let z = zone.clone();
        let leave = Listener::new(&zone, "dragleave", move |_: Event| {
            z.class_list().remove_1("over")?;
            Ok(())
        })?;
        let z = zone.clone();
        let dropped = Listener::new(&zone, "drop", move |_: Event| {
            z.class_list().remove_1("over")?;
            Ok(())
        })?;
        let on_forget = forget.on_click(|| client::send(&ToWorker::ForgetStoredData))?;
        Ok(DataPanel {
            lang,
            root,
            status,
            howto,
            bar,
            bar_fill,
            stored,
            stored_text,
            note,
            shown: None,
            _listeners: vec![on_pick, over, leave, dropped, on_forget],
        })
    }

    /// Catches up (see [`DataPanel::catch_up`]) and returns the images once
    /// there are any, keeping the lesson's `content` hidden until then.
    pub fn samples(&mut self, content: &HtmlElement) -> WebResult<Option<Rc<Dataset>>> {
        self.catch_up()?;
        let samples = data_store::samples();
        content.set_hidden(samples.is_none());
        Ok(samples)
    }

    /// Shows the current loading state (cheap when nothing changed).
    pub fn catch_up(&mut self) -> WebResult<()> {
        let record = client::record();
        let record = record.borrow();
        let status = data_store::status();
        let key = (record.revision, status.clone());
        if self.shown.as_ref() == Some(&key) {
            return Ok(());
        }
        let lang = self.lang;
        let load = &record.load;
        let mut fraction = None;
        let mut text = match (&status, load.progress) {
            (_, Some(loading)) => {
                fraction = loading.fraction().or(Some(0.0));
                arriving(lang, &loading)
            }
            (DataStatus::Ready { train, test }, None) => lang.fill(
                Key::DataReadyText,
                &[("train", &thousands(*train)), ("test", &thousands(*test))],
            ),
            (_, None) if load.missing_url.is_none() && load.error.is_none() => {
                lang.text(Key::DataLooking).to_string()
            }
            _ => lang.text(Key::DataMissingText).to_string(),
        };
        if let Some(error) = &load.error {
            let kept = match (&status, load.last, data_store::samples().is_some()) {
                (DataStatus::Ready { .. }, _, _) => lang.text(Key::DataKeptOld).to_string(),
                // A download that broke off: what arrived stays in use.
                (_, Some(last), true) => lang.fill(
                    Key::DataPartial,
                    &[
                        ("train", &thousands(last.train)),
                        ("expected", &thousands(last.train_expected)),
                    ],
                ),
                _ => String::new(),
            };
            text = format!(
                "{} {kept}",
                lang.fill(Key::DataFailedText, &[("message", error)])
            );
        }
        dom::set_text_if_changed(&self.status, text.trim());
        self.status
            .class_list()
            .toggle_with_force("warning", load.error.is_some())?;
        let ready = matches!(status, DataStatus::Ready { .. });
        self.howto
            .set_hidden(ready || load.progress.is_some() || data_store::samples().is_some());
        let held_out = data_store::samples()
            .filter(|_| data_store::samples_held_out())
            .map(|s| s.len());
        self.note.set_hidden(held_out.is_none());
        if let Some(n) = held_out {
            let text = lang.fill(Key::DataHeldOutNote, &[("n", &thousands(n))]);
            dom::set_text_if_changed(&self.note, &text);
        }
        // For the memory figure in the README (tests/e2e/classroom.test.mjs reads them).
        if let Some(last) = load.last {
            self.root
                .set_attribute("data-worker-memory", &last.memory_bytes.to_string())?;
        }
        self.root.set_attribute(
            "data-page-memory",
            &nnlab_worker::protocol::wasm_memory_bytes().to_string(),
        )?;
        let stored = load.stored.flatten();
        self.stored.set_hidden(stored.is_none());
        if let Some(bytes) = stored {
            let text = lang.fill(Key::DataStored, &[("size", &megabytes(bytes))]);
            dom::set_text_if_changed(&self.stored_text, &text);
        }
        self.bar.set_hidden(fraction.is_none());
        self.bar_fill.style().set_property(
            "width",
            &format!("{:.1}%", fraction.unwrap_or(0.0).clamp(0.0, 1.0) * 100.0),
        )?;
        self.root.class_list().toggle_with_force("ready", ready)?;
        self.shown = Some(key);
        Ok(())
    }
}

/// "Downloading CIFAR-10: 6,400 of 50,000 training images so far …".
fn arriving(lang: Lang, loading: &Loading) -> String {
    let key = match loading.source {
        DataSource::Network => Key::DataStreaming,
        DataSource::Device => Key::DataFromDevice,
        DataSource::File => Key::DataFromFile,
    };
    lang.fill(
        key,
        &[
            ("train", &thousands(loading.train)),
            ("expected", &thousands(loading.train_expected)),
            ("test", &thousands(loading.test)),
            ("done", &megabytes(loading.bytes_done)),
            ("total", &megabytes(loading.bytes_total)),
        ],
    )
}

/// Bytes as megabytes with one decimal ("?" when unknown).
pub fn megabytes(bytes: u64) -> String {
    if bytes == 0 {
        return "?".into();
    }
    format!("{:.1}", bytes as f64 / 1_000_000.0)
}

/// 50000 → "50,000".
pub fn thousands(n: usize) -> String {
    nnlab::nn::thousands(n)
}
