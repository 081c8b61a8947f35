//! What a link says beyond the lesson's own state: the language, presenter
//! mode, and how the page is embedded in slides or a course page.
//!
//! - `lang=zh|en`, `present=1|0` (presenter mode);
//! - `embed=1` shows the lesson alone (no menu, header or language switch), to
//!   fill an `<iframe>`;
//! - `hide=surface,export` hides the lesson's controls of those names (each
//!   lesson lists its names, [`crate::lessons::LessonId::controls`]; the views
//!   mark them with `data-control="name"`);
//! - `origin=https://slides.example,…` names the host pages whose messages the
//!   lesson reads ([`crate::host_bridge`]); without it the lesson reads none.
//!
//! Browser-free, so the rules are tested natively; the app applies them.

use crate::i18n::Lang;
use crate::lessons::LessonId;
use crate::url_state::{Fragment, Notice, Problem, Query};

/// Key of the page's language (`lang=zh`).
pub const LANG_KEY: &str = "lang";
/// Key of presenter mode (`present=1`).
pub const PRESENTER_KEY: &str = "present";
/// Key of embed mode (`embed=1`).
pub const EMBED_KEY: &str = "embed";
/// Key of the controls to hide (`hide=surface,speed`).
pub const HIDE_KEY: &str = "hide";
/// Key of the host origins whose messages are read (`origin=https://…`).
pub const ORIGIN_KEY: &str = "origin";
/// The attribute naming a control for `hide=` (`data-control="surface"`).
pub const CONTROL_ATTRIBUTE: &str = "data-control";
/// Most host origins one link may list.
pub const MAX_ORIGINS: usize = 8;

/// A link's settings; `None` where the link does not say (the page keeps what it has).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkSettings {
    /// The page's language, if the link sets it.
    pub lang: Option<Lang>,
    /// Presenter mode, if the link sets it.
    pub presenter: Option<bool>,
    /// Embed mode, if the link sets it.
    pub embed: Option<bool>,
    /// Controls of the link's lesson to hide (names from its list, each once).
    pub hide: Option<Vec<&'static str>>,
    /// Origins whose messages are read, normalised as browsers write `MessageEvent.origin`.
    pub origins: Option<Vec<String>>,
    /// The pairs that belong to the lesson.
    pub lesson_query: Query,
}

impl LinkSettings {
    /// Splits the app's keys from those of `lesson`; unusable values become notices.
    pub fn read(fragment: &Fragment, lesson: LessonId) -> (LinkSettings, Vec<Notice>) {
        let mut notices = fragment.notices.clone();
        let mut settings = LinkSettings::default();
        for (key, value) in &fragment.query {
            let seen = match key.as_str() {
                LANG_KEY => settings.lang.is_some(),
                PRESENTER_KEY => settings.presenter.is_some(),
                EMBED_KEY => settings.embed.is_some(),
                HIDE_KEY => settings.hide.is_some(),
                ORIGIN_KEY => settings.origins.is_some(),
                _ => {
                    settings.lesson_query.push((key.clone(), value.clone()));
                    continue;
                }
            };
            if seen {
                notices.push(Notice::new(key, value, Problem::Repeated));
                continue;
            }
            let unknown = || Notice::new(key, value, Problem::UnknownName);
            match key.as_str() {
                LANG_KEY => match Lang::from_tag(value) {
                    Some(lang) => settings.lang = Some(lang),
                    None => notices.push(unknown()),
                },
                PRESENTER_KEY => match flag(value) {
                    Some(on) => settings.presenter = Some(on),
                    None => notices.push(unknown()),
                },
                EMBED_KEY => match flag(value) {
                    Some(on) => settings.embed = Some(on),
                    None => notices.push(unknown()),
                },
                HIDE_KEY => {
                    let (names, notice) = parse_hide(value, lesson.controls());
                    settings.hide = Some(names);
                    notices.extend(notice);
                }
                _ => {
                    let (origins, notice) = parse_origins(value);
                    settings.origins = Some(origins);
                    notices.extend(notice);
                }
            }
        }
        (settings, notices)
    }
}

