//! The collective operation a sharded step needs, over whatever the
//! workers share (`SharedArrayBuffer`s between Web Workers, memory between
//! threads).

use crate::Result;

/// One worker's end of the team's exchanges.
///
/// An implementation provides [`publish`](Exchange::publish) (this worker's
/// part, then wait until every worker has published theirs) and
/// [`part`](Exchange::part) (read one worker's part of the last round); the
/// all-reduce is built on them. Every worker must call the same sequence
/// of collectives with parts of the same lengths — the sharded step does, as
/// every worker runs the same code on the same batch.
pub trait Exchange {
    /// This worker's place in the team, from 0.
    fn rank(&self) -> usize;

    /// Workers in the team.
    fn size(&self) -> usize;

    /// Makes `mine` this worker's part of a new round and waits until every
    /// worker has published its part of that round. An error if a worker
    /// stopped answering.
    fn publish(&mut self, mine: &[f32]) -> Result<()>;

    /// Worker `rank`'s part of the last round (`len` floats).
    fn part(&mut self, rank: usize, len: usize) -> &[f32];

    /// The element-wise sum of every worker's `mine` into `sum`, added in
    /// rank order starting from worker 0's part, so every worker gets the
    /// same bits.
    fn all_reduce(&mut self, mine: &[f32], sum: &mut [f32]) -> Result<()> {
        self.publish(mine)?;
        let len = mine.len();
        for q in 0..self.size() {
            let part = if q == self.rank() {
                mine
            } else {
                self.part(q, len)
            };
            if q == 0 {
                sum.copy_from_slice(part);
            } else {
                sum.iter_mut().zip(part).for_each(|(s, p)| *s += p);
            }
        }
        Ok(())
    }
}

/// A team of one: every collective returns this worker's own part.
#[derive(Debug, Default)]
pub struct Alone {
    last: Vec<f32>,
}

impl Exchange for Alone {
    fn rank(&self) -> usize {
        0
    }

    fn size(&self) -> usize {
        1
    }

    fn publish(&mut self, mine: &[f32]) -> Result<()> {
        self.last.clear();
        self.last.extend_from_slice(mine);
        Ok(())
    }

    fn part(&mut self, _rank: usize, len: usize) -> &[f32] {
        &self.last[..len]
    }
}
