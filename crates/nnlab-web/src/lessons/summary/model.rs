//! The summary's content: the lecture's lessons, read from the one table and
//! grouped by part, without the summary itself. It has no state of its own:
//! nothing moves, and no link needs more than `#summary`.

use crate::lessons::table::{LessonId, Part};
use crate::lessons::{LessonModel, LinkState};

/// The summary has no state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Model;

/// Nothing plays, steps or resets.
impl LessonModel for Model {}

/// Nothing to share beyond the lesson's name.
impl LinkState for Model {}

/// Every lesson of the menu but `this` one, grouped by part in menu order.
pub fn lecture_map(this: LessonId) -> Vec<(Part, Vec<LessonId>)> {
    let mut map: Vec<(Part, Vec<LessonId>)> = Vec::new();
    for id in LessonId::all().filter(|&id| id != this) {
        let part = id.row().part;
        match map.last_mut() {
            Some((last, ids)) if *last == part => ids.push(id),
            _ => map.push((part, vec![id])),
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_lists_every_other_lesson_once_in_menu_order() {
        let this = LessonId::from_slug("summary").expect("the summary is in the table");
        let map = lecture_map(this);
        let listed: Vec<LessonId> = map.iter().flat_map(|(_, ids)| ids.clone()).collect();
        let expected: Vec<LessonId> = LessonId::all().filter(|&id| id != this).collect();
        assert_eq!(listed, expected);
        assert_eq!(
            map.iter().map(|(part, _)| *part).collect::<Vec<_>>(),
            vec![Part::Overview, Part::FirstLook]
        );
        assert_eq!(map[0].1[0].slug(), "what-is-dl");
    }
}
