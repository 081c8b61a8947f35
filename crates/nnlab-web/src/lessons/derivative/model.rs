//! The derivative lesson's state, free of browser types: the point p on the
//! curve, the small change ε, and the maths the picture shows — the tangent
//! with slope a = f′(p) from the autodiff tape, the secant (finite-difference)
//! slope over ε, and the gap f(p+ε) − (y + a·ε) that vanishes as ε shrinks.

use nnlab::surfaces::{self, Surface};

use crate::lessons::kit::clock::Clock;
use crate::lessons::kit::walk::{Play, Walk};

/// The curve: the lecture's double well, which has slopes of both signs.
pub const SURFACE: &str = "double-well";
/// ε when the lesson opens and after Reset: big enough to see the gap.
pub const EPS_START: f64 = 1.0;
/// The smallest ε the slider and the animation go to.
pub const EPS_MIN: f64 = 1e-3;
/// The largest ε the slider (and a link) may set.
pub const EPS_MAX: f64 = 1.5;
/// Where p starts: at p = −0.5, f′ = 4(−0.125) + 3 + 1 = 3.5 > 0, so
/// downhill is to the left; dragging p past the hump flips the sign.
pub const P_START: f64 = -0.5;
/// Each animation step divides ε by this.
pub const SHRINK: f64 = 2.0;
/// Animation steps per second when the lesson opens.
pub const DEFAULT_SPEED: f64 = 1.5;
/// The slowest speed the slider (and a link) may set, in steps per second.
pub const SPEED_MIN: f64 = 0.25;
/// The fastest speed the slider (and a link) may set.
pub const SPEED_MAX: f64 = 20.0;

/// The state that defines what the lesson shows (what a shared link carries).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    /// The point p on the x axis.
    pub p: f64,
    /// The small change ε_x of x.
    pub eps: f64,
    /// Animation steps per second (each step halves ε).
    pub speed: f64,
}

impl Default for Settings {
    /// What the lesson opens with.
    fn default() -> Settings {
        Settings {
            p: P_START,
            eps: EPS_START,
            speed: DEFAULT_SPEED,
        }
    }
}

/// Everything the picture and the read-outs need at the current p and ε.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tangent {
    /// The point on the x axis.
    pub p: f64,
    /// y = f(p).
    pub y: f64,
    /// a = f′(p), from the autodiff tape.
    pub slope: f64,
    /// ε: how far right of p the curve and the linear guess are compared.
    pub eps: f64,
    /// f(p + ε): where the curve really is.
    pub curve_at: f64,
    /// y + a·ε: the linear guess.
    pub linear_at: f64,
}

impl Tangent {
    /// The finite-difference estimate of the slope: (f(p+ε) − f(p)) / ε,
    /// the slope of the secant, which tends to a as ε → 0.
    pub fn secant_slope(&self) -> f64 {
        (self.curve_at - self.y) / self.eps
    }

    /// f(p+ε) − (y + a·ε): how far the linear guess is off (about ½·f″(p)·ε²).
    pub fn gap(&self) -> f64 {
        self.curve_at - self.linear_at
    }
}

/// Whether ε is shrinking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// ε stays as it is.
    Paused,
    /// ε is shrinking, one halving per step.
    Shrinking,
}

/// The derivative lesson's state: the curve, p and ε, and the shrinking animation.
pub struct Model {
    surface: Surface,
    settings: Settings,
    clock: Clock,
    phase: Phase,
    revision: u64,
    controls_revision: u64,
}

impl Model {
    /// Opens on the lecture's curve with p at [`P_START`].
    pub fn new() -> nnlab::Result<Model> {
        Ok(Model {
            surface: surfaces::by_name(SURFACE)?,
            settings: Settings::default(),
            clock: Clock::new(DEFAULT_SPEED),
            phase: Phase::Paused,
            revision: 0,
            controls_revision: 0,
        })
    }

