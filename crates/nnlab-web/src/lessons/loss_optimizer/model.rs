//! The loss lesson's state, free of browser types: ten logits (one per
//! CIFAR-10 class), the true class, and what the core computes from them —
//! the softmax probabilities, the cross-entropy loss `−ln p_true` and its
//! gradient `∂loss/∂logits = p − onehot`, read from the autodiff graph's
//! backward pass (the same code that trains the networks).

use std::ops::RangeInclusive;

use nnlab::autodiff::graph::Graph;
use nnlab::loss::{log_sum_exp, softmax_cross_entropy};
use nnlab::tensor::Tensor;

use crate::commands::Command;
use crate::error::WebResult;
use crate::lessons::LinkState;
use crate::lessons::{LessonModel, Playback};
use crate::url_state::{format_list, parse_list, Notice, Problem, Query, QueryReader};

/// CIFAR-10 has ten classes.
pub const CLASSES: usize = 10;

/// How far a bar may be dragged. ±12 is enough for p ≈ 1 − 1e-9 against nine
/// zeros, and keeps the picture readable.
pub const LOGIT_RANGE: RangeInclusive<f64> = -12.0..=12.0;

/// The class the presets call "the truth": 3, a cat.
pub const CAT: usize = 3;
/// The class the presets confuse it with: 5, a dog.
pub const DOG: usize = 5;

/// Prepared scenes, on the digit keys 1–4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Cat 6, dog 2, the rest 0, truth cat: p_cat ≈ 0.963, loss ≈ 0.037.
    ConfidentRight,
    /// All logits 0 — an untrained network: every p = 0.1, loss = ln 10 ≈ 2.303.
    Uniform,
    /// Cat 1.5, the rest 0: argmax is right (accuracy 100 %) but p_cat ≈ 0.33, loss ≈ 1.10.
    RightButUnsure,
    /// Dog 6, the rest 0, truth cat: p_cat ≈ 0.0024, loss ≈ 6.02.
    ConfidentWrong,
}

impl Preset {
    /// The presets in key order: 1 is `ALL[0]`.
    pub const ALL: [Preset; 4] = [
        Preset::ConfidentRight,
        Preset::Uniform,
        Preset::RightButUnsure,
        Preset::ConfidentWrong,
    ];

    /// Preset `number` (1-based, as on the keys).
    pub fn by_number(number: usize) -> Option<Preset> {
        number
            .checked_sub(1)
            .and_then(|i| Preset::ALL.get(i).copied())
    }

    /// The logits and the true class of this scene.
    pub fn scene(self) -> ([f32; CLASSES], usize) {
        let mut z = [0.0f32; CLASSES];
        match self {
            Preset::ConfidentRight => {
                z[CAT] = 6.0;
                z[DOG] = 2.0;
            }
            Preset::Uniform => {}
            Preset::RightButUnsure => z[CAT] = 1.5,
            Preset::ConfidentWrong => z[DOG] = 6.0,
        }
        (z, CAT)
    }

    /// Its name in links (`preset=` is not a key; presets write their logits).
    pub fn slug(self) -> &'static str {
        match self {
            Preset::ConfidentRight => "right",
            Preset::Uniform => "uniform",
            Preset::RightButUnsure => "unsure",
            Preset::ConfidentWrong => "wrong",
        }
    }
}

/// What the core computes from the logits and the true class.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    /// softmax(z): positive, summing to 1.
    pub probs: [f32; CLASSES],
    /// −ln p_true, from the autodiff graph's forward pass.
    pub loss: f32,
    /// ∂loss/∂z from the graph's backward pass: p − onehot(true).
    pub grad: [f32; CLASSES],
    /// argmax z (the first on ties): what accuracy counts.
    pub predicted: usize,
}

/// The loss lesson's state: the logits, the true class and what the core computes from them.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    logits: [f32; CLASSES],
    truth: usize,
    derived: Derived,
    revision: u64,
}

impl Default for Model {
    fn default() -> Model {
        Model::new()
    }
}

impl Model {
    /// Starts at the untrained network: all logits 0, the truth a cat.
    pub fn new() -> Model {
        let (logits, truth) = Preset::Uniform.scene();
        Model {
            derived: derive(&logits, truth),
            logits,
            truth,
            revision: 0,
        }
    }

    /// The ten logits.
    pub fn logits(&self) -> &[f32; CLASSES] {
        &self.logits
    }

    /// The true class.
    pub fn truth(&self) -> usize {
        self.truth
    }

    /// The probabilities, loss and gradient the core computed.
    pub fn derived(&self) -> &Derived {
        &self.derived
    }

