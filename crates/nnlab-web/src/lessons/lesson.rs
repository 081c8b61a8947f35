//! What a lesson is to the app, and the one adapter that makes a lesson of a
//! model and a view.
//!
//! A lesson folder writes only what is particular to it:
//! - its **model** ([`LessonModel`]): state and rules, free of browser types
//!   and tested natively — how time moves it, what Space/→/R/digits do;
//! - its **link state** ([`LinkState`], in the folder's `query.rs`): the
//!   model as URL pairs and back ([`FromLink`] when a link builds the model
//!   afresh);
//! - its **view** ([`LessonView`]): builds the page under the lesson's head and
//!   catches up with the model once a frame; handlers only change the model.
//!
//! [`Page`] joins the two and is the only implementation of [`Lesson`], the
//! interface the app drives. The lesson's row in [`super::table`] names it.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::table::LessonId;
use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::url_state::{Notice, Query};
use crate::widgets::dom;

/// A lesson's state and rules.
pub trait LessonModel: 'static {
    /// Advances by `dt_ms` milliseconds of wall-clock time (only while the
    /// lesson is on screen).
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        Ok(())
    }

    /// A shared control (Space, →, R, digit keys): see [`crate::commands`].
    fn command(&mut self, _command: Command) -> WebResult<()> {
        Ok(())
    }

    /// Which shared commands the lesson answers and whether it runs now.
    fn playback(&self) -> Playback {
        Playback::default()
    }

    /// False for a lesson whose pictures change only with the reader's input
    /// and with messages (the live lesson's Worker reports): it is then drawn
    /// every [`IDLE_FRAME_MS`](crate::app) between inputs rather than at every
    /// display refresh. True (the default) for anything that animates or
    /// works a slice per frame.
    fn every_frame(&self) -> bool {
        true
    }

    /// The lesson left the screen (a running walk pauses, say).
    fn hidden(&mut self) {}
}

/// A model that a link can carry (see [`crate::url_state`]). A lesson without
/// shareable state writes `impl LinkState for Model {}`; one that a link
/// rebuilds from scratch implements [`FromLink`] instead.
pub trait LinkState {
    /// The state as URL query pairs, so a link reopens the lesson as it is now.
    fn state_query(&self) -> Query {
        Vec::new()
    }

    /// Restores state from a link's pairs. Values that cannot be used leave
    /// their defaults in place and come back as notices, which the page shows.
    fn apply_query(&mut self, _query: &[(String, String)]) -> Vec<Notice> {
        Vec::new()
    }
}

/// A model that a link builds afresh: the lesson opens from the link's pairs
/// on top of its defaults, and the new model takes the old one's place. Its
/// [`LinkState`] comes from this, so such a lesson writes only how it reads
/// and writes a link.
pub trait FromLink: Sized {
    /// The state as URL query pairs (see [`LinkState::state_query`]).
    fn to_query(&self) -> Query;

    /// A fresh model from a link's pairs; values that cannot be used keep their
    /// defaults and come back as notices. Fails only when something built in
    /// (a surface, a network) cannot be built, and the lesson then stays as it is.
    fn from_query(query: &[(String, String)]) -> nnlab::Result<(Self, Vec<Notice>)>;

    /// Takes the place of `self` with `fresh`. The view is rebuilt after a link
    /// is applied, so a plain replacement is safe; a model whose view redraws
    /// on a revision count keeps counting instead.
    fn take_place(&mut self, fresh: Self) {
        *self = fresh;
    }
}

impl<T: FromLink> LinkState for T {
    fn state_query(&self) -> Query {
        self.to_query()
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        match T::from_query(query) {
            Ok((fresh, notices)) => {
                self.take_place(fresh);
                notices
            }
            Err(_) => Vec::new(),
        }
    }
}

/// Test helpers for the lessons' links.
#[cfg(test)]
pub(crate) mod testing {
    use super::FromLink;
    use crate::url_state::testing::query;

    /// The model the query text `link` opens, which must read without a
    /// notice and write itself back as the same pairs.
    pub fn round_trip<T: FromLink>(link: &str) -> T {
        let pairs = query(link);
        let (model, notices) = T::from_query(&pairs).expect("the built-in parts build");
        assert!(notices.is_empty(), "{link}: {notices:?}");
        assert_eq!(model.to_query(), pairs, "{link}");
        model
    }
}

/// Where a view is built: the lesson's root, its head (title, key sentence,
/// introduction — already on the page, so a view may add to it) and language.
pub struct Mount<'a> {
    /// The lesson's `<main>`; the head is its first child.
    pub root: &'a HtmlElement,
    /// The lesson's `<header>` (the control `head`).
    pub head: HtmlElement,
    /// The language to build in.
    pub lang: Lang,
    /// The lesson being built (two lessons may share a view).
    pub id: LessonId,
}

impl Mount<'_> {
    /// The text of `key` in the lesson's language.
    pub fn text(&self, key: Key) -> &'static str {
        self.lang.text(key)
    }
}