    /// The curve.
    pub fn surface(&self) -> &Surface {
        &self.surface
    }
    /// What a link carries.
    pub fn settings(&self) -> Settings {
        self.settings
    }
    /// Whether ε is shrinking.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Bumped on every change the picture shows.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when code (not the user's hand) changes a control's value.
    pub fn controls_revision(&self) -> u64 {
        self.controls_revision
    }

    /// Restores saved settings (checked like user input).
    pub fn apply(&mut self, settings: Settings) -> nnlab::Result<()> {
        self.set_p(settings.p)?;
        self.set_eps(settings.eps)?;
        self.set_speed(settings.speed);
        self.controls_revision += 1;
        Ok(())
    }

    /// The tangent and the secant at the current p and ε.
    pub fn tangent(&self) -> Tangent {
        tangent(&self.surface, self.settings.p, self.settings.eps)
    }

    /// Moves p (a drag on the curve), kept inside the picture.
    pub fn set_p(&mut self, p: f64) -> nnlab::Result<()> {
        self.surface.check_point(&[p])?;
        let (lo, hi) = self.surface.view.x;
        self.settings.p = p.clamp(lo, hi);
        self.revision += 1;
        Ok(())
    }

    /// A new ε, refused outside [`EPS_MIN`]..=[`EPS_MAX`].
    pub fn set_eps(&mut self, eps: f64) -> nnlab::Result<()> {
        if !(EPS_MIN..=EPS_MAX).contains(&eps) {
            return Err(nnlab::Error::OutOfRange {
                what: "ε",
                detail: format!("between {EPS_MIN} and {EPS_MAX}, got {eps}"),
            });
        }
        self.settings.eps = eps;
        self.revision += 1;
        Ok(())
    }

    /// Halvings of ε per second (clamped to ≥ 0).
    pub fn set_speed(&mut self, speed: f64) {
        self.clock.set_speed(speed);
        self.settings.speed = self.clock.speed;
    }
}

/// The tangent of `surface` (1-D) at `p` and the change over `eps`.
pub fn tangent(surface: &Surface, p: f64, eps: f64) -> Tangent {
    let (y, grad) = surface.value_and_grad(&[p]);
    let slope = grad[0];
    Tangent {
        p,
        y,
        slope,
        eps,
        curve_at: surface.value(&[p + eps]),
        linear_at: y + slope * eps,
    }
}

/// Each step halves ε; the walk has ended when ε is as small as it goes.
impl Walk for Model {
    const STEPS_PER_FRAME: usize = 4;

    fn play(&self) -> Play {
        match self.phase {
            Phase::Shrinking => Play::Running,
            Phase::Paused if self.settings.eps <= EPS_MIN => Play::Finished,
            Phase::Paused => Play::Paused,
        }
    }

    fn set_running(&mut self, running: bool) {
        self.phase = if running {
            Phase::Shrinking
        } else {
            Phase::Paused
        };
    }

    fn clock(&mut self) -> &mut Clock {
        &mut self.clock
    }

    /// Halves ε `n` times, down to [`EPS_MIN`].
    fn advance(&mut self, n: usize) {
        for _ in 0..n {
            self.settings.eps = (self.settings.eps / SHRINK).max(EPS_MIN);
            if self.settings.eps <= EPS_MIN {
                self.phase = Phase::Paused;
            }
            self.controls_revision += 1;
            self.revision += 1;
        }
    }

    /// R puts ε back to [`EPS_START`] (p stays where the student put it).
    fn rewind(&mut self) -> nnlab::Result<()> {
        self.settings.eps = EPS_START;
        self.clock.restart();
        self.controls_revision += 1;
        self.revision += 1;
        Ok(())
    }

