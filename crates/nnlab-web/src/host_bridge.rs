//! The boundary to a host page: a slide deck (reveal.js or any page) that
//! holds a lesson in an `<iframe>` drives it with `postMessage`.
//!
//! The host posts plain objects, read with serde-wasm-bindgen into
//! [`HostMessage`]:
//!
//! | message | does |
//! |---|---|
//! | `{ "type": "set", "query": "s=rosenbrock&o=adam:0.05" }` | applies the lesson's query as if the link had it |
//! | `{ "type": "step" }` | one step (→) |
//! | `{ "type": "play" }`, `{ "type": "pause" }` | plays / pauses; idempotent |
//! | `{ "type": "reset" }` | back to the start (R) |
//! | `{ "type": "get" }` | nothing; only the answer |
//!
//! and the lesson answers every message with its state,
//! `{ "type": "state", "lesson": "descent-2d", "query": "…", "playing": false }`
//! (plus `notices`, the page's words for what a `set` could not use), or with
//! `{ "type": "error", "message": "…" }` for a message it cannot read or a
//! command the lesson does not have — and then does nothing. It also posts its
//! state to the host whenever it changes (throttled like the URL writer), and
//! once at start to the page that embeds it when that page's origin is listed.
//!
//! Only messages from the origins a link lists (`origin=https://slides.example`;
//! none by default, so the API is off) are read; others are ignored without a
//! reply, so nothing leaks, and replies are posted with the sender's exact
//! origin as target. `origin=` itself cannot be set by a message.
//!
//! This module only turns messages into the app's own actions ([`Plan`]: a
//! query to apply, or a [`Command`] as the keys send) and posts the answers;
//! [`crate::app`] carries them out.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Window};

use crate::commands::Command;
use crate::i18n::{Key, Lang};
use crate::lessons::{LessonId, Playback};
use crate::link;
use crate::url_state::{self, Notice, Query};

/// Longest piece of an unknown `type` quoted back to the host.
const MAX_QUOTE_CHARS: usize = 40;

/// What a host page may ask of the embedded lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostMessage {
    /// The lesson's pairs, `k=v&…`, as in a link (a leading `?` is fine).
    Set {
        /// The pairs, as the host wrote them.
        query: String,
    },
    /// One step by hand.
    Step,
    /// Run (answered at once if already running).
    Play,
    /// Pause (answered at once if already paused).
    Pause,
    /// Back to the start.
    Reset,
    /// Only ask for the state.
    Get,
}

/// A message as it arrives: `{ type, query? }`. Read in two steps (these
/// two fields, then [`Wire::message`]) rather than as a serde-tagged enum,
/// whose decoder is several KB of the page's size-budgeted wasm.
#[derive(Deserialize)]
pub struct Wire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    query: Option<String>,
}

impl Wire {
    /// The message this is, or why it is none.
    pub fn message(self) -> Result<HostMessage, Refusal> {
        Ok(match self.kind.as_str() {
            "set" => HostMessage::Set {
                query: self.query.ok_or(Refusal::NoQuery)?,
            },
            "step" => HostMessage::Step,
            "play" => HostMessage::Play,
            "pause" => HostMessage::Pause,
            "reset" => HostMessage::Reset,
            "get" => HostMessage::Get,
            _ => return Err(Refusal::unreadable(Some(self.kind))),
        })
    }
}

/// What the lesson posts back.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// `{ "type": "state", "lesson", "query", "playing" }`, plus `notices`
    /// (what a `set` could not use, in the page's words) when there are any.
    State {
        /// The lesson's slug.
        lesson: &'static str,
        /// The lesson's pairs as `set` takes them (`s=beale&o=adam:0.05`).
        query: String,
        /// Whether the lesson is running.
        playing: bool,
        /// Notices, in the page's language; empty when there are none.
        notices: Vec<String>,
    },
    /// `{ "type": "error", "message" }`.
    Error {
        /// What was wrong, in the page's language.
        message: String,
    },
}

