//! The app shell: page chrome, navigation between lessons, the language
//! switch, the colour theme, presenter mode, the keys every lesson shares, the lesson's state in
//! the URL, and the frame loop that ticks and draws only the visible lesson.
//!
//! The URL fragment names the lesson and holds its state
//! (`#descent-2d?s=beale&…&lang=zh`, see [`crate::url_state`]): it is read at
//! start and whenever the reader edits it, and rewritten (throttled, with
//! `history.replaceState`) as the reader changes things, so a link always
//! reopens the page as it is.
//!
//! Embedded in slides (`embed=1`, `hide=`, `origin=`; see [`crate::link`]),
//! the page shows the lesson alone, hides the named controls, and takes
//! messages from the listed host pages ([`crate::host_bridge`]).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Element, Event, HtmlAnchorElement, HtmlElement, HtmlOptionElement, HtmlSelectElement,
    KeyboardEvent, MessageEvent,
};

use crate::banner;
use crate::commands::{key_action, KeyAction};
use crate::error::WebResult;
use crate::host_bridge::{self, HostBridge, Plan, Reply, Snapshot};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::drag::ARROW_KEYS_ATTRIBUTE;
use crate::lessons::table::Part;
use crate::lessons::{self, Lesson, LessonId};
use crate::link::{self, LinkSettings};
use crate::theme::{self, Choice};
use crate::url_state::{self, Fragment, Notice};
use crate::widgets::{dom, Button, Listener};

/// The `id` of the element the app builds itself into (see `www/index.html`).
pub const ROOT_ID: &str = "app";
/// The `id` of the `<main>` that holds the visible lesson (the skip link's target).
const LESSON_ROOT_ID: &str = "lesson";
/// Where the chosen language is remembered between visits.
const LANG_STORAGE_KEY: &str = "nnlab.lang";
/// Longest wall-clock step handed to a lesson: after a hidden tab or a
/// breakpoint, lessons resume instead of jumping ahead.
const MAX_FRAME_MS: f64 = 100.0;
/// The URL (and a host page, see [`crate::host_bridge`]) is brought up to date at most this often.
const URL_INTERVAL_MS: f64 = 250.0;
/// A lesson that does not need every display frame ([`Lesson::every_frame`])
/// is drawn this often while the reader does nothing.
const IDLE_FRAME_MS: i32 = 100;
/// After a key press, a click, a pointer move, a wheel turn or a resize, every
/// display frame for this long.
const INPUT_AWAKE_MS: f64 = 1000.0;
/// The events that count as the reader doing something.
const INPUT_EVENTS: [&str; 6] = [
    "pointerdown",
    "pointermove",
    "keydown",
    "wheel",
    "input",
    "resize",
];
/// The `<body>` class of presenter mode (large type, high contrast; see style.css).
const PRESENTER_CLASS: &str = "presenter";
/// The `<body>` class that brings the menu back in presenter mode (see style.css).
const MENU_OPEN_CLASS: &str = "menu-open";
/// The `<html>` class of an embedded lesson (`embed=1`: the lesson alone; see style.css).
const EMBED_CLASS: &str = "embed";

/// A notice when the fragment names a lesson the page does not have (an empty
/// fragment, or one with only settings, names none and opens the first lesson).
fn unknown_lesson(fragment: &Fragment) -> Option<Notice> {
    let named = !fragment.slug.is_empty();
    (named && LessonId::from_slug(&fragment.slug).is_none())
        .then(|| Notice::new("#", &fragment.slug, url_state::Problem::NoSuchLesson))
}

/// Builds the app into `#app` and starts the frame loop.
pub fn start() -> WebResult<()> {
    let root: HtmlElement = dom::by_id(ROOT_ID)?;
    let fragment = current_fragment();
    let first = LessonId::from_slug(&fragment.slug).unwrap_or(LessonId::start());
    let (link, mut notices) = LinkSettings::read(&fragment, first);
    notices.extend(unknown_lesson(&fragment));
    let lang = link.lang.unwrap_or_else(initial_lang);
    banner::set_lang(lang);
    // index.html set the theme before the first paint; this makes the pictures agree.
    let theme_choice = theme::remembered();
    theme::apply(theme_choice.resolve(theme::system_dark()))?;
    // Files dropped anywhere load as CIFAR-10 (the Worker starts only then).
    crate::training::client::install_drop_target()?;
    let app = Rc::new(RefCell::new(App::build(root, lang, theme_choice)?));
    App::wire(&app)?;
    {
        let mut app = app.borrow_mut();
        app.set_presenter(link.presenter.unwrap_or(false))?;
        app.apply_embedding(first, &link)?;
        notices.extend(app.apply_lesson_query(first, &link.lesson_query));
        app.notices = notices;
        app.show(first)?;
        let state = app.snapshot();
        app.bridge.announce(state);
    }
    start_frame_loop(app)
}

