//! `nnlab train`: the lecture's training run on CIFAR-10, natively.
//!
//! Every argument is checked before the data is read, so a typo fails in
//! milliseconds. Then, epoch by epoch: a progress bar over the training
//! samples (with samples/s and the running loss) on stderr, and one line on
//! stdout with the epoch's mean mini-batch loss and accuracy (measured while
//! the weights change, as the lecture's loop prints them), the loss and
//! accuracy on the test set after the epoch, the training speed in samples/s
//! (training only) and the epoch's wall time (training and test).

use crate::cli::TrainArgs;
use crate::error::{CliError, CliResult};
use crate::run::{self, EpochEnd, RunData};
use crate::{evaluate, hyper, model_file, output, parse};
use nnlab::data::{Dataset, CLASS_NAMES, IMAGE_BYTES};
use nnlab::init::Init;
use nnlab::nn::{thousands, Activation, Mlp, MlpSpec};
use nnlab::optim::{self, Hyper, OptimizerKind};
use nnlab::train::{Schedule, TrainConfig, Trainer};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the weights start.
enum Start {
    /// A new network of this shape, initialised by `init` from the seed.
    Fresh { spec: MlpSpec, init: Init },
    /// A network read from a model file.
    Saved { net: Box<Mlp>, path: PathBuf },
}

/// A run, checked: everything the arguments say, before any data is read.
struct Plan {
    start: Start,
    kind: OptimizerKind,
    hyper: Hyper,
    batch: usize,
    epochs: usize,
    seed: u64,
}

/// One line of the per-epoch table.
struct EpochLine {
    epoch: usize,
    train_loss: f32,
    train_accuracy: f32,
    test_loss: f32,
    test_accuracy: f32,
    samples_per_second: f64,
    seconds: f64,
}

pub fn run(args: &TrainArgs) -> CliResult<()> {
    let plan = plan(args)?;
    if let Some(path) = &args.save {
        // A typo in the path must not cost the whole run.
        output::check_writable(path)?;
    }
    let data = RunData::load(&args.run)?;
    let (train, test) = (data.train(), data.test());
    let mut trainer = trainer(&plan, train)?;
    print!("{}", header(&plan, &trainer, train, test, &data.path));
    println!("{}", TABLE_HEADER);

    let started = Instant::now();
    for epoch in 1..=plan.epochs {
        let line = train_epoch(&mut trainer, epoch, &plan, train, test, args.run.quiet)?;
        println!("{}", line.row());
    }
    let total = started.elapsed().as_secs_f64();
    let noun = if plan.epochs == 1 { "epoch" } else { "epochs" };
    let mut footer = format!("trained {} {noun} in {total:.1} s", plan.epochs);
    if let Some(path) = &args.save {
        model_file::write(path, &trainer.to_saved())?;
        let _ = write!(footer, "; model saved to {}", path.display());
    }
    println!("{footer}");
    Ok(())
}

/// The arguments turned into a [`Plan`], or the first thing wrong with them.
fn plan(args: &TrainArgs) -> CliResult<Plan> {
    let kind = OptimizerKind::from_name(&args.optimizer)?;
    let hyper = hyper::resolve(kind, &args.hyper)?;
    // Training computes in f32: 1e-50 would be a learning rate of 0.
    hyper.validate_in::<f32>()?;
    if args.batch == 0 {
        return Err(CliError::Usage("batch: must be at least 1".into()));
    }
    run::check(&args.run)?;
    let start = match &args.from {
        Some(path) => Start::Saved {
            net: Box::new(model_file::read(path)?),
            path: path.clone(),
        },
        None => {
            let init = Init::from_name(&args.init)?;
            let spec = MlpSpec {
                input: IMAGE_BYTES,
                layers: parse::widths(&args.layers)?,
                activation: Activation::from_name(&args.activation)?,
            };
            spec.validate()?;
            if spec.classes() != CLASS_NAMES.len() {
                return Err(CliError::Usage(format!(
                    "layers: the last layer must have {} outputs, one per CIFAR-10 class, got {}",
                    CLASS_NAMES.len(),
                    spec.classes()
                )));
            }
            Start::Fresh { spec, init }
        }
    };
    Ok(Plan {
        start,
        kind,
        hyper,
        batch: args.batch,
        epochs: args.run.epochs,
        seed: args.run.seed,
    })
}

/// The trainer for `plan` on `train`: drop_last as in the lecture's
/// `DataLoader(..., drop_last=True)`.
fn trainer(plan: &Plan, train: &Dataset) -> CliResult<Trainer> {
    match &plan.start {
        Start::Fresh { spec, init } => {
            let config = TrainConfig {
                spec: spec.clone(),
                init: *init,
                optimizer: plan.kind,
                hyper: plan.hyper,
                batch_size: plan.batch,
                drop_last: true,
                seed: plan.seed,
            };
            Ok(Trainer::new(&config, train)?)
        }
        Start::Saved { net, path } => {
            evaluate::check_fits(net, train, path)?;
            let optimizer = optim::build::<f32>(plan.kind, plan.hyper)?;
            let schedule = Schedule::new(train.len(), plan.batch, true, plan.seed)?;
            Ok(Trainer::with_network((**net).clone(), optimizer, schedule)?)
        }
    }
}

