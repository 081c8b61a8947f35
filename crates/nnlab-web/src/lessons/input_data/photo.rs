//! The input-data lesson's part of "your own photo": after the centre
//! square and its 32×32, the R, G and B planes and the 3072 numbers the
//! network would read — the same steps as for a CIFAR-10 image above. No
//! network here: a link leads to live training, where one classifies it.

use web_sys::{HtmlAnchorElement, HtmlElement};

use super::model::{Position, PLANE, SIDE};
use crate::draw::{context_2d, palette};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::own_photo::PhotoCard;
use crate::lessons::kit::pictures;
use crate::widgets::{dom, HiDpiCanvas};

const PLANE_KEYS: [Key; 3] = [Key::VecPlaneR, Key::VecPlaneG, Key::VecPlaneB];
/// Height of the plane names above the planes, CSS pixels.
const LABEL: f64 = 18.0;
/// Gap between two planes, CSS pixels.
const GAP: f64 = 8.0;

/// The photo card with the planes and the numbers.
pub struct InputPhoto {
    lang: Lang,
    card: PhotoCard,
    planes: HiDpiCanvas,
    numbers: HtmlElement,
}

impl InputPhoto {
    /// Builds the card at the end of `parent`.
    pub fn mount(parent: &HtmlElement, lang: Lang) -> WebResult<InputPhoto> {
        let t = |key| lang.text(key);
        let card = PhotoCard::mount(parent, lang, "input", Key::PhotoInputExplain)?;
        dom::add_text(&card.figures, "span", "photo-arrow", "→")?;
        let figure: HtmlElement = dom::add(&card.figures, "figure", "photo-figure")?;
        let planes = HiDpiCanvas::picture(
            "photo-planes-canvas",
            "input-photo-planes",
            t(Key::PhotoPlanesCaption),
        )?;
        dom::append(&figure, &planes.element)?;
        dom::add_text(&figure, "figcaption", "", t(Key::PhotoPlanesCaption))?;
        let numbers = dom::add_text(&card.extra, "p", "photo-numbers", "")?;
        numbers.set_id("input-photo-numbers");
        let link: HtmlAnchorElement = dom::add(&card.extra, "a", "photo-go-live")?;
        link.set_href("#live-training");
        link.set_text_content(Some(t(Key::PhotoGoLive)));
        Ok(InputPhoto {
            lang,
            card,
            planes,
            numbers,
        })
    }

    /// Redraws when the photo or the width changed.
    pub fn catch_up(&mut self) -> WebResult<()> {
        let (photo, redrawn) = self.card.catch_up()?;
        let Some((_, photo)) = photo.filter(|_| redrawn) else {
            return Ok(());
        };
        let bytes = &photo.planes;
        self.draw_planes(bytes)?;
        let entry = |index: usize| {
            let byte = bytes[index];
            (byte.to_string(), format!("{:.3}", f32::from(byte) / 255.0))
        };
        let last = Position {
            channel: 2,
            row: SIDE - 1,
            column: SIDE - 1,
        }
        .index();
        let [r, g, b, z] = [0, PLANE, 2 * PLANE, last].map(entry);
        let text = self.lang.fill(
            Key::PhotoNumbers,
            &[
                ("r", &r.0),
                ("rv", &r.1),
                ("g", &g.0),
                ("gv", &g.1),
                ("b", &b.0),
                ("bv", &b.1),
                ("last", &z.0),
                ("lastv", &z.1),
            ],
        );
        dom::set_text_if_changed(&self.numbers, &text);
        Ok(())
    }

    /// The three planes side by side, each in its own colour, named above.
    fn draw_planes(&mut self, bytes: &[u8]) -> WebResult<()> {
        // Smaller than the 32×32 picture: three of them follow it on the row.
        let side = if self.card.side() >= 150 { 96.0 } else { 64.0 };
        let width = 3.0 * side + 2.0 * GAP;
        self.planes.resize(width as u32, (side + LABEL) as u32)?;
        let dpr = self.planes.device_pixel_ratio();
        let context = context_2d(&self.planes.element)?;
        context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
        let (w, h) = (self.planes.element.width(), self.planes.element.height());
        context.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
        let scale = ((side * dpr) / SIDE as f64).floor().max(1.0) as usize;
        for (channel, plane) in bytes.chunks_exact(PLANE).enumerate() {
            let mut rgba = Vec::with_capacity(PLANE * 4);
            for &b in plane {
                let mut px = [0, 0, 0, 255];
                px[channel] = b;
                rgba.extend_from_slice(&px);
            }
            let x = channel as f64 * (side + GAP) * dpr;
            pictures::blit(&context, &rgba, SIDE, SIDE, scale, (x, LABEL * dpr))?;
        }
        context.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
        context.set_font("12px system-ui, sans-serif");
        context.set_fill_style_str(palette::current().ink);
        context.set_text_align("left");
        for (channel, key) in PLANE_KEYS.iter().enumerate() {
            let x = channel as f64 * (side + GAP);
            context.fill_text(self.lang.text(*key), x, LABEL - 5.0)?;
        }
        Ok(())
    }
}