struct Chrome {
    /// The first Tab stop: past the header and the menu, into the lesson.
    skip_link: HtmlAnchorElement,
    /// Presenter mode hides the header and menu; this button brings them back.
    menu_button: Button,
    title: HtmlElement,
    subtitle: HtmlElement,
    lang_button: Button,
    presenter_button: Button,
    /// Light, dark, or as the system is set (see [`crate::theme`]).
    theme_select: HtmlSelectElement,
    notices: HtmlElement,
    nav: HtmlElement,
    nav_heading: HtmlElement,
    nav_links: Vec<(LessonId, HtmlAnchorElement)>,
    /// The menu's part headings (深度学习概述, 初识神经网络), from the lesson table.
    nav_parts: Vec<(Part, HtmlElement)>,
    lesson_root: HtmlElement,
    /// The style rule that hides a link's `hide=` controls.
    hide_rule: HtmlElement,
}

struct App {
    lang: Lang,
    chrome: Chrome,
    lessons: Vec<Box<dyn Lesson>>,
    current: usize,
    /// A lesson whose tick or draw failed is not run again until it is remounted.
    failed: bool,
    last_frame_ms: Option<f64>,
    /// When the reader last did something ([`INPUT_EVENTS`], on the frames' clock).
    last_input_ms: Rc<Cell<f64>>,
    presenter: bool,
    /// The colour theme the reader chose (remembered between visits).
    theme: Choice,
    /// `embed=1`: the lesson alone, to fill an `<iframe>`.
    embed: bool,
    /// The lesson a link's `hide=` was for, and the names it hides there.
    hidden: (LessonId, Vec<&'static str>),
    /// Messages from the host page that embeds the lesson.
    bridge: HostBridge,
    /// Parts of the opening link that could not be used (shown until dismissed).
    notices: Vec<Notice>,
    /// The fragment last written to the URL, and when.
    written_fragment: String,
    url_checked_ms: f64,
    listeners: Vec<Listener>,
}

impl App {
    fn build(root: HtmlElement, lang: Lang, theme: Choice) -> WebResult<App> {
        dom::clear(&root);
        let skip_link: HtmlAnchorElement = dom::add(&root, "a", "skip-link")?;
        skip_link.set_href(&format!("#{LESSON_ROOT_ID}"));
        let menu_button = Button::new("", "menu-toggle")?;
        menu_button.element.set_id("menu-toggle");
        menu_button
            .element
            .set_attribute("aria-controls", "lesson-nav")?;
        menu_button
            .element
            .set_attribute("aria-expanded", "false")?;
        dom::append(&root, &menu_button.element)?;
        let header: HtmlElement = dom::add(&root, "header", "topbar")?;
        let brand: HtmlElement = dom::create("div", "brand")?;
        let title = dom::add_text(&brand, "h1", "app-title", "")?;
        let subtitle = dom::add_text(&brand, "p", "app-subtitle", "")?;
        let lang_button = Button::new("", "lang-switch")?;
        let presenter_button = Button::new("", "presenter-toggle")?;
        presenter_button.element.set_id("presenter-toggle");
        let theme_select = theme_select(theme)?;
        let header_buttons: HtmlElement = dom::create("div", "header-buttons")?;
        dom::append(&header_buttons, &theme_select)?;
        dom::append(&header_buttons, &presenter_button.element)?;
        dom::append(&header_buttons, &lang_button.element)?;
        dom::append(&header, &brand)?;
        dom::append(&header, &header_buttons)?;

        let layout: HtmlElement = dom::add(&root, "div", "layout")?;
        let nav: HtmlElement = dom::add(&layout, "nav", "lesson-nav")?;
        nav.set_id("lesson-nav");
        let nav_heading = dom::text_element("h2", "nav-heading", "")?;
        let list: HtmlElement = dom::create("ol", "nav-list")?;
        let mut nav_links = Vec::new();
        let mut nav_parts = Vec::new();
        for id in LessonId::all() {
            // Each part of the lecture gets a heading before its first lesson.
            let part = id.row().part;
            if nav_parts.last().is_none_or(|(last, _)| *last != part) {
                let heading = dom::add_text(&list, "li", "nav-part", "")?;
                heading.set_attribute("role", "presentation")?;
                nav_parts.push((part, heading));
            }
            let item: HtmlElement = dom::add(&list, "li", "")?;
            let link: HtmlAnchorElement = dom::add(&item, "a", "nav-link")?;
            link.set_href(&format!("#{}", id.slug()));
            link.set_attribute("data-lesson", id.slug())?;
            dom::add_text(&link, "span", "nav-num", &id.number().to_string())?;
            dom::add_text(&link, "span", "nav-title", "")?;
            nav_links.push((id, link));
        }
        dom::append(&nav, &nav_heading)?;
        dom::append(&nav, &list)?;
        let main_column: HtmlElement = dom::add(&layout, "div", "main-column")?;
        let notices: HtmlElement = dom::add(&main_column, "div", "url-notices")?;
        notices.set_id("url-notices");
        notices.set_attribute("role", "status")?;
        notices.set_hidden(true);
        let lesson_root: HtmlElement = dom::add(&main_column, "main", "lesson")?;
        lesson_root.set_id(LESSON_ROOT_ID);
        // Focusable by script only: the skip link moves focus here.
        lesson_root.set_tab_index(-1);
        // A `<style>` works anywhere in the body; this one holds the `hide=` rule.
        let hide_rule: HtmlElement = dom::add(&root, "style", "")?;
        hide_rule.set_id("hidden-controls");

        let app = App {
            lang,
            chrome: Chrome {
                skip_link,
                menu_button,
                title,
                subtitle,
                lang_button,
                presenter_button,
                theme_select,
                notices,
                nav,
                nav_heading,
                nav_links,
                nav_parts,
                lesson_root,
                hide_rule,
            },
            lessons: lessons::build_all()?,
            current: 0,
            failed: false,
            last_frame_ms: None,
            last_input_ms: Rc::new(Cell::new(f64::NEG_INFINITY)),
            presenter: false,
            theme,
            embed: false,
            hidden: (LessonId::start(), Vec::new()),
            bridge: HostBridge::default(),
            notices: Vec::new(),
            written_fragment: String::new(),
            url_checked_ms: f64::NEG_INFINITY,
            listeners: Vec::new(),
        };
        app.write_chrome()?;
        Ok(app)
    }