    fn changed(&mut self) {
        self.revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::Command;
    use crate::lessons::LessonModel;

    fn curve() -> Surface {
        surfaces::by_name(SURFACE).unwrap()
    }

    #[test]
    fn the_tangent_slope_is_the_derivative() {
        // f = x⁴ − 3x² + x, f′ = 4x³ − 6x + 1. At p = 0.5: 0.5 − 3 + 1 = −1.5; f(0.5) = 0.0625 − 0.75 + 0.5 = −0.1875.
        let t = tangent(&curve(), 0.5, 0.1);
        assert!((t.slope - -1.5).abs() < 1e-12, "{}", t.slope);
        assert!((t.y - -0.1875).abs() < 1e-12);
        // At p = −0.5: −0.5 + 3 + 1 = 3.5 (uphill to the right, so downhill is left).
        assert!((tangent(&curve(), -0.5, 0.1).slope - 3.5).abs() < 1e-12);
    }

    #[test]
    fn the_gap_shrinks_like_eps_squared_and_the_secant_tends_to_the_slope() {
        // p = 0.5, ε = 0.1: f(0.6) = 0.1296 − 1.08 + 0.6 = −0.3504;
        // linear guess −0.1875 + (−1.5)(0.1) = −0.3375; gap = −0.0129.
        let t = tangent(&curve(), 0.5, 0.1);
        assert!((t.curve_at - -0.3504).abs() < 1e-12);
        assert!((t.gap() - -0.0129).abs() < 1e-12, "{}", t.gap());
        // Secant slope = −0.1629 / 0.1 = −1.629.
        assert!((t.secant_slope() - -1.629).abs() < 1e-9);
        // ε = 0.001: gap ≈ ½f″ε² = ½(12·0.25 − 6)(1e-6) = −1.5e-6 (next term 4p·ε³ = 2e-9).
        let small = tangent(&curve(), 0.5, 1e-3);
        assert!((small.gap() - -1.498e-6).abs() < 1e-8, "{}", small.gap());
        assert!((small.secant_slope() - -1.5).abs() < 2e-3);
    }

    #[test]
    fn playing_halves_eps_until_the_floor() {
        let mut m = Model::new().unwrap();
        m.set_speed(10.0);
        m.toggle_play().unwrap();
        // 10 steps/s for 100 ms = 1 step: ε 1 → 0.5.
        m.tick(100.0).unwrap();
        assert_eq!(m.settings().eps, 0.5);
        // 1 / 2¹⁰ < 0.001: after at most ten halvings ε sits at the floor and the animation stops.
        for _ in 0..20 {
            m.tick(100.0).unwrap();
        }
        assert_eq!(m.settings().eps, EPS_MIN);
        assert_eq!(m.phase(), Phase::Paused);
        // Playing again starts from ε = 1.
        m.toggle_play().unwrap();
        assert_eq!(m.settings().eps, EPS_START);
        m.rewind().unwrap();
        assert_eq!(m.settings().eps, EPS_START);
    }

    #[test]
    fn shared_keys_toggle_once_and_step() {
        let mut m = Model::new().unwrap();
        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.phase(), Phase::Shrinking);
        m.command(Command::PlayPause).unwrap();
        assert_eq!(m.phase(), Phase::Paused);
        m.command(Command::Step).unwrap();
        assert_eq!(m.settings().eps, 0.5);
        m.command(Command::Preset(1)).unwrap();
        assert_eq!(m.settings().eps, 0.5);
        m.command(Command::Reset).unwrap();
        assert_eq!(m.settings().eps, EPS_START);
    }

    #[test]
    fn bad_input_is_refused_and_p_stays_in_view() {
        let mut m = Model::new().unwrap();
        assert!(m.set_p(f64::NAN).is_err());
        assert!(m.set_eps(0.0).is_err());
        assert!(m.set_eps(f64::INFINITY).is_err());
        m.set_p(7.0).unwrap();
        assert_eq!(m.settings().p, 2.0);
        m.step_once();
        assert_eq!(m.settings().eps, 0.5);
    }
}