    /// Changes whenever anything shown changes.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Sets logit `class` (clamped to [`LOGIT_RANGE`]); non-finite values and
    /// unknown classes are errors the page shows.
    pub fn set_logit(&mut self, class: usize, value: f64) -> nnlab::Result<()> {
        check_class(class)?;
        if !value.is_finite() {
            return Err(nnlab::Error::NotFinite {
                what: "logit",
                value,
            });
        }
        let v = value.clamp(*LOGIT_RANGE.start(), *LOGIT_RANGE.end()) as f32;
        if self.logits[class] != v {
            self.logits[class] = v;
            self.refresh();
        }
        Ok(())
    }

    /// A new true class; unknown classes are errors the page shows.
    pub fn set_truth(&mut self, class: usize) -> nnlab::Result<()> {
        check_class(class)?;
        if self.truth != class {
            self.truth = class;
            self.refresh();
        }
        Ok(())
    }

    /// The preset's logits and true class.
    pub fn apply_preset(&mut self, preset: Preset) {
        let (logits, truth) = preset.scene();
        self.logits = logits;
        self.truth = truth;
        self.refresh();
    }

    /// The preset whose scene is showing, if any.
    pub fn current_preset(&self) -> Option<Preset> {
        Preset::ALL
            .into_iter()
            .find(|p| p.scene() == (self.logits, self.truth))
    }

    fn refresh(&mut self) {
        self.derived = derive(&self.logits, self.truth);
        self.revision += 1;
    }
}

/// Ten comma-separated logits, each in [`LOGIT_RANGE`].
fn parse_logits(text: &str) -> Result<[f32; CLASSES], Problem> {
    let z = parse_list(text, &[LOGIT_RANGE; CLASSES])?;
    Ok(std::array::from_fn(|i| z[i] as f32))
}

fn check_class(class: usize) -> nnlab::Result<()> {
    if class < CLASSES {
        Ok(())
    } else {
        Err(nnlab::Error::OutOfRange {
            what: "class",
            detail: format!("{class} is not one of the {CLASSES} classes (0 to 9)"),
        })
    }
}

/// Softmax, loss and gradient of one row of logits, by the core: the loss and
/// ∂loss/∂z come from `Graph::softmax_cross_entropy` and `Graph::backward`.
pub fn derive(logits: &[f32; CLASSES], truth: usize) -> Derived {
    let mut g = Graph::new();
    let z = g.param(Tensor::new(&[1, CLASSES], logits.to_vec()));
    let loss = g.softmax_cross_entropy(z, &[truth]);
    g.backward(loss);
    let mut grad = [0.0f32; CLASSES];
    if let Some(dz) = g.grad(z) {
        grad.copy_from_slice(dz.data());
    }
    let lse = log_sum_exp(logits);
    let probs = logits.map(|zj| (zj - lse).exp());
    let predicted = nnlab::loss::predictions(&Tensor::new(&[1, CLASSES], logits.to_vec()))[0];
    Derived {
        probs,
        loss: g.value(loss).item(),
        grad,
        predicted,
    }
}

/// The loss of the same row by the plain (graph-free) function the training
/// loop reports: the page checks the two agree.
pub fn plain_loss(logits: &[f32; CLASSES], truth: usize) -> f32 {
    softmax_cross_entropy(&Tensor::new(&[1, CLASSES], logits.to_vec()), &[truth])
}

impl LinkState for Model {
    /// `z=…` (ten logits) and `t=` (the true class) for a link.
    fn state_query(&self) -> Query {
        vec![
            ("z".into(), format_list(self.logits.map(f64::from))),
            ("t".into(), self.truth.to_string()),
        ]
    }

    /// Restores `z` and `t`; unusable values keep the current ones and come back as notices.
    fn apply_query(&mut self, query: &[(String, String)]) -> Vec<Notice> {
        let mut r = QueryReader::new(query);
        if let Some(z) = r.parsed("z", parse_logits) {
            self.logits = z;
        }
        if let Some(t) = r.whole("t", 0.0..=(CLASSES - 1) as f64) {
            self.truth = t as usize;
        }
        self.refresh();
        r.finish()
    }
}

impl LessonModel for Model {
    /// The digit keys pick the presets; Reset goes back to the untrained network.
    fn command(&mut self, command: Command) -> WebResult<()> {
        match command {
            Command::Preset(n) => {
                if let Some(preset) = Preset::by_number(n) {
                    self.apply_preset(preset);
                }
            }
            Command::Reset => self.apply_preset(Preset::Uniform),
            Command::PlayPause | Command::Step => {}
        }
        Ok(())
    }