    /// Event handlers that need the whole app: the language switch, presenter
    /// mode, the shared keys, and navigation (including edited links).
    fn wire(app: &Rc<RefCell<App>>) -> WebResult<()> {
        let weak: Weak<RefCell<App>> = Rc::downgrade(app);
        let switch = app.borrow().chrome.lang_button.on_click(move || {
            if let Some(app) = weak.upgrade() {
                let mut app = app.borrow_mut();
                let other = app.lang.other();
                app.set_lang(other)?;
            }
            Ok(())
        })?;
        let weak = Rc::downgrade(app);
        let presenter = app.borrow().chrome.presenter_button.on_click(move || {
            if let Some(app) = weak.upgrade() {
                let mut app = app.borrow_mut();
                let on = !app.presenter;
                app.set_presenter(on)?;
            }
            Ok(())
        })?;
        let weak = Rc::downgrade(app);
        let menu = app
            .borrow()
            .chrome
            .menu_button
            .on_click(move || match weak.upgrade() {
                Some(app) => app.borrow().toggle_menu(),
                None => Ok(()),
            })?;
        let weak = Rc::downgrade(app);
        let skip = Listener::new(
            &app.borrow().chrome.skip_link,
            "click",
            move |event: Event| {
                // Focus, not the fragment: the fragment names the lesson and its state.
                event.prevent_default();
                match weak.upgrade() {
                    Some(app) => app.borrow().skip_to_lesson(),
                    None => Ok(()),
                }
            },
        )?;
        let weak = Rc::downgrade(app);
        let keys = Listener::new(&dom::document()?, "keydown", move |event: Event| {
            let Some(action) = shared_key(&event) else {
                return Ok(());
            };
            let Some(app) = weak.upgrade() else {
                return Ok(());
            };
            let mut app = app.borrow_mut();
            match action {
                KeyAction::TogglePresenter => {
                    let on = !app.presenter;
                    app.set_presenter(on)
                }
                KeyAction::ToggleMenu => app.toggle_menu(),
                KeyAction::Lesson(command) => {
                    let current = app.current;
                    app.lessons[current].command(command)
                }
            }
        })?;
        let weak = Rc::downgrade(app);
        let window = dom::window()?;
        let navigate = Listener::new(&window, "hashchange", move |_: Event| {
            let Some(app) = weak.upgrade() else {
                return Ok(());
            };
            let fragment = current_fragment();
            let Some(id) = LessonId::from_slug(&fragment.slug) else {
                // An edited link to a lesson we do not have: say so, and stay.
                let mut app = app.borrow_mut();
                app.notices = unknown_lesson(&fragment).into_iter().collect();
                return app.write_notices();
            };
            let mut app = app.borrow_mut();
            if fragment.query.is_empty() {
                // A menu link: the lesson as it was left.
                return app.show(id);
            }
            // An edited or pasted link: its settings win.
            app.follow_link(id, &fragment)
        })?;
        let weak = Rc::downgrade(app);
        let host = Listener::new(&window, "message", move |event: Event| {
            match (weak.upgrade(), event.dyn_ref::<MessageEvent>()) {
                (Some(app), Some(event)) => app.borrow_mut().on_host_message(event),
                _ => Ok(()),
            }
        })?;
        let weak = Rc::downgrade(app);
        let dismiss = Listener::new(
            &app.borrow().chrome.notices,
            "click",
            move |event: Event| {
                let on_button = event
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .is_some_and(|e| e.class_list().contains("notice-dismiss"));
                if let (true, Some(app)) = (on_button, weak.upgrade()) {
                    let mut app = app.borrow_mut();
                    app.notices.clear();
                    app.write_notices()?;
                }
                Ok(())
            },
        )?;
        app.borrow_mut()
            .listeners
            .extend([switch, presenter, menu, skip, keys, navigate, host, dismiss]);
        for kind in INPUT_EVENTS {
            let last_input = app.borrow().last_input_ms.clone();
            let input = Listener::new(&window, kind, move |event: Event| {
                last_input.set(event.time_stamp());
                Ok(())
            })?;
            app.borrow_mut().listeners.push(input);
        }
        App::wire_theme(app)
    }

