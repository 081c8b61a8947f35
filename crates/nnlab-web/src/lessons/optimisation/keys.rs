//! Presenter keys shared by the optimisation lessons, the same as the 2-D
//! descent lesson's: Space plays and pauses, → takes one step, R resets; the
//! 1-D descent lesson adds 1/2/3 for its learning-rate presets. Keys typed
//! into a form field or pressed on a button keep their usual meaning.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, KeyboardEvent};

/// What a presenter's key asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    PlayPause,
    Step,
    Reset,
    /// A digit key 1–9, as the index 0–8.
    Digit(usize),
}

/// The action of a `keydown` event, if it is one of ours.
pub fn presenter_key(event: &Event) -> Option<KeyAction> {
    let key = event.dyn_ref::<KeyboardEvent>()?;
    let in_control = event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|e| {
            matches!(
                e.tag_name().as_str(),
                "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON"
            )
        });
    if in_control || key.ctrl_key() || key.meta_key() || key.alt_key() {
        return None;
    }
    action_of(&key.key())
}

/// The action of a `KeyboardEvent.key` value.
pub fn action_of(key: &str) -> Option<KeyAction> {
    match key {
        " " => Some(KeyAction::PlayPause),
        "ArrowRight" => Some(KeyAction::Step),
        "r" | "R" => Some(KeyAction::Reset),
        _ => {
            let mut chars = key.chars();
            match (chars.next(), chars.next()) {
                (Some(c @ '1'..='9'), None) => Some(KeyAction::Digit(c as usize - '1' as usize)),
                _ => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_map_to_actions() {
        assert_eq!(action_of(" "), Some(KeyAction::PlayPause));
        assert_eq!(action_of("ArrowRight"), Some(KeyAction::Step));
        assert_eq!(action_of("R"), Some(KeyAction::Reset));
        assert_eq!(action_of("1"), Some(KeyAction::Digit(0)));
        assert_eq!(action_of("3"), Some(KeyAction::Digit(2)));
        assert_eq!(action_of("0"), None);
        assert_eq!(action_of("12"), None);
        assert_eq!(action_of("x"), None);
    }
}
