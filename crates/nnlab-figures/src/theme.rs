//! The colours of a figure that are not data: its background, its text and
//! axes, and the 1-D curve. Light by default (slides, the CLI's SVG and PNG);
//! the web app draws in the page's theme, so a dark page gets dark pictures.
//! Data colours (viridis, track colours) are the same in every theme.

/// The non-data colours of a figure (RGB), carried by its [`crate::Frame`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    /// The figure's background, and the rim that sets markers off the plot.
    pub paper: [u8; 3],
    /// Text, ticks and the plot's border.
    pub ink: [u8; 3],
    /// The 1-D curve y = f(x).
    pub curve: [u8; 3],
    /// The tint of the area under the 1-D curve.
    pub under_curve: [u8; 3],
}

impl Theme {
    /// Dark ink on white: slides, print, the CLI's figures.
    pub const LIGHT: Theme = Theme {
        paper: [255, 255, 255],
        ink: [40, 40, 48],
        curve: [45, 62, 110],
        under_curve: [222, 229, 244],
    };

    /// Light ink on the dark page's card colour (`www/style.css`, dark theme `--card`).
    pub const DARK: Theme = Theme {
        paper: [26, 31, 44],
        ink: [225, 229, 240],
        curve: [150, 170, 245],
        under_curve: [40, 49, 78],
    };
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::LIGHT
    }
}

/// An RGB triple as a plotters colour.
pub(crate) fn rgb([r, g, b]: [u8; 3]) -> plotters::style::RGBColor {
    plotters::style::RGBColor(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two sRGB colours.
    fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
        let lum = |c: [u8; 3]| {
            let lin = |v: u8| {
                let v = f64::from(v) / 255.0;
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn figures_are_light_unless_asked() {
        assert_eq!(Theme::default(), Theme::LIGHT);
        assert_eq!(Theme::LIGHT.paper, [255, 255, 255]);
    }

    #[test]
    fn text_and_curve_stand_out_in_both_themes() {
        for theme in [Theme::LIGHT, Theme::DARK] {
            assert!(contrast(theme.ink, theme.paper) >= 4.5, "{theme:?}");
            assert!(contrast(theme.curve, theme.under_curve) >= 3.0, "{theme:?}");
        }
        // The dark paper really is dark (relative luminance well under ink's).
        assert!(Theme::DARK.paper.iter().all(|&c| c < 64));
    }
}