    /// The theme chooser, and the system's setting while the reader follows it.
    fn wire_theme(app: &Rc<RefCell<App>>) -> WebResult<()> {
        let weak = Rc::downgrade(app);
        let select = app.borrow().chrome.theme_select.clone();
        let chosen = Listener::new(&select.clone(), "change", move |_: Event| {
            match (weak.upgrade(), Choice::from_tag(&select.value())) {
                (Some(app), Some(choice)) => {
                    theme::remember(choice);
                    app.borrow_mut().set_theme(choice)
                }
                _ => Ok(()),
            }
        })?;
        let weak = Rc::downgrade(app);
        let system = theme::on_system_change(move || match weak.upgrade() {
            Some(app) => {
                let choice = app.borrow().theme;
                app.borrow_mut().set_theme(choice)
            }
            None => Ok(()),
        })?;
        app.borrow_mut()
            .listeners
            .extend([Some(chosen), system].into_iter().flatten());
        Ok(())
    }

    /// Puts the page in the theme `choice` means now; when that changes the
    /// colours, the lesson is rebuilt so that every picture is drawn again
    /// (as on a language switch, its state is kept).
    fn set_theme(&mut self, choice: Choice) -> WebResult<()> {
        self.theme = choice;
        self.chrome.theme_select.set_value(choice.tag());
        let theme = choice.resolve(theme::system_dark());
        if theme == theme::current() {
            return Ok(());
        }
        theme::apply(theme)?;
        self.remount()
    }

    /// Applies a link's settings and gives lesson `id` its pairs, then shows it
    /// (an edited link, or a host page's `set`).
    fn follow_link(&mut self, id: LessonId, fragment: &Fragment) -> WebResult<()> {
        let (link, mut notices) = LinkSettings::read(fragment, id);
        if let Some(presenter) = link.presenter {
            self.set_presenter(presenter)?;
        }
        self.apply_embedding(id, &link)?;
        notices.extend(self.apply_lesson_query(id, &link.lesson_query));
        self.notices = notices;
        match link.lang {
            Some(lang) if lang != self.lang => {
                self.show_without_remount(id)?;
                self.set_lang(lang)
            }
            _ => self.show(id),
        }
    }