/// Written as a map (a plain object with serde-wasm-bindgen's
/// `serialize_maps_as_objects`), which needs less of its code than a struct.
impl Serialize for Reply {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Reply::State {
                lesson,
                query,
                playing,
                notices,
            } => {
                map.serialize_entry("type", "state")?;
                map.serialize_entry("lesson", lesson)?;
                map.serialize_entry("query", query)?;
                map.serialize_entry("playing", playing)?;
                if !notices.is_empty() {
                    map.serialize_entry("notices", notices)?;
                }
            }
            Reply::Error { message } => {
                map.serialize_entry("type", "error")?;
                map.serialize_entry("message", message)?;
            }
        }
        map.end()
    }
}

/// The lesson's state as the host hears it; a change is posted to the host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The visible lesson.
    pub lesson: LessonId,
    /// Its pairs, as a link writes them.
    pub query: String,
    /// Whether it is running.
    pub playing: bool,
}

impl Snapshot {
    /// The state reply, with the notices of a `set` (if any).
    pub fn reply(&self, notices: Vec<String>) -> Reply {
        Reply::State {
            lesson: self.lesson.slug(),
            query: self.query.clone(),
            playing: self.playing,
            notices,
        }
    }
}

/// What the app does for a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    /// Apply these pairs to the visible lesson as a link's would be; `notices`
    /// are what reading the query itself could not use.
    Set {
        /// The pairs to apply.
        query: Query,
        /// What reading the query could not use.
        notices: Vec<Notice>,
    },
    /// A shared command, as the keys send it.
    Command(Command),
    /// Nothing to change; just answer (`get`, `play` while playing, `pause` while paused).
    Answer,
}

/// Why a message is answered with an error and not acted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Not an object with a text `type`.
    NotAMessage,
    /// A `type` the lesson does not know.
    UnknownType(String),
    /// `set` without a text `query`.
    NoQuery,
    /// `play` or `pause` to a lesson that does not run.
    NoPlay,
    /// `step` to a lesson without steps.
    NoStep,
    /// `reset` to a lesson that cannot reset.
    NoReset,
    /// A `set` tried a key only the link may give.
    LinkOnly(&'static str),
}

impl Refusal {
    /// Why a message whose `type` field is `kind` (if it is text) could not be read.
    pub fn unreadable(kind: Option<String>) -> Refusal {
        match kind {
            None => Refusal::NotAMessage,
            Some(kind) if kind == "set" => Refusal::NoQuery,
            Some(kind) => Refusal::UnknownType(kind),
        }
    }

    /// The error message, in the page's language.
    pub fn text(&self, lang: Lang, lesson: LessonId) -> String {
        let name = lang.text(lesson.title());
        match self {
            Refusal::NotAMessage => lang.text(Key::HostBadMessage).to_string(),
            Refusal::UnknownType(kind) => {
                let kind: String = kind
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_QUOTE_CHARS)
                    .collect();
                lang.fill(Key::HostUnknownType, &[("type", &kind)])
            }
            Refusal::NoQuery => lang.text(Key::HostNoQuery).to_string(),
            Refusal::NoPlay => lang.fill(Key::HostNoPlay, &[("lesson", name)]),
            Refusal::NoStep => lang.fill(Key::HostNoStep, &[("lesson", name)]),
            Refusal::NoReset => lang.fill(Key::HostNoReset, &[("lesson", name)]),
            Refusal::LinkOnly(key) => lang.fill(Key::HostLinkOnly, &[("key", key)]),
        }
    }
}

