//! The training loop of the lecture, in steps a front end can schedule:
//! take a mini-batch, run the network forward, compute the loss, back-
//! propagate, update every weight — and count what happened.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use super::evaluate::{Evaluation, Evaluator};
use super::parallel::{FlatState, PhaseTimes, Shard, ShardedStep, Team};
use super::schedule::{Sampler, Schedule};
use crate::data::{Batch, Samples};
use crate::error::{Error, Result};
use crate::init::Init;
use crate::nn::saved::SavedModel;
use crate::nn::step::TrainStep;
use crate::nn::{Mlp, MlpSpec};
use crate::optim::{self, Hyper, Optimizer, OptimizerKind};

/// Everything needed to start training from scratch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// The network's shape.
    pub spec: MlpSpec,
    /// How the weights start.
    pub init: Init,
    /// Which optimiser updates the weights.
    pub optimizer: OptimizerKind,
    /// The optimiser's hyper-parameters.
    pub hyper: Hyper,
    /// Samples per mini-batch.
    pub batch_size: usize,
    /// Skip the incomplete batch at the end of each epoch (see [`Schedule`]).
    pub drop_last: bool,
    /// Seeds the initial weights and the per-epoch shuffles.
    pub seed: u64,
}

impl TrainConfig {
    /// The lecture's setup on CIFAR-10: 3072 → 100 → 256 → 256 → 10 with
    /// ReLU, PyTorch's default initialisation, Adam with lr 0.001, batches
    /// of 64, the incomplete last batch dropped.
    pub fn lecture() -> TrainConfig {
        TrainConfig {
            spec: MlpSpec::lecture_cifar(),
            init: Init::PyTorchDefault,
            optimizer: OptimizerKind::Adam,
            hyper: Hyper::defaults(OptimizerKind::Adam),
            batch_size: 64,
            drop_last: true,
            seed: 0,
        }
    }
}

/// What the training-loop lesson shows while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Counters {
    /// The current epoch, 0-based: the number of epochs completed.
    pub epoch: usize,
    /// Iterations done in the current epoch.
    pub iteration: usize,
    /// Mini-batches in one epoch (one fewer with `drop_last` if the last is incomplete).
    pub iterations_per_epoch: usize,
    /// Weight updates since the start.
    pub updates: usize,
    /// Training samples fed to the network since the start.
    pub samples_seen: usize,
    /// Loss of the last mini-batch (NaN before the first step).
    pub last_loss: f32,
    /// Accuracy of the last mini-batch, in [0, 1].
    pub last_accuracy: f32,
    /// Mean mini-batch loss over the current epoch so far (the whole
    /// previous epoch right after one ends, NaN before the first step).
    pub running_loss: f32,
    /// Fraction of samples classified right over the current epoch so far.
    pub running_accuracy: f32,
}

impl Counters {
    /// True once a step's loss was not a number (see [`Trainer::diverged`]).
    pub fn diverged(&self) -> bool {
        self.updates > 0 && !self.last_loss.is_finite()
    }
}

/// The mean loss and accuracy over one finished epoch.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochSummary {
    /// 0-based.
    pub epoch: usize,
    /// Mean mini-batch loss over the epoch.
    pub loss: f32,
    /// Fraction of the epoch's samples classified right, in [0, 1].
    pub accuracy: f32,
}

/// Sums over the current epoch, turned into the running means.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct EpochTotals {
    loss_sum: f64,
    batches: usize,
    correct: usize,
    samples: usize,
}

/// A network, its optimiser and the mini-batch buffers, trained a bounded
/// number of steps at a time (a web worker runs a chunk, reports, yields).
pub struct Trainer {
    net: Mlp,
    init: Option<Init>,
    optimizer: Box<dyn Optimizer<f32>>,
    /// Activations, gradients and packing buffers of the training step,
    /// made on the first step and reused.
    step: TrainStep,
    /// The evaluation's own buffers (sized for its larger chunks, so the
    /// training step's are never resized back and forth). In a `RefCell`
    /// because evaluating changes no weight: [`Trainer::evaluate`] takes
    /// `&self`.
    evaluator: RefCell<Evaluator>,
    sampler: Sampler,
    /// The most samples [`Trainer::grow_to`] asked for (0: never called).
    grown_to: usize,
    /// Reused for every full mini-batch.
    batch: Batch,
    /// Reused for the smaller last batch of an epoch when it is not dropped.
    tail: Option<Batch>,
    counters: Counters,
    totals: EpochTotals,
    history: Vec<EpochSummary>,
    /// This trainer's part of a team's steps (worker 0), once it trained
    /// with one.
    sharded: Option<Sharded>,
    /// Times the phases of team steps (see [`Trainer::measure_with`]).
    clock: Option<fn() -> f64>,
    /// The next full mini-batch, taken inside a team step (see
    /// [`Trainer::step`]); made on the first.
    ahead: Option<Ahead>,
}

