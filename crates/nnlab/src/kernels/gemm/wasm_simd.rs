//! wasm32 SIMD128 micro-kernel.
//!
//! V8 leaves about 15 of the 16 xmm registers to wasm SIMD code, so the tile
//! must fit in 15 (see `wasm-simd-notes.md` in the shared docs). The tile is
//! 4 × 8: 8 accumulators + 2 loads + 1 broadcast + the product temporaries
//! of a separate multiply and add. Measured in headless Chromium 156 on this
//! machine (whole training step, best of several noisy runs): 4 × 8 reaches
//! 48–54 GFLOP/s with and without relaxed SIMD's fused multiply-add and with
//! and without extra LLVM flags. A 6 × 8 fused tile reached the same ~50 only
//! with `-C llvm-args=-pre-RA-sched=source -C llvm-args=-disable-lsr` and
//! fell to ~20 (V8 spills) without them, so 4 × 8 is the robust choice.
//!
//! The `k` loop is deliberately not unrolled: LLVM would hoist the next
//! step's loads and V8 would then spill.

use core::arch::wasm32::*;

use super::blocked::{self, MicroKernel, Problem};
use super::scratch::PackBuffer;

/// Rows of the tile.
const MR: usize = 4;

/// SIMD128 `MR × 4·NV` tile: 8 columns, or 4 for a narrow last column panel.
pub(crate) struct Simd128Kernel<const NV: usize>;

/// `a·b + c`, fused (one rounding) when relaxed SIMD is compiled in.
#[inline(always)]
fn madd(a: v128, b: v128, c: v128) -> v128 {
    #[cfg(target_feature = "relaxed-simd")]
    {
        f32x4_relaxed_madd(a, b, c)
    }
    #[cfg(not(target_feature = "relaxed-simd"))]
    {
        f32x4_add(f32x4_mul(a, b), c)
    }
}

impl<const NV: usize> MicroKernel for Simd128Kernel<NV> {
    const MR: usize = MR;
    const NR: usize = 4 * NV;

    #[inline(always)]
    unsafe fn tile(
        kc: usize,
        mut a: *const f32,
        mut b: *const f32,
        c: *mut f32,
        ldc: usize,
        accumulate: bool,
    ) {
        let mut acc = [[f32x4_splat(0.0); NV]; MR];
        for _ in 0..kc {
            let mut b_row = [f32x4_splat(0.0); NV];
            for (v, slot) in b_row.iter_mut().enumerate() {
                // SAFETY: the caller guarantees kc·MR and kc·NR readable floats.
                *slot = v128_load(b.add(4 * v) as *const v128);
            }
            for (r, acc_row) in acc.iter_mut().enumerate() {
                let a_r = v128_load32_splat(a.add(r) as *const u32);
                for (slot, &b_v) in acc_row.iter_mut().zip(&b_row) {
                    *slot = madd(a_r, b_v, *slot);
                }
            }
            a = a.add(MR);
            b = b.add(4 * NV);
        }
        for (r, acc_row) in acc.iter().enumerate() {
            let row = c.add(r * ldc);
            for (v, &value) in acc_row.iter().enumerate() {
                // SAFETY: the caller guarantees the MR × NR tile at `c` is writable.
                let dst = row.add(4 * v) as *mut v128;
                let value = if accumulate {
                    f32x4_add(v128_load(dst), value)
                } else {
                    value
                };
                v128_store(dst, value);
            }
        }
    }

    #[inline(always)]
    unsafe fn transpose4(rows: [*const f32; 4], dst: *mut f32, stride: usize) {
        transpose_4x4(rows, dst, stride)
    }
}

/// Transposes 4 × 4: `dst[p·stride + i] = rows[i][p]`.
#[inline(always)]
unsafe fn transpose_4x4(rows: [*const f32; 4], dst: *mut f32, stride: usize) {
    // SAFETY: the caller guarantees 4 readable floats per row.
    let [r0, r1, r2, r3] = rows.map(|row| v128_load(row as *const v128));
    // [r0₀ r1₀ r0₁ r1₁], [r0₂ r1₂ r0₃ r1₃], and the same for rows 2 and 3.
    let t0 = i32x4_shuffle::<0, 4, 1, 5>(r0, r1);
    let t1 = i32x4_shuffle::<2, 6, 3, 7>(r0, r1);
    let t2 = i32x4_shuffle::<0, 4, 1, 5>(r2, r3);
    let t3 = i32x4_shuffle::<2, 6, 3, 7>(r2, r3);
    let columns = [
        i32x4_shuffle::<0, 1, 4, 5>(t0, t2),
        i32x4_shuffle::<2, 3, 6, 7>(t0, t2),
        i32x4_shuffle::<0, 1, 4, 5>(t1, t3),
        i32x4_shuffle::<2, 3, 6, 7>(t1, t3),
    ];
    for (p, column) in columns.into_iter().enumerate() {
        // SAFETY: the caller guarantees the written positions are valid.
        v128_store(dst.add(p * stride) as *mut v128, column);
    }
}

/// Runs a product with SIMD128 (compiled in, so always available in this build).
pub(crate) fn run(problem: Problem<'_>, left: &mut PackBuffer, right: &mut PackBuffer) {
    // SAFETY: this module is only compiled with `target_feature = "simd128"`.
    unsafe { blocked::run::<Simd128Kernel<2>, Simd128Kernel<1>>(problem, left, right) }
}