/// What to do for `message` in a lesson that answers `playback`.
pub fn plan(message: HostMessage, playback: Playback) -> Result<Plan, Refusal> {
    Ok(match message {
        HostMessage::Set { query } => {
            let (query, notices) = url_state::parse_query(&query);
            if query.iter().any(|(k, _)| k == link::ORIGIN_KEY) {
                return Err(Refusal::LinkOnly(link::ORIGIN_KEY));
            }
            Plan::Set { query, notices }
        }
        HostMessage::Get => Plan::Answer,
        HostMessage::Play | HostMessage::Pause => {
            let want = message == HostMessage::Play;
            match playback.playing {
                None => return Err(Refusal::NoPlay),
                Some(playing) if playing == want => Plan::Answer,
                Some(_) => Plan::Command(Command::PlayPause),
            }
        }
        HostMessage::Step if playback.steps => Plan::Command(Command::Step),
        HostMessage::Step => return Err(Refusal::NoStep),
        HostMessage::Reset if playback.resets => Plan::Command(Command::Reset),
        HostMessage::Reset => return Err(Refusal::NoReset),
    })
}

/// A host page that may talk to the lesson: its window and exact origin.
#[derive(Clone)]
pub struct Host {
    window: Window,
    origin: String,
}

/// The lesson's end of the conversation: who may talk, and who hears changes.
#[derive(Default)]
pub struct HostBridge {
    /// Listed by the link; empty = the API is off.
    origins: Vec<String>,
    /// The host that last sent a message (or the embedding page, announced to at start).
    host: Option<Host>,
    /// The state the host heard last.
    sent: Option<Snapshot>,
}

impl HostBridge {
    /// The origins the link lists (empty: the API is off).
    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// The link's list. A host whose origin is no longer listed hears nothing more.
    pub fn set_origins(&mut self, origins: Vec<String>) {
        if let Some(host) = &self.host {
            if !origins.contains(&host.origin) {
                self.host = None;
                self.sent = None;
            }
        }
        self.origins = origins;
    }

    /// The sender of `event` when its origin is listed; `None` (ignore it, say
    /// nothing) otherwise.
    pub fn sender(&self, event: &MessageEvent) -> Option<Host> {
        if self.origins.is_empty() {
            return None;
        }
        let origin = event.origin();
        if !self.origins.contains(&origin) {
            return None;
        }
        // Window messages come from a window (a cross-origin WindowProxy, which
        // `instanceof Window` would not recognise).
        let window = event.source()?.unchecked_into::<Window>();
        Some(Host { window, origin })
    }

    /// Reads a message: a plain object, which serde-wasm-bindgen turns into
    /// the tagged [`HostMessage`] (serde alone would also take `["step"]`).
    pub fn decode(data: JsValue) -> Result<HostMessage, Refusal> {
        if !data.is_object() || js_sys::Array::is_array(&data) {
            return Err(Refusal::NotAMessage);
        }
        let wire: Wire = serde_wasm_bindgen::from_value(data.clone()).map_err(|_| {
            let kind = js_sys::Reflect::get(&data, &JsValue::from_str("type"))
                .ok()
                .and_then(|v| v.as_string());
            Refusal::unreadable(kind)
        })?;
        wire.message()
    }

    /// Answers `host`, which from now on hears the lesson's changes.
    /// `state` is what the answer told it (none for an error).
    pub fn answer(&mut self, host: Host, reply: &Reply, state: Option<Snapshot>) {
        post(&host, reply);
        if state.is_some() {
            self.sent = state;
        }
        self.host = Some(host);
    }

    /// At start: tells the page that embeds the lesson its state, when that
    /// page's origin (from the referrer) is listed.
    pub fn announce(&mut self, state: Snapshot) {
        if self.origins.is_empty() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let Ok(Some(parent)) = window.parent() else {
            return;
        };
        if js_sys::Object::is(&parent, &window) {
            return; // not in a frame
        }
        let referrer = window.document().map(|d| d.referrer()).unwrap_or_default();
        let Some(origin) = link::origin_of_url(&referrer) else {
            return;
        };
        if self.origins.contains(&origin) {
            let host = Host {
                window: parent,
                origin,
            };
            self.answer(host, &state.reply(Vec::new()), Some(state));
        }
    }

