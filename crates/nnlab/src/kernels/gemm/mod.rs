//! Fast matrix products: cache-blocked, packed, SIMD micro-kernels.
//!
//! The same three products as [`super::reference`], with the same signatures
//! and results up to rounding (the sums are grouped differently):
//! - [`matmul`]`(a[m,k], b[k,n])` → `a·b` (backward: δ·W, the gradient with
//!   respect to a layer's input),
//! - [`matmul_bt`]`(a[m,k], b[n,k])` → `a·bᵀ` (forward: X·Wᵀ with PyTorch's
//!   `[out, in]` weights),
//! - [`matmul_at`]`(a[k,m], b[k,n])` → `aᵀ·b` (backward: δᵀ·X, the weight
//!   gradient).
//!
//! # Workspace and allocation
//! Packing needs scratch memory. A [`Gemm`] owns it (plus the chosen
//! instruction set) and only grows it, so a training loop that keeps one
//! `Gemm` allocates only during its first step. The free functions use one
//! `Gemm` per thread (a `thread_local!`), with the same property; use a
//! `Gemm` of your own to pick the instruction set or to keep the memory
//! where you can see it.
//!
//! # Accumulating
//! [`Gemm::product`] with `accumulate = true` computes `out += product`
//! instead of `out = product` at no extra cost (the micro-kernel adds its
//! register tile to `out` instead of storing it), which is what summing a
//! gradient over several uses of a parameter needs. The free functions
//! [`matmul_acc`], [`matmul_bt_acc`] and [`matmul_at_acc`] do the same.
//!
//! # Instruction sets
//! [`Isa::best`] picks AVX-512F or AVX2+FMA at run time on x86-64 (a plain
//! release build enables neither at compile time), SIMD128 on wasm32 builds
//! with `-C target-feature=+simd128` (fused multiply-add when `+relaxed-simd`
//! is also on), and a portable auto-vectorised kernel everywhere else.

mod blocked;
mod isa;
// The AVX-512 intrinsics are stable since Rust 1.89.
#[cfg(target_arch = "x86_64")]
#[clippy::msrv = "1.89"]
mod native_x86;
mod operand;
mod pack;
mod portable;
mod scratch;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm_simd;

use std::cell::RefCell;

pub use isa::Isa;

use blocked::Problem;
use operand::Operand;
use scratch::PackBuffer;

/// Which product to form from the two operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Product {
    /// `a[m,k] · b[k,n]`.
    AB,
    /// `a[m,k] · b[n,k]ᵀ`.
    ABt,
    /// `a[k,m]ᵀ · b[k,n]`.
    AtB,
}

impl Product {
    /// The name of the matching free function, used in panic messages.
    fn name(self) -> &'static str {
        match self {
            Product::AB => "matmul",
            Product::ABt => "matmul_bt",
            Product::AtB => "matmul_at",
        }
    }
}

/// The dimensions of a product: `out` is `[m, n]`, `k` is summed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Dims {
    /// Rows of the output.
    pub m: usize,
    /// Length of the sum: the dimension the operands share.
    pub k: usize,
    /// Columns of the output.
    pub n: usize,
}

/// A matrix-multiply engine: an instruction set and the packing buffers it
/// reuses from call to call (see the module docs on allocation).
#[derive(Debug)]
pub struct Gemm {
    isa: Isa,
    left: PackBuffer,
    right: PackBuffer,
}

impl Default for Gemm {
    fn default() -> Self {
        Gemm::new()
    }
}

impl Gemm {
    /// An engine on the fastest instruction set of this machine.
    pub fn new() -> Gemm {
        Gemm {
            isa: Isa::best(),
            left: PackBuffer::default(),
            right: PackBuffer::default(),
        }
    }

    /// An engine on a given instruction set, or `None` if this machine (or
    /// this wasm build) cannot run it. Lets tests and benchmarks force a path.
    pub fn with_isa(isa: Isa) -> Option<Gemm> {
        isa.is_available().then(|| Gemm {
            isa,
            left: PackBuffer::default(),
            right: PackBuffer::default(),
        })
    }

    /// The instruction set this engine runs on.
    pub fn isa(&self) -> Isa {
        self.isa
    }

    /// Floats currently reserved for packing (grows to fit the largest
    /// product seen, never shrinks).
    pub fn scratch_floats(&self) -> usize {
        self.left.capacity() + self.right.capacity()
    }

    /// `out = a·b`, `a` `[m,k]`, `b` `[k,n]`, `out` `[m,n]`.
    pub fn matmul(&mut self, a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
        self.product(Product::AB, a, b, out, Dims { m, k, n }, false);
    }

