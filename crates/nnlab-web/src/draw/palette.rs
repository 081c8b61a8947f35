//! The colours of the pictures the lessons draw, in the page's two themes:
//! the same as the page's (`www/style.css`: `--card`, `--ink`, `--muted`,
//! `--line`, `--accent`, in its light and dark blocks), so a picture and the
//! text around it match. Views take [`current`] when they draw; a theme
//! change remounts the lesson, so every picture is drawn again in it.

use plotters::style::RGBColor;

use crate::theme::{self, Theme};

/// One theme's colours, as CSS `#rrggbb` (canvas) — [`rgb`] turns one into
/// a plotters colour.
#[derive(Debug, PartialEq, Eq)]
pub struct Palette {
    /// A picture's background (the cards' colour).
    pub paper: &'static str,
    /// A faint box inside a picture: histogram cells, the track of a bar.
    pub panel: &'static str,
    /// Text and the darkest marks.
    pub ink: &'static str,
    /// Axis labels, notes, the zero line.
    pub muted: &'static str,
    /// Grid lines.
    pub grid: &'static str,
    /// Rules between rows, frames.
    pub line: &'static str,
    /// The app's blue: the main series, weights, what is selected.
    pub accent: &'static str,
    /// The accent, faint: a noisy series under its average.
    pub faint_accent: &'static str,
    /// Text on an accent-filled area.
    pub on_accent: &'static str,
    /// Orange: the second series (activations), what pushes the other way.
    pub warm: &'static str,
    /// Green: the true class.
    pub true_class: &'static str,
    /// Red: a mistake.
    pub mistake: &'static str,
    /// Background, text and curve of the figures shared with the CLI.
    pub figures: nnlab_figures::Theme,
}

/// Dark ink on white.
pub const LIGHT: Palette = Palette {
    paper: "#ffffff",
    panel: "#f3f4f8",
    ink: "#1b2233",
    muted: "#5f6879",
    grid: "#e4e8f0",
    line: "#dde2ec",
    accent: "#3b4fd8",
    faint_accent: "#9aa6e8",
    on_accent: "#ffffff",
    warm: "#b9501c",
    true_class: "#178044",
    mistake: "#d62728",
    figures: nnlab_figures::Theme::LIGHT,
};

/// Light ink on the dark cards; colours lightened to stand out on them.
pub const DARK: Palette = Palette {
    paper: "#1a1f2c",
    panel: "#232a3a",
    ink: "#e1e5f0",
    muted: "#9aa3b8",
    grid: "#2c3345",
    line: "#343c50",
    accent: "#8c9cff",
    faint_accent: "#4a5590",
    on_accent: "#11151f",
    warm: "#f08a50",
    true_class: "#4cc47f",
    mistake: "#ff6b6b",
    figures: nnlab_figures::Theme::DARK,
};

impl Palette {
    /// The colours of `theme`.
    pub fn of(theme: Theme) -> &'static Palette {
        match theme {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        }
    }
}

/// The colours of the theme the page is in now.
pub fn current() -> &'static Palette {
    Palette::of(theme::current())
}

/// A `#rrggbb` colour as RGB (black if it is not one: the palette's are).
pub fn triple(css: &str) -> [u8; 3] {
    let hex = css.strip_prefix('#').unwrap_or(css);
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .unwrap_or(0)
    };
    [channel(0), channel(2), channel(4)]
}

/// A `#rrggbb` colour for plotters.
pub fn rgb(css: &str) -> RGBColor {
    let [r, g, b] = triple(css);
    RGBColor(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two `#rrggbb` colours.
    fn contrast(a: &str, b: &str) -> f64 {
        let lum = |css: &str| {
            let lin = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            let [r, g, b] = triple(css);
            0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn each_theme_has_its_palette() {
        assert_eq!(Palette::of(Theme::Light), &LIGHT);
        assert_eq!(Palette::of(Theme::Dark), &DARK);
        // Outside the app (no theme applied) pictures are light.
        assert_eq!(current(), &LIGHT);
        assert_eq!(DARK.figures, nnlab_figures::Theme::DARK);
        assert_eq!(triple(DARK.paper), DARK.figures.paper);
        assert_eq!(triple(LIGHT.paper), LIGHT.figures.paper);
    }

    #[test]
    fn dark_pictures_are_dark_and_light_ones_light() {
        let [r, g, b] = triple(DARK.paper);
        assert!(r.max(g).max(b) < 64, "{}", DARK.paper);
        assert_eq!(triple(LIGHT.paper), [255, 255, 255]);
    }

    #[test]
    fn text_reads_on_paper_and_panels_in_both_themes() {
        for p in [&LIGHT, &DARK] {
            for text in [p.ink, p.muted, p.accent, p.warm, p.true_class, p.mistake] {
                for ground in [p.paper, p.panel] {
                    // Marks need 3:1, but these colours also write small labels: 4.5:1.
                    let c = contrast(text, ground);
                    assert!(c >= 4.5, "{text} on {ground}: {c:.2}");
                }
            }
            assert!(contrast(p.on_accent, p.accent) >= 4.5, "{}", p.on_accent);
        }
    }

    #[test]
    fn hex_colours_parse() {
        assert_eq!(triple("#3b4fd8"), [59, 79, 216]);
        assert_eq!(triple("#1A1F2C"), [26, 31, 44]);
        assert_eq!(triple("nonsense"), [0, 0, 0]);
        assert_eq!(rgb("#ffffff"), RGBColor(255, 255, 255));
    }
}
