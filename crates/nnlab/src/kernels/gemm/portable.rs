//! The portable micro-kernel: plain Rust the compiler vectorises on its own.
//!
//! On x86-64 without run-time detection this becomes SSE2 (two 4-wide
//! vectors per row of the tile); on wasm32 without SIMD128 it is scalar code
//! with 32 independent accumulators. Separate multiply and add, never
//! `f32::mul_add`, which is a slow library call where the target has no FMA.

use super::blocked::{self, MicroKernel, Problem};
use super::scratch::PackBuffer;

/// 4 × 8 tile: 8 SSE accumulators + 2 loads + 1 broadcast fit in 16 registers.
pub(crate) struct PortableKernel;

const MR: usize = 4;
const NR: usize = 8;

impl MicroKernel for PortableKernel {
    const MR: usize = MR;
    const NR: usize = NR;

    #[inline(always)]
    unsafe fn tile(
        kc: usize,
        a: *const f32,
        b: *const f32,
        c: *mut f32,
        ldc: usize,
        accumulate: bool,
    ) {
        // SAFETY: the caller guarantees kc·MR and kc·NR readable floats.
        let a = core::slice::from_raw_parts(a, kc * MR);
        let b = core::slice::from_raw_parts(b, kc * NR);
        let mut acc = [[0.0f32; NR]; MR];
        for (a_col, b_row) in a.chunks_exact(MR).zip(b.chunks_exact(NR)) {
            for (acc_row, &a_value) in acc.iter_mut().zip(a_col) {
                for (slot, &b_value) in acc_row.iter_mut().zip(b_row) {
                    *slot += a_value * b_value;
                }
            }
        }
        for (r, acc_row) in acc.iter().enumerate() {
            // SAFETY: the caller guarantees the MR × NR tile at `c` is writable.
            let dst = core::slice::from_raw_parts_mut(c.add(r * ldc), NR);
            if accumulate {
                dst.iter_mut().zip(acc_row).for_each(|(d, s)| *d += s);
            } else {
                dst.copy_from_slice(acc_row);
            }
        }
    }
}

/// Runs a product on the portable path.
pub(crate) fn run(problem: Problem<'_>, left: &mut PackBuffer, right: &mut PackBuffer) {
    // SAFETY: the portable kernel needs no special instructions.
    unsafe { blocked::run::<PortableKernel, PortableKernel>(problem, left, right) }
}
