//! A team of native threads: what the Web Workers do with shared buffers,
//! done with shared memory — for the tests (one worker against a team, on
//! real threads) and for native runs.
//!
//! A follower thread that fails would leave the others waiting at the next
//! exchange; they cannot, because worker 0 checks every batch before the
//! followers see it and the followers' computation has no other way to fail.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::JoinHandle;

use super::exchange::Exchange;
use super::follower::Follower;
use super::shard::Shard;
use super::state::FlatState;
use super::team::{read_piece, write_flat, Team};
use crate::error::{Error, Result};
use crate::nn::{Mlp, MlpSpec};
use crate::optim::{Hyper, OptimizerKind};

/// What the threads of a team share: a barrier, and each worker's part of
/// the last two rounds (two, so a worker already publishing the next round
/// never overwrites a part another is still reading).
struct Shared {
    barrier: Barrier,
    parts: [Vec<Mutex<Vec<f32>>>; 2],
}

/// One thread's end of the team's exchanges.
pub struct ThreadExchange {
    rank: usize,
    shared: Arc<Shared>,
    round: usize,
    scratch: Vec<f32>,
}

impl ThreadExchange {
    /// The ends of a team of `size` threads, in rank order.
    pub fn team(size: usize) -> Vec<ThreadExchange> {
        let size = size.max(1);
        let parts = || (0..size).map(|_| Mutex::new(Vec::new())).collect();
        let shared = Arc::new(Shared {
            barrier: Barrier::new(size),
            parts: [parts(), parts()],
        });
        (0..size)
            .map(|rank| ThreadExchange {
                rank,
                shared: shared.clone(),
                round: 0,
                scratch: Vec::new(),
            })
            .collect()
    }
}

fn poisoned() -> Error {
    Error::InvalidData("a training thread stopped".into())
}

impl Exchange for ThreadExchange {
    fn rank(&self) -> usize {
        self.rank
    }

    fn size(&self) -> usize {
        self.shared.parts[0].len()
    }

    fn publish(&mut self, mine: &[f32]) -> Result<()> {
        {
            let mut part = self.shared.parts[self.round % 2][self.rank]
                .lock()
                .map_err(|_| poisoned())?;
            part.clear();
            part.extend_from_slice(mine);
        }
        self.shared.barrier.wait();
        self.round += 1;
        Ok(())
    }

    fn part(&mut self, rank: usize, len: usize) -> &[f32] {
        let slot = &self.shared.parts[(self.round + 1) % 2][rank];
        self.scratch.clear();
        if let Ok(part) = slot.lock() {
            self.scratch.extend_from_slice(&part[..len]);
        }
        &self.scratch
    }
}

enum Job {
    Share(Arc<Vec<f32>>, OptimizerKind, Hyper),
    Step(Arc<(Vec<f32>, Vec<usize>)>, f64),
    Collect,
    ShareState(Arc<FlatState>),
    CollectState(Arc<Mutex<FlatState>>),
}

/// Worker 0's view of `size − 1` follower threads.
pub struct ThreadTeam {
    spec: MlpSpec,
    exchange: ThreadExchange,
    jobs: Vec<Sender<Job>>,
    done: Receiver<Result<()>>,
    /// Where followers put their rows for [`Team::collect`].
    flat: Arc<Mutex<Vec<f32>>>,
    threads: Vec<JoinHandle<()>>,
    shares: u64,
    /// The batch [`Team::stage`] handed over for the next step.
    staged: Option<Arc<(Vec<f32>, Vec<usize>)>>,
    staged_steps: u64,
}

