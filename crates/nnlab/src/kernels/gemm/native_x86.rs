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

/// One instruction set's kernel: the `MicroKernel` type and its tile
/// function, which differ between AVX2 and AVX-512 only in the tile height,
/// the vector width and the intrinsics' names.
macro_rules! fma_kernel {
    (
        $(#[$doc:meta])*
        $kernel:ident, $tile:ident, feature = $feature:literal, mr = $mr:literal, lanes = $lanes:literal,
        zero = $zero:ident, load = $load:ident, splat = $splat:expr, fma = $fma:ident,
        add = $add:ident, store = $store:ident $(,)?
    ) => {
        $(#[$doc])*
        pub(crate) struct $kernel<const NV: usize>;

        impl<const NV: usize> MicroKernel for $kernel<NV> {
            const MR: usize = $mr;
            const NR: usize = $lanes * NV;

            #[inline(always)]
            unsafe fn tile(
                kc: usize,
                a: *const f32,
                b: *const f32,
                c: *mut f32,
                ldc: usize,
                accumulate: bool,
            ) {
                $tile::<NV>(kc, a, b, c, ldc, accumulate)
            }

            const TRANSPOSE_COLS: usize = 8;

            #[inline(always)]
            unsafe fn transpose4(rows: [*const f32; 4], dst: *mut f32, stride: usize) {
                transpose_4x8(rows, dst, stride)
            }
        }

        #[target_feature(enable = $feature)]
        unsafe fn $tile<const NV: usize>(
            kc: usize,
            mut a: *const f32,
            mut b: *const f32,
            c: *mut f32,
            ldc: usize,
            accumulate: bool,
        ) {
            const MR: usize = $mr;
            let mut acc = [[$zero(); NV]; MR];
            for _ in 0..kc {
                let mut b_row = [$zero(); NV];
                for (v, slot) in b_row.iter_mut().enumerate() {
                    *slot = $load(b.add($lanes * v));
                }
                for (r, acc_row) in acc.iter_mut().enumerate() {
                    let a_r = $splat(a.add(r));
                    for (slot, &b_v) in acc_row.iter_mut().zip(&b_row) {
                        *slot = $fma(a_r, b_v, *slot);
                    }
                }
                a = a.add(MR);
                b = b.add($lanes * NV);
            }
            for (r, acc_row) in acc.iter().enumerate() {
                let row = c.add(r * ldc);
                for (v, &value) in acc_row.iter().enumerate() {
                    let dst = row.add($lanes * v);
                    let value = if accumulate {
                        $add($load(dst), value)
                    } else {
                        value
                    };
                    $store(dst, value);
                }
            }
        }
    };
}

fma_kernel! {
    /// AVX2+FMA, `6 × 8·NV` tile.
    Avx2Kernel, tile_avx2, feature = "avx2,fma", mr = 6, lanes = 8,
    zero = _mm256_setzero_ps, load = _mm256_loadu_ps,
    splat = |p: *const f32| _mm256_broadcast_ss(&*p),
    fma = _mm256_fmadd_ps, add = _mm256_add_ps, store = _mm256_storeu_ps,
}

fma_kernel! {
    /// AVX-512F, `8 × 16·NV` tile.
    Avx512Kernel, tile_avx512, feature = "avx512f", mr = 8, lanes = 16,
    zero = _mm512_setzero_ps, load = _mm512_loadu_ps,
    splat = |p: *const f32| _mm512_set1_ps(*p),
    fma = _mm512_fmadd_ps, add = _mm512_add_ps, store = _mm512_storeu_ps,
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
