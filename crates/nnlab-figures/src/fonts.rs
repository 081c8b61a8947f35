//! Text without system fonts.
//!
//! On native targets plotters rasterises text (PNG output) with `ab_glyph` from fonts
//! registered at run time. We embed Ubuntu Light from the `epaint_default_fonts` crate
//! (egui's default fonts) so a fresh machine with no fontconfig still gets labels.
//! In the browser (wasm32) the canvas draws text with the page's fonts instead.

/// The font families registered, matching the names plotters' styles ask for.
pub const FAMILIES: [&str; 3] = ["sans-serif", "serif", "monospace"];

/// Registers the embedded fonts with plotters (once per process; later calls are free).
/// Every `draw_*` function calls it, so callers only need it for their own plotters text.
pub fn ensure_registered() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use plotters::style::{register_font, FontStyle};
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            for family in FAMILIES {
                let bytes = if family == "monospace" {
                    epaint_default_fonts::HACK_REGULAR
                } else {
                    epaint_default_fonts::UBUNTU_LIGHT
                };
                // Both are valid TrueType files shipped inside the crate; a failure here
                // would only mean no text, so it is not worth a panic.
                let _ = register_font(family, FontStyle::Normal, bytes);
            }
        });
    }
}
