//! The app shell: page chrome, navigation between lessons (the URL fragment
//! names the lesson), the language switch, and the frame loop that ticks and
//! draws only the visible lesson.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlAnchorElement, HtmlElement};

use crate::banner;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::{self, Lesson, LessonId};
use crate::widgets::{dom, Button, Listener};

/// The `id` of the element the app builds itself into (see `www/index.html`).
pub const ROOT_ID: &str = "app";
/// Where the chosen language is remembered between visits.
const LANG_STORAGE_KEY: &str = "nnlab.lang";
/// Longest wall-clock step handed to a lesson: after a hidden tab or a
/// breakpoint, lessons resume instead of jumping ahead.
const MAX_FRAME_MS: f64 = 100.0;

/// Builds the app into `#app` and starts the frame loop.
pub fn start() -> WebResult<()> {
    let root: HtmlElement = dom::by_id(ROOT_ID)?;
    let lang = initial_lang();
    banner::set_lang(lang);
    let app = Rc::new(RefCell::new(App::build(root, lang)?));
    App::wire(&app)?;
    let first = lesson_from_hash().unwrap_or(LessonId::FIRST);
    app.borrow_mut().show(first)?;
    start_frame_loop(app)
}

struct Chrome {
    title: HtmlElement,
    subtitle: HtmlElement,
    lang_button: Button,
    nav: HtmlElement,
    nav_heading: HtmlElement,
    nav_links: Vec<(LessonId, HtmlAnchorElement)>,
    lesson_root: HtmlElement,
}

struct App {
    lang: Lang,
    chrome: Chrome,
    lessons: Vec<Box<dyn Lesson>>,
    current: usize,
    /// A lesson whose tick or draw failed is not run again until it is remounted.
    failed: bool,
    last_frame_ms: Option<f64>,
    listeners: Vec<Listener>,
}

impl App {
    fn build(root: HtmlElement, lang: Lang) -> WebResult<App> {
        dom::clear(&root);
        let header: HtmlElement = dom::create("header", "topbar")?;
        let brand: HtmlElement = dom::create("div", "brand")?;
        let title = dom::text_element("h1", "app-title", "")?;
        let subtitle = dom::text_element("p", "app-subtitle", "")?;
        dom::append(&brand, &title)?;
        dom::append(&brand, &subtitle)?;
        let lang_button = Button::new("", "lang-switch")?;
        dom::append(&header, &brand)?;
        dom::append(&header, &lang_button.element)?;

        let layout: HtmlElement = dom::create("div", "layout")?;
        let nav: HtmlElement = dom::create("nav", "lesson-nav")?;
        let nav_heading = dom::text_element("h2", "nav-heading", "")?;
        let list: HtmlElement = dom::create("ol", "nav-list")?;
        let mut nav_links = Vec::new();
        for (index, id) in LessonId::ALL.into_iter().enumerate() {
            let item: HtmlElement = dom::create("li", "")?;
            let class = if id.is_built() {
                "nav-link built"
            } else {
                "nav-link soon"
            };
            let link: HtmlAnchorElement = dom::create("a", class)?;
            link.set_href(&format!("#{}", id.slug()));
            link.set_attribute("data-lesson", id.slug())?;
            dom::append(
                &link,
                &dom::text_element("span", "nav-num", &(index + 1).to_string())?,
            )?;
            dom::append(&link, &dom::text_element("span", "nav-title", "")?)?;
            dom::append(&item, &link)?;
            dom::append(&list, &item)?;
            nav_links.push((id, link));
        }
        dom::append(&nav, &nav_heading)?;
        dom::append(&nav, &list)?;
        let lesson_root: HtmlElement = dom::create("main", "lesson")?;
        lesson_root.set_id("lesson");
        dom::append(&layout, &nav)?;
        dom::append(&layout, &lesson_root)?;
        dom::append(&root, &header)?;
        dom::append(&root, &layout)?;

        let app = App {
            lang,
            chrome: Chrome {
                title,
                subtitle,
                lang_button,
                nav,
                nav_heading,
                nav_links,
                lesson_root,
            },
            lessons: lessons::all()?,
            current: 0,
            failed: false,
            last_frame_ms: None,
            listeners: Vec::new(),
        };
        app.write_chrome()?;
        Ok(app)
    }

    /// Event handlers that need the whole app: the language switch and navigation.
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
        let window = dom::window()?;
        let navigate = Listener::new(&window, "hashchange", move |_: Event| {
            if let (Some(app), Some(id)) = (weak.upgrade(), lesson_from_hash()) {
                app.borrow_mut().show(id)?;
            }
            Ok(())
        })?;
        app.borrow_mut().listeners.extend([switch, navigate]);
        Ok(())
    }

    /// Writes every chrome text in the current language.
    fn write_chrome(&self) -> WebResult<()> {
        let t = |key| self.lang.text(key);
        let chrome = &self.chrome;
        chrome.title.set_text_content(Some(t(Key::AppTitle)));
        chrome.subtitle.set_text_content(Some(t(Key::AppSubtitle)));
        chrome.lang_button.set_label(t(Key::LangSwitch));
        chrome.lang_button.element.set_title(t(Key::LangSwitchHint));
        chrome
            .lang_button
            .element
            .set_attribute("lang", self.lang.other().tag())?;
        chrome.nav.set_attribute("aria-label", t(Key::NavHeading))?;
        chrome
            .nav_heading
            .set_text_content(Some(t(Key::NavHeading)));
        for (id, link) in &chrome.nav_links {
            if let Some(title) = link.query_selector(".nav-title")? {
                title.set_text_content(Some(t(id.title())));
            }
        }
        if let Some(html) = dom::document()?.document_element() {
            html.set_attribute("lang", self.lang.tag())?;
        }
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
        let index = self.lessons.iter().position(|l| l.id() == id).unwrap_or(0);
        self.lessons[self.current].unmount();
        self.current = index;
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
        self.write_document_title()?;
        self.remount()
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
    }
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

fn lesson_from_hash() -> Option<LessonId> {
    let hash = web_sys::window()?.location().hash().ok()?;
    LessonId::from_slug(hash.trim_start_matches('#'))
}

/// Calls `App::frame` once per display refresh. The next frame is requested
/// after this one finishes, so a panic (shown in the banner) stops the loop
/// instead of repeating every frame.
fn start_frame_loop(app: Rc<RefCell<App>>) -> WebResult<()> {
    type FrameCallback = Closure<dyn FnMut(f64)>;
    let holder: Rc<RefCell<Option<FrameCallback>>> = Rc::new(RefCell::new(None));
    let next = holder.clone();
    *holder.borrow_mut() = Some(Closure::new(move |now_ms: f64| {
        app.borrow_mut().frame(now_ms);
        if let Some(callback) = next.borrow().as_ref() {
            if let Err(err) = request_frame(callback) {
                banner::show_error(&err);
            }
        }
    }));
    let first = holder.borrow();
    request_frame(first.as_ref().expect("the frame callback was just stored"))
}

fn request_frame(callback: &Closure<dyn FnMut(f64)>) -> WebResult<()> {
    dom::window()?.request_animation_frame(callback.as_ref().unchecked_ref())?;
    Ok(())
}
