//! Which instruction set a product runs on.
//!
//! Native x86-64 picks AVX2+FMA or AVX-512F at run time (a plain release build
//! has neither enabled at compile time, so the choice must be made on the
//! running CPU). WebAssembly has no run-time detection: SIMD128 (and relaxed
//! SIMD's fused multiply-add) is either compiled in with `-C target-feature` or
//! not there at all.

use std::fmt;

/// A code path of the fast kernels. Every variant exists on every target so
/// tests and benchmarks can name them; [`Isa::is_available`] says which ones
/// this machine (or this wasm build) can actually run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Isa {
    /// Plain Rust, auto-vectorised by the compiler for the baseline target
    /// (SSE2 on x86-64, scalar on wasm without SIMD). Always available.
    Portable,
    /// x86-64 with 256-bit AVX2 vectors and fused multiply-add.
    Avx2Fma,
    /// x86-64 with 512-bit AVX-512F vectors (which include FMA).
    Avx512,
    /// wasm32 SIMD128; uses relaxed SIMD's fused multiply-add when the build
    /// enables `relaxed-simd`, separate multiply and add otherwise.
    Simd128,
}

impl Isa {
    /// Every variant, fastest-first.
    pub const ALL: [Isa; 4] = [Isa::Avx512, Isa::Avx2Fma, Isa::Simd128, Isa::Portable];

    /// Whether this code path can run here.
    pub fn is_available(self) -> bool {
        match self {
            Isa::Portable => true,
            Isa::Avx2Fma => avx2_fma_detected(),
            Isa::Avx512 => avx512_detected(),
            Isa::Simd128 => cfg!(all(target_arch = "wasm32", target_feature = "simd128")),
        }
    }

    /// The fastest available code path. On this machine (AMD family 1Ah,
    /// full-width 512-bit FMA) AVX-512 runs the training products about
    /// twice as fast as AVX2 (see `examples/gemm_bench.rs`).
    pub fn best() -> Isa {
        Isa::ALL
            .into_iter()
            .find(|isa| isa.is_available())
            .unwrap_or(Isa::Portable)
    }

    /// All code paths this machine can run, fastest first (for tests and benchmarks).
    pub fn available() -> Vec<Isa> {
        Isa::ALL
            .into_iter()
            .filter(|isa| isa.is_available())
            .collect()
    }

    /// A short lower-case name, e.g. `"avx2+fma"`.
    pub fn name(self) -> &'static str {
        match self {
            Isa::Portable => "portable",
            Isa::Avx2Fma => "avx2+fma",
            Isa::Avx512 => "avx512f",
            Isa::Simd128 if cfg!(target_feature = "relaxed-simd") => "simd128+relaxed",
            Isa::Simd128 => "simd128",
        }
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(target_arch = "x86_64")]
fn avx2_fma_detected() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

#[cfg(not(target_arch = "x86_64"))]
fn avx2_fma_detected() -> bool {
    false
}

#[cfg(target_arch = "x86_64")]
fn avx512_detected() -> bool {
    std::arch::is_x86_feature_detected!("avx512f")
}

#[cfg(not(target_arch = "x86_64"))]
fn avx512_detected() -> bool {
    false
}