/// A mini-batch taken before its step: worker 0 fills it, hands it to the
/// team ([`Team::stage`]) and begins its step there, while the others
/// compute their part of the step before — instead of their waiting for it
/// between the two steps.
struct Ahead {
    batch: Batch,
    /// The samples it holds.
    indices: Vec<usize>,
    /// The team has begun the next step on it.
    begun: bool,
}

/// Fills `ahead` with the next full mini-batch and begins its step on
/// `team` with learning rate `lr`, if the sampler knows it already (not at
/// an epoch's end, when the next epoch's order is not drawn yet) and the
/// team takes batches ahead. A batch that fails the checks is not handed
/// over: its step takes it the usual way, and refuses it there.
fn stage_next(
    sampler: &Sampler,
    ahead: &mut Option<Ahead>,
    train: &dyn Samples,
    net: &Mlp,
    team: &mut dyn Team,
    lr: f64,
) -> Result<()> {
    let full = sampler.schedule().batch_size;
    let Some(indices) = sampler.peek_next().filter(|i| i.len() == full) else {
        return Ok(());
    };
    let ahead = ahead.get_or_insert_with(|| Ahead {
        batch: Batch::new(full, net.spec.input),
        indices: Vec::with_capacity(full),
        begun: false,
    });
    let batch = &mut ahead.batch;
    if batch.fill(train, indices).is_err()
        || ShardedStep::check(net, batch.x().data(), batch.labels()).is_err()
    {
        return Ok(());
    }
    let (x, labels) = (batch.x().data(), batch.labels());
    if team.stage(x, labels)? {
        team.begin_step(x, labels, lr, true)?;
        ahead.begun = true;
        ahead.indices.clear();
        ahead.indices.extend_from_slice(indices);
    }
    Ok(())
}

/// Counts a step of `size` samples with `loss` and `correct` answers into
/// the counters, the epoch's totals and, at an epoch's end, its history.
fn count(
    (c, t, history): (&mut Counters, &mut EpochTotals, &mut Vec<EpochSummary>),
    sampler: &Sampler,
    (loss, correct, size): (f32, usize, usize),
) {
    c.updates += 1;
    c.samples_seen += size;
    c.last_loss = loss;
    c.last_accuracy = correct as f32 / size as f32;
    t.loss_sum += f64::from(loss);
    t.batches += 1;
    t.correct += correct;
    t.samples += size;
    c.running_loss = (t.loss_sum / t.batches as f64) as f32;
    c.running_accuracy = t.correct as f32 / t.samples as f32;
    c.epoch = sampler.epoch();
    c.iteration = sampler.iteration();
    if sampler.epoch_finished() {
        history.push(EpochSummary {
            epoch: c.epoch,
            loss: c.running_loss,
            accuracy: c.running_accuracy,
        });
        *t = EpochTotals::default();
        c.epoch += 1;
        c.iteration = 0;
    }
}

/// Worker 0's state in a team (see [`super::parallel`]).
struct Sharded {
    shard: Shard,
    step: ShardedStep,
    /// The team's [`Team::shares`] right after this trainer shared its network.
    shares: u64,
    /// Steps ran since `net` was last brought up to date ([`Sharded::collect`]).
    stale: bool,
}

impl Sharded {
    /// Whether this is worker 0's state on `team` as it is: the same size,
    /// and no one else has shared a network with it since.
    fn is_on(&self, team: &dyn Team) -> bool {
        self.shard.size() == team.size() && self.shares == team.shares()
    }