    /// `embed=`, `hide=` and `origin=`, where the link gives them (lesson `id`'s link).
    fn apply_embedding(&mut self, id: LessonId, link: &LinkSettings) -> WebResult<()> {
        if let Some(on) = link.embed {
            self.set_embed(on)?;
        }
        if let Some(names) = &link.hide {
            self.hidden = (id, names.clone());
            let rule = link::hide_rule(id.slug(), names);
            self.chrome.hide_rule.set_text_content(Some(&rule));
        }
        if let Some(origins) = &link.origins {
            self.bridge.set_origins(origins.clone());
        }
        Ok(())
    }

    /// The lesson alone, without the page's header and menu.
    fn set_embed(&mut self, on: bool) -> WebResult<()> {
        if on == self.embed {
            return Ok(());
        }
        self.embed = on;
        // On `<html>`, so the embedded page's type scale (rem) can be set too.
        if let Some(html) = dom::document()?.document_element() {
            html.class_list().toggle_with_force(EMBED_CLASS, on)?;
        }
        // The lesson got wider: canvases are refitted on a resize.
        dom::window()?.dispatch_event(&Event::new("resize")?)?;
        Ok(())
    }

    /// The visible lesson's state, as a host page hears it.
    fn snapshot(&self) -> Snapshot {
        let lesson = &self.lessons[self.current];
        Snapshot {
            lesson: lesson.id(),
            query: url_state::format_query(&lesson.state_query()),
            playing: lesson.playback().playing.unwrap_or(false),
        }
    }

    /// A message from a host page: read only from a listed origin, carried
    /// out as the keys or a link would, and answered (see [`crate::host_bridge`]).
    fn on_host_message(&mut self, event: &MessageEvent) -> WebResult<()> {
        let Some(host) = self.bridge.sender(event) else {
            return Ok(()); // not a listed origin: ignored, unanswered
        };
        let id = self.lessons[self.current].id();
        let playback = self.lessons[self.current].playback();
        let planned = HostBridge::decode(event.data())
            .and_then(|message| host_bridge::plan(message, playback));
        let mut notices = Vec::new();
        match planned {
            Err(refusal) => {
                let message = refusal.text(self.lang, id);
                self.bridge.answer(host, &Reply::Error { message }, None);
                return Ok(());
            }
            Ok(Plan::Set {
                query,
                notices: read,
            }) => {
                let fragment = Fragment {
                    slug: id.slug().to_string(),
                    query,
                    notices: read,
                };
                self.follow_link(id, &fragment)?;
                notices = url_state::notice_texts(&self.notices, self.lang);
            }
            Ok(Plan::Command(command)) => self.lessons[self.current].command(command)?,
            Ok(Plan::Answer) => {}
        }
        let state = self.snapshot();
        self.bridge
            .answer(host, &state.reply(notices), Some(state.clone()));
        Ok(())
    }

    /// Gives lesson `id` the link's pairs (if any); returns what it could not use.
    fn apply_lesson_query(&mut self, id: LessonId, query: &[(String, String)]) -> Vec<Notice> {
        if query.is_empty() {
            return Vec::new();
        }
        match self.lessons.iter_mut().find(|l| l.id() == id) {
            Some(lesson) => lesson.apply_query(query),
            None => Vec::new(),
        }
    }

    /// Large type and high contrast (a class on `<body>`), the menu hidden;
    /// canvases are refitted and their text drawn larger.
    fn set_presenter(&mut self, on: bool) -> WebResult<()> {
        self.presenter = on;
        let body = body()?;
        body.class_list().toggle_with_force(PRESENTER_CLASS, on)?;
        self.set_menu_open(false)?;
        crate::draw::text_size::set_presenter(on);
        self.chrome
            .presenter_button
            .element
            .set_attribute("aria-pressed", if on { "true" } else { "false" })?;
        // Lessons refit their canvases on a resize; the text size just changed.
        dom::window()?.dispatch_event(&Event::new("resize")?)?;
        Ok(())
    }

    /// Shows or hides the header and menu (in presenter mode; elsewhere they always show).
    fn toggle_menu(&self) -> WebResult<()> {
        if !self.presenter {
            return Ok(());
        }
        let open = body()?.class_list().contains(MENU_OPEN_CLASS);
        self.set_menu_open(!open)?;
        if !open {
            // Straight to the current lesson's link, for the keyboard.
            if let Some((_, link)) = self
                .chrome
                .nav_links
                .iter()
                .find(|(id, _)| *id == self.lessons[self.current].id())
            {
                link.focus()?;
            }
        }
        Ok(())
    }

