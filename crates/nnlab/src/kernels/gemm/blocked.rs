//! The cache-blocked loop nest shared by every instruction set.
//!
//! Loop order (outside in), after Goto and van de Geijn's GEMM:
//! 1. `n` in blocks of up to `nc` columns, and `k` in blocks of `KC`: pack the
//!    right operand's `KC × nc` block into `NR`-wide panels (L2/L3).
//! 2. `m` in blocks of `mc` rows: pack the left operand's `mc × KC` block into
//!    `MR`-high panels (about 128 KB, stays in L2).
//! 3. For each `NR`-wide panel of the right block (`KC × NR`, 8–32 KB, stays
//!    in L1) run the micro-kernel down all `MR`-high panels of the left block.
//!
//! The micro-kernel keeps an `MR × NR` tile of the output in registers for a
//! whole `KC` run, so each output element is loaded and stored once per `KC`
//! slice of `k`. Tiles that stick out past `m` or `n` are computed into a
//! local buffer from the zero-padded panels and only their live part is
//! written back.

use super::operand::Operand;
use super::pack::pack_panels;
use super::scratch::PackBuffer;

/// Depth of one packed block. `KC × NR` floats of the right operand must sit
/// in L1 next to streaming left panels: 256 × 32 × 4 B = 32 KB (AVX-512) of
/// the 48 KB L1 of this machine's cores, 16 KB for AVX2, 8 KB for SIMD128
/// (the wasm notes found the same KC best).
pub(crate) const KC: usize = 256;
/// Target size of the packed left block, in floats (128 KB: a share of L2).
const LEFT_BLOCK_FLOATS: usize = 128 * 256;
/// Target size of the packed right block, in floats (1 MB: L2 + L3).
const RIGHT_BLOCK_FLOATS: usize = 1024 * 256;
/// Largest `MR × NR` of any micro-kernel (the edge-tile buffer).
const MAX_TILE: usize = 512;

/// A register-blocked micro-kernel: `MR × NR` outputs from one left panel
/// and one right panel.
pub(crate) trait MicroKernel {
    /// Rows of the output tile (broadcast from the left panel).
    const MR: usize;
    /// Columns of the output tile (vectors loaded from the right panel).
    const NR: usize;

    /// `c[r·ldc + j] (+)= Σ_p a[p·MR + r] · b[p·NR + j]` for the full
    /// `MR × NR` tile, adding to `c` when `accumulate`, overwriting otherwise.
    ///
    /// # Safety
    /// `a` must be valid for `kc·MR` reads, `b` for `kc·NR` reads, and every
    /// `c[r·ldc + j]` with `r < MR`, `j < NR` for reads and writes. The caller
    /// must also have checked that the instruction set is available.
    unsafe fn tile(
        kc: usize,
        a: *const f32,
        b: *const f32,
        c: *mut f32,
        ldc: usize,
        accumulate: bool,
    );

    /// Columns transposed by one call of [`MicroKernel::transpose4`].
    const TRANSPOSE_COLS: usize = 4;

    /// `dst[p·stride + i] = rows[i][p]` for `i < 4`, `p < TRANSPOSE_COLS`:
    /// the inner step of packing an operand stored with `k` contiguous.
    /// Instruction sets override it with vector shuffles (together with
    /// `TRANSPOSE_COLS`).
    ///
    /// # Safety
    /// Each `rows[i]` must be readable for `TRANSPOSE_COLS` floats, the
    /// written positions of `dst` writable, and the instruction set available.
    #[inline(always)]
    unsafe fn transpose4(rows: [*const f32; 4], dst: *mut f32, stride: usize) {
        for p in 0..Self::TRANSPOSE_COLS {
            for (i, row) in rows.iter().enumerate() {
                *dst.add(p * stride + i) = *row.add(p);
            }
        }
    }
}

/// One product `out (+)= left · rightᵀ` in the blocked orientation: `left` is
/// seen as `[m, k]`, `right` as `[n, k]` (see [`Operand`]), `out` is `[m, n]`.
pub(crate) struct Problem<'a> {
    pub left: Operand<'a>,
    pub right: Operand<'a>,
    pub out: &'a mut [f32],
    pub m: usize,
    pub k: usize,
    pub n: usize,
    pub accumulate: bool,
}

