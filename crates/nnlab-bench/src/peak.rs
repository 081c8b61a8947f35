//! The processor's measured float32 multiply-add ceiling on one core.
//!
//! A rate in GFLOP/s means little without the most this core can do. The
//! probe runs a loop of nothing but vector multiply-adds on independent
//! accumulators (enough of them to cover the instruction's latency on two
//! pipes), so it measures throughput, not latency, with no memory traffic:
//! no real kernel can beat it. Natively it uses the widest instruction set
//! the matrix kernels use (AVX-512F or AVX2+FMA); on wasm SIMD128 with
//! relaxed SIMD's fused multiply-add when compiled in, separate multiply and
//! add otherwise — the same instructions the wasm kernels run.

use serde::Serialize;

use crate::workload::Clock;

/// Multiply-adds per accumulator per timed chunk: 5–10 ms of work, far above
/// the 0.1 ms resolution of `performance.now()` in a page that is not
/// cross-origin isolated.
const CHUNK: usize = 5_000_000;

/// The best rate seen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Peak {
    /// What ran, e.g. `"avx512f fma"`, `"simd128 mul+add"`.
    pub what: &'static str,
    /// Billions of float32 operations per second, a multiply-add counting two.
    pub gflops: f64,
}

/// Runs the probe for about `seconds` and returns the fastest chunk's rate
/// (the best of many short runs, so other processes' load mostly drops out).
/// `None` where no vector probe exists for this target.
pub fn measure(seconds: f64, clock: Clock) -> Option<Peak> {
    let (what, flop_per_chunk, probe) = probe()?;
    let start = clock();
    let mut best = 0.0f64;
    while clock() - start < seconds {
        let t0 = clock();
        std::hint::black_box(probe(std::hint::black_box(CHUNK)));
        let dt = clock() - t0;
        if dt > 0.0 {
            best = best.max(flop_per_chunk / dt / 1e9);
        }
    }
    Some(Peak { what, gflops: best })
}

/// Accumulators: FMA latency 4 cycles × 2 pipes needs at least 8 in flight;
/// 12 leaves margin and fits V8's 15 usable SIMD registers with the two
/// constant operands.
const ACCUMULATORS: usize = 12;

type Probe = fn(usize) -> f32;

#[cfg(target_arch = "x86_64")]
fn probe() -> Option<(&'static str, f64, Probe)> {
    let flop = |lanes: usize| (CHUNK * ACCUMULATORS * lanes * 2) as f64;
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: AVX-512F was just detected.
        Some(("avx512f fma", flop(16), |n| unsafe { x86::fma_avx512(n) }))
    } else if std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
    {
        // SAFETY: AVX2 and FMA were just detected.
        Some(("avx2 fma", flop(8), |n| unsafe { x86::fma_avx2(n) }))
    } else {
        None
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn probe() -> Option<(&'static str, f64, Probe)> {
    let what = if cfg!(target_feature = "relaxed-simd") {
        "simd128 relaxed fma"
    } else {
        "simd128 mul+add"
    };
    Some((
        what,
        (CHUNK * ACCUMULATORS * 4 * 2) as f64,
        wasm::madd_simd128,
    ))
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
fn probe() -> Option<(&'static str, f64, Probe)> {
    None
}

#[cfg(target_arch = "x86_64")]
#[clippy::msrv = "1.89"]
mod x86 {
    use super::ACCUMULATORS;
    use core::arch::x86_64::*;

    /// `n` rounds of `acc ← acc·a + b` on every accumulator; returns a lane
    /// so nothing is optimised away.
    #[target_feature(enable = "avx512f")]
    #[inline(never)]
    pub(super) fn fma_avx512(n: usize) -> f32 {
        let (a, b) = (_mm512_set1_ps(0.999_999), _mm512_set1_ps(1e-7));
        let mut acc = [_mm512_set1_ps(1.0); ACCUMULATORS];
        for _ in 0..n {
            for r in acc.iter_mut() {
                *r = _mm512_fmadd_ps(*r, a, b);
            }
        }
        acc.iter().map(|&v| _mm512_reduce_add_ps(v)).sum()
    }

    /// As [`fma_avx512`] with 256-bit vectors.
    #[target_feature(enable = "avx2,fma")]
    #[inline(never)]
    pub(super) fn fma_avx2(n: usize) -> f32 {
        let (a, b) = (_mm256_set1_ps(0.999_999), _mm256_set1_ps(1e-7));
        let mut acc = [_mm256_set1_ps(1.0); ACCUMULATORS];
        for _ in 0..n {
            for r in acc.iter_mut() {
                *r = _mm256_fmadd_ps(*r, a, b);
            }
        }
        let mut lanes = [0f32; 8];
        let sum = acc
            .iter()
            .fold(_mm256_setzero_ps(), |s, &v| _mm256_add_ps(s, v));
        // SAFETY: `lanes` holds 8 floats.
        unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), sum) };
        lanes.iter().sum()
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use super::ACCUMULATORS;
    use core::arch::wasm32::*;

    /// `n` rounds of `acc ← acc·a + b` on every accumulator. Never inlined:
    /// V8 optimises a wasm function only from its next call on, so each
    /// chunk must be a call of its own (the first few run unoptimised and
    /// lose the best-of).
    #[inline(never)]
    pub(super) fn madd_simd128(n: usize) -> f32 {
        let (a, b) = (f32x4_splat(0.999_999), f32x4_splat(1e-7));
        let mut acc = [f32x4_splat(1.0); ACCUMULATORS];
        for _ in 0..n {
            for r in acc.iter_mut() {
                *r = madd(*r, a, b);
            }
        }
        let sum = acc.iter().fold(f32x4_splat(0.0), |s, &v| f32x4_add(s, v));
        f32x4_extract_lane::<0>(sum)
            + f32x4_extract_lane::<1>(sum)
            + f32x4_extract_lane::<2>(sum)
            + f32x4_extract_lane::<3>(sum)
    }

    #[inline(always)]
    fn madd(x: v128, a: v128, b: v128) -> v128 {
        #[cfg(target_feature = "relaxed-simd")]
        {
            f32x4_relaxed_madd(x, a, b)
        }
        #[cfg(not(target_feature = "relaxed-simd"))]
        {
            f32x4_add(f32x4_mul(x, a), b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_reports_a_positive_rate() {
        let start = std::time::Instant::now();
        let clock = move || start.elapsed().as_secs_f64();
        if let Some(peak) = measure(0.02, &clock) {
            assert!(peak.gflops > 0.0, "{peak:?}");
        }
    }
}
