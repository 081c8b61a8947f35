//! The controls every lesson shares, as commands: the app turns keys (and
//! header buttons) into a [`Command`] for the visible lesson, so Space, → and
//! R mean the same thing everywhere and a presenter's clicker just works.

/// Something the reader asks the visible lesson to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Runs or pauses the lesson (Space).
    PlayPause,
    /// One step by hand (pauses a running lesson).
    Step,
    /// Back to the start point.
    Reset,
    /// A prepared scene: 1 for the first, 2 for the second…
    Preset(usize),
}

/// What a key press asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAction {
    /// A command for the visible lesson.
    Lesson(Command),
    /// Large type and high contrast for a projector.
    TogglePresenter,
    /// Shows or hides the menu (presenter mode hides it).
    ToggleMenu,
}

/// The action of `key` (a `KeyboardEvent.key`), if it has one. Keys typed into
/// form fields are the caller's business (they keep their usual meaning).
pub fn key_action(key: &str) -> Option<KeyAction> {
    Some(match key {
        " " => KeyAction::Lesson(Command::PlayPause),
        "ArrowRight" => KeyAction::Lesson(Command::Step),
        "r" | "R" => KeyAction::Lesson(Command::Reset),
        "p" | "P" => KeyAction::TogglePresenter,
        "m" | "M" => KeyAction::ToggleMenu,
        digit if digit.len() == 1 && ("1"..="9").contains(&digit) => {
            KeyAction::Lesson(Command::Preset(digit.parse().ok()?))
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presenter_keys() {
        assert_eq!(key_action(" "), Some(KeyAction::Lesson(Command::PlayPause)));
        assert_eq!(
            key_action("ArrowRight"),
            Some(KeyAction::Lesson(Command::Step))
        );
        assert_eq!(key_action("R"), Some(KeyAction::Lesson(Command::Reset)));
        assert_eq!(key_action("p"), Some(KeyAction::TogglePresenter));
        assert_eq!(key_action("M"), Some(KeyAction::ToggleMenu));
        assert_eq!(key_action("3"), Some(KeyAction::Lesson(Command::Preset(3))));
        assert_eq!(key_action("0"), None);
        assert_eq!(key_action("12"), None);
        assert_eq!(key_action("x"), None);
        assert_eq!(key_action("ArrowLeft"), None);
    }
}
