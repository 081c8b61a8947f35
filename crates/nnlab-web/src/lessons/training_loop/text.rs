//! What the training-loop lesson writes: the lecture's loop as code, the
//! step names, the epoch arithmetic spelled out, and number formats.

use nnlab::nn::thousands;
use nnlab::optim::OptimizerKind;
use nnlab::train::{iterations_per_epoch, total_updates};

use super::model::{Phase, LECTURE_BATCH, LECTURE_EPOCHS, LECTURE_TRAIN_SAMPLES, SLIDE_SAMPLES};
use crate::i18n::{Key, Lang};
use crate::lessons::kit::format::{exponent_minus, format_number};

/// The lecture's loop (its `train(model)`, completed with the five steps),
/// and the phase each line runs. Code reads the same in both languages; the
/// comments beside it come from [`step_name`].
pub const CODE: [(&str, Option<Phase>); 7] = [
    ("for epoch in range(1, total_epoch+1):", None),
    (
        "    for batch_id, (image, label) in enumerate(train_reader()):",
        Some(Phase::Batch),
    ),
    ("        logits = model(image)", Some(Phase::Forward)),
    (
        "        loss = F.cross_entropy(logits, label)",
        Some(Phase::Loss),
    ),
    ("        loss.backward()", Some(Phase::Backward)),
    ("        opt.step()", Some(Phase::Update)),
    ("        opt.clear_grad()", None),
];

/// The lecture's words for each step.
pub fn step_name(phase: Phase) -> Key {
    match phase {
        Phase::Batch => Key::TrainStep1,
        Phase::Forward => Key::TrainStep2,
        Phase::Loss => Key::TrainStep3,
        Phase::Backward => Key::TrainStep4,
        Phase::Update => Key::TrainStep5,
    }
}

/// Menu label of an optimiser (Adam, else SGD: the two the lesson offers).
pub fn optimizer_label(kind: OptimizerKind) -> Key {
    match kind {
        OptimizerKind::Adam => Key::TrainOptAdam,
        _ => Key::TrainOptSgd,
    }
}

/// "⌊N / batch⌋ = iterations", for the page's own data.
pub fn page_arithmetic(lang: Lang, samples: usize, batch: usize) -> String {
    lang.fill(
        Key::TrainArithPage,
        &[
            ("n", &thousands(samples)),
            ("batch", &batch.to_string()),
            (
                "ipe",
                &thousands(iterations_per_epoch(samples, batch, true)),
            ),
        ],
    )
}

/// The lecture's numbers, with N = 50,000, and the slide's mistake.
pub fn lecture_arithmetic(lang: Lang) -> (String, String) {
    let ipe = iterations_per_epoch(LECTURE_TRAIN_SAMPLES, LECTURE_BATCH, true);
    let total = total_updates(LECTURE_TRAIN_SAMPLES, LECTURE_BATCH, true, LECTURE_EPOCHS);
    let slide_ipe = SLIDE_SAMPLES.div_ceil(LECTURE_BATCH);
    let right = lang.fill(
        Key::TrainArithLecture,
        &[
            ("n", &thousands(LECTURE_TRAIN_SAMPLES)),
            ("batch", &LECTURE_BATCH.to_string()),
            ("ipe", &ipe.to_string()),
            ("epochs", &LECTURE_EPOCHS.to_string()),
            ("total", &thousands(total)),
        ],
    );
    let wrong = lang.fill(
        Key::TrainArithSlide,
        &[
            ("slide_n", &SLIDE_SAMPLES.to_string()),
            ("batch", &LECTURE_BATCH.to_string()),
            ("slide_ipe", &slide_ipe.to_string()),
            ("slide_total", &thousands(slide_ipe * LECTURE_EPOCHS)),
            ("n", &thousands(LECTURE_TRAIN_SAMPLES)),
        ],
    );
    (right, wrong)
}

/// A loss, norm or probability: 4 significant digits, scientific when tiny
/// or huge, with a true minus in the exponent.
pub fn format_value(v: f64) -> String {
    exponent_minus(&format_number(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_is_spelled_out_with_the_right_numbers() {
        let (right, wrong) = lecture_arithmetic(Lang::En);
        assert!(
            right.contains("50,000") && right.contains("781") && right.contains("23,430"),
            "{right}"
        );
        assert!(wrong.contains("938") && wrong.contains("28,140"), "{wrong}");
        let page = page_arithmetic(Lang::En, 10_000, 64);
        assert!(page.contains("10,000") && page.contains("156"), "{page}");
    }

    #[test]
    fn values_read_well() {
        assert_eq!(format_value(2.5), "2.500");
        assert_eq!(format_value(0.5512), "0.5512");
        assert_eq!(format_value(1.5e-5), "1.500e−5");
    }

    #[test]
    fn every_phase_has_one_line_of_code() {
        for phase in Phase::ALL {
            assert_eq!(CODE.iter().filter(|(_, p)| *p == Some(phase)).count(), 1);
        }
    }
}