    /// Brings `net` up to date after steps on the team: worker 0's own
    /// columns from its step, the others' rows and columns from them.
    fn collect(&mut self, net: &mut Mlp, team: &mut dyn Team) -> Result<()> {
        if self.stale {
            self.step.write_own(&self.shard, net);
            team.collect(net)?;
            self.stale = false;
        }
        Ok(())
    }

    /// Makes `sharded` worker 0's state on `team`, joining it
    /// ([`Sharded::join`]) unless it is on it already.
    fn ensure(
        sharded: &mut Option<Sharded>,
        net: &Mlp,
        optimizer: &mut dyn Optimizer<f32>,
        clock: Option<fn() -> f64>,
        team: &mut dyn Team,
    ) -> Result<()> {
        if !sharded.as_ref().is_some_and(|s| s.is_on(team)) {
            let was_on_one = sharded.take().is_some();
            *sharded = Some(Sharded::join(net, optimizer, was_on_one, clock, team)?);
        }
        Ok(())
    }

    /// Starts training on `team`: it gets the network and the optimiser's
    /// state, and each worker keeps its rows of both ([`FlatState`]), so the
    /// run goes on as it would have alone. If this trainer `was_on_one` that
    /// someone else has since shared another network with (another
    /// trainer), its rows' state is gone and the optimiser starts afresh.
    fn join(
        net: &Mlp,
        optimizer: &mut dyn Optimizer<f32>,
        was_on_one: bool,
        clock: Option<fn() -> f64>,
        team: &mut dyn Team,
    ) -> Result<Sharded> {
        if was_on_one {
            optimizer.reset();
        }
        let spec = &net.spec;
        let state = FlatState::whole(optimizer, spec)?;
        team.share(net, optimizer.kind(), optimizer.hyper())?;
        let shard = Shard::new(spec, 0, team.size());
        if !state.is_fresh() {
            team.share_state(&state)?;
            state.keep_own(optimizer, &shard, spec)?;
        }
        let mut step = ShardedStep::new();
        step.set_clock(clock);
        Ok(Sharded {
            shard,
            step,
            shares: team.shares(),
            stale: false,
        })
    }
}

impl Trainer {
    /// A fresh network and optimiser from `config`, to be trained on `train`.
    pub fn new(config: &TrainConfig, train: &dyn Samples) -> Result<Trainer> {
        Trainer::on_first(config, train, train.len())
    }

    /// [`Trainer::new`] on the first `samples` images of `train` only (all of
    /// them if it has fewer).
    pub fn on_first(config: &TrainConfig, train: &dyn Samples, samples: usize) -> Result<Trainer> {
        let net = Mlp::new(config.spec.clone(), config.init, config.seed)?;
        let optimizer = optim::build::<f32>(config.optimizer, config.hyper)?;
        let schedule = Schedule::new(
            samples.min(train.len()),
            config.batch_size,
            config.drop_last,
            config.seed,
        )?;
        let mut trainer = Trainer::with_network(net, optimizer, schedule)?;
        trainer.init = Some(config.init);
        trainer.check_dataset(train)?;
        Ok(trainer)
    }

    /// Train an existing network (e.g. one loaded from a file) with
    /// `optimizer` on batches cut by `schedule`.
    pub fn with_network(
        net: Mlp,
        optimizer: Box<dyn Optimizer<f32>>,
        schedule: Schedule,
    ) -> Result<Trainer> {
        let schedule = Schedule::new(
            schedule.samples,
            schedule.batch_size,
            schedule.drop_last,
            schedule.seed,
        )?;
        let input = net.spec.input;
        let remainder = schedule.samples % schedule.batch_size;
        let tail = (!schedule.drop_last && remainder > 0).then(|| Batch::new(remainder, input));
        Ok(Trainer {
            batch: Batch::new(schedule.batch_size, input),
            tail,
            counters: Counters {
                epoch: 0,
                iteration: 0,
                iterations_per_epoch: schedule.iterations_per_epoch(),
                updates: 0,
                samples_seen: 0,
                last_loss: f32::NAN,
                last_accuracy: 0.0,
                running_loss: f32::NAN,
                running_accuracy: 0.0,
            },
            sampler: Sampler::new(schedule),
            grown_to: 0,
            net,
            init: None,
            optimizer,
            step: TrainStep::new(),
            evaluator: RefCell::new(Evaluator::new()),
            ahead: None,
            totals: EpochTotals::default(),
            history: Vec::new(),
            sharded: None,
            clock: None,
        })
    }

