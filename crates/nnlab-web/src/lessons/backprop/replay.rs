//! The backward pass again, one node at a time, so the page can show it
//! happening. It walks the tape in reverse exactly as the core's
//! `Var::grad` does (seed the output with 1, then each node adds
//! `adjoint × local derivative` into its parents); the tests check that the
//! final adjoints are the core's, bit for bit.

use super::trace::Trace;

/// The core's backward pass replayed one node at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    /// Nodes in the order the backward pass visits them: the output, then
    /// back down the tape (only nodes the output depends on).
    order: Vec<usize>,
    /// How many nodes of `order` have passed their adjoint on.
    done: usize,
    /// The adjoints so far: final for visited nodes, partial sums for the rest.
    adjoints: Vec<f64>,
}

impl Replay {
    /// The backward pass of `trace`, before its first step.
    pub fn new(trace: &Trace) -> Replay {
        let n = trace.nodes.len();
        let mut needed = vec![false; n];
        needed[trace.output] = true;
        for i in (0..=trace.output).rev() {
            if needed[i] {
                for &(p, _) in &trace.nodes[i].parents {
                    needed[p] = true;
                }
            }
        }
        let order = (0..=trace.output).rev().filter(|&i| needed[i]).collect();
        Replay {
            order,
            done: 0,
            adjoints: vec![0.0; n],
        }
    }

    /// Visits the next node: its adjoint is now final and flows to its parents.
    /// Returns false when the pass is already over.
    pub fn step(&mut self, trace: &Trace) -> bool {
        let Some(&i) = self.order.get(self.done) else {
            return false;
        };
        if self.done == 0 {
            self.adjoints[i] = 1.0; // ∂f/∂f
        }
        let a = self.adjoints[i];
        if a != 0.0 {
            for &(p, local) in &trace.nodes[i].parents {
                self.adjoints[p] += a * local;
            }
        }
        self.done += 1;
        true
    }

    /// The node visited last (highlighted on the page), if any.
    pub fn current(&self) -> Option<usize> {
        self.done.checked_sub(1).map(|k| self.order[k])
    }

    /// Whether node `i` has been visited (its adjoint is final).
    pub fn is_final(&self, i: usize) -> bool {
        self.order[..self.done].contains(&i)
    }

    /// Whether node `i` has received its first contribution (a visited node
    /// lists it as a parent), so its running sum is worth showing.
    pub fn is_reached(&self, trace: &Trace, i: usize) -> bool {
        self.order[..self.done]
            .iter()
            .any(|&v| v == i || trace.nodes[v].parents.iter().any(|&(p, _)| p == i))
    }

    /// Node `i`'s adjoint so far (final once the node has passed it on).
    pub fn adjoint(&self, i: usize) -> f64 {
        self.adjoints[i]
    }

    /// Nodes that have passed their adjoint on.
    pub fn steps_done(&self) -> usize {
        self.done
    }

    /// Nodes the backward pass visits in all.
    pub fn steps_total(&self) -> usize {
        self.order.len()
    }

    /// Whether every node has passed its adjoint on.
    pub fn finished(&self) -> bool {
        self.done == self.order.len()
    }
}
