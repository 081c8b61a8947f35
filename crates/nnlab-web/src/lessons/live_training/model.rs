//! The choices of the live-training lesson and the formatting of its
//! read-outs. The training itself runs in the Worker ([`crate::training`]);
//! the lesson's model is the page's choices for it.

use nnlab::optim::OptimizerKind;

use crate::error::WebResult;
use crate::lessons::LessonModel;
use crate::training::client;
use nnlab_worker::protocol::{ClassExample, Classification, RunConfig, ToWorker};

/// The page's choices for the run, and the configuration last sent to bring
/// the Worker in line with them.
pub struct Run {
    /// What the controls show (a link may set it).
    pub config: RunConfig,
    sent: Option<RunConfig>,
}

impl Run {
    /// The lecture's run.
    pub fn new() -> Run {
        Run {
            config: RunConfig::lecture(),
            sent: None,
        }
    }
}

impl Default for Run {
    fn default() -> Self {
        Run::new()
    }
}

/// Play, pause and the rest are buttons that message the Worker.
impl LessonModel for Run {
    /// The Worker builds the lecture's run when the data arrives. If the
    /// page's choices differ (a link set them) and nothing has been trained
    /// yet, it is asked once to build the page's run instead.
    fn tick(&mut self, _dt_ms: f64) -> WebResult<()> {
        let stale = {
            let record = client::record();
            let record = record.borrow();
            record.network.as_ref().is_some_and(|net| {
                !net.from_file && record.updates() == 0 && net.config != self.config
            })
        };
        if stale && self.sent.as_ref() != Some(&self.config) {
            client::send(&ToWorker::Configure {
                config: self.config.clone(),
            })?;
            self.sent = Some(self.config.clone());
        }
        Ok(())
    }

    /// Everything here changes with a button or a Worker report (a few a
    /// second): between inputs ten frames a second show it, and the page's
    /// main thread leaves the training Workers the rest of its share.
    fn every_frame(&self) -> bool {
        false
    }
}

/// The learning rate as the slider shows it: as a person types it, like
/// every lesson's rate (the name stays for the view).
pub use crate::lessons::kit::format::format_rate as format_lr;

/// Seconds as "1 h 02 min", "3 min 05 s", "42 s".
pub fn format_duration(secs: f64) -> String {
    if !secs.is_finite() || secs < 0.0 {
        return "—".into();
    }
    let s = secs.round() as u64;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {:02} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

/// The run configuration with optimiser `name` (its default learning rate is not forced:
/// the student's rate stays).
pub fn with_optimizer(config: &RunConfig, name: &str) -> nnlab::Result<RunConfig> {
    Ok(RunConfig {
        optimizer: OptimizerKind::from_name(name)?,
        ..config.clone()
    })
}

/// The three most likely classes of a photo, most likely first (the lower
/// class first on a tie), as the test cards rank theirs.
pub fn top_three(probabilities: &[f32]) -> Vec<(usize, f32)> {
    nnlab_worker::snapshot::top_k(probabilities, 3)
}

/// The class a photo is compared in: the student's `choice`, else the
/// network's most likely class.
pub fn compared_class(probabilities: &[f32], choice: Option<usize>) -> usize {
    choice.unwrap_or_else(|| top_three(probabilities).first().map_or(0, |t| t.0))
}

/// The test image of `class` the Worker classified beside the photo.
pub fn example_of(classification: &Classification, class: usize) -> Option<&ClassExample> {
    classification.examples.iter().find(|e| e.label == class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_photo_is_compared_in_its_top_class_unless_the_student_says() {
        let c = Classification {
            request: 1,
            updates: 10,
            // Class 2 first (0.5), then 0 and 3 tied at 0.2: the lower class first.
            probabilities: vec![0.2, 0.1, 0.5, 0.2],
            examples: vec![
                ClassExample {
                    index: 4,
                    label: 2,
                    probabilities: vec![0.0, 0.0, 1.0, 0.0],
                },
                ClassExample {
                    index: 0,
                    label: 3,
                    probabilities: vec![0.25; 4],
                },
            ],
        };
        assert_eq!(
            top_three(&c.probabilities),
            vec![(2, 0.5), (0, 0.2), (3, 0.2)]
        );
        assert_eq!(compared_class(&c.probabilities, None), 2);
        assert_eq!(compared_class(&c.probabilities, Some(3)), 3);
        assert_eq!(example_of(&c, 2).map(|e| e.index), Some(4));
        assert_eq!(example_of(&c, 3).map(|e| e.index), Some(0));
        assert!(example_of(&c, 1).is_none(), "no test image of class 1");
    }

    #[test]
    fn durations_read_as_minutes_and_hours() {
        assert_eq!(format_duration(42.4), "42 s");
        // 185 s = 3 min 5 s; 3720 s = 1 h 2 min.
        assert_eq!(format_duration(185.0), "3 min 05 s");
        assert_eq!(format_duration(3720.0), "1 h 02 min");
    }

    #[test]
    fn optimizer_names_are_the_cores() {
        let config = with_optimizer(&RunConfig::lecture(), "sgd").unwrap();
        assert_eq!(config.optimizer, OptimizerKind::Sgd);
        assert_eq!(config.lr, 0.001);
        assert!(with_optimizer(&RunConfig::lecture(), "magic").is_err());
    }
}
