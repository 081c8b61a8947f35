//! The matrix products every network op runs on.
//!
//! [`reference`] holds plain, obviously-correct loops. They are what the
//! graph calls today and the yardstick any faster kernel (SIMD, blocked) must
//! match in its tests. All matrices are row-major `f32` slices; `out` is
//! overwritten, never accumulated into.

pub mod reference;

pub use reference::{matmul, matmul_at, matmul_bt};
