//! Reusable packing buffers, so a training step allocates nothing.
//!
//! The blocked product copies blocks of both operands into a contiguous,
//! zero-padded layout before multiplying them (see `pack.rs`). Those copies
//! need memory; allocating it per call would put an allocation in every layer
//! of every step. Instead the buffers live in [`super::Gemm`] and only ever
//! grow: after the first step has seen the largest shapes, no further call
//! allocates.

/// A growable `f32` buffer whose handed-out slices start on a 64-byte
/// boundary (one cache line, one AVX-512 vector), so the micro-kernels' vector
/// loads never straddle two cache lines.
#[derive(Debug, Default)]
pub(crate) struct PackBuffer {
    data: Vec<f32>,
}

/// Floats per 64-byte cache line: the most `align_offset` can skip.
const LINE_FLOATS: usize = 16;

impl PackBuffer {
    /// A 64-byte-aligned slice of exactly `len` floats. Grows the buffer when
    /// it is too small (the only allocation in the product); old contents are
    /// not preserved in any meaningful order, callers overwrite what they use.
    pub(crate) fn slice(&mut self, len: usize) -> &mut [f32] {
        let needed = len + LINE_FLOATS;
        if self.data.len() < needed {
            self.data.resize(needed, 0.0);
        }
        let offset = self.data.as_ptr().align_offset(64).min(LINE_FLOATS);
        &mut self.data[offset..offset + len]
    }

    /// Floats currently reserved (for tests that check nothing grows).
    pub(crate) fn capacity(&self) -> usize {
        self.data.capacity()
    }
}