    /// Posts `state` to the host if it differs from what the host heard last.
    pub fn update(&mut self, state: Snapshot) {
        let Some(host) = &self.host else {
            return;
        };
        if self.sent.as_ref() != Some(&state) {
            post(host, &state.reply(Vec::new()));
            self.sent = Some(state);
        }
    }
}

/// Posts `reply` to `host`, for its origin only.
fn post(host: &Host, reply: &Reply) {
    let writer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    let sent = reply
        .serialize(&writer)
        .map_err(JsValue::from)
        .and_then(|value| host.window.post_message(&value, &host.origin));
    if let Err(err) = sent {
        // The host went away or navigated elsewhere: nothing to tell it; note it for developers.
        web_sys::console::warn_1(&err);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: serde_json::Value) -> Result<HostMessage, String> {
        let wire: Wire = serde_json::from_value(value).map_err(|e| e.to_string())?;
        wire.message().map_err(|e| format!("{e:?}"))
    }

    #[test]
    fn messages_are_objects_tagged_by_type() {
        assert_eq!(
            read(json!({"type": "set", "query": "s=rosenbrock&o=adam:0.05"})),
            Ok(HostMessage::Set {
                query: "s=rosenbrock&o=adam:0.05".into()
            })
        );
        for (name, message) in [
            ("step", HostMessage::Step),
            ("play", HostMessage::Play),
            ("pause", HostMessage::Pause),
            ("reset", HostMessage::Reset),
            ("get", HostMessage::Get),
        ] {
            assert_eq!(read(json!({ "type": name })), Ok(message));
        }
        // Extra fields (a host's own ids) are ignored.
        assert_eq!(
            read(json!({"type": "step", "id": 7})),
            Ok(HostMessage::Step)
        );
    }

    #[test]
    fn malformed_messages_are_refused() {
        for bad in [
            json!({"type": "jump"}),
            json!({"type": "STEP"}),
            json!({"type": "set"}),
            json!({"type": "set", "query": 5}),
            json!({"query": "s=beale"}),
            json!({"type": null}),
            json!("step"),
            json!(null),
            json!(42),
        ] {
            assert!(read(bad.clone()).is_err(), "{bad}");
        }
        // serde would read `["step"]` as a tagged sequence; the page refuses
        // anything but a plain object before serde sees it (`HostBridge::decode`).
        assert_eq!(read(json!(["step"])), Ok(HostMessage::Step));
    }

    #[test]
    fn an_unreadable_message_is_named_by_its_type() {
        assert_eq!(Refusal::unreadable(None), Refusal::NotAMessage);
        assert_eq!(Refusal::unreadable(Some("set".into())), Refusal::NoQuery);
        assert_eq!(
            Refusal::unreadable(Some("jump".into())),
            Refusal::UnknownType("jump".into())
        );
        // What serde refuses, the page explains the same way: a `set` without
        // a text query, a type it does not know.
        assert!(read(json!({"type": "set", "query": 5})).is_err());
        assert!(read(json!({"type": "state"})).is_err());
    }

    #[test]
    fn replies_are_tagged_objects() {
        let state = Snapshot {
            lesson: LessonId::from_slug("descent-2d").unwrap(),
            query: "s=beale".into(),
            playing: true,
        };
        assert_eq!(
            serde_json::to_value(state.reply(Vec::new())).unwrap(),
            json!({"type": "state", "lesson": "descent-2d", "query": "s=beale", "playing": true})
        );
        assert_eq!(
            serde_json::to_value(state.reply(vec!["x".into()])).unwrap()["notices"],
            json!(["x"])
        );
        assert_eq!(
            serde_json::to_value(Reply::Error {
                message: "no".into()
            })
            .unwrap(),
            json!({"type": "error", "message": "no"})
        );
    }

    #[test]
    fn play_and_pause_are_idempotent() {
        let paused = Playback::full(false);
        let playing = Playback::full(true);
        let toggle = Ok(Plan::Command(Command::PlayPause));
        assert_eq!(plan(HostMessage::Play, paused), toggle);
        assert_eq!(plan(HostMessage::Play, playing), Ok(Plan::Answer));
        assert_eq!(plan(HostMessage::Pause, playing), toggle);
        assert_eq!(plan(HostMessage::Pause, paused), Ok(Plan::Answer));
        assert_eq!(
            plan(HostMessage::Step, playing),
            Ok(Plan::Command(Command::Step))
        );
        assert_eq!(
            plan(HostMessage::Reset, paused),
            Ok(Plan::Command(Command::Reset))
        );
        assert_eq!(plan(HostMessage::Get, paused), Ok(Plan::Answer));
    }

    #[test]
    fn lessons_without_play_or_step_say_so() {
        let none = Playback::default();
        assert_eq!(plan(HostMessage::Play, none), Err(Refusal::NoPlay));
        assert_eq!(plan(HostMessage::Pause, none), Err(Refusal::NoPlay));
        assert_eq!(plan(HostMessage::Step, none), Err(Refusal::NoStep));
        assert_eq!(plan(HostMessage::Reset, none), Err(Refusal::NoReset));
        assert_eq!(plan(HostMessage::Get, none), Ok(Plan::Answer));
        let text = Refusal::NoPlay.text(Lang::En, LessonId::from_slug("live-training").unwrap());
        assert!(
            text.contains("Live training") && text.contains("no play"),
            "{text}"
        );
        let zh = Refusal::NoStep.text(Lang::Zh, LessonId::from_slug("live-training").unwrap());
        assert!(zh.contains("单步"), "{zh}");
    }

    #[test]
    fn set_reads_the_query_like_a_link_but_never_origin() {
        let planned = plan(
            HostMessage::Set {
                query: "?s=rosenbrock&o=adam:0.05&speed".into(),
            },
            Playback::default(),
        );
        let Ok(Plan::Set { query, notices }) = planned else {
            panic!("{planned:?}");
        };
        assert_eq!(
            query,
            vec![
                ("s".to_string(), "rosenbrock".to_string()),
                ("o".to_string(), "adam:0.05".to_string())
            ]
        );
        assert_eq!(notices.len(), 1);
        assert_eq!(
            plan(
                HostMessage::Set {
                    query: "s=beale&origin=https://evil.example".into()
                },
                Playback::full(false)
            ),
            Err(Refusal::LinkOnly("origin"))
        );
        let huge = HostMessage::Set {
            query: format!("s={}", "a".repeat(100_000)),
        };
        let Ok(Plan::Set { query, notices }) = plan(huge, Playback::default()) else {
            panic!("a long query is cut, not refused");
        };
        assert!(query[0].1.len() < url_state::MAX_FRAGMENT_CHARS);
        assert_eq!(notices[0].problem, url_state::Problem::TooLong);
    }

    #[test]
    fn refusals_quote_an_unknown_type_shortly() {
        let long = Refusal::UnknownType(format!("{}\n<b>", "x".repeat(500)));
        let text = long.text(Lang::En, LessonId::from_slug("descent-2d").unwrap());
        assert!(text.contains(&"x".repeat(MAX_QUOTE_CHARS)), "{text}");
        assert!(!text.contains(&"x".repeat(MAX_QUOTE_CHARS + 1)), "{text}");
        assert!(!text.contains('\n'));
        for refusal in [Refusal::NotAMessage, Refusal::NoQuery] {
            for lang in Lang::ALL {
                assert!(refusal
                    .text(lang, LessonId::from_slug("descent-2d").unwrap())
                    .contains("query"));
            }
        }
        let text =
            Refusal::LinkOnly("origin").text(Lang::Zh, LessonId::from_slug("descent-2d").unwrap());
        assert!(text.contains("origin="), "{text}");
    }
}
