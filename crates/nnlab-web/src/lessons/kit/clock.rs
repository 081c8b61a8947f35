//! Turns wall-clock time into a whole number of steps at a chosen speed, so a
//! lesson plays at the same pace on a 60 Hz laptop and a 144 Hz projector.

/// Steps per second with the fraction of a step owed from earlier frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    /// Steps per second (≥ 0).
    pub speed: f64,
    carry: f64,
}

impl Clock {
    /// A clock at `speed` steps per second (negative means 0).
    pub fn new(speed: f64) -> Clock {
        Clock {
            speed: speed.max(0.0),
            carry: 0.0,
        }
    }

    /// A new speed (negative or not finite means 0); the owed fraction is kept.
    pub fn set_speed(&mut self, speed: f64) {
        self.speed = if speed.is_finite() {
            speed.max(0.0)
        } else {
            0.0
        };
    }

    /// Forgets the owed fraction (after a pause or a reset).
    pub fn restart(&mut self) {
        self.carry = 0.0;
    }

    /// The whole steps `dt_ms` of wall-clock time is worth, at most `cap`
    /// (a frame's work stays bounded); the fraction left is carried over.
    pub fn due(&mut self, dt_ms: f64, cap: usize) -> usize {
        self.carry += self.speed * dt_ms.max(0.0) / 1000.0;
        let steps = (self.carry.floor() as usize).min(cap);
        self.carry = (self.carry - steps as f64).min(1.0);
        steps
    }
}

/// A frame's share of work: lessons that compute in the page (training a
/// small network, drawing weight statistics) stop once it is spent, so the
/// page keeps its frame rate. Wall-clock milliseconds from the browser on
/// the web, from the OS in native tests.
pub struct Budget {
    start: f64,
    ms: f64,
}

impl Budget {
    /// `ms` milliseconds from now.
    pub fn start(ms: f64) -> Budget {
        Budget {
            start: now_ms(),
            ms,
        }
    }

    /// Milliseconds spent so far.
    pub fn elapsed(&self) -> f64 {
        now_ms() - self.start
    }

    /// Whether the share is used up.
    pub fn spent(&self) -> bool {
        self.elapsed() > self.ms
    }
}

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_whole_steps_and_carries_the_rest() {
        // 4 steps/s: 300 ms = 1.2 steps → 1 now, 0.2 carried; 200 ms more = 0.8 + 0.2 = 1.0 → 1.
        let mut c = Clock::new(4.0);
        assert_eq!(c.due(300.0, 100), 1);
        assert_eq!(c.due(200.0, 100), 1);
        assert_eq!(c.due(100.0, 100), 0);
        // A huge frame is capped.
        assert_eq!(c.due(1e6, 7), 7);
        c.set_speed(f64::NAN);
        c.restart();
        assert_eq!(c.due(1000.0, 100), 0);
    }
}
