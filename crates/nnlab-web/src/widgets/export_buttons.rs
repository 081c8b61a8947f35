//! "Save PNG" and "Save SVG": the current figure for slides (see [`crate::export`]).

use web_sys::HtmlElement;

use super::{dom, Button, Listener};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};

/// Which file the reader asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// A PNG image.
    Png,
    /// An SVG document.
    Svg,
}

/// "Export PNG" and "Export SVG" buttons in a row.
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
    #[inline(always)]
    pub fn on_export(
        &self,
        f: impl Fn(ExportFormat) -> WebResult<()> + 'static,
    ) -> WebResult<Vec<Listener>> {
        Ok(self.on_export_boxed(std::rc::Rc::new(f)))
    }

    /// The body of [`ExportButtons::on_export`], compiled once.
    fn on_export_boxed(
        &self,
        f: std::rc::Rc<dyn Fn(ExportFormat) -> WebResult<()>>,
    ) -> Vec<Listener> {
        let g = f.clone();
        vec![
            self.png
                .on_click_boxed(Box::new(move || f(ExportFormat::Png))),
            self.svg
                .on_click_boxed(Box::new(move || g(ExportFormat::Svg))),
        ]
    }
}