    fn set_menu_open(&self, open: bool) -> WebResult<()> {
        body()?
            .class_list()
            .toggle_with_force(MENU_OPEN_CLASS, open)?;
        self.chrome
            .menu_button
            .element
            .set_attribute("aria-expanded", if open { "true" } else { "false" })?;
        Ok(())
    }

    /// The skip link's target: focus moves into the lesson, which scrolls into view.
    fn skip_to_lesson(&self) -> WebResult<()> {
        self.chrome.lesson_root.focus()?;
        self.chrome.lesson_root.scroll_into_view();
        Ok(())
    }

    /// The notices about the opening link, in the current language.
    fn write_notices(&self) -> WebResult<()> {
        let bar = &self.chrome.notices;
        dom::clear(bar);
        bar.set_hidden(self.notices.is_empty());
        if self.notices.is_empty() {
            return Ok(());
        }
        let list: HtmlElement = dom::create("ul", "notice-list")?;
        for text in url_state::notice_texts(&self.notices, self.lang) {
            // Text, never HTML: a link's content is quoted as it is.
            dom::add_text(&list, "li", "", &text)?;
        }
        dom::append(bar, &list)?;
        let dismiss = Button::new(self.lang.text(Key::NoticeDismiss), "small notice-dismiss")?;
        dom::append(bar, &dismiss.element)
    }

