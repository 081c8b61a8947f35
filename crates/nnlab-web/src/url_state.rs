//! A lesson's whole state in the URL fragment, so an instructor can prepare a
//! link: `#descent-2d?s=rosenbrock&o=adam:0.05,sgd:0.001&start=-1.5,2&speed=200&lang=zh`.
//!
//! The fragment is `#<lesson slug>?<key>=<value>&…`, percent-encoded. Reading is
//! forgiving and safe: whatever a link holds, the page builds; values that
//! cannot be used are replaced by defaults and reported as [`Notice`]s, which the
//! page shows as plain text (never as HTML).

use std::ops::RangeInclusive;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::i18n::{Key, Lang};

/// Query pairs in the order they appear.
pub type Query = Vec<(String, String)>;

/// Longest fragment read; the rest of a longer one is ignored (and reported).
pub const MAX_FRAGMENT_CHARS: usize = 2000;
/// Most pairs read from one fragment.
pub const MAX_PAIRS: usize = 40;
/// Longest piece of a bad value quoted back in a notice.
const MAX_QUOTE_CHARS: usize = 32;

/// Characters written as they are: letters, digits and the few punctuation
/// marks our values use (`-` `.` `_` `,` `:`, and `/` in `origin=https://…`),
/// so links stay readable. All of them are allowed in a URL fragment as they are.
const KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b',')
    .remove(b':')
    .remove(b'/');

/// A URL fragment taken apart.
#[derive(Clone, Debug, PartialEq)]
pub struct Fragment {
    /// The lesson's slug (before any `?`).
    pub slug: String,
    /// The lesson's pairs (after the `?`).
    pub query: Query,
    /// Problems met while reading (too long, too many pairs, a pair without `=`).
    pub notices: Vec<Notice>,
}

/// Why part of a link was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not a name the lesson knows (surface, optimiser, language…).
    UnknownName,
    /// Not a number, or not a finite one.
    NotANumber,
    /// A number outside the range the controls allow.
    OutOfRange,
    /// The key appears more than once; the first one counts.
    Repeated,
    /// Something is missing (`start=1` without a y, `o=adam:`, a pair without `=`).
    Incomplete,
    /// A key no lesson reads.
    UnknownKey,
    /// The fragment was too long; its end was ignored.
    TooLong,
    /// `hide=` named controls the lesson does not have; it has these.
    UnknownControl(&'static [&'static str]),
    /// `origin=` held something that is not an origin (`https://slides.example`).
    NotAnOrigin,
    /// A key only a link may set (`origin=`), sent in a host page's message.
    LinkOnly,
    /// The fragment names a lesson the page does not have (`#nosuchlesson`).
    NoSuchLesson,
}

/// One part of a link that could not be used; shown to the reader in the page.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    /// The key, quoted for the message.
    pub key: String,
    /// The offending value, shortened and stripped of control characters.
    pub value: String,
    /// Why it was not used.
    pub problem: Problem,
}

impl Notice {
    /// A notice about `key=value`; both are quoted (shortened, control characters stripped).
    pub fn new(key: &str, value: &str, problem: Problem) -> Notice {
        Notice {
            key: quote(key),
            value: quote(value),
            problem,
        }
    }

    /// The notice in plain words: what was read, why it was not used, and
    /// what the page did instead (a default, nothing, the first of repeats).
    pub fn text(&self, lang: Lang) -> String {
        let names;
        let why = match self.problem {
            Problem::UnknownControl(known) => {
                names = known.join(", ");
                lang.fill(Key::UrlProblemUnknownControl, &[("names", &names)])
            }
            problem => lang.text(problem.key()).to_string(),
        };
        lang.fill(
            self.problem.template(),
            &[("key", &self.key), ("value", &self.value), ("why", &why)],
        )
    }

    /// The text of a group of `count` alike notices (see [`grouped`]): the
    /// first one, and how many more there were.
    pub fn text_of_group(&self, count: usize, lang: Lang) -> String {
        let text = self.text(lang);
        if count <= 1 {
            return text;
        }
        let more = (count - 1).to_string();
        format!(
            "{text} {}",
            lang.fill(Key::UrlNoticeMore, &[("count", &more)])
        )
    }
}