    fn playback(&self) -> Playback {
        // R resets the logits; nothing plays or steps.
        Playback {
            playing: None,
            steps: false,
            resets: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f32, b: f64, tol: f64) -> bool {
        (f64::from(a) - b).abs() < tol
    }

    #[test]
    fn uniform_logits_give_ln_10() {
        // Ten equal logits: every p = 1/10, loss = −ln(1/10) = ln 10 = 2.302585…
        let m = Model::new();
        let d = m.derived();
        assert!(close(d.loss, std::f64::consts::LN_10, 1e-5), "{}", d.loss);
        for p in d.probs {
            assert!(close(p, 0.1, 1e-6));
        }
        // Gradient p − onehot: 0.1 everywhere but −0.9 at the truth.
        for (j, g) in d.grad.iter().enumerate() {
            let expected = if j == CAT { -0.9 } else { 0.1 };
            assert!(close(*g, expected, 1e-6), "class {j}: {g}");
        }
    }

    #[test]
    fn gradient_is_p_minus_onehot_and_sums_to_zero() {
        let mut m = Model::new();
        for (j, z) in [0.3, -1.0, 2.0, 0.5, -4.0, 1.0, 0.0, 7.5, -0.2, 3.0]
            .into_iter()
            .enumerate()
        {
            m.set_logit(j, z).unwrap();
        }
        m.set_truth(7).unwrap();
        let d = m.derived();
        let sum: f32 = d.grad.iter().sum();
        assert!(sum.abs() < 1e-6, "Σ grad = {sum}");
        for j in 0..CLASSES {
            let onehot = if j == 7 { 1.0 } else { 0.0 };
            assert!((d.grad[j] - (d.probs[j] - onehot)).abs() < 1e-6);
        }
        // Only the true class has a negative gradient: gradient descent raises it, lowers the rest.
        assert!(d.grad[7] < 0.0 && d.grad.iter().filter(|g| **g < 0.0).count() == 1);
        assert_eq!(d.predicted, 7);
        assert!((d.loss - plain_loss(m.logits(), 7)).abs() < 1e-6);
    }

    #[test]
    fn presets_order_the_losses() {
        // Right: ln(e⁶ + e² + 8) − 6 = ln 418.818 − 6 = 0.03738.
        // Unsure: ln(e^1.5 + 9) − 1.5 = ln 13.4817 − 1.5 = 1.10125.
        // Wrong: ln(e⁶ + 9) − 0 = ln 412.429 = 6.02206.
        let loss = |p: Preset| {
            let mut m = Model::new();
            m.apply_preset(p);
            assert_eq!(m.current_preset(), Some(p));
            m.derived().clone()
        };
        let right = loss(Preset::ConfidentRight);
        assert!(close(right.loss, 0.037_38, 1e-4), "{}", right.loss);
        assert_eq!(right.predicted, CAT);
        let unsure = loss(Preset::RightButUnsure);
        assert!(close(unsure.loss, 1.101_25, 1e-4), "{}", unsure.loss);
        assert_eq!(unsure.predicted, CAT); // accuracy counts it right all the same
        let wrong = loss(Preset::ConfidentWrong);
        assert!(close(wrong.loss, 6.022_06, 1e-4), "{}", wrong.loss);
        assert_eq!(wrong.predicted, DOG);
        assert_eq!(Preset::by_number(4), Some(Preset::ConfidentWrong));
        assert_eq!(Preset::by_number(0), None);
        assert_eq!(Preset::by_number(5), None);
    }

    #[test]
    fn bad_input_is_refused_or_clamped() {
        let mut m = Model::new();
        assert!(m.set_logit(3, f64::NAN).is_err());
        assert!(m.set_logit(10, 1.0).is_err());
        assert!(m.set_truth(10).is_err());
        m.set_logit(3, 1e9).unwrap();
        assert_eq!(m.logits()[3], 12.0);
        // Extreme logits stay finite: ln(e¹² + e⁻¹²·… ) − (−12) ≈ 24.
        m.set_logit(0, -12.0).unwrap();
        m.set_truth(0).unwrap();
        assert!(m.derived().loss.is_finite() && m.derived().loss > 23.0);
    }

    #[test]
    fn links_round_trip_and_report_bad_values() {
        let mut m = Model::new();
        m.apply_preset(Preset::ConfidentWrong);
        m.set_truth(8).unwrap();
        let q = m.state_query();
        assert_eq!(q[0].1, "0,0,0,0,0,6,0,0,0,0");
        assert_eq!(q[1].1, "8");
        let mut back = Model::new();
        assert!(back.apply_query(&q).is_empty());
        assert_eq!(back.logits(), m.logits());
        assert_eq!(back.truth(), 8);

        let bad: Query = vec![
            ("z".into(), "1,2,3".into()),
            ("t".into(), "11".into()),
            ("zz".into(), "1".into()),
        ];
        let mut m = Model::new();
        let notices = m.apply_query(&bad);
        let problems: Vec<Problem> = notices.iter().map(|n| n.problem).collect();
        assert_eq!(
            problems,
            vec![
                Problem::Incomplete,
                Problem::OutOfRange,
                Problem::UnknownKey
            ]
        );
        assert_eq!(m.truth(), CAT);
        let nan: Query = vec![("z".into(), "0,0,0,NaN,0,0,0,0,0,0".into())];
        assert_eq!(m.apply_query(&nan)[0].problem, Problem::NotANumber);
    }
}