/// A lesson's page: DOM and canvas, built at mount, dropped at unmount.
pub trait LessonView: Sized + 'static {
    /// The state the view shows.
    type Model: LessonModel + LinkState;

    /// Builds the controls and pictures under the lesson's head, showing `model`.
    fn build(at: &Mount, model: &Self::Model) -> WebResult<Self>;

    /// Connects the handlers, each of which only changes `model` (see
    /// [`super::kit::bind::Binder`]). Called once, right after [`LessonView::build`].
    fn listen(&mut self, _model: &Rc<RefCell<Self::Model>>) -> WebResult<()> {
        Ok(())
    }

    /// Brings the page in line with `model` (cheaply when nothing changed).
    fn catch_up(&mut self, model: &Self::Model) -> WebResult<()>;
}

/// Which of the shared commands ([`crate::commands::Command`]) a lesson
/// answers, and whether it is running now: what a host page may ask of it
/// ([`crate::host_bridge`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Playback {
    /// `Some(running)` when Space plays and pauses the lesson; `None` when it has no play.
    pub playing: Option<bool>,
    /// → takes one step.
    pub steps: bool,
    /// R resets it.
    pub resets: bool,
}

impl Playback {
    /// A lesson that plays, steps and resets; `playing` is whether it runs now.
    pub fn full(playing: bool) -> Playback {
        Playback {
            playing: Some(playing),
            steps: true,
            resets: true,
        }
    }
}

/// What the app needs from a lesson; [`Page`] is its one implementation.
pub trait Lesson {
    /// The lesson's row in the table.
    fn id(&self) -> LessonId;

    /// Builds the lesson into `root` (already empty) in `lang`. Called when
    /// the lesson is shown and on every language switch; its state survives both.
    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()>;

    /// Drops the controls and their event handlers (the lesson is hidden).
    fn unmount(&mut self);

    /// Advances the lesson by `dt_ms` milliseconds of wall-clock time.
    fn tick(&mut self, dt_ms: f64) -> WebResult<()>;

    /// Paints the lesson (cheaply when nothing changed).
    fn draw(&mut self) -> WebResult<()>;

    /// See [`LinkState::state_query`].
    fn state_query(&self) -> Query;

    /// See [`LinkState::apply_query`].
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice>;

    /// See [`LessonModel::command`].
    fn command(&mut self, command: Command) -> WebResult<()>;

    /// See [`LessonModel::playback`].
    fn playback(&self) -> Playback;

    /// See [`LessonModel::every_frame`].
    fn every_frame(&self) -> bool;
}

/// A lesson made of a model and a view: the model lives as long as the app,
/// the view only while the lesson is on screen.
pub struct Page<V: LessonView> {
    id: LessonId,
    model: Rc<RefCell<V::Model>>,
    view: Option<V>,
}

impl<V: LessonView> Page<V> {
    /// The lesson `id` starting from `model`, boxed for the app's list.
    pub fn boxed(id: LessonId, model: V::Model) -> WebResult<Box<dyn Lesson>> {
        Ok(Box::new(Page::<V> {
            id,
            model: Rc::new(RefCell::new(model)),
            view: None,
        }))
    }
}

impl<V: LessonView> Lesson for Page<V> {
    fn id(&self) -> LessonId {
        self.id
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        self.view = None;
        let head = head(root, lang, self.id)?;
        let at = Mount {
            root,
            head,
            lang,
            id: self.id,
        };
        let mut view = V::build(&at, &self.model.borrow())?;
        view.listen(&self.model)?;
        self.view = Some(view);
        Ok(())
    }

    fn unmount(&mut self) {
        self.model.borrow_mut().hidden();
        self.view = None;
    }

    fn tick(&mut self, dt_ms: f64) -> WebResult<()> {
        self.model.borrow_mut().tick(dt_ms)
    }

    fn draw(&mut self) -> WebResult<()> {
        match self.view.as_mut() {
            Some(view) => view.catch_up(&self.model.borrow()),
            None => Ok(()),
        }
    }

    fn state_query(&self) -> Query {
        self.model.borrow().state_query()
    }

    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        self.model.borrow_mut().apply_query(query)
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        self.model.borrow_mut().command(command)
    }

    fn playback(&self) -> Playback {
        self.model.borrow().playback()
    }

    fn every_frame(&self) -> bool {
        self.model.borrow().every_frame()
    }
}

/// The lesson's `<header>` from its row: where it sits in the lecture, the
/// title, the lecture's key sentence and the introduction (the control
/// `head`, which `hide=head` hides). Appended to `root`.
fn head(root: &HtmlElement, lang: Lang, id: LessonId) -> WebResult<HtmlElement> {
    let row = id.row();
    let head: HtmlElement = dom::create("header", "lesson-head")?;
    dom::name_control(&head, "head");
    let place = format!("{} · {}", lang.text(row.part.title()), id.number());
    dom::add_text(&head, "p", "lesson-part", &place)?;
    dom::add_text(&head, "h2", "lesson-title", lang.text(row.title))?;
    let quote: HtmlElement = dom::add(&head, "blockquote", "key-sentence")?;
    dom::add_text(
        &quote,
        "span",
        "key-sentence-label",
        lang.text(Key::KeySentenceLabel),
    )?;
    dom::add_text(&quote, "p", "", lang.text(row.sentence))?;
    dom::add_text(&head, "p", "lesson-intro", lang.text(row.intro))?;
    dom::append(root, &head)?;
    Ok(head)
}
