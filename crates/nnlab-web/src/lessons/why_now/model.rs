//! The state of the "why now" lesson: which decade of the lecture's table is
//! chosen, and the measurement of this browser's speed. Space measures (or
//! measures again), R forgets the measurement, digits 1–6 choose a decade
//! (1 = 1970), → the next one.

use super::decades::{self, Equivalent, DECADES};
use super::meter::{self, Meter, Phase};
use crate::commands::Command;
use crate::error::WebResult;
use crate::lessons::{LessonModel, Playback};

/// The chosen decade and the measurement.
pub struct Model {
    decade: usize,
    meter: Meter,
    revision: u64,
}

impl Default for Model {
    /// 2010, the decade after which deep learning took off.
    fn default() -> Model {
        Model {
            decade: 4,
            meter: Meter::new(),
            revision: 0,
        }
    }
}

impl Model {
    /// The chosen column of the table (0 = 1970).
    pub fn decade(&self) -> usize {
        self.decade
    }

    /// Chooses column `decade` (ignored past 2020).
    pub fn choose(&mut self, decade: usize) {
        if decade < DECADES.len() && decade != self.decade {
            self.decade = decade;
            self.revision += 1;
        }
    }

    /// Measures this browser's speed (again).
    pub fn measure(&mut self) {
        self.meter.start();
        self.revision += 1;
    }

    /// Forgets the measurement.
    pub fn reset(&mut self) {
        self.meter.reset();
        self.revision += 1;
    }

    /// The meter, for the page to show its progress and result.
    pub fn meter(&self) -> &Meter {
        &self.meter
    }

    /// Where the measured speed falls among the decades, once measured.
    pub fn equivalent(&self) -> Option<Equivalent> {
        if self.meter.phase() != Phase::Done {
            return None;
        }
        self.meter.flops_per_second().and_then(decades::equivalent)
    }

    /// Bumps on every change the page shows (each slice of the measurement too).
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

impl LessonModel for Model {
    /// While measuring, one slice of products per frame.
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        if self.meter.phase() == Phase::Running {
            self.meter.run_slice(&mut meter::now_ms);
            self.revision += 1;
        }
        Ok(())
    }

    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::PlayPause => {
                if self.meter.phase() != Phase::Running {
                    self.measure();
                }
            }
            Command::Reset => self.reset(),
            Command::Preset(n) => self.choose(n.saturating_sub(1)),
            Command::Step => self.choose((self.decade + 1) % DECADES.len()),
        }
        Ok(())
    }

    /// Space measures (a measurement is not something to pause, so the
    /// lesson does not "play"), → chooses the next decade, R forgets the
    /// measurement.
    fn playback(&self) -> Playback {
        Playback {
            playing: None,
            steps: true,
            resets: true,
        }
    }

    /// A measurement left half done starts over next time.
    fn hidden(&mut self) {
        if self.meter.phase() == Phase::Running {
            self.reset();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_choose_decades_and_measure() {
        let mut m = Model::default();
        assert_eq!(DECADES[m.decade()], 2010);
        m.command(Command::Preset(1)).unwrap();
        assert_eq!(DECADES[m.decade()], 1970);
        m.command(Command::Preset(7)).unwrap();
        assert_eq!(DECADES[m.decade()], 1970, "no seventh decade");
        m.command(Command::Preset(6)).unwrap();
        m.command(Command::Step).unwrap();
        assert_eq!(DECADES[m.decade()], 1970, "→ wraps around");

        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.meter().phase(), Phase::Running);
        assert_eq!(m.equivalent(), None, "not done yet");
        // Space while measuring does not start over.
        let before = m.meter().products();
        m.tick(16.0).unwrap();
        assert!(m.meter().products() > before);
        m.command(Command::PlayPause).unwrap();
        assert!(m.meter().products() > 0);
        while m.meter().phase() == Phase::Running {
            m.tick(16.0).unwrap();
        }
        let e = m.equivalent().expect("a measured speed has a decade");
        assert!((1970.0..=2020.0).contains(&e.year));
        m.command(Command::Reset).unwrap();
        assert_eq!(m.equivalent(), None);
    }

    #[test]
    fn leaving_mid_measurement_starts_over() {
        let mut m = Model::default();
        m.measure();
        m.tick(16.0).unwrap();
        m.hidden();
        assert_eq!(m.meter().phase(), Phase::Idle);
    }
}