    /// Run up to `n` training steps on `train` (the dataset the schedule was
    /// made for). Stops early, after the step that made the loss NaN or ∞.
    pub fn train_steps(&mut self, train: &dyn Samples, n: usize) -> Result<&Counters> {
        self.run(train, n)
    }

    /// [`Trainer::train_steps`] on a `team` of workers (see
    /// [`super::parallel`]), this trainer being worker 0; the others' rows
    /// are collected into [`Trainer::net`] at the end.
    pub fn train_steps_with(
        &mut self,
        train: &dyn Samples,
        n: usize,
        team: &mut dyn Team,
    ) -> Result<&Counters> {
        if n == 0 {
            return self.run(train, 0);
        }
        let mut left = n;
        self.train_while(train, Some(team), &mut |_| {
            left = left.saturating_sub(1);
            left > 0
        })
    }

    /// Trains on `train` (on `team`, if given and of more than one worker)
    /// until `keep_going`, asked after every step with the counters, says
    /// stop — or a step made the loss NaN or ∞. At least one step. With a
    /// team, its rows are collected into [`Trainer::net`] before returning.
    ///
    /// The optimiser's state moves with the rows when the run starts on a
    /// team ([`Sharded::join`]) and, by [`Trainer::leave_team`], back to one
    /// worker; it starts afresh if the team goes without `leave_team` (then
    /// the others' rows of it are gone).
    pub fn train_while(
        &mut self,
        train: &dyn Samples,
        mut team: Option<&mut dyn Team>,
        keep_going: &mut dyn FnMut(&Counters) -> bool,
    ) -> Result<&Counters> {
        self.check_dataset(train)?;
        let wanted = self.sampler.schedule().samples.max(self.grown_to);
        if train.len() < wanted {
            return Err(Error::InvalidData(format!(
                "the trainer was set up for {wanted} training samples, this dataset has {}",
                train.len()
            )));
        }
        // Steps begin ahead only within one call (the data may change between calls).
        if let Some(ahead) = &mut self.ahead {
            ahead.begun = false;
        }
        let team_size = team.as_ref().map_or(1, |t| t.size());
        if team_size <= 1 && self.sharded.take().is_some() {
            self.optimizer.reset();
        }
        let outcome = loop {
            let team = team.as_deref_mut().filter(|t| t.size() > 1);
            match self.step(train, team, keep_going) {
                Ok(true) => {}
                Ok(false) => break Ok(()),
                Err(e) => break Err(e),
            }
        };
        if let (Some(team), Some(sharded)) = (team, self.sharded.as_mut()) {
            if outcome.is_ok() {
                sharded.collect(&mut self.net, team)?;
            }
        }
        outcome.map(|()| &self.counters)
    }

    fn run(&mut self, train: &dyn Samples, n: usize) -> Result<&Counters> {
        let mut left = n;
        if n == 0 {
            self.check_dataset(train)?;
            return Ok(&self.counters);
        }
        self.train_while(train, None, &mut |_| {
            left = left.saturating_sub(1);
            left > 0
        })
    }