    /// Brings the URL in line with the visible lesson's state (at most every [`URL_INTERVAL_MS`]).
    fn write_url(&mut self) {
        let lesson = &self.lessons[self.current];
        // A link to another lesson was just followed and its `hashchange` has not
        // been handled yet: writing now would undo the navigation.
        let location_hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let linked = location_hash.trim_start_matches('#');
        let linked_slug = linked.split('?').next().unwrap_or("");
        if LessonId::from_slug(linked_slug).is_some_and(|id| id != lesson.id()) {
            return;
        }
        let mut query = lesson.state_query();
        let (hide_lesson, hidden) = &self.hidden;
        link::Written {
            lang: self.lang,
            presenter: self.presenter,
            embed: self.embed,
            hide: if *hide_lesson == lesson.id() {
                hidden
            } else {
                &[]
            },
            origins: self.bridge.origins(),
        }
        .append_to(&mut query);
        let fragment = url_state::format_fragment(lesson.id().slug(), &query);
        if fragment == self.written_fragment {
            return;
        }
        let replaced = web_sys::window()
            .and_then(|w| w.history().ok())
            .map(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&fragment)));
        if let Some(Err(err)) = replaced {
            banner::show_error(&err.into());
        }
        self.written_fragment = fragment;
    }

    /// Writes every chrome text in the current language.
    fn write_chrome(&self) -> WebResult<()> {
        let t = |key| self.lang.text(key);
        let chrome = &self.chrome;
        chrome.title.set_text_content(Some(t(Key::AppTitle)));
        chrome.subtitle.set_text_content(Some(t(Key::AppSubtitle)));
        chrome.lang_button.set_label(t(Key::LangSwitch));
        chrome.presenter_button.set_label(t(Key::PresenterToggle));
        chrome
            .presenter_button
            .element
            .set_title(t(Key::PresenterHint));
        chrome.lang_button.element.set_title(t(Key::LangSwitchHint));
        chrome.theme_select.set_title(t(Key::ThemeLabel));
        chrome
            .theme_select
            .set_attribute("aria-label", t(Key::ThemeLabel))?;
        for (option, choice) in options(&chrome.theme_select).zip(Choice::ALL) {
            option.set_text_content(Some(t(choice.label())));
        }
        chrome
            .skip_link
            .set_text_content(Some(t(Key::SkipToLesson)));
        chrome.menu_button.set_label(t(Key::MenuToggle));
        chrome.menu_button.element.set_title(t(Key::MenuToggleHint));
        chrome
            .lang_button
            .element
            .set_attribute("lang", self.lang.other().tag())?;
        chrome.nav.set_attribute("aria-label", t(Key::NavHeading))?;
        chrome
            .nav_heading
            .set_text_content(Some(t(Key::NavHeading)));
        for (part, heading) in &chrome.nav_parts {
            heading.set_text_content(Some(t(part.title())));
        }
        for (id, link) in &chrome.nav_links {
            if let Some(title) = link.query_selector(".nav-title")? {
                title.set_text_content(Some(t(id.title())));
            }
        }
        if let Some(html) = dom::document()?.document_element() {
            html.set_attribute("lang", self.lang.tag())?;
        }
        self.write_notices()?;
        self.write_document_title()
    }

    fn write_document_title(&self) -> WebResult<()> {
        let id = self.lessons[self.current].id();
        dom::document()?.set_title(&format!(
            "{} · {}",
            self.lang.text(id.title()),
            self.lang.text(Key::AppTitle)
        ));
        Ok(())
    }

    fn set_lang(&mut self, lang: Lang) -> WebResult<()> {
        self.lang = lang;
        banner::set_lang(lang);
        remember_lang(lang);
        self.write_chrome()?;
        self.remount()
    }

    /// Shows lesson `id` (hiding the current one; its state is kept).
    fn show(&mut self, id: LessonId) -> WebResult<()> {
        self.show_without_remount(id)?;
        // A lesson picked from the menu in presenter mode: the menu goes again.
        self.set_menu_open(false)?;
        self.write_notices()?;
        self.remount()
    }

    /// Makes `id` the current lesson and marks it in the menu; the caller remounts.
    fn show_without_remount(&mut self, id: LessonId) -> WebResult<()> {
        let index = self.lessons.iter().position(|l| l.id() == id).unwrap_or(0);
        self.lessons[self.current].unmount();
        self.current = index;
        // `hide=` rules name the lesson they are for.
        self.chrome
            .lesson_root
            .set_attribute("data-lesson", id.slug())?;
        for (link_id, link) in &self.chrome.nav_links {
            if *link_id == id {
                link.set_attribute("aria-current", "page")?;
                // On narrow screens the menu is a sideways strip: bring the current item into view.
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                options.set_inline(web_sys::ScrollLogicalPosition::Center);
                link.scroll_into_view_with_scroll_into_view_options(&options);
            } else {
                link.remove_attribute("aria-current")?;
            }
        }
        self.write_document_title()
    }

    /// Rebuilds the visible lesson's controls (after navigation or a language switch).
    fn remount(&mut self) -> WebResult<()> {
        let lesson = &mut self.lessons[self.current];
        lesson.unmount();
        dom::clear(&self.chrome.lesson_root);
        self.failed = false;
        self.last_frame_ms = None;
        lesson.mount(&self.chrome.lesson_root, self.lang)?;
        lesson.draw()
    }

    /// True if the next frame should come at the display's next refresh,
    /// false if it can wait [`IDLE_FRAME_MS`].
    fn wants_every_frame(&self, now_ms: f64) -> bool {
        self.lessons[self.current].every_frame()
            || now_ms - self.last_input_ms.get() < INPUT_AWAKE_MS
    }

    /// One animation frame: tick and draw the visible lesson.
    fn frame(&mut self, now_ms: f64) {
        let dt = self
            .last_frame_ms
            .map_or(0.0, |last| (now_ms - last).clamp(0.0, MAX_FRAME_MS));
        self.last_frame_ms = Some(now_ms);
        if self.failed {
            return;
        }
        let lesson = &mut self.lessons[self.current];
        if let Err(err) = lesson.tick(dt).and_then(|()| lesson.draw()) {
            self.failed = true;
            banner::show_error(&err);
        }
        if now_ms - self.url_checked_ms >= URL_INTERVAL_MS {
            self.url_checked_ms = now_ms;
            self.write_url();
            let state = self.snapshot();
            self.bridge.update(state);
        }
    }
}

/// The header's theme chooser (its texts are written with the rest of the chrome).
fn theme_select(chosen: Choice) -> WebResult<HtmlSelectElement> {
    let select: HtmlSelectElement = dom::create("select", "theme-select")?;
    select.set_id("theme-select");
    for choice in Choice::ALL {
        let option: HtmlOptionElement = dom::add(&select, "option", "")?;
        option.set_value(choice.tag());
    }
    select.set_value(chosen.tag());
    Ok(select)
}

/// The `<option>`s of `select`, in order.
fn options(select: &HtmlSelectElement) -> impl Iterator<Item = HtmlOptionElement> + '_ {
    (0..select.length()).filter_map(|i| select.item(i)?.dyn_into().ok())
}

