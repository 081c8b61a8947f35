//! The matrix products every network op runs on.
//!
//! [`reference`](mod@reference) holds plain, obviously-correct loops: the yardstick the fast
//! kernels must match in their tests. [`gemm`] holds the fast ones — packed,
//! cache-blocked, with AVX-512 / AVX2+FMA chosen at run time natively and
//! SIMD128 (relaxed FMA where compiled in) on wasm — and is what the rest of
//! the crate calls. All matrices are row-major `f32` slices; the plain
//! functions overwrite `out`, the `_acc` variants add into it. [`fused`]
//! holds the element-wise passes that go with them in a dense layer (bias +
//! activation, softmax + cross-entropy) for the allocation-free training step.

pub mod fused;
pub mod gemm;
pub mod reference;

pub use gemm::{matmul, matmul_acc, matmul_at, matmul_at_acc, matmul_bt, matmul_bt_acc};