    /// One iteration: the next mini-batch, forward, loss, backward, update
    /// (on `team`, this trainer being worker 0, if given). Returns whether to
    /// go on: not after a diverged step, else what `keep_going` says.
    ///
    /// On a team, `keep_going` is asked as soon as the step's loss is known,
    /// before the first layer's gradients: if the answer is yes, the next
    /// step begins there, on the next batch, taken now ([`stage_next`]) —
    /// so that the others start it as soon as they finish this one, instead
    /// of waiting for worker 0 to take the batch between the steps.
    fn step(
        &mut self,
        train: &dyn Samples,
        team: Option<&mut (dyn Team + '_)>,
        keep_going: &mut dyn FnMut(&Counters) -> bool,
    ) -> Result<bool> {
        let batch_start = self.clock.filter(|_| team.is_some()).map(|c| c());
        if self.sampler.roll() {
            self.refit_to_schedule();
        }
        let indices = self.sampler.next_batch();
        // Begun inside the last step, on the batch taken there.
        let begun = team.is_some()
            && self
                .ahead
                .as_mut()
                .is_some_and(|ahead| std::mem::take(&mut ahead.begun));
        let batch = match (&mut self.ahead, &mut self.tail) {
            (Some(ahead), _) if begun => {
                debug_assert_eq!(ahead.indices, indices, "the batch the sampler showed");
                std::mem::swap(&mut self.batch, &mut ahead.batch);
                &mut self.batch
            }
            (_, Some(tail)) if indices.len() == tail.size() => tail,
            _ => &mut self.batch,
        };
        if !begun {
            batch.fill(train, indices)?;
        }
        let size = batch.size();
        let (x, labels) = (batch.x().data(), batch.labels());
        let Some(team) = team else {
            let result =
                self.step
                    .train_batch(&mut self.net, self.optimizer.as_mut(), x, labels)?;
            count(
                (&mut self.counters, &mut self.totals, &mut self.history),
                &self.sampler,
                (result.loss, result.correct, size),
            );
            return Ok(!self.counters.diverged() && keep_going(&self.counters));
        };
        Sharded::ensure(
            &mut self.sharded,
            &self.net,
            self.optimizer.as_mut(),
            self.clock,
            team,
        )?;
        let sharded = self.sharded.as_mut().expect("set above");
        let lr = self.optimizer.hyper().lr;
        if !begun {
            // Bad data is refused once, before the others see it (a batch
            // taken ahead was checked then).
            ShardedStep::check(&self.net, x, labels)?;
            team.begin_step(x, labels, lr, false)?;
        }
        if let (Some(start), Some(clock)) = (batch_start, self.clock) {
            sharded.step.add_batch_time(clock() - start);
        }
        sharded.stale = true;
        let (shard, opt) = (&sharded.shard, self.optimizer.as_mut());
        let result = sharded.step.train_upper_layers(
            shard,
            &mut self.net,
            opt,
            x,
            labels,
            team.exchange(),
        )?;
        count(
            (&mut self.counters, &mut self.totals, &mut self.history),
            &self.sampler,
            (result.loss, result.correct, size),
        );
        let go = !self.counters.diverged() && keep_going(&self.counters);
        if go {
            let start = self.clock.map(|c| c());
            stage_next(&self.sampler, &mut self.ahead, train, &self.net, team, lr)?;
            if let (Some(start), Some(clock)) = (start, self.clock) {
                sharded.step.add_staging_time(clock() - start);
            }
        }
        sharded
            .step
            .train_first_layer(shard, &mut self.net, opt, x, size)?;
        Ok(go)
    }

    /// Moves training onto `team` now (it would at the next step on it):
    /// the network and the optimiser's state go over, each worker keeping
    /// its rows. Lets a caller time the steps apart from the move.
    pub fn join_team(&mut self, team: &mut dyn Team) -> Result<()> {
        if team.size() <= 1 {
            return Ok(());
        }
        Sharded::ensure(
            &mut self.sharded,
            &self.net,
            self.optimizer.as_mut(),
            self.clock,
            team,
        )
    }

    /// Moves training off `team` (the one it trained on) to this trainer
    /// alone, keeping everything: the others' rows of the network and of
    /// the optimiser's state come over, and the next step alone is the step
    /// the team would have taken, up to float rounding. Nothing to do if it
    /// was not on a team. (If someone else has shared another network with
    /// the team since, the optimiser starts afresh, as in `join`.) On an
    /// error (a helper stopped answering) the optimiser starts afresh and
    /// the others' rows since the last [`Trainer::train_while`] are lost.
    pub fn leave_team(&mut self, team: &mut dyn Team) -> Result<()> {
        let Some(mut sharded) = self.sharded.take() else {
            return Ok(());
        };
        if !sharded.is_on(team) {
            // Someone else shared another network since: as in `join`.
            self.optimizer.reset();
            return Ok(());
        }
        let spec = self.net.spec.clone();
        let mut others = FlatState::empty(&spec, self.optimizer.kind());
        let moved = sharded
            .collect(&mut self.net, team)
            .and_then(|()| team.collect_state(&mut others))
            .and_then(|()| others.merge_into(self.optimizer.as_mut(), &sharded.shard, &spec));
        if moved.is_err() {
            self.optimizer.reset();
        }
        moved
    }

    /// Train on the first `samples` images of the dataset from the next
    /// epoch on (see [`Sampler::grow`]): the pool of a download in progress.
    /// The dataset passed to [`Trainer::train_steps`] must then hold at
    /// least that many. Never shrinks.
    pub fn grow_to(&mut self, samples: usize) {
        self.grown_to = self.grown_to.max(samples);
        self.sampler.grow(samples);
    }

    /// The tail batch and the counters after the sample count changed.
    fn refit_to_schedule(&mut self) {
        let schedule = *self.sampler.schedule();
        let remainder = schedule.samples % schedule.batch_size;
        self.tail = (!schedule.drop_last && remainder > 0)
            .then(|| Batch::new(remainder, self.net.spec.input));
        self.counters.iterations_per_epoch = schedule.iterations_per_epoch();
    }

    /// Loss, accuracy and confusion matrix on the first `limit` samples of
    /// `data` (all of them if it has fewer), without changing any weight.
    pub fn evaluate(&self, data: &dyn Samples, limit: usize) -> Result<Evaluation> {
        self.check_dataset(data)?;
        self.evaluator.borrow_mut().evaluate(&self.net, data, limit)
    }

    /// Change the learning rate between steps; the optimiser keeps its state.
    pub fn set_lr(&mut self, lr: f64) -> Result<()> {
        let hyper = Hyper {
            lr,
            ..self.optimizer.hyper()
        };
        self.optimizer.set_hyper(hyper)
    }

    /// Time where this trainer's steps on a team go, with `clock`
    /// (milliseconds; see [`Trainer::team_times`]).
    pub fn measure_with(&mut self, clock: fn() -> f64) {
        self.clock = Some(clock);
        if let Some(sharded) = self.sharded.as_mut() {
            sharded.step.set_clock(Some(clock));
        }
    }

    /// Where worker 0's steps on a team spent their time, summed since the
    /// team began (`None` before a step on a team; zeros without a clock).
    pub fn team_times(&self) -> Option<PhaseTimes> {
        self.sharded.as_ref().map(|s| s.step.times())
    }

    /// What the training-loop lesson shows: epoch, iteration, losses.
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    /// Mean loss and accuracy of every finished epoch.
    pub fn history(&self) -> &[EpochSummary] {
        &self.history
    }

    /// True once a step produced a NaN or infinite loss (learning rate too
    /// high, typically); further steps only spread the NaNs.
    pub fn diverged(&self) -> bool {
        self.counters.diverged()
    }

    /// ‖∂loss/∂W‖ of each layer after the last step, input side first (see
    /// [`TrainStep::weight_grad_norms`]); empty before the first step.
    pub fn weight_grad_norms(&self) -> Vec<f32> {
        self.step.weight_grad_norms()
    }

    /// The network being trained.
    pub fn net(&self) -> &Mlp {
        &self.net
    }

    /// The optimiser, with its state.
    pub fn optimizer(&self) -> &dyn Optimizer<f32> {
        self.optimizer.as_ref()
    }

    /// How the training set is cut into mini-batches.
    pub fn schedule(&self) -> &Schedule {
        self.sampler.schedule()
    }

    /// The network as a model file (with the initialiser, if known).
    pub fn to_saved(&self) -> SavedModel {
        SavedModel {
            init: self.init,
            ..self.net.to_saved()
        }
    }

    /// The dataset must fit the network: one input per pixel value, one
    /// output per class.
    fn check_dataset(&self, data: &dyn Samples) -> Result<()> {
        let spec = &self.net.spec;
        if data.sample_len() != spec.input {
            return Err(Error::WrongDimension {
                what: "network input (values per image)",
                expected: data.sample_len(),
                got: spec.input,
            });
        }
        if data.classes() != spec.classes() {
            return Err(Error::InvalidData(format!(
                "the dataset has {} classes but the network has {} outputs",
                data.classes(),
                spec.classes()
            )));
        }
        Ok(())
    }
}