/// `1` or `0`.
fn flag(value: &str) -> Option<bool> {
    match value {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// Reads `hide=a,b,…` against the lesson's `known` names: the known ones, each
/// once, in the order given; the rest come back as one notice (each unknown
/// name once), never one per name or per repeat. An empty list hides nothing.
pub fn parse_hide(
    value: &str,
    known: &'static [&'static str],
) -> (Vec<&'static str>, Option<Notice>) {
    let mut names: Vec<&'static str> = Vec::new();
    let mut unknown: Vec<&str> = Vec::new();
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match known.iter().find(|&&k| k == item) {
            Some(&name) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None if !unknown.contains(&item) => unknown.push(item),
            None => {}
        }
    }
    let notice = (!unknown.is_empty())
        .then(|| Notice::new(HIDE_KEY, &unknown.join(","), Problem::UnknownControl(known)));
    (names, notice)
}

/// Reads `origin=https://a.example,http://127.0.0.1:8000`: each origin once,
/// normalised; what is not an origin comes back as one notice. At most
/// [`MAX_ORIGINS`] are kept (the rest are one more notice).
pub fn parse_origins(value: &str) -> (Vec<String>, Vec<Notice>) {
    let mut origins: Vec<String> = Vec::new();
    let (mut bad, mut extra): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match parse_origin(item) {
            Some(origin) if origins.contains(&origin) => {}
            Some(origin) if origins.len() < MAX_ORIGINS => origins.push(origin),
            Some(_) => extra.push(item),
            None => bad.push(item),
        }
    }
    let mut notices = Vec::new();
    for (items, problem) in [(bad, Problem::NotAnOrigin), (extra, Problem::TooLong)] {
        if !items.is_empty() {
            notices.push(Notice::new(ORIGIN_KEY, &items.join(","), problem));
        }
    }
    (origins, notices)
}

/// `scheme://host[:port]` for http and https, written as browsers serialise an
/// origin (`MessageEvent.origin`): lower case, no default port, no trailing
/// slash. `None` for anything else: paths, user names, wildcards, `null`,
/// other schemes, hosts outside ASCII (write those in punycode).
pub fn parse_origin(text: &str) -> Option<String> {
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 address: [::1]:8080.
        Some(v6) => {
            let (address, after) = v6.split_once(']')?;
            let ok = !address.is_empty()
                && address
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            if !ok {
                return None;
            }
            let port = match after {
                "" => None,
                p => Some(p.strip_prefix(':')?),
            };
            (format!("[{}]", address.to_ascii_lowercase()), port)
        }
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            };
            let ok = !host.is_empty()
                && !host.starts_with('.')
                && !host.ends_with('.')
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            if !ok {
                return None;
            }
            (host.to_ascii_lowercase(), port)
        }
    };
    let port = match port {
        None => None,
        Some(p) => {
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = p.parse().ok()?;
            if n == 0 || n > 65535 {
                return None;
            }
            (n != default_port).then_some(n)
        }
    };
    Some(match port {
        Some(n) => format!("{scheme}://{host}:{n}"),
        None => format!("{scheme}://{host}"),
    })
}

/// The origin of an http(s) URL (`https://slides.example/deck/#3` → `https://slides.example`).
pub fn origin_of_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    parse_origin(&format!("{scheme}://{}", &rest[..end]))
}

/// The style rule that hides `names` of lesson `slug` (empty when none are
/// hidden). Slugs and names come from the lessons' own tables, never from the
/// link, so the rule holds only those.
pub fn hide_rule(slug: &str, names: &[&str]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let selectors: Vec<String> = names
        .iter()
        .map(|name| format!("#lesson[data-lesson=\"{slug}\"] [{CONTROL_ATTRIBUTE}=\"{name}\"]"))
        .collect();
    format!("{} {{ display: none !important; }}", selectors.join(", "))
}

