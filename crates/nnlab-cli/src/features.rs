//! `nnlab features`: the lesson "feature engineering vs end to end" as a
//! table. The same training images, epochs, mini-batches, optimiser and
//! seed for three pipelines (see [`nnlab::features::pipeline`]):
//! standardised pixels into softmax regression, HOG + hue histogram into
//! the same softmax regression, and the lecture's MLP on the pixels. One
//! row per pipeline on stdout, ending with its test accuracy; progress bars
//! (reading, computing features, each epoch) on stderr.

use crate::cli::FeaturesArgs;
use crate::error::{CliError, CliResult};
use crate::run::{self, EpochEnd, RunData};
use crate::{evaluate, hyper, progress};
use nnlab::data::Dataset;
use nnlab::features::Pipeline;
use nnlab::nn::{thousands, MlpSpec};
use nnlab::train::{TrainConfig, Trainer};
use std::time::Instant;

/// One row of the table.
struct Row {
    pipeline: Pipeline,
    spec: MlpSpec,
    seconds: f64,
    test_accuracy: f32,
}

pub fn run(args: &FeaturesArgs) -> CliResult<()> {
    let budget = &args.run;
    run::check(budget)?;
    let data = RunData::load(budget)?;
    let (train, test) = (data.train(), data.test());
    let config = TrainConfig::lecture();
    println!(
        "data      {} training and {} test images from {}",
        thousands(train.len()),
        thousands(test.len()),
        data.path.display()
    );
    println!(
        "budget    {} {} of {} mini-batches of {}, {}, {} init, seed {}",
        budget.epochs,
        if budget.epochs == 1 {
            "epoch"
        } else {
            "epochs"
        },
        thousands(train.len() / config.batch_size),
        config.batch_size,
        hyper::describe(config.optimizer, &config.hyper),
        config.init.name(),
        budget.seed
    );
    println!("{TABLE_HEADER}");
    let started = Instant::now();
    let mut features_seconds = 0.0;
    for pipeline in Pipeline::ALL {
        let (row, preparing) = race(pipeline, train, test, args)?;
        println!("{}", row.line());
        if pipeline == Pipeline::FeaturesLinear {
            features_seconds = preparing;
        }
    }
    println!(
        "HOG + hue histograms of {} images took {features_seconds:.1} s; all three pipelines {:.1} s",
        thousands(train.len() + test.len()),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `pipeline` prepared, trained for the budget and tested. Also returns the
/// seconds spent preparing its inputs.
fn race(
    pipeline: Pipeline,
    train: &Dataset,
    test: &Dataset,
    args: &FeaturesArgs,
) -> CliResult<(Row, f64)> {
    let budget = &args.run;
    let started = Instant::now();
    let images = (train.len() + test.len()) as u64;
    // Only the features take long enough to show a bar for.
    let quiet = budget.quiet || pipeline != Pipeline::FeaturesLinear;
    let bar = progress::samples(images, "HOG + hues".into(), quiet);
    let prepared = pipeline.prepare(train, test, &mut |done| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    let preparing = started.elapsed().as_secs_f64();

    let config = pipeline.config(prepared.train.as_ref(), budget.seed);
    let mut trainer = Trainer::new(&config, prepared.train.as_ref())?;
    for epoch in 1..=budget.epochs {
        let prefix = format!("{} epoch {epoch}/{}", pipeline.name(), budget.epochs);
        let end = run::train_epoch(&mut trainer, prepared.train.as_ref(), prefix, budget.quiet)?;
        if let EpochEnd::Diverged { .. } = end {
            return Err(CliError::Usage(format!(
                "{} diverged in epoch {epoch}: the loss became {}",
                pipeline.name(),
                trainer.counters().last_loss
            )));
        }
    }
    let on_test = evaluate::evaluate(trainer.net(), prepared.test.as_ref())?;
    let row = Row {
        pipeline,
        spec: config.spec,
        seconds: started.elapsed().as_secs_f64(),
        test_accuracy: on_test.accuracy,
    };
    Ok((row, preparing))
}

/// Column titles, aligned with [`Row::line`].
const TABLE_HEADER: &str =
    "pipeline         inputs                    network                      parameters     time  test acc";

impl Row {
    fn line(&self) -> String {
        let widths: Vec<String> = std::iter::once(self.spec.input)
            .chain(self.spec.layers.iter().copied())
            .map(|w| w.to_string())
            .collect();
        format!(
            "{:<16} {:<25} {:<28} {:>10}  {:>5.1} s  {:>6.1} %",
            self.pipeline.name(),
            self.pipeline.inputs(),
            widths.join(" → "),
            thousands(self.spec.param_count()),
            self.seconds,
            100.0 * self.test_accuracy,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_line_up_with_the_header() {
        let row = |pipeline: Pipeline, input: usize, seconds: f64, accuracy: f32| Row {
            pipeline,
            spec: pipeline.spec(input, 10),
            seconds,
            test_accuracy: accuracy,
        };
        let lines = [
            row(Pipeline::RawLinear, 3072, 3.12, 0.3514),
            row(Pipeline::FeaturesLinear, 334, 12.0, 0.5076),
            row(Pipeline::Mlp, 3072, 123.45, 0.4449),
        ]
        .map(|r| r.line());
        assert_eq!(
            lines[0],
            "raw-linear       pixels, standardised      3072 → 10                        30,730    3.1 s    35.1 %"
        );
        assert_eq!(
            lines[1],
            "features-linear  HOG + hues, standardised  334 → 10                          3,350   12.0 s    50.8 %"
        );
        assert_eq!(
            lines[2],
            "mlp              pixels / 255              3072 → 100 → 256 → 256 → 10     401,518  123.5 s    44.5 %"
        );
        for line in lines {
            assert_eq!(line.chars().count(), TABLE_HEADER.chars().count(), "{line}");
        }
    }
}
