//! x86-64 micro-kernels: AVX2+FMA and AVX-512F, picked at run time.
//!
//! Both broadcast one element of the left panel and multiply it into whole
//! vectors of the right panel with fused multiply-add, keeping the output
//! tile in registers:
//! - AVX2: 6 × 16 tile = 12 ymm accumulators + 2 loads + 1 broadcast of the
//!   16 ymm registers; 6 × 8 for a narrow last column panel.
//! - AVX-512: 8 × 32 tile = 16 zmm accumulators + 2 loads + 1 broadcast of
//!   32; 8 × 16 for a narrow last column panel. Eight rows divide the batch
//!   of 64 exactly; on this machine (AMD family 1Ah, full-width 512-bit FMA)
//!   it measured faster than 12 × 32, 14 × 32, 16 × 16 and 24 × 16.
//!
//! The packing loops are compiled inside the same `target_feature` functions
//! (see `run_avx2`, `run_avx512`), so they are vectorised with the wide
//! instructions too.

use core::arch::x86_64::*;

use super::blocked::{self, MicroKernel, Problem};
use super::scratch::PackBuffer;

/// AVX2+FMA, `6 × 8·NV` tile.
pub(crate) struct Avx2Kernel<const NV: usize>;

impl<const NV: usize> MicroKernel for Avx2Kernel<NV> {
    const MR: usize = 6;
    const NR: usize = 8 * NV;

    #[inline(always)]
    unsafe fn tile(
        kc: usize,
        a: *const f32,
        b: *const f32,
        c: *mut f32,
        ldc: usize,
        accumulate: bool,
    ) {
        tile_avx2::<NV>(kc, a, b, c, ldc, accumulate)
    }

    const TRANSPOSE_COLS: usize = 8;

    #[inline(always)]
    unsafe fn transpose4(rows: [*const f32; 4], dst: *mut f32, stride: usize) {
        transpose_4x8(rows, dst, stride)
    }
}

#[target_feature(enable = "avx2,fma")]
unsafe fn tile_avx2<const NV: usize>(
    kc: usize,
    mut a: *const f32,
    mut b: *const f32,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    const MR: usize = 6;
    let mut acc = [[_mm256_setzero_ps(); NV]; MR];
    for _ in 0..kc {
        let mut b_row = [_mm256_setzero_ps(); NV];
        for (v, slot) in b_row.iter_mut().enumerate() {
            *slot = _mm256_loadu_ps(b.add(8 * v));
        }
        for (r, acc_row) in acc.iter_mut().enumerate() {
            let a_r = _mm256_broadcast_ss(&*a.add(r));
            for (slot, &b_v) in acc_row.iter_mut().zip(&b_row) {
                *slot = _mm256_fmadd_ps(a_r, b_v, *slot);
            }
        }
        a = a.add(MR);
        b = b.add(8 * NV);
    }
    for (r, acc_row) in acc.iter().enumerate() {
        let row = c.add(r * ldc);
        for (v, &value) in acc_row.iter().enumerate() {
            let dst = row.add(8 * v);
            let value = if accumulate {
                _mm256_add_ps(_mm256_loadu_ps(dst), value)
            } else {
                value
            };
            _mm256_storeu_ps(dst, value);
        }
    }
}

/// AVX-512F, `8 × 16·NV` tile.
pub(crate) struct Avx512Kernel<const NV: usize>;

impl<const NV: usize> MicroKernel for Avx512Kernel<NV> {
    const MR: usize = 8;
    const NR: usize = 16 * NV;

    #[inline(always)]
    unsafe fn tile(
        kc: usize,
        a: *const f32,
        b: *const f32,
        c: *mut f32,
        ldc: usize,
        accumulate: bool,
    ) {
        tile_avx512::<NV>(kc, a, b, c, ldc, accumulate)
    }

    const TRANSPOSE_COLS: usize = 8;

    #[inline(always)]
    unsafe fn transpose4(rows: [*const f32; 4], dst: *mut f32, stride: usize) {
        transpose_4x8(rows, dst, stride)
    }
}

