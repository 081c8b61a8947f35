//! How large text drawn on canvases is: normal on a laptop, larger in
//! presenter mode so a lecture hall can read axis labels and values. The app
//! shell sets the scale when presenter mode is switched; every canvas that
//! draws text asks here instead of writing a fixed pixel size, and redraws
//! on the resize event the switch sends.

use std::cell::Cell;

/// The smallest text in presenter mode, in CSS pixels (the same floor as the page's type).
pub const PRESENTER_MIN_PX: f64 = 20.0;
/// How much larger canvas text is in presenter mode.
pub const PRESENTER_SCALE: f64 = 1.6;

thread_local! {
    static PRESENTER: Cell<bool> = const { Cell::new(false) };
}

/// Switches canvas text to presenter sizes (`true`) or back.
pub fn set_presenter(on: bool) {
    PRESENTER.with(|p| p.set(on));
}

/// Whether canvas text is at presenter sizes.
pub fn presenter() -> bool {
    PRESENTER.with(Cell::get)
}

/// The size in CSS pixels for text designed at `px`: `px` normally; in
/// presenter mode [`PRESENTER_SCALE`] times larger and at least [`PRESENTER_MIN_PX`].
pub fn px(px: f64) -> f64 {
    if presenter() {
        (px * PRESENTER_SCALE).max(PRESENTER_MIN_PX)
    } else {
        px
    }
}

/// [`px`] rounded to whole pixels, for plotters fonts and layout sizes.
pub fn px_u32(size: f64) -> u32 {
    px(size).round() as u32
}

/// A canvas `font` for text designed at `size` px: `weight` (`""`, `"600"`…)
/// and `family` as CSS writes them, the size from [`px`].
pub fn font(weight: &str, size: f64, family: &str) -> String {
    let size = px(size).round();
    if weight.is_empty() {
        format!("{size}px {family}")
    } else {
        format!("{weight} {size}px {family}")
    }
}

/// The smallest tick label a plotters figure should draw (see
/// `nnlab_figures::Frame::with_min_text_px`): 0 normally, so figures keep
/// their own sizes.
pub fn min_figure_px() -> f64 {
    if presenter() {
        PRESENTER_MIN_PX
    } else {
        0.0
    }
}

/// About how wide `text` is at `px` pixels, without asking the canvas (a
/// layout choice needs no more): a Chinese character is 1 em, anything else
/// 0.6 em (exact for a monospace font, a little generous for sans-serif).
pub fn approx_width(text: &str, px: f64) -> f64 {
    let ems: f64 = text
        .chars()
        .map(|c| if c >= '\u{2e80}' { 1.0 } else { 0.6 })
        .sum();
    ems * px
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_chinese_as_one_em() {
        // "airplane" is 8 × 0.6 em; "飞机" 2 × 1 em; at 10 px.
        assert!((approx_width("airplane", 10.0) - 48.0).abs() < 1e-9);
        assert!((approx_width("飞机", 10.0) - 20.0).abs() < 1e-9);
    }

    #[test]
    fn presenter_text_is_larger_and_at_least_the_floor() {
        set_presenter(false);
        assert_eq!(px(12.0), 12.0);
        assert_eq!(font("600", 13.0, "sans-serif"), "600 13px sans-serif");
        assert_eq!(min_figure_px(), 0.0);
        set_presenter(true);
        // 11 × 1.6 = 17.6 is below the floor; 13 × 1.6 = 20.8 is above it.
        assert_eq!(px(11.0), 20.0);
        assert!((px(13.0) - 20.8).abs() < 1e-12);
        assert_eq!(font("", 13.0, "sans-serif"), "21px sans-serif");
        assert_eq!(px_u32(14.0), 22);
        assert_eq!(min_figure_px(), 20.0);
        set_presenter(false);
    }
}
