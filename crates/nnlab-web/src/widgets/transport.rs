//! The controls every animated lesson shares: Play/Pause, Step, Reset and a
//! speed slider from slow motion (1 step/s) to fast (3000 steps/s). The
//! buttons send the same [`Command`]s as the keys Space, → and R.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlElement;

use super::{dom, Button, Handler, Listener, Scale, Slider};
use crate::commands::Command;
use crate::error::WebResult;
use crate::i18n::{Key, Lang};

/// Speeds offered, in steps per second (logarithmic: each decade gets the same track length).
pub const SPEED_SCALE: Scale = Scale::log(1.0, 3000.0);

/// Play/Pause, Step and Reset in a row, sending the same [`Command`]s as
/// the keys. Lessons with their own speed range (the optimisation lessons)
/// use these alone; the others use the whole [`Transport`].
pub struct TransportButtons {
    /// The row; insert it into the page.
    pub row: HtmlElement,
    /// Play/Pause.
    pub play: Button,
    /// One step.
    pub step: Button,
    /// Back to the start.
    pub reset: Button,
    lang: Lang,
}

impl TransportButtons {
    /// Buttons get ids `<prefix>-play`, `<prefix>-step`, `<prefix>-reset`.
    pub fn new(lang: Lang, prefix: &str) -> WebResult<TransportButtons> {
        let t = |key| lang.text(key);
        let row: HtmlElement = dom::create("div", "button-row")?;
        let play = Button::new(t(Key::Play), "primary")?;
        let step = Button::new(t(Key::Step), "")?;
        let reset = Button::new(t(Key::Reset), "")?;
        for (button, name) in [(&play, "play"), (&step, "step"), (&reset, "reset")] {
            button.element.set_id(&format!("{prefix}-{name}"));
            dom::append(&row, &button.element)?;
        }
        Ok(TransportButtons {
            row,
            play,
            step,
            reset,
            lang,
        })
    }

    /// The play button says what it will do: Play, or Pause while playing.
    pub fn show_playing(&self, playing: bool) {
        self.play
            .set_label(self.lang.text(if playing { Key::Pause } else { Key::Play }));
    }

    /// Calls `f` with the command of each button press.
    #[inline(always)]
    pub fn on_command(
        &self,
        f: impl FnMut(Command) -> WebResult<()> + 'static,
    ) -> WebResult<Vec<Listener>> {
        Ok(self.on_command_boxed(Box::new(f)))
    }

    /// The body of [`TransportButtons::on_command`], compiled once (see [`Handler`]).
    fn on_command_boxed(&self, f: Handler<Command>) -> Vec<Listener> {
        let f = Rc::new(RefCell::new(f));
        let mut listeners = Vec::new();
        for (button, command) in [
            (&self.play, Command::PlayPause),
            (&self.step, Command::Step),
            (&self.reset, Command::Reset),
        ] {
            let f = f.clone();
            listeners.push(button.on_click_boxed(Box::new(move || (f.borrow_mut())(command))));
        }
        listeners
    }
}

/// The buttons and a speed slider (by default from slow motion, 1 step/s, to fast, 3000 steps/s).
pub struct Transport {
    /// The speed slider and the button row; insert both into the page.
    pub speed: Slider,
    /// Play/Pause, Step and Reset.
    pub buttons: TransportButtons,
}

impl Transport {
    /// Elements get ids `<prefix>-play`, `<prefix>-step`, `<prefix>-reset`, `<prefix>-speed`;
    /// `unit` names what the speed counts (e.g. [`Key::SpeedUnit`], steps/s),
    /// `scale` the speeds offered (e.g. [`SPEED_SCALE`]).
    pub fn new(
        lang: Lang,
        prefix: &str,
        speed: f64,
        unit: Key,
        scale: Scale,
    ) -> WebResult<Transport> {
        let caption = lang.text(Key::SpeedLabel);
        let speed = Slider::new(caption, lang.text(unit), scale, speed, format_speed)?;
        speed.root.set_id(&format!("{prefix}-speed"));
        Ok(Transport {
            speed,
            buttons: TransportButtons::new(lang, prefix)?,
        })
    }

    /// See [`TransportButtons::show_playing`].
    pub fn show_playing(&self, playing: bool) {
        self.buttons.show_playing(playing);
    }

    /// See [`TransportButtons::on_command`].
    #[inline(always)]
    pub fn on_command(
        &self,
        f: impl FnMut(Command) -> WebResult<()> + 'static,
    ) -> WebResult<Vec<Listener>> {
        self.buttons.on_command(f)
    }
}

/// A speed as the slider's number: whole from 10 up, to hundredths below
/// ("2.5", "0.25": slow motion is where the digits matter).
pub fn format_speed(v: f64) -> String {
    let rounded = if v >= 9.95 {
        v.round()
    } else {
        (v * 100.0).round() / 100.0
    };
    format!("{rounded}")
}