impl ThreadTeam {
    /// Starts `size − 1` follower threads for networks of `spec`.
    pub fn start(spec: &MlpSpec, size: usize) -> Result<ThreadTeam> {
        let mut ends = ThreadExchange::team(size).into_iter();
        let exchange = ends.next().expect("a team has worker 0");
        let flat = Arc::new(Mutex::new(vec![0.0; spec.param_count()]));
        let (done_tx, done) = channel();
        let mut jobs = Vec::new();
        let mut threads = Vec::new();
        for mut ex in ends {
            let mut follower = Follower::new(spec.clone(), ex.rank(), size)?;
            let (tx, rx) = channel::<Job>();
            let (done_tx, flat) = (done_tx.clone(), flat.clone());
            threads.push(std::thread::spawn(move || {
                for job in rx {
                    // Steps answer through the exchanges; the others here.
                    let answers = !matches!(job, Job::Step(..));
                    let result = match job {
                        Job::Share(weights, kind, hyper) => follower.share(&weights, kind, hyper),
                        Job::Step(batch, lr) => {
                            follower.step(&batch.0, &batch.1, lr, &mut ex).map(|_| ())
                        }
                        Job::Collect => match flat.lock() {
                            Ok(mut flat) => {
                                follower
                                    .own_values(&mut |at, values| flat[at].copy_from_slice(values));
                                Ok(())
                            }
                            Err(_) => Err(poisoned()),
                        },
                        Job::ShareState(state) => follower.share_state(&state),
                        Job::CollectState(state) => match state.lock() {
                            Ok(mut state) => follower.own_state(&mut |i, at, values| {
                                state.vectors[i][at].copy_from_slice(values)
                            }),
                            Err(_) => Err(poisoned()),
                        },
                    };
                    if answers || result.is_err() {
                        let _ = done_tx.send(result);
                    }
                }
            }));
            jobs.push(tx);
        }
        Ok(ThreadTeam {
            spec: spec.clone(),
            exchange,
            jobs,
            done,
            flat,
            threads,
            shares: 0,
            staged: None,
            staged_steps: 0,
        })
    }

    /// Steps that began with the batch staged inside the step before.
    pub fn staged_steps(&self) -> u64 {
        self.staged_steps
    }

    fn send_all(&self, job: impl Fn() -> Job) -> Result<()> {
        for tx in &self.jobs {
            tx.send(job()).map_err(|_| poisoned())?;
        }
        Ok(())
    }

    fn wait_all(&self) -> Result<()> {
        for _ in &self.jobs {
            self.done.recv().map_err(|_| poisoned())??;
        }
        Ok(())
    }
}

impl Team for ThreadTeam {
    fn size(&self) -> usize {
        self.jobs.len() + 1
    }

    fn shares(&self) -> u64 {
        self.shares
    }

    fn share(&mut self, net: &Mlp, kind: OptimizerKind, hyper: Hyper) -> Result<()> {
        let mut flat = vec![0.0; net.spec.param_count()];
        write_flat(net, &mut flat);
        let flat = Arc::new(flat);
        self.send_all(|| Job::Share(flat.clone(), kind, hyper))?;
        self.wait_all()?;
        self.shares += 1;
        Ok(())
    }

    fn begin_step(&mut self, x: &[f32], labels: &[usize], lr: f64, staged: bool) -> Result<()> {
        let batch = match self.staged.take() {
            Some(batch) if staged => {
                self.staged_steps += 1;
                batch
            }
            _ => Arc::new((x.to_vec(), labels.to_vec())),
        };
        self.send_all(|| Job::Step(batch.clone(), lr))
    }

    /// Kept until the next step: threads share memory, there is nothing to
    /// copy early (the staging is here so that the tests run the trainer's
    /// staged steps on real threads).
    fn stage(&mut self, x: &[f32], labels: &[usize]) -> Result<bool> {
        self.staged = Some(Arc::new((x.to_vec(), labels.to_vec())));
        Ok(true)
    }

    fn exchange(&mut self) -> &mut dyn Exchange {
        &mut self.exchange
    }

    fn collect(&mut self, net: &mut Mlp) -> Result<()> {
        self.send_all(|| Job::Collect)?;
        self.wait_all()?;
        let flat = self.flat.lock().map_err(|_| poisoned())?;
        let shard = Shard::new(&self.spec, 0, self.size());
        for rank in 1..self.size() {
            for piece in shard.pieces(rank, &self.spec) {
                read_piece(net, &piece, &flat);
            }
        }
        Ok(())
    }

    fn share_state(&mut self, state: &FlatState) -> Result<()> {
        let state = Arc::new(state.clone());
        self.send_all(|| Job::ShareState(state.clone()))?;
        self.wait_all()
    }

    fn collect_state(&mut self, state: &mut FlatState) -> Result<()> {
        let shared = Arc::new(Mutex::new(std::mem::take(state)));
        self.send_all(|| Job::CollectState(shared.clone()))?;
        let answered = self.wait_all();
        let mut back = shared.lock().map_err(|_| poisoned())?;
        std::mem::swap(state, &mut back);
        answered
    }
}

impl Drop for ThreadTeam {
    fn drop(&mut self) {
        // Closing the job channels ends the threads' loops.
        self.jobs.clear();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}
