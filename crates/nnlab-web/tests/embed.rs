//! Browser tests of what embedding relies on: every lesson, mounted in a test
//! page in both languages, marks exactly the controls its table names
//! (`LessonId::controls`, the names `hide=` takes), and the lessons that play
//! report it through `Lesson::playback` as Space toggles them.
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeSet;

use nnlab_web::commands::Command;
use nnlab_web::i18n::Lang;
use nnlab_web::lessons;
use nnlab_web::link::CONTROL_ATTRIBUTE;
use nnlab_web::widgets::dom;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> HtmlElement {
    let root: HtmlElement = dom::create("main", "lesson").unwrap();
    root.style().set_property("width", "1000px").unwrap();
    dom::append(&dom::document().unwrap().body().unwrap(), &root).unwrap();
    root
}

/// The `data-control` names under `root`.
fn marked(root: &HtmlElement) -> BTreeSet<String> {
    let found = root
        .query_selector_all(&format!("[{CONTROL_ATTRIBUTE}]"))
        .unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute(CONTROL_ATTRIBUTE))
        .collect()
}

#[wasm_bindgen_test]
fn every_lesson_marks_exactly_its_named_controls() {
    for mut lesson in lessons::build_all().unwrap() {
        let id = lesson.id();
        for lang in Lang::ALL {
            let root = root();
            lesson.mount(&root, lang).unwrap();
            lesson.draw().unwrap();
            let expected: BTreeSet<String> = id.controls().iter().map(|s| s.to_string()).collect();
            assert_eq!(marked(&root), expected, "{id:?} in {lang:?}");
            lesson.unmount();
            root.remove();
        }
    }
}

#[wasm_bindgen_test]
fn playing_lessons_report_play_and_pause() {
    let playing = [
        "how-it-works",
        "training",
        "derivative-and-gradient",
        "gradient",
        "sgd",
        "local-minima",
        "descent-2d",
        "momentum",
        "backprop",
    ];
    // Lessons whose run is the training Worker's: they report play (paused) and
    // start only once CIFAR-10 has arrived, which a unit test does not have.
    let worker_runs = ["feature-engineering", "deep-training"];
    for mut lesson in lessons::build_all().unwrap() {
        let id = lesson.id();
        let root = root();
        lesson.mount(&root, Lang::En).unwrap();
        let before = lesson.playback();
        if worker_runs.contains(&id.slug()) {
            assert_eq!(before.playing, Some(false), "{id:?} starts paused");
            lesson.unmount();
            root.remove();
            continue;
        }
        if !playing.contains(&id.slug()) {
            assert_eq!(before.playing, None, "{id:?} has no play");
            lesson.unmount();
            root.remove();
            continue;
        }
        assert_eq!(before.playing, Some(false), "{id:?} starts paused");
        assert!(before.steps && before.resets, "{id:?}");
        lesson.command(Command::PlayPause).unwrap();
        assert_eq!(lesson.playback().playing, Some(true), "{id:?} plays");
        lesson.command(Command::PlayPause).unwrap();
        assert_eq!(lesson.playback().playing, Some(false), "{id:?} pauses");
        lesson.unmount();
        root.remove();
    }
}