/// Notices about the same key for the same reason, as one notice with a count:
/// a link that repeats `o=adam:0.1,` a thousand times gives one line, not a
/// page of them. Groups keep the order of their first notice.
pub fn grouped(notices: &[Notice]) -> Vec<(&Notice, usize)> {
    let mut groups: Vec<(&Notice, usize)> = Vec::new();
    for notice in notices {
        match groups
            .iter_mut()
            .find(|(first, _)| first.key == notice.key && first.problem == notice.problem)
        {
            Some((_, count)) => *count += 1,
            None => groups.push((notice, 1)),
        }
    }
    groups
}

/// Every notice's text in `lang`, alike ones grouped (see [`grouped`]).
pub fn notice_texts(notices: &[Notice], lang: Lang) -> Vec<String> {
    grouped(notices)
        .into_iter()
        .map(|(notice, count)| notice.text_of_group(count, lang))
        .collect()
}

impl Problem {
    /// The words for this problem (see [`Notice::text`]).
    fn key(self) -> Key {
        match self {
            Problem::UnknownName => Key::UrlProblemUnknownName,
            Problem::NotANumber => Key::UrlProblemNotANumber,
            Problem::OutOfRange => Key::UrlProblemOutOfRange,
            Problem::Repeated => Key::UrlProblemRepeated,
            Problem::Incomplete => Key::UrlProblemIncomplete,
            Problem::UnknownKey => Key::UrlProblemUnknownKey,
            Problem::TooLong => Key::UrlProblemTooLong,
            Problem::UnknownControl(_) => Key::UrlProblemUnknownControl,
            Problem::NotAnOrigin => Key::UrlProblemNotAnOrigin,
            Problem::LinkOnly => Key::UrlProblemLinkOnly,
            Problem::NoSuchLesson => Key::UrlProblemNoSuchLesson,
        }
    }

    /// The sentence around the problem's words: most values give way to the
    /// default, but a repeat or an unknown key is simply ignored (the first
    /// repeat *was* used), and an unknown lesson opens nothing.
    fn template(self) -> Key {
        match self {
            Problem::UnknownName
            | Problem::NotANumber
            | Problem::OutOfRange
            | Problem::Incomplete
            | Problem::NotAnOrigin => Key::UrlNotice,
            Problem::Repeated
            | Problem::UnknownKey
            | Problem::TooLong
            | Problem::UnknownControl(_)
            | Problem::LinkOnly => Key::UrlNoticeIgnored,
            Problem::NoSuchLesson => Key::UrlNoticeNoLesson,
        }
    }
}

/// At most [`MAX_QUOTE_CHARS`] characters of `s`, control characters dropped.
fn quote(s: &str) -> String {
    let mut out: String = s
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUOTE_CHARS)
        .collect();
    if s.chars().filter(|c| !c.is_control()).count() > MAX_QUOTE_CHARS {
        out.push('…');
    }
    out
}

/// Reads `#slug?k=v&…` (the leading `#` is optional).
pub fn parse_fragment(hash: &str) -> Fragment {
    let mut notices = Vec::new();
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let hash = match hash.char_indices().nth(MAX_FRAGMENT_CHARS) {
        Some((cut, _)) => {
            notices.push(Notice::new("#", &hash[cut..], Problem::TooLong));
            &hash[..cut]
        }
        None => hash,
    };
    let (slug, rest) = hash.split_once('?').unwrap_or((hash, ""));
    let (query, more) = parse_pairs(rest);
    notices.extend(more);
    Fragment {
        slug: decode(slug),
        query,
        notices,
    }
}

/// Reads `k=v&…` (a leading `?` is optional), as a link's query would be read:
/// at most [`MAX_FRAGMENT_CHARS`] characters and [`MAX_PAIRS`] pairs.
pub fn parse_query(text: &str) -> (Query, Vec<Notice>) {
    let fragment = parse_fragment(&format!("?{}", text.strip_prefix('?').unwrap_or(text)));
    (fragment.query, fragment.notices)
}

