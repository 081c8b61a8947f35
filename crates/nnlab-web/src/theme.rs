//! The page's colour theme: light or dark. The reader picks light, dark or
//! "follow the system" in the header; the choice is remembered between
//! visits. The small script at the top of `www/index.html` resolves it before
//! the first paint and writes `data-theme` on `<html>` (no white flash);
//! `www/style.css` keys its colours on that attribute, and every picture is
//! drawn from [`crate::draw::palette::current`], which follows [`current`].

use std::cell::Cell;

use crate::error::WebResult;
use crate::i18n::Key;
use crate::widgets::{dom, Listener};

/// Where the choice is remembered (`www/index.html` reads the same key).
pub const STORAGE_KEY: &str = "nnlab.theme";
/// The attribute of `<html>` that style.css keys the theme's colours on.
pub const ATTRIBUTE: &str = "data-theme";
/// The media query of a system set to dark.
const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

/// The colours the page is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on white cards (the default).
    Light,
    /// Light text on dark cards.
    Dark,
}

impl Theme {
    /// The value of [`ATTRIBUTE`].
    pub fn tag(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// What the reader chose in the header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Light or dark as the system (`prefers-color-scheme`) is set, also when it changes.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Choice {
    /// The choices in the order the header lists them.
    pub const ALL: [Choice; 3] = [Choice::System, Choice::Light, Choice::Dark];

    /// The stored (and `<option>`) value.
    pub fn tag(self) -> &'static str {
        match self {
            Choice::System => "system",
            Choice::Light => "light",
            Choice::Dark => "dark",
        }
    }

    /// The choice stored as `tag`; anything else is not one.
    pub fn from_tag(tag: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.tag() == tag)
    }

    /// Its name in the header.
    pub fn label(self) -> Key {
        match self {
            Choice::System => Key::ThemeSystem,
            Choice::Light => Key::ThemeLight,
            Choice::Dark => Key::ThemeDark,
        }
    }

    /// The theme this choice means while the system is (or is not) set to dark.
    pub fn resolve(self, system_dark: bool) -> Theme {
        match self {
            Choice::Light => Theme::Light,
            Choice::Dark => Theme::Dark,
            Choice::System if system_dark => Theme::Dark,
            Choice::System => Theme::Light,
        }
    }
}

thread_local! {
    /// The theme the page is in now: light until [`apply`] says otherwise
    /// (so pictures drawn outside the app, e.g. in browser tests, are light).
    static CURRENT: Cell<Theme> = const { Cell::new(Theme::Light) };
}

/// The theme the page is drawn in now.
pub fn current() -> Theme {
    CURRENT.with(Cell::get)
}

/// Puts the page in `theme`: the attribute style.css reads, and [`current`]
/// for the pictures (which the caller then redraws).
pub fn apply(theme: Theme) -> WebResult<()> {
    CURRENT.with(|c| c.set(theme));
    if let Some(html) = dom::document()?.document_element() {
        html.set_attribute(ATTRIBUTE, theme.tag())?;
    }
    Ok(())
}

/// The choice made on an earlier visit; "follow the system" when there is none.
pub fn remembered() -> Choice {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|tag| Choice::from_tag(&tag))
        .unwrap_or(Choice::System)
}

/// Best effort: private browsing may refuse storage, and that is fine.
pub fn remember(choice: Choice) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(STORAGE_KEY, choice.tag());
    }
}

/// Whether the system is set to dark now.
pub fn system_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(DARK_QUERY).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Calls `f` whenever the system switches between light and dark.
pub fn on_system_change(f: impl FnMut() -> WebResult<()> + 'static) -> WebResult<Option<Listener>> {
    let mut f = f;
    let query = dom::window()?.match_media(DARK_QUERY)?;
    Ok(query.map(|q| Listener::on(&q, "change", move |_: web_sys::Event| f())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn following_the_system_takes_its_setting() {
        assert_eq!(Choice::System.resolve(true), Theme::Dark);
        assert_eq!(Choice::System.resolve(false), Theme::Light);
        // An explicit choice wins over the system.
        assert_eq!(Choice::Light.resolve(true), Theme::Light);
        assert_eq!(Choice::Dark.resolve(false), Theme::Dark);
    }

    #[test]
    fn choices_are_stored_by_tag() {
        for choice in Choice::ALL {
            assert_eq!(Choice::from_tag(choice.tag()), Some(choice));
        }
        assert_eq!(Choice::from_tag("sepia"), None);
        assert_eq!(Choice::from_tag(""), None);
    }

    #[test]
    fn pictures_are_light_until_the_app_says_otherwise() {
        assert_eq!(current(), Theme::Light);
    }
}