/// The page's `<body>`.
fn body() -> WebResult<HtmlElement> {
    dom::document()?
        .body()
        .ok_or(crate::error::WebError::MissingElement("body"))
}

/// The language from `?lang=` (handy for links and tests), else the one chosen
/// last time, else the browser's preference (Chinese when it prefers Chinese).
fn initial_lang() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::En;
    };
    let from_query = window
        .location()
        .search()
        .ok()
        .and_then(|q| {
            q.trim_start_matches('?')
                .split('&')
                .find_map(|kv| kv.strip_prefix("lang=").map(str::to_string))
        })
        .and_then(|tag| Lang::from_tag(&tag));
    let remembered = window
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_STORAGE_KEY).ok().flatten())
        .and_then(|tag| Lang::from_tag(&tag));
    from_query.or(remembered).unwrap_or_else(|| {
        let tags: Vec<String> = window
            .navigator()
            .languages()
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        Lang::preferred(tags.iter().map(String::as_str))
    })
}

/// Best effort: private browsing may refuse storage, and that is fine.
fn remember_lang(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(LANG_STORAGE_KEY, lang.tag());
    }
}

/// The URL's fragment, taken apart (empty when there is none).
fn current_fragment() -> Fragment {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    url_state::parse_fragment(&hash)
}

/// The shared action of a key press, unless it was typed into a control or
/// pressed with a modifier (those keep their usual meaning). Space and →
/// would scroll the page, so their default is prevented.
fn shared_key(event: &Event) -> Option<KeyAction> {
    let key = event.dyn_ref::<KeyboardEvent>()?;
    let in_control = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|e| {
            matches!(
                e.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
            ) || e.closest("[contenteditable]").ok().flatten().is_some()
                // A focused picture moves its point with the arrow keys (kit::drag).
                || (key.key().starts_with("Arrow") && e.has_attribute(ARROW_KEYS_ATTRIBUTE))
        });
    if in_control || key.ctrl_key() || key.meta_key() || key.alt_key() || key.repeat() {
        return None;
    }
    let action = key_action(&key.key())?;
    if matches!(key.key().as_str(), " " | "ArrowRight") {
        event.prevent_default();
    }
    Some(action)
}

/// Calls `App::frame` once per display refresh, or every [`IDLE_FRAME_MS`]
/// while the visible lesson does not need every frame and the reader does
/// nothing (an idle frame still costs the browser's main thread its style
/// and commit work, about 4 % of a core at 60 frames a second: a share the
/// live lesson's training Workers would otherwise lose to the page). The
/// next frame is requested after this one finishes, so a panic (shown in the
/// banner) stops the loop instead of repeating every frame.
fn start_frame_loop(app: Rc<RefCell<App>>) -> WebResult<()> {
    let holder: FrameHolder = Rc::new(RefCell::new(None));
    let next = holder.clone();
    let later: Closure<dyn FnMut()> = Closure::new(move || next_frame(&next));
    let next = holder.clone();
    *holder.borrow_mut() = Some(Closure::new(move |now_ms: f64| {
        let every = {
            let mut app = app.borrow_mut();
            app.frame(now_ms);
            app.wants_every_frame(now_ms)
        };
        if every {
            next_frame(&next);
        } else if let Err(err) = wait_idle(&later) {
            banner::show_error(&err);
        }
    }));
    let first = holder.borrow();
    request_frame(first.as_ref().expect("the frame callback was just stored"))
}

/// The frame loop's callback, shared by the frame and the idle timeout that
/// both request it.
type FrameHolder = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

/// Requests the next display frame; an error goes to the banner.
fn next_frame(holder: &FrameHolder) {
    if let Some(callback) = holder.borrow().as_ref() {
        if let Err(err) = request_frame(callback) {
            banner::show_error(&err);
        }
    }
}

/// Runs `then` after [`IDLE_FRAME_MS`].
fn wait_idle(then: &Closure<dyn FnMut()>) -> WebResult<()> {
    dom::window()?.set_timeout_with_callback_and_timeout_and_arguments_0(
        then.as_ref().unchecked_ref(),
        IDLE_FRAME_MS,
    )?;
    Ok(())
}

fn request_frame(callback: &Closure<dyn FnMut(f64)>) -> WebResult<()> {
    dom::window()?.request_animation_frame(callback.as_ref().unchecked_ref())?;
    Ok(())
}