fn parse_pairs(rest: &str) -> (Query, Vec<Notice>) {
    let (mut query, mut notices) = (Vec::new(), Vec::new());
    for piece in rest.split('&').filter(|p| !p.is_empty()) {
        if query.len() == MAX_PAIRS {
            notices.push(Notice::new("&", piece, Problem::TooLong));
            break;
        }
        match piece.split_once('=') {
            Some((k, v)) => query.push((decode(k), decode(v))),
            None => notices.push(Notice::new(&decode(piece), "", Problem::Incomplete)),
        }
    }
    (query, notices)
}

/// Writes `#slug?k=v&…` (just `#slug` without pairs).
pub fn format_fragment(slug: &str, query: &[(String, String)]) -> String {
    let mut out = format!("#{}", encode(slug));
    if !query.is_empty() {
        out.push('?');
        out.push_str(&format_query(query));
    }
    out
}

/// Writes `k=v&…`, encoded as in a link.
pub fn format_query(query: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in query.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&encode(k));
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

fn decode(s: &str) -> String {
    // `+` is how forms write a space; nothing of ours contains a literal plus.
    percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, KEEP).to_string()
}

/// A number as short as it reads back exactly (`0.05`, `-1.5`, `200`).
/// Rust writes the shortest text that parses back to the same `f64` (1e-5 as `0.00001`).
pub fn format_value(v: f64) -> String {
    format!("{v}")
}

/// Numbers as a link writes a list of them, `0.5,-2,1` (each as
/// [`format_value`] writes it); [`parse_list`] reads them back.
pub fn format_list(values: impl IntoIterator<Item = f64>) -> String {
    let texts: Vec<String> = values.into_iter().map(format_value).collect();
    texts.join(",")
}

/// Reads a lesson's pairs one key at a time, collecting notices for whatever
/// cannot be used: repeated keys, bad numbers, and (at [`QueryReader::finish`])
/// keys nobody asked for.
pub struct QueryReader<'a> {
    pairs: &'a [(String, String)],
    read: Vec<bool>,
    notices: Vec<Notice>,
}

