//! Reference matrix products: three nested loops each, no tricks.
//!
//! The loop orders are chosen so the innermost loop walks contiguous memory
//! (row-major), which keeps them reasonably fast while staying readable.

/// `out = a·b` with `a` `[m,k]`, `b` `[k,n]`, `out` `[m,n]`.
pub fn matmul(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    check_sizes("matmul", a, m * k, b, k * n, out, m * n);
    out.fill(0.0);
    for i in 0..m {
        let out_row = &mut out[i * n..(i + 1) * n];
        for p in 0..k {
            let a_ip = a[i * k + p];
            let b_row = &b[p * n..(p + 1) * n];
            for (o, &b_pj) in out_row.iter_mut().zip(b_row) {
                *o += a_ip * b_pj;
            }
        }
    }
}

/// `out = a·bᵀ` with `a` `[m,k]`, `b` `[n,k]`, `out` `[m,n]`: each output is
/// the dot product of a row of `a` with a row of `b` (a dense layer with
/// PyTorch's `[out, in]` weights).
pub fn matmul_bt(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    check_sizes("matmul_bt", a, m * k, b, n * k, out, m * n);
    for i in 0..m {
        let a_row = &a[i * k..(i + 1) * k];
        for j in 0..n {
            let b_row = &b[j * k..(j + 1) * k];
            out[i * n + j] = a_row.iter().zip(b_row).map(|(x, y)| x * y).sum();
        }
    }
}

/// `out = aᵀ·b` with `a` `[k,m]`, `b` `[k,n]`, `out` `[m,n]` (the weight
/// gradient of a dense layer: sum over the batch of outer products).
pub fn matmul_at(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    check_sizes("matmul_at", a, k * m, b, k * n, out, m * n);
    out.fill(0.0);
    for p in 0..k {
        let b_row = &b[p * n..(p + 1) * n];
        for i in 0..m {
            let a_pi = a[p * m + i];
            let out_row = &mut out[i * n..(i + 1) * n];
            for (o, &b_pj) in out_row.iter_mut().zip(b_row) {
                *o += a_pi * b_pj;
            }
        }
    }
}

/// Wrong slice lengths are a programming error in the caller.
fn check_sizes(
    what: &str,
    a: &[f32],
    a_len: usize,
    b: &[f32],
    b_len: usize,
    out: &[f32],
    out_len: usize,
) {
    assert!(
        a.len() == a_len && b.len() == b_len && out.len() == out_len,
        "{what}: slice lengths (a {}, b {}, out {}) do not match the dimensions (expected {a_len}, {b_len}, {out_len})",
        a.len(),
        b.len(),
        out.len()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    // a = [[1, 2, 3], [4, 5, 6]] (2×3), b = [[7, 8], [9, 10], [11, 12]] (3×2).
    // a·b = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]]
    //     = [[58, 64], [139, 154]].
    const A: [f32; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    const B: [f32; 6] = [7.0, 8.0, 9.0, 10.0, 11.0, 12.0];
    const AB: [f32; 4] = [58.0, 64.0, 139.0, 154.0];

    #[test]
    fn matmul_by_hand() {
        let mut out = [f32::NAN; 4];
        matmul(&A, &B, &mut out, 2, 3, 2);
        assert_eq!(out, AB);
    }

    #[test]
    fn matmul_bt_by_hand() {
        // bᵀ as a [2,3] matrix: [[7, 9, 11], [8, 10, 12]]; a·(bᵀ)ᵀ = a·b.
        let bt = [7.0, 9.0, 11.0, 8.0, 10.0, 12.0];
        let mut out = [f32::NAN; 4];
        matmul_bt(&A, &bt, &mut out, 2, 3, 2);
        assert_eq!(out, AB);
    }

    #[test]
    fn matmul_at_by_hand() {
        // aᵀ stored as [3,2]: [[1, 4], [2, 5], [3, 6]]; (aᵀ)ᵀ·b = a·b.
        let at = [1.0, 4.0, 2.0, 5.0, 3.0, 6.0];
        let mut out = [f32::NAN; 4];
        matmul_at(&at, &B, &mut out, 2, 3, 2);
        assert_eq!(out, AB);
    }

    #[test]
    #[should_panic(expected = "matmul: slice lengths")]
    fn wrong_sizes_panic() {
        let mut out = [0.0; 4];
        matmul(&A, &B, &mut out, 2, 2, 2);
    }
}
