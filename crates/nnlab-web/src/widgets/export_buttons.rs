//! "Save PNG" and "Save SVG": the current figure for slides (see [`crate::export`]).

use web_sys::HtmlElement;

use super::{dom, Button, Listener};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};

/// Which file the reader asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Png,
    Svg,
}

pub struct ExportButtons {
    /// Insert this into the page.
    pub root: HtmlElement,
    png: Button,
    svg: Button,
}

impl ExportButtons {
    /// Buttons with ids `<prefix>-export-png` and `<prefix>-export-svg`.
    pub fn new(lang: Lang, prefix: &str) -> WebResult<ExportButtons> {
        let root: HtmlElement = dom::create("div", "button-row export-row")?;
        dom::append(
            &root,
            &dom::text_element("span", "export-label", lang.text(Key::ExportLabel))?,
        )?;
        let png = Button::new("PNG", "small")?;
        let svg = Button::new("SVG", "small")?;
        png.element.set_id(&format!("{prefix}-export-png"));
        svg.element.set_id(&format!("{prefix}-export-svg"));
        png.element.set_title(lang.text(Key::ExportPngHint));
        svg.element.set_title(lang.text(Key::ExportSvgHint));
        dom::append(&root, &png.element)?;
        dom::append(&root, &svg.element)?;
        Ok(ExportButtons { root, png, svg })
    }

    /// Calls `f` with the format of each press.
    pub fn on_export(
        &self,
        f: impl Fn(ExportFormat) -> WebResult<()> + 'static,
    ) -> WebResult<Vec<Listener>> {
        let f = std::rc::Rc::new(f);
        let g = f.clone();
        Ok(vec![
            self.png.on_click(move || f(ExportFormat::Png))?,
            self.svg.on_click(move || g(ExportFormat::Svg))?,
        ])
    }
}
