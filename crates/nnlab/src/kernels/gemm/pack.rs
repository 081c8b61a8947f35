//! Packing: copying a block of an operand into the layout the micro-kernel reads.
//!
//! A block of `rows × kc` elements is cut into panels of `width` rows (the
//! micro-kernel's `MR` for the left operand, `NR` for the right one). Panel
//! `t` stores, for each `p` in `0..kc`, the `width` values of rows
//! `t·width .. (t+1)·width` at column `p`, one after the other. The
//! micro-kernel then walks each panel strictly forwards, one vector (or one
//! broadcast) per element, with no strides and no bounds checks. Rows past
//! the end of the matrix are filled with zeros, so widths that are not a
//! multiple of the tile (100, 10) need no special kernel: the padded rows
//! produce products that are simply not written back.

use super::blocked::MicroKernel;
use super::operand::Operand;

/// Packs rows `r0 .. r0 + rows` and columns `p0 .. p0 + kc` of `src` into
/// `dst`, which must hold `rows.div_ceil(width) * width * kc` floats.
/// Transposes use `T`'s vector shuffles.
///
/// # Safety
/// `T`'s instruction set must be available.
#[inline(always)]
pub(crate) unsafe fn pack_panels<T: MicroKernel>(
    src: Operand<'_>,
    r0: usize,
    rows: usize,
    p0: usize,
    kc: usize,
    width: usize,
    dst: &mut [f32],
) {
    let panel_len = width * kc;
    for (t, panel) in dst.chunks_exact_mut(panel_len).enumerate() {
        let first = r0 + t * width;
        let live = width.min(r0 + rows - first);
        if src.row_stride == 1 {
            pack_copy(src, first, live, p0, kc, width, panel);
        } else if src.k_stride == 1 {
            pack_transpose::<T>(src, first, live, p0, width, panel);
        } else {
            pack_strided(src, first, live, p0, width, panel);
        }
    }
}

/// Rows contiguous in memory (`[k, rows]` storage): each step of `p` is one
/// straight copy of `live` floats.
#[inline(always)]
fn pack_copy(
    src: Operand<'_>,
    first: usize,
    live: usize,
    p0: usize,
    kc: usize,
    width: usize,
    panel: &mut [f32],
) {
    for (p, out) in panel.chunks_exact_mut(width).enumerate() {
        let start = (p0 + p) * src.k_stride + first;
        out[..live].copy_from_slice(&src.data[start..start + live]);
        out[live..].fill(0.0);
    }
    debug_assert_eq!(panel.len(), kc * width);
}

/// `k` contiguous in memory (`[rows, k]` storage): a transpose. Four rows
/// are read side by side, front to back (rows of a wide matrix are 12 KB
/// apart and all map to the same L1 set, so reading many rows at once would
/// thrash), and transposed a few columns at a time with `T`'s shuffles; the
/// panel being written stays in L1.
#[inline(always)]
unsafe fn pack_transpose<T: MicroKernel>(
    src: Operand<'_>,
    first: usize,
    live: usize,
    p0: usize,
    width: usize,
    panel: &mut [f32],
) {
    let kc = panel.len() / width;
    let row = |r: usize| {
        let start = (first + r) * src.row_stride + p0;
        &src.data[start..start + kc]
    };
    let mut r = 0;
    while r + 4 <= live {
        let rows: [&[f32]; 4] = core::array::from_fn(|i| row(r + i));
        let mut p = 0;
        while p + T::TRANSPOSE_COLS <= kc {
            // SAFETY: p + TRANSPOSE_COLS <= kc = each row's length, and the
            // writes reach at most (p + COLS − 1)·width + r + 3 < kc·width.
            T::transpose4(
                rows.map(|row| row.as_ptr().add(p)),
                panel.as_mut_ptr().add(p * width + r),
                width,
            );
            p += T::TRANSPOSE_COLS;
        }
        for p in p..kc {
            for (i, row) in rows.iter().enumerate() {
                panel[p * width + r + i] = row[p];
            }
        }
        r += 4;
    }
    for rr in r..live {
        for (out, &value) in panel.chunks_exact_mut(width).zip(row(rr)) {
            out[rr] = value;
        }
    }
    if live < width {
        for out in panel.chunks_exact_mut(width) {
            out[live..].fill(0.0);
        }
    }
}

/// Any other strides (not produced by the public products, kept for completeness).
#[inline(always)]
fn pack_strided(
    src: Operand<'_>,
    first: usize,
    live: usize,
    p0: usize,
    width: usize,
    panel: &mut [f32],
) {
    for (p, out) in panel.chunks_exact_mut(width).enumerate() {
        for (rr, slot) in out.iter_mut().enumerate() {
            *slot = if rr < live {
                src.data[(first + rr) * src.row_stride + (p0 + p) * src.k_stride]
            } else {
                0.0
            };
        }
    }
}
