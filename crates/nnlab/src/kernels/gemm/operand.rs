//! One operand of a product, seen through the two strides the packer needs.

/// A read-only matrix view in the orientation the blocked product wants:
/// rows are the dimension that ends up in the output (`m` for the left
/// operand, `n` for the right one) and columns run along the shared
/// dimension `k`. Element `(r, p)` is `data[r * row_stride + p * k_stride]`.
///
/// The three products differ only in these strides, e.g. the right operand of
/// `a·b` (`b` is `[k,n]`) has `row_stride = 1, k_stride = n`, while the right
/// operand of `a·bᵀ` (`b` is `[n,k]`) has `row_stride = k, k_stride = 1`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Operand<'a> {
    pub data: &'a [f32],
    pub row_stride: usize,
    pub k_stride: usize,
}

impl<'a> Operand<'a> {
    /// A `[rows, k]` row-major matrix used as is (`k` contiguous).
    pub(crate) fn k_contiguous(data: &'a [f32], k: usize) -> Self {
        Operand {
            data,
            row_stride: k,
            k_stride: 1,
        }
    }

    /// A `[k, rows]` row-major matrix used transposed (rows contiguous).
    pub(crate) fn rows_contiguous(data: &'a [f32], rows: usize) -> Self {
        Operand {
            data,
            row_stride: 1,
            k_stride: rows,
        }
    }
}