/// Runs `problem` with micro-kernel `K`, and `N` (same `MR`, narrower `NR`)
/// for a last column panel that would otherwise be mostly zero padding: with
/// `n = 100` and a 32-wide `K`, the last 4 columns go through a 16-wide `N`
/// (112 columns computed instead of 128). Pass `N = K` to use one kernel.
///
/// `#[inline(always)]` so that each instruction set's entry point (compiled
/// with its `target_feature`s) gets its own copy of the packing loops,
/// vectorised for that instruction set.
///
/// # Safety
/// The kernels' instruction set must be available on this CPU. The slices in
/// `problem` must match its dimensions (checked by the public functions).
#[inline(always)]
pub(crate) unsafe fn run<K: MicroKernel, N: MicroKernel>(
    problem: Problem<'_>,
    left_buf: &mut PackBuffer,
    right_buf: &mut PackBuffer,
) {
    let Problem {
        left,
        right,
        out,
        m,
        k,
        n,
        accumulate,
    } = problem;
    debug_assert!(K::MR * K::NR <= MAX_TILE && N::MR == K::MR && N::NR <= K::NR);
    debug_assert_eq!(out.len(), m * n);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            out.fill(0.0);
        }
        return;
    }
    let (mr, nr) = (K::MR, K::NR);
    let kc_max = k.min(KC);
    let mc_max = (LEFT_BLOCK_FLOATS / kc_max / mr).max(1) * mr;
    let nc_max = (RIGHT_BLOCK_FLOATS / kc_max / nr).max(1) * nr;
    let left_len = m.min(mc_max).div_ceil(mr) * mr * kc_max;
    // The narrow tail never needs more room than one wide panel would.
    let right_len = n.min(nc_max).div_ceil(nr) * nr * kc_max;
    let left_block = left_buf.slice(left_len);
    let right_block = right_buf.slice(right_len);
    let target = Target {
        ptr: out.as_mut_ptr(),
        m,
        n,
    };

    for jc in (0..n).step_by(nc_max) {
        let nc = nc_max.min(n - jc);
        let tail = narrow_tail(nc, nr, N::NR);
        let wide = nc - tail;
        for pc in (0..k).step_by(KC) {
            let kc = KC.min(k - pc);
            // After the first slice of k the tile always adds to what is there.
            let add = accumulate || pc > 0;
            let (wide_packed, rest) = right_block.split_at_mut(wide.div_ceil(nr) * nr * kc);
            let tail_packed = &mut rest[..tail.div_ceil(N::NR) * N::NR * kc];
            pack_panels::<K>(right, jc, wide, pc, kc, nr, wide_packed);
            pack_panels::<K>(right, jc + wide, tail, pc, kc, N::NR, tail_packed);
            for ic in (0..m).step_by(mc_max) {
                let mc = mc_max.min(m - ic);
                let left_packed = &mut left_block[..mc.div_ceil(mr) * mr * kc];
                pack_panels::<K>(left, ic, mc, pc, kc, mr, left_packed);
                multiply_packed::<K>(left_packed, wide_packed, kc, (ic, jc), target, add);
                multiply_packed::<N>(left_packed, tail_packed, kc, (ic, jc + wide), target, add);
            }
        }
    }
}

/// How many of the last columns of an `nc`-wide block go to the narrow
/// kernel: the remainder past the last full wide panel, if it fits in one
/// narrow panel.
fn narrow_tail(nc: usize, wide: usize, narrow: usize) -> usize {
    let rest = nc % wide;
    if narrow < wide && rest <= narrow {
        rest
    } else {
        0
    }
}

/// Where the product goes: `out` as a raw pointer (the tiles write disjoint
/// parts of it) with its dimensions.
#[derive(Clone, Copy)]
struct Target {
    ptr: *mut f32,
    m: usize,
    n: usize,
}

/// Multiplies every `MR`-high left panel by every `NR`-wide right panel of
/// two packed blocks, into the output starting at row `origin.0`, column
/// `origin.1`. Each right panel stays in L1 while the left panels stream past.
///
/// # Safety
/// As for [`run`]; the packed blocks hold whole panels of `K`'s sizes and the
/// live rows and columns lie inside `target`.
#[inline(always)]
unsafe fn multiply_packed<K: MicroKernel>(
    left_packed: &[f32],
    right_packed: &[f32],
    kc: usize,
    origin: (usize, usize),
    target: Target,
    add: bool,
) {
    let (mr, nr) = (K::MR, K::NR);
    let mut edge = [0.0f32; MAX_TILE];
    for (jp, right_panel) in right_packed.chunks_exact(nr * kc).enumerate() {
        let j0 = origin.1 + jp * nr;
        let cols = nr.min(target.n - j0);
        for (ip, left_panel) in left_packed.chunks_exact(mr * kc).enumerate() {
            let i0 = origin.0 + ip * mr;
            let rows = mr.min(target.m - i0);
            // SAFETY: the panels hold kc·MR and kc·NR floats; a full tile
            // lies inside `out` (i0 + MR <= m, j0 + NR <= n), a partial one
            // goes through `edge` and only its live part is written.
            let corner = target.ptr.add(i0 * target.n + j0);
            let (a, b) = (left_panel.as_ptr(), right_panel.as_ptr());
            if rows == mr && cols == nr {
                K::tile(kc, a, b, corner, target.n, add);
            } else {
                K::tile(kc, a, b, edge.as_mut_ptr(), nr, false);
                for r in 0..rows {
                    let dst = core::slice::from_raw_parts_mut(corner.add(r * target.n), cols);
                    let src = &edge[r * nr..r * nr + cols];
                    if add {
                        dst.iter_mut().zip(src).for_each(|(d, s)| *d += s);
                    } else {
                        dst.copy_from_slice(src);
                    }
                }
            }
        }
    }
}