    /// `out = a·bᵀ`, `a` `[m,k]`, `b` `[n,k]`, `out` `[m,n]`.
    pub fn matmul_bt(
        &mut self,
        a: &[f32],
        b: &[f32],
        out: &mut [f32],
        m: usize,
        k: usize,
        n: usize,
    ) {
        self.product(Product::ABt, a, b, out, Dims { m, k, n }, false);
    }

    /// `out = aᵀ·b`, `a` `[k,m]`, `b` `[k,n]`, `out` `[m,n]`.
    pub fn matmul_at(
        &mut self,
        a: &[f32],
        b: &[f32],
        out: &mut [f32],
        m: usize,
        k: usize,
        n: usize,
    ) {
        self.product(Product::AtB, a, b, out, Dims { m, k, n }, false);
    }

    /// `out = p` or, with `accumulate`, `out += p`, where `p` is the
    /// `product` of `a` and `b` with dimensions `dims`.
    ///
    /// # Panics
    /// If a slice length does not match `dims` (a bug in the caller, as in
    /// the reference kernels).
    pub fn product(
        &mut self,
        product: Product,
        a: &[f32],
        b: &[f32],
        out: &mut [f32],
        dims: Dims,
        accumulate: bool,
    ) {
        let Dims { m, k, n } = dims;
        let (left, right) = match product {
            Product::AB => (Operand::k_contiguous(a, k), Operand::rows_contiguous(b, n)),
            Product::ABt => (Operand::k_contiguous(a, k), Operand::k_contiguous(b, k)),
            Product::AtB => (
                Operand::rows_contiguous(a, m),
                Operand::rows_contiguous(b, n),
            ),
        };
        // b is [k,n] or [n,k]: the same number of elements either way.
        let b_len = k * n;
        assert!(
            a.len() == m * k && b.len() == b_len && out.len() == m * n,
            "{}: slice lengths (a {}, b {}, out {}) do not match the dimensions (expected {}, {}, {})",
            product.name(),
            a.len(),
            b.len(),
            out.len(),
            m * k,
            b_len,
            m * n
        );
        let problem = Problem {
            left,
            right,
            out,
            m,
            k,
            n,
            accumulate,
        };
        let (left_buf, right_buf) = (&mut self.left, &mut self.right);
        match self.isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Gemm::with_isa`/`Gemm::new` only choose available instruction sets.
            Isa::Avx2Fma => unsafe { native_x86::run_avx2(problem, left_buf, right_buf) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            Isa::Avx512 => unsafe { native_x86::run_avx512(problem, left_buf, right_buf) },
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            Isa::Simd128 => wasm_simd::run(problem, left_buf, right_buf),
            _ => portable::run(problem, left_buf, right_buf),
        }
    }
}

thread_local! {
    /// The engine behind the free functions: one per thread, reused forever.
    static THREAD_GEMM: RefCell<Gemm> = RefCell::new(Gemm::new());
}

/// Runs `product` on this thread's shared [`Gemm`].
pub fn product(
    product: Product,
    a: &[f32],
    b: &[f32],
    out: &mut [f32],
    dims: Dims,
    accumulate: bool,
) {
    THREAD_GEMM.with(|gemm| {
        gemm.borrow_mut()
            .product(product, a, b, out, dims, accumulate)
    });
}

/// `out = a·b`, `a` `[m,k]`, `b` `[k,n]`, `out` `[m,n]` (fast [`super::reference::matmul`]).
pub fn matmul(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    product(Product::AB, a, b, out, Dims { m, k, n }, false);
}

/// `out = a·bᵀ`, `a` `[m,k]`, `b` `[n,k]`, `out` `[m,n]` (fast [`super::reference::matmul_bt`]).
pub fn matmul_bt(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    product(Product::ABt, a, b, out, Dims { m, k, n }, false);
}

/// `out = aᵀ·b`, `a` `[k,m]`, `b` `[k,n]`, `out` `[m,n]` (fast [`super::reference::matmul_at`]).
pub fn matmul_at(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    product(Product::AtB, a, b, out, Dims { m, k, n }, false);
}

/// `out += a·b` (shapes as in [`matmul`]).
pub fn matmul_acc(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    product(Product::AB, a, b, out, Dims { m, k, n }, true);
}

/// `out += a·bᵀ` (shapes as in [`matmul_bt`]).
pub fn matmul_bt_acc(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    product(Product::ABt, a, b, out, Dims { m, k, n }, true);
}

/// `out += aᵀ·b` (shapes as in [`matmul_at`]).
pub fn matmul_at_acc(a: &[f32], b: &[f32], out: &mut [f32], m: usize, k: usize, n: usize) {
    product(Product::AtB, a, b, out, Dims { m, k, n }, true);
}