impl<'a> QueryReader<'a> {
    /// A reader of `pairs`, none of them read yet.
    pub fn new(pairs: &'a [(String, String)]) -> QueryReader<'a> {
        QueryReader {
            pairs,
            read: vec![false; pairs.len()],
            notices: Vec::new(),
        }
    }

    /// The first value of `key`; later repeats are reported and ignored.
    pub fn text(&mut self, key: &str) -> Option<&'a str> {
        let mut first = None;
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if k != key {
                continue;
            }
            self.read[i] = true;
            if first.is_none() {
                first = Some(v.as_str());
            } else {
                self.notices.push(Notice::new(k, v, Problem::Repeated));
            }
        }
        first
    }

    /// The value under `key` as `read` makes it of the text; when `read`
    /// finds a problem, a notice quoting the text and `None`. Every other
    /// reading method is this one with a particular `read`.
    pub fn parsed<T>(
        &mut self,
        key: &str,
        read: impl FnOnce(&str) -> Result<T, Problem>,
    ) -> Option<T> {
        let text = self.text(key)?;
        match read(text) {
            Ok(v) => Some(v),
            Err(problem) => {
                self.report(key, text, problem);
                None
            }
        }
    }

    /// The number under `key` if it is finite and in `range`; otherwise a notice and `None`.
    pub fn number(&mut self, key: &str, range: RangeInclusive<f64>) -> Option<f64> {
        self.parsed(key, |text| parse_number(text, &range))
    }

    /// Puts the number under `key` in `slot` if it is finite and in `range`
    /// (a setting on top of its default); otherwise a notice and `slot` keeps
    /// what it holds.
    pub fn number_into(&mut self, key: &str, range: RangeInclusive<f64>, slot: &mut f64) {
        if let Some(v) = self.number(key, range) {
            *slot = v;
        }
    }

    /// A whole number under `key` in `range` (which starts at 0 or above):
    /// out of range as for [`QueryReader::number`], and a fraction such as
    /// `2.5` is not a number here (the notice quotes it as read).
    pub fn whole(&mut self, key: &str, range: RangeInclusive<f64>) -> Option<u64> {
        let v = self.number(key, range)?;
        if v.fract() == 0.0 {
            Some(v as u64)
        } else {
            self.report(key, &format_value(v), Problem::NotANumber);
            None
        }
    }

    /// The thing `find` knows by the name under `key` (a surface, a preset, an
    /// activation the lesson offers…); a name it does not know is reported as
    /// [`Problem::UnknownName`].
    pub fn name<T>(&mut self, key: &str, find: impl FnOnce(&str) -> Option<T>) -> Option<T> {
        self.parsed(key, |name| find(name).ok_or(Problem::UnknownName))
    }

    /// The one of `offered` that `find` knows by the name under `key` (an
    /// activation or optimiser the lesson offers among those the core knows);
    /// any other name is reported as [`Problem::UnknownName`].
    pub fn offered<T: PartialEq, E>(
        &mut self,
        key: &str,
        find: impl FnOnce(&str) -> Result<T, E>,
        offered: &[T],
    ) -> Option<T> {
        self.name(key, |name| find(name).ok().filter(|v| offered.contains(v)))
    }

    /// The one of `names` under `key` (an initialiser's name, say); another
    /// name is reported as [`Problem::UnknownName`].
    pub fn listed(&mut self, key: &str, names: &[&'static str]) -> Option<&'static str> {
        self.name(key, |name| names.iter().find(|&&n| n == name).copied())
    }

    /// The one of `offered` written under `key` exactly as it writes itself
    /// (batch sizes `16`…`256`: `64.0` is none of them); anything else is
    /// reported as [`Problem::OutOfRange`].
    pub fn choice<T: Copy + std::fmt::Display>(&mut self, key: &str, offered: &[T]) -> Option<T> {
        self.parsed(key, |text| {
            offered
                .iter()
                .find(|v| v.to_string() == text)
                .copied()
                .ok_or(Problem::OutOfRange)
        })
    }

    /// Records a problem the lesson found itself (e.g. an unknown surface name).
    pub fn report(&mut self, key: &str, value: &str, problem: Problem) {
        self.notices.push(Notice::new(key, value, problem));
    }

    /// The notices, with one for every key that was never read.
    pub fn finish(mut self) -> Vec<Notice> {
        for (i, (k, v)) in self.pairs.iter().enumerate() {
            if !self.read[i] {
                self.notices.push(Notice::new(k, v, Problem::UnknownKey));
            }
        }
        self.notices
    }
}

/// A finite number in `range`.
pub fn parse_number(text: &str, range: &RangeInclusive<f64>) -> Result<f64, Problem> {
    let trimmed = text.trim();
    // Rust also reads "inf" and "NaN"; a link means neither.
    let v: f64 = trimmed.parse().map_err(|_| Problem::NotANumber)?;
    if !v.is_finite() {
        return Err(Problem::NotANumber);
    }
    if !range.contains(&v) {
        return Err(Problem::OutOfRange);
    }
    Ok(v)
}

/// Two numbers `x,y`, each in its range.
pub fn parse_pair(
    text: &str,
    x: &RangeInclusive<f64>,
    y: &RangeInclusive<f64>,
) -> Result<[f64; 2], Problem> {
    let v = parse_list(text, &[x.clone(), y.clone()])?;
    Ok([v[0], v[1]])
}

/// Comma-separated numbers, exactly one per range in `ranges` and each in
/// its own (a point `x,y`, a layer's weights): too few or too many are
/// [`Problem::Incomplete`], the first bad number's problem otherwise.
pub fn parse_list(text: &str, ranges: &[RangeInclusive<f64>]) -> Result<Vec<f64>, Problem> {
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() != ranges.len() {
        return Err(Problem::Incomplete);
    }
    parts
        .iter()
        .zip(ranges)
        .map(|(part, range)| parse_number(part, range))
        .collect()
}

/// Helpers for the lessons' link tests: a link's pairs from text and the
/// problems of its notices.
#[cfg(test)]
pub(crate) mod testing {
    use super::{parse_query, Notice, Query};

    /// The pairs of the query text `k=v&…`, read as a link's would be.
    pub fn query(text: &str) -> Query {
        parse_query(text).0
    }

    /// Each notice's key and problem, in order, as one line a test compares
    /// (`"lr OutOfRange, x UnknownKey"`).
    pub fn problems(notices: &[Notice]) -> String {
        let each: Vec<String> = notices
            .iter()
            .map(|n| format!("{} {:?}", n.key, n.problem))
            .collect();
        each.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Query {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn fragments_round_trip() {
        let q = pairs(&[
            ("s", "rosenbrock"),
            ("o", "adam:0.05,sgd:0.001"),
            ("start", "-1.5,2"),
            ("speed", "200"),
            ("lang", "zh"),
        ]);
        let text = format_fragment("descent-2d", &q);
        // Our own values need no escapes, so the link reads as typed.
        assert_eq!(
            text,
            "#descent-2d?s=rosenbrock&o=adam:0.05,sgd:0.001&start=-1.5,2&speed=200&lang=zh"
        );
        let back = parse_fragment(&text);
        assert_eq!(back.slug, "descent-2d");
        assert_eq!(back.query, q);
        assert!(back.notices.is_empty());
    }

    #[test]
    fn odd_characters_are_escaped_and_come_back() {
        let q = pairs(&[("note", "a&b=c #d <e> 中")]);
        let text = format_fragment("momentum", &q);
        assert!(!text[1..].contains(['#', '<', '>', ' ']), "{text}");
        assert_eq!(parse_fragment(&text).query, q);
    }

    #[test]
    fn a_bare_slug_has_no_query() {
        let f = parse_fragment("#descent-2d");
        assert_eq!(f.slug, "descent-2d");
        assert!(f.query.is_empty() && f.notices.is_empty());
        assert_eq!(format_fragment("descent-2d", &[]), "#descent-2d");
        assert_eq!(parse_fragment("").slug, "");
    }

    #[test]
    fn truncated_pairs_are_reported() {
        let f = parse_fragment("#x?s=beale&speed&=3&");
        assert_eq!(f.query, pairs(&[("s", "beale"), ("", "3")]));
        assert_eq!(
            f.notices,
            vec![Notice::new("speed", "", Problem::Incomplete)]
        );
    }

    #[test]
    fn huge_fragments_are_cut() {
        let long = format!("#x?s={}", "a".repeat(10_000));
        let f = parse_fragment(&long);
        assert_eq!(f.notices[0].problem, Problem::TooLong);
        assert!(f.query[0].1.len() < MAX_FRAGMENT_CHARS);
        let many: String = (0..100).map(|i| format!("k{i}=1&")).collect();
        let f = parse_fragment(&format!("#x?{many}"));
        assert_eq!(f.query.len(), MAX_PAIRS);
        assert_eq!(f.notices.len(), 1);
    }

    #[test]
    fn numbers_must_be_finite_and_in_range() {
        let r = 1e-5..=10.0;
        assert_eq!(parse_number("0.05", &r), Ok(0.05));
        assert_eq!(parse_number(" 2 ", &r), Ok(2.0));
        assert_eq!(parse_number("NaN", &r), Err(Problem::NotANumber));
        assert_eq!(parse_number("inf", &r), Err(Problem::NotANumber));
        assert_eq!(parse_number("1e308", &r), Err(Problem::OutOfRange));
        assert_eq!(parse_number("1e999", &r), Err(Problem::NotANumber)); // parses to +inf
        assert_eq!(parse_number("0x10", &r), Err(Problem::NotANumber));
        assert_eq!(parse_number("", &r), Err(Problem::NotANumber));
        let view = -2.0..=2.0;
        assert_eq!(parse_pair("-1.5,2", &view, &view), Ok([-1.5, 2.0]));
        assert_eq!(parse_pair("1", &view, &view), Err(Problem::Incomplete));
        assert_eq!(parse_pair("1,2,3", &view, &view), Err(Problem::Incomplete));
        assert_eq!(parse_pair("1,9", &view, &view), Err(Problem::OutOfRange));
    }

    #[test]
    fn the_reader_reports_repeats_and_unknown_keys() {
        let q = pairs(&[
            ("speed", "100"),
            ("zzz", "1"),
            ("speed", "5"),
            ("lr", "NaN"),
        ]);
        let mut r = QueryReader::new(&q);
        assert_eq!(r.number("speed", 1.0..=3000.0), Some(100.0));
        assert_eq!(r.number("lr", 1e-5..=10.0), None);
        assert_eq!(r.text("absent"), None);
        let notices = r.finish();
        assert_eq!(
            testing::problems(&notices),
            "speed Repeated, lr NotANumber, zzz UnknownKey",
        );
    }

    #[test]
    fn the_reader_reads_names_choices_and_whole_numbers() {
        let q =
            testing::query("s=beale&o=nope&i=he-normal&n=7&batch=64&size=64.0&img=3&t=2.5&p=1,2,3");
        let mut r = QueryReader::new(&q);
        let known = |name: &str| ["beale", "rosenbrock"].into_iter().find(|&k| k == name);
        assert_eq!(r.name("s", known), Some("beale"));
        assert_eq!(r.name("o", known), None);
        assert_eq!(r.listed("i", &["zeros", "he-normal"]), Some("he-normal"));
        let length = |name: &str| name.parse::<usize>().map(|_| name.len());
        assert_eq!(r.offered("batch", length, &[1, 2]), Some(2));
        assert_eq!(r.offered("n", length, &[2, 3]), None);
        assert_eq!(r.choice("batch", &[32, 64]), Some(64));
        assert_eq!(r.choice("size", &[32, 64]), None);
        assert_eq!(r.whole("img", 0.0..=9.0), Some(3));
        assert_eq!(r.whole("t", 0.0..=9.0), None);
        let two = [-5.0..=5.0, -5.0..=5.0];
        assert_eq!(r.parsed("p", |t| parse_list(t, &two)), None);
        assert_eq!(
            testing::problems(&r.finish()),
            "o UnknownName, n UnknownName, size OutOfRange, t NotANumber, p Incomplete"
        );
        assert_eq!(parse_list("1,-2.5", &two), Ok(vec![1.0, -2.5]));
        assert_eq!(format_list([1.0, -2.5]), "1,-2.5");
        assert_eq!(parse_list("1,", &two), Err(Problem::NotANumber));
        assert_eq!(parse_list("1,9", &two), Err(Problem::OutOfRange));
    }

    #[test]
    fn alike_notices_are_one_line_with_a_count() {
        let mut notices = vec![Notice::new("s", "nope", Problem::UnknownName)];
        for i in 0..222 {
            notices.push(Notice::new("o", &format!("adam:{i}"), Problem::Repeated));
        }
        notices.push(Notice::new("s", "again", Problem::UnknownName));
        let texts = notice_texts(&notices, Lang::En);
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].contains("“s=nope”") && texts[0].ends_with("(1 more like it.)"));
        assert!(texts[1].contains("“o=adam:0”") && texts[1].ends_with("(221 more like it.)"));
        let zh = notice_texts(&notices, Lang::Zh);
        assert!(zh[1].contains("221"), "{zh:?}");
    }

    #[test]
    fn each_problem_says_what_the_page_did_instead() {
        let default = Notice::new("lr", "abc", Problem::NotANumber).text(Lang::En);
        assert!(default.contains("the default is shown"), "{default}");
        // The first of repeated keys was used: no "default" here.
        let repeat = Notice::new("speed", "5", Problem::Repeated).text(Lang::En);
        assert!(
            !repeat.contains("default") && repeat.contains("ignored"),
            "{repeat}"
        );
        let lesson = Notice::new("#", "nosuchlesson", Problem::NoSuchLesson).text(Lang::En);
        assert!(
            lesson.contains("“nosuchlesson”") && !lesson.contains("default"),
            "{lesson}"
        );
    }

    #[test]
    fn a_script_in_a_link_is_only_quoted_shortened() {
        let evil = "<script>alert(document.cookie)</script>\u{0007}";
        let n = Notice::new("s", evil, Problem::UnknownName);
        assert_eq!(n.value, "<script>alert(document.cookie)</…");
        assert!(!n.value.contains('\u{0007}'));
        let text = n.text(Lang::En);
        assert!(
            text.contains("“s=<script>alert(document.cookie)</…”"),
            "{text}"
        );
    }
}
