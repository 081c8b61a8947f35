//! The lessons that walk step by step — the derivative's shrinking ε, the
//! gradient's steps, SGD and local minima, the 2-D race, momentum's code —
//! mean the same by the shared keys and by time passing: Space plays and
//! pauses (playing a walk that has ended starts it again), → takes one step,
//! R goes back to the start, a digit picks a prepared scene, and while it
//! plays the clock says how many steps each frame takes. A lesson says how it
//! walks ([`Walk`]); this module does the rest, once, for all of them.

use super::clock::Clock;
use crate::commands::Command;
use crate::error::WebResult;
use crate::lessons::{LessonModel, Playback};

/// Where a walk is, as the shared keys see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Play {
    /// At the start, not yet walking.
    Ready,
    /// Walking at the clock's speed.
    Running,
    /// Stopped by the student; → and Space go on.
    Paused,
    /// The walk is over (converged, diverged, out of steps); Space starts it again.
    Finished,
}

impl Play {
    /// Running, or paused.
    pub fn running(running: bool) -> Play {
        if running {
            Play::Running
        } else {
            Play::Paused
        }
    }
}

/// A lesson model that walks step by step; it is then a [`LessonModel`].
pub trait Walk: 'static {
    /// The most steps one frame takes, so that a frame stays short at any speed.
    const STEPS_PER_FRAME: usize;

    /// Where the walk is now.
    fn play(&self) -> Play;

    /// Walks on (`true`) or pauses. Called only while the walk has not ended.
    fn set_running(&mut self, running: bool);

    /// The clock that turns time into steps.
    fn clock(&mut self) -> &mut Clock;

    /// Takes up to `n` steps; when the walk ends, [`Walk::play`] says so.
    fn advance(&mut self, n: usize);

    /// Back to the start (R); a walk that was running goes on running.
    fn rewind(&mut self) -> nnlab::Result<()>;

    /// Something the page shows has changed.
    fn changed(&mut self);

    /// The prepared scene of digit key `n`, if the lesson has one.
    fn preset(&mut self, _n: usize) -> nnlab::Result<()> {
        Ok(())
    }

    /// Whether there is anything to walk (a race nobody takes part in has not).
    fn can_walk(&self) -> bool {
        true
    }

    /// Play ↔ pause; playing a walk that has ended starts it again.
    fn toggle_play(&mut self) -> nnlab::Result<()> {
        if !self.can_walk() {
            return Ok(());
        }
        match self.play() {
            Play::Running => self.set_running(false),
            Play::Ready | Play::Paused => self.set_running(true),
            Play::Finished => {
                self.rewind()?;
                self.set_running(true);
            }
        }
        self.clock().restart();
        self.changed();
        Ok(())
    }

    /// One step by hand (a running walk pauses first).
    fn step_once(&mut self) {
        if self.play() == Play::Finished || !self.can_walk() {
            return;
        }
        self.set_running(false);
        self.advance(1);
    }
}

impl<W: Walk> LessonModel for W {
    fn tick(&mut self, dt_ms: f64) -> WebResult<()> {
        if self.play() == Play::Running {
            let steps = self.clock().due(dt_ms, W::STEPS_PER_FRAME);
            if steps > 0 {
                self.advance(steps);
            }
        }
        Ok(())
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::PlayPause => self.toggle_play()?,
            Command::Step => self.step_once(),
            Command::Reset => self.rewind()?,
            Command::Preset(n) => self.preset(n)?,
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        Playback::full(self.play() == Play::Running)
    }
}