#[target_feature(enable = "avx512f")]
unsafe fn tile_avx512<const NV: usize>(
    kc: usize,
    mut a: *const f32,
    mut b: *const f32,
    c: *mut f32,
    ldc: usize,
    accumulate: bool,
) {
    const MR: usize = 8;
    let mut acc = [[_mm512_setzero_ps(); NV]; MR];
    for _ in 0..kc {
        let mut b_row = [_mm512_setzero_ps(); NV];
        for (v, slot) in b_row.iter_mut().enumerate() {
            *slot = _mm512_loadu_ps(b.add(16 * v));
        }
        for (r, acc_row) in acc.iter_mut().enumerate() {
            let a_r = _mm512_set1_ps(*a.add(r));
            for (slot, &b_v) in acc_row.iter_mut().zip(&b_row) {
                *slot = _mm512_fmadd_ps(a_r, b_v, *slot);
            }
        }
        a = a.add(MR);
        b = b.add(16 * NV);
    }
    for (r, acc_row) in acc.iter().enumerate() {
        let row = c.add(r * ldc);
        for (v, &value) in acc_row.iter().enumerate() {
            let dst = row.add(16 * v);
            let value = if accumulate {
                _mm512_add_ps(_mm512_loadu_ps(dst), value)
            } else {
                value
            };
            _mm512_storeu_ps(dst, value);
        }
    }
}

/// Transposes 4 rows × 8 columns: `dst[p·stride + i] = rows[i][p]`.
/// Two rounds of in-lane shuffles leave column `p` in the low half of one
/// register and column `p + 4` in its high half.
#[target_feature(enable = "avx2")]
unsafe fn transpose_4x8(rows: [*const f32; 4], dst: *mut f32, stride: usize) {
    let [r0, r1, r2, r3] = rows.map(|row| _mm256_loadu_ps(row));
    // [r0₀ r1₀ r0₁ r1₁ | r0₄ r1₄ r0₅ r1₅] and [r0₂ r1₂ r0₃ r1₃ | r0₆ r1₆ r0₇ r1₇].
    let (t0, t1) = (_mm256_unpacklo_ps(r0, r1), _mm256_unpackhi_ps(r0, r1));
    let (t2, t3) = (_mm256_unpacklo_ps(r2, r3), _mm256_unpackhi_ps(r2, r3));
    let columns = [
        _mm256_shuffle_ps::<0x44>(t0, t2), // columns 0 | 4
        _mm256_shuffle_ps::<0xEE>(t0, t2), // columns 1 | 5
        _mm256_shuffle_ps::<0x44>(t1, t3), // columns 2 | 6
        _mm256_shuffle_ps::<0xEE>(t1, t3), // columns 3 | 7
    ];
    for (p, both) in columns.into_iter().enumerate() {
        _mm_storeu_ps(dst.add(p * stride), _mm256_castps256_ps128(both));
        _mm_storeu_ps(dst.add((p + 4) * stride), _mm256_extractf128_ps::<1>(both));
    }
}

/// Runs a product with AVX2+FMA.
///
/// # Safety
/// The CPU must support AVX2 and FMA (`Isa::Avx2Fma.is_available()`).
#[target_feature(enable = "avx2,fma")]
pub(crate) unsafe fn run_avx2(problem: Problem<'_>, left: &mut PackBuffer, right: &mut PackBuffer) {
    blocked::run::<Avx2Kernel<2>, Avx2Kernel<1>>(problem, left, right)
}

/// Runs a product with AVX-512F.
///
/// # Safety
/// The CPU must support AVX-512F (`Isa::Avx512.is_available()`).
#[target_feature(enable = "avx512f,avx2,fma")]
pub(crate) unsafe fn run_avx512(
    problem: Problem<'_>,
    left: &mut PackBuffer,
    right: &mut PackBuffer,
) {
    blocked::run::<Avx512Kernel<2>, Avx512Kernel<1>>(problem, left, right)
}
