//! The card shown for a section whose interactive lesson is not built yet:
//! its title, the lecture's key sentence, and a pointer to a lesson that works.

use web_sys::{HtmlAnchorElement, HtmlElement};

use super::{Lesson, LessonId};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::widgets::dom;

pub struct ComingSoon {
    id: LessonId,
}

impl ComingSoon {
    pub fn new(id: LessonId) -> ComingSoon {
        ComingSoon { id }
    }
}

impl Lesson for ComingSoon {
    fn id(&self) -> LessonId {
        self.id
    }

    fn mount(&mut self, root: &HtmlElement, lang: Lang) -> WebResult<()> {
        let card: HtmlElement = dom::create("section", "card coming-soon")?;
        dom::append(
            &card,
            &dom::text_element("span", "badge", lang.text(Key::ComingSoonBadge))?,
        )?;
        dom::append(
            &card,
            &dom::text_element("h2", "lesson-title", lang.text(self.id.title()))?,
        )?;
        let quote: HtmlElement = dom::create("blockquote", "key-sentence")?;
        dom::append(
            &quote,
            &dom::text_element(
                "span",
                "key-sentence-label",
                lang.text(Key::KeySentenceLabel),
            )?,
        )?;
        dom::append(
            &quote,
            &dom::text_element("p", "", lang.text(self.id.key_sentence()))?,
        )?;
        dom::append(&card, &quote)?;
        dom::append(
            &card,
            &dom::text_element("p", "muted", lang.text(Key::ComingSoonBody))?,
        )?;

        let built = LessonId::ALL.into_iter().filter(|id| id.is_built());
        let tries: HtmlElement = dom::create("p", "try-instead")?;
        dom::append(
            &tries,
            &dom::text_element("span", "", lang.text(Key::ComingSoonTry))?,
        )?;
        for id in built {
            let link: HtmlAnchorElement = dom::create("a", "try-link")?;
            link.set_href(&format!("#{}", id.slug()));
            link.set_text_content(Some(lang.text(id.title())));
            dom::append(&tries, &link)?;
        }
        dom::append(&card, &tries)?;
        dom::append(root, &card)
    }

    fn unmount(&mut self) {}

    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        Ok(())
    }

    fn draw(&mut self) -> WebResult<()> {
        Ok(())
    }
}