/// What is trained on what, before the table.
fn header(plan: &Plan, trainer: &Trainer, train: &Dataset, test: &Dataset, path: &Path) -> String {
    let spec = &trainer.net().spec;
    let widths: Vec<String> = std::iter::once(spec.input)
        .chain(spec.layers.iter().copied())
        .map(|w| w.to_string())
        .collect();
    let start = match &plan.start {
        Start::Fresh { init, .. } => format!("{} init, seed {}", init.name(), plan.seed),
        Start::Saved { path, .. } => format!("from {}, seed {}", path.display(), plan.seed),
    };
    format!(
        "network   {}, {}, {} parameters ({start})\n\
         optimizer {}, batch {}, {} iterations per epoch\n\
         data      {} training and {} test images from {}\n",
        widths.join(" → "),
        spec.activation.name(),
        thousands(spec.param_count()),
        hyper::describe(plan.kind, &plan.hyper),
        plan.batch,
        thousands(trainer.schedule().iterations_per_epoch()),
        thousands(train.len()),
        thousands(test.len()),
        path.display(),
    )
}

/// Column titles, aligned with [`EpochLine::row`].
const TABLE_HEADER: &str = "epoch  train loss  train acc  test loss  test acc  samples/s     time";

impl EpochLine {
    fn row(&self) -> String {
        format!(
            "{:>5}  {:>10}  {:>8.2}%  {:>9}  {:>7.2}%  {:>9.0}  {:>5.1} s",
            self.epoch,
            loss_cell(self.train_loss),
            100.0 * self.train_accuracy,
            loss_cell(self.test_loss),
            100.0 * self.test_accuracy,
            self.samples_per_second,
            self.seconds,
        )
    }
}

/// A loss with four decimals, or in scientific notation when that would not
/// fit the column (a learning rate far too high gives losses of 1e30).
fn loss_cell(loss: f32) -> String {
    if loss.abs() < 1e5 {
        format!("{loss:.4}")
    } else {
        format!("{loss:.3e}")
    }
}

/// One epoch of training, then the test set. Stops with an error if the
/// loss becomes NaN or infinite.
fn train_epoch(
    trainer: &mut Trainer,
    epoch: usize,
    plan: &Plan,
    train: &Dataset,
    test: &Dataset,
    quiet: bool,
) -> CliResult<EpochLine> {
    let started = Instant::now();
    let iterations = trainer.schedule().iterations_per_epoch();
    let prefix = format!("epoch {epoch}/{}", plan.epochs);
    if let EpochEnd::Diverged { steps } = run::train_epoch(trainer, train, prefix, quiet)? {
        let loss = trainer.counters().last_loss;
        return Err(CliError::Usage(match &plan.start {
            // Within the first steps of a loaded model, the model is to blame, not the rate.
            Start::Saved { path, .. } if epoch == 1 && steps <= run::STEPS_PER_REPORT => format!(
                "the model in {} gives a loss of {loss} from its first steps: its weights \
                 are far too large (a diverged run?); start from a fresh network or another file",
                path.display()
            ),
            _ => format!(
                "training diverged in epoch {epoch}: the loss became {loss}; try a smaller \
                 --lr (it is {:?})",
                plan.hyper.lr
            ),
        }));
    }
    let training_seconds = started.elapsed().as_secs_f64();
    let summary = *trainer
        .history()
        .last()
        .expect("a finished epoch leaves a summary");
    let on_test = evaluate::evaluate(trainer.net(), test)?;
    Ok(EpochLine {
        epoch,
        train_loss: summary.loss,
        train_accuracy: summary.accuracy,
        test_loss: on_test.loss,
        test_accuracy: on_test.accuracy,
        samples_per_second: (iterations * plan.batch) as f64 / training_seconds,
        seconds: started.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_line_up_with_the_header() {
        let line = EpochLine {
            epoch: 10,
            train_loss: 1.23456,
            train_accuracy: 0.5,
            test_loss: 1.5,
            test_accuracy: 0.4567,
            samples_per_second: 25_000.4,
            seconds: 2.04,
        };
        let row = line.row();
        assert_eq!(
            row,
            "   10      1.2346     50.00%     1.5000    45.67%      25000    2.0 s"
        );
        assert_eq!(row.len(), TABLE_HEADER.len());
    }

    #[test]
    fn huge_losses_keep_the_column_width() {
        assert_eq!(loss_cell(std::f32::consts::LN_10), "2.3026");
        assert_eq!(loss_cell(99999.0), "99999.0000");
        assert_eq!(loss_cell(1.1107422e14), "1.111e14");
        assert_eq!(loss_cell(f32::NAN), "NaN");
    }
}