/// The app's own pairs, as the page writes them back into the URL.
pub struct Written<'a> {
    /// The page's language (always written).
    pub lang: Lang,
    /// Whether presenter mode is on.
    pub presenter: bool,
    /// Whether embed mode is on.
    pub embed: bool,
    /// The controls hidden.
    pub hide: &'a [&'static str],
    /// The host origins whose messages are read.
    pub origins: &'a [String],
}

impl Written<'_> {
    /// Appends the pairs to `query` (only those that differ from the defaults, except the language).
    pub fn append_to(&self, query: &mut Query) {
        query.push((LANG_KEY.into(), lang_code(self.lang).into()));
        if self.presenter {
            query.push((PRESENTER_KEY.into(), "1".into()));
        }
        if self.embed {
            query.push((EMBED_KEY.into(), "1".into()));
        }
        if !self.hide.is_empty() {
            query.push((HIDE_KEY.into(), self.hide.join(",")));
        }
        if !self.origins.is_empty() {
            query.push((ORIGIN_KEY.into(), self.origins.join(",")));
        }
    }
}

/// The short language code links use (`lang=zh`).
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_state::testing::problems;
    use crate::url_state::{format_fragment, parse_fragment};

    const KNOWN: &[&str] = &["head", "surface", "export", "speed"];

    #[test]
    fn hide_keeps_known_names_once_in_order() {
        let (names, notice) = parse_hide("export, surface,export,,speed", KNOWN);
        assert_eq!(names, ["export", "surface", "speed"]);
        assert_eq!(notice, None);
        assert_eq!(parse_hide("", KNOWN), (vec![], None));
    }

    #[test]
    fn unknown_hide_names_are_one_notice_each_name_once() {
        let (names, notice) = parse_hide("nope,surface,nope,zzz,nope", KNOWN);
        assert_eq!(names, ["surface"]);
        let notice = notice.expect("a notice");
        assert_eq!(notice.key, "hide");
        assert_eq!(notice.value, "nope,zzz");
        assert_eq!(notice.problem, Problem::UnknownControl(KNOWN));
        let text = notice.text(Lang::En);
        assert!(text.contains("head, surface, export, speed"), "{text}");
        assert!(Lang::Zh
            .text(crate::i18n::Key::UrlProblemUnknownControl)
            .contains("{names}"));
        // Names are matched exactly: a case change or a CSS trick is unknown.
        let (names, notice) = parse_hide("Surface,a\"],*{x", KNOWN);
        assert!(names.is_empty());
        assert!(notice.is_some());
    }

    #[test]
    fn origins_are_normalised_like_message_event_origins() {
        let ok = [
            ("https://slides.example", "https://slides.example"),
            ("https://Slides.Example/", "https://slides.example"),
            ("HTTPS://slides.example:443", "https://slides.example"),
            ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
            ("http://localhost:80", "http://localhost"),
            ("http://[::1]:3000", "http://[::1]:3000"),
            ("https://a-b.c.example:08443", "https://a-b.c.example:8443"),
        ];
        for (text, origin) in ok {
            assert_eq!(parse_origin(text).as_deref(), Some(origin), "{text}");
        }
        let bad = [
            "*",
            "null",
            "slides.example",
            "ftp://slides.example",
            "file:///tmp/deck.html",
            "javascript://x",
            "https://",
            "https://slides.example/deck",
            "https://slides.example?x",
            "https://user@slides.example",
            "https://slides.example:0",
            "https://slides.example:65536",
            "https://slides.example:",
            "https://slides.example:x",
            "https://.example",
            "https://*.example",
            "https://例子.example",
            "https://[zz]",
        ];
        for text in bad {
            assert_eq!(parse_origin(text), None, "{text}");
        }
    }

    #[test]
    fn origin_lists_keep_each_once_and_report_the_rest_together() {
        let (origins, notice) =
            parse_origins("https://a.example, https://b.example,https://A.example/,*,ftp://x");
        assert_eq!(origins, ["https://a.example", "https://b.example"]);
        assert_eq!(notice.len(), 1);
        assert_eq!(
            (notice[0].key.as_str(), notice[0].value.as_str()),
            ("origin", "*,ftp://x")
        );
        assert_eq!(notice[0].problem, Problem::NotAnOrigin);
        let many: Vec<String> = (0..12).map(|i| format!("https://h{i}.example")).collect();
        let (origins, notice) = parse_origins(&many.join(","));
        assert_eq!(origins.len(), MAX_ORIGINS);
        assert_eq!(notice.len(), 1);
        assert_eq!(notice[0].problem, Problem::TooLong);
        assert_eq!(parse_origins(""), (vec![], vec![]));
    }

    #[test]
    fn the_origin_of_a_referrer() {
        assert_eq!(
            origin_of_url("https://slides.example/deck/index.html?x=1#/3").as_deref(),
            Some("https://slides.example")
        );
        assert_eq!(
            origin_of_url("http://127.0.0.1:4000/").as_deref(),
            Some("http://127.0.0.1:4000")
        );
        assert_eq!(origin_of_url(""), None);
        assert_eq!(origin_of_url("about:blank"), None);
    }

    #[test]
    fn a_link_separates_app_keys_from_the_lesson() {
        let f = parse_fragment(
            "#descent-2d?s=beale&embed=1&hide=surface,nope&origin=https://slides.example&lang=zh&speed=5",
        );
        let (link, notices) = LinkSettings::read(&f, LessonId::from_slug("descent-2d").unwrap());
        assert_eq!(link.embed, Some(true));
        assert_eq!(link.lang, Some(Lang::Zh));
        assert_eq!(link.hide, Some(vec!["surface"]));
        assert_eq!(
            link.origins,
            Some(vec!["https://slides.example".to_string()])
        );
        assert_eq!(
            link.lesson_query,
            vec![
                ("s".to_string(), "beale".to_string()),
                ("speed".to_string(), "5".to_string())
            ]
        );
        assert_eq!(notices.len(), 1);
        assert_eq!(notices[0].value, "nope");

        let f = parse_fragment("#descent-2d?embed=yes&embed=1&hide=export&hide=surface&present=2");
        let (link, notices) = LinkSettings::read(&f, LessonId::from_slug("descent-2d").unwrap());
        // An unusable value does not count: the next one is read.
        assert_eq!(link.embed, Some(true));
        assert_eq!(link.hide, Some(vec!["export"]));
        assert_eq!(
            problems(&notices),
            "embed UnknownName, hide Repeated, present UnknownName"
        );
    }

    #[test]
    fn the_written_link_keeps_embed_hide_and_origin() {
        let mut query = vec![("s".to_string(), "beale".to_string())];
        let origins = [
            "https://slides.example".to_string(),
            "http://127.0.0.1:9000".to_string(),
        ];
        Written {
            lang: Lang::En,
            presenter: false,
            embed: true,
            hide: &["surface", "export"],
            origins: &origins,
        }
        .append_to(&mut query);
        let text = format_fragment("descent-2d", &query);
        assert_eq!(
            text,
            "#descent-2d?s=beale&lang=en&embed=1&hide=surface,export&origin=https://slides.example,http://127.0.0.1:9000"
        );
        // Read back, it says the same.
        let (link, notices) = LinkSettings::read(
            &parse_fragment(&text),
            LessonId::from_slug("descent-2d").unwrap(),
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(link.hide, Some(vec!["surface", "export"]));
        assert_eq!(link.origins.as_deref(), Some(&origins[..]));
    }

    #[test]
    fn the_hide_rule_names_only_the_lesson_and_its_controls() {
        assert_eq!(hide_rule("descent-2d", &[]), "");
        assert_eq!(
            hide_rule("descent-2d", &["surface", "export"]),
            "#lesson[data-lesson=\"descent-2d\"] [data-control=\"surface\"], \
             #lesson[data-lesson=\"descent-2d\"] [data-control=\"export\"] { display: none !important; }"
        );
    }
}
