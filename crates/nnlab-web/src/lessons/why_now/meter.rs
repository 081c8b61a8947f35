//! How fast this browser multiplies matrices: the core's GEMM kernel — the
//! one the Dense layer's forward pass runs (`X·Wᵀ`) — on a batch of 64 rows
//! through the lecture's 256 → 256 layer, repeated for about a second of
//! compute. The work is done in slices of a few milliseconds, one per
//! animation frame, so the page keeps drawing while it measures.

use nnlab::kernels::gemm::Gemm;

/// Rows of the batch (the lecture's batch size).
pub const M: usize = 64;
/// Inputs of the layer.
pub const K: usize = 256;
/// Outputs of the layer.
pub const N: usize = 256;
/// Floating point operations in one product: a multiply and an add per term.
pub const FLOPS_PER_PRODUCT: f64 = 2.0 * (M * K * N) as f64;
/// Compute time the measurement adds up to, in milliseconds.
pub const TOTAL_MS: f64 = 1000.0;
/// The most one frame spends multiplying, in milliseconds.
pub const SLICE_MS: f64 = 8.0;

/// Where the measurement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Not started (or reset).
    Idle,
    /// Multiplying, one slice per frame.
    Running,
    /// A second of products is timed.
    Done,
}

/// The meter: an engine with its operands, and the products timed so far.
pub struct Meter {
    gemm: Gemm,
    a: Vec<f32>,
    b: Vec<f32>,
    out: Vec<f32>,
    phase: Phase,
    products: u64,
    busy_ms: f64,
}

impl Default for Meter {
    fn default() -> Meter {
        Meter::new()
    }
}

impl Meter {
    /// An idle meter; the operands are made when it starts.
    pub fn new() -> Meter {
        Meter {
            gemm: Gemm::new(),
            a: Vec::new(),
            b: Vec::new(),
            out: Vec::new(),
            phase: Phase::Idle,
            products: 0,
            busy_ms: 0.0,
        }
    }

    /// Starts (or starts over): fills the operands and runs one product
    /// untimed, so the packing buffers are allocated before the clock runs.
    pub fn start(&mut self) {
        if self.a.is_empty() {
            // Small values that never overflow, different in every entry.
            self.a = (0..M * K)
                .map(|i| ((i % 97) as f32 - 48.0) / 97.0)
                .collect();
            self.b = (0..N * K)
                .map(|i| ((i % 89) as f32 - 44.0) / 89.0)
                .collect();
            self.out = vec![0.0; M * N];
        }
        self.product();
        self.phase = Phase::Running;
        self.products = 0;
        self.busy_ms = 0.0;
    }

    /// Back to idle, forgetting the result.
    pub fn reset(&mut self) {
        self.phase = Phase::Idle;
        self.products = 0;
        self.busy_ms = 0.0;
    }

    fn product(&mut self) {
        self.gemm
            .matmul_bt(&self.a, &self.b, &mut self.out, M, K, N);
    }

    /// One frame's slice: products until `SLICE_MS` have passed on `clock`
    /// (milliseconds), at least one. Done once `TOTAL_MS` are timed.
    pub fn run_slice(&mut self, clock: &mut impl FnMut() -> f64) {
        if self.phase != Phase::Running {
            return;
        }
        let start = clock();
        let mut now = start;
        while now - start < SLICE_MS {
            self.product();
            self.products += 1;
            now = clock();
        }
        self.busy_ms += now - start;
        if self.busy_ms >= TOTAL_MS {
            self.phase = Phase::Done;
        }
    }

    /// Where the measurement is.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The share of the second done, 0 to 1.
    pub fn progress(&self) -> f64 {
        (self.busy_ms / TOTAL_MS).clamp(0.0, 1.0)
    }

    /// Floating point operations per second so far (`None` before any time passed).
    pub fn flops_per_second(&self) -> Option<f64> {
        (self.busy_ms > 0.0).then(|| self.products as f64 * FLOPS_PER_PRODUCT / self.busy_ms * 1e3)
    }

    /// Products timed so far.
    pub fn products(&self) -> u64 {
        self.products
    }

    /// The instruction set the kernel runs on (`simd128` in the page).
    pub fn isa_name(&self) -> &'static str {
        self.gemm.isa().name()
    }

    /// A checksum of the last product, so the work cannot be optimised away
    /// and a test can see it was done.
    pub fn checksum(&self) -> f32 {
        self.out.iter().sum()
    }
}

/// Milliseconds from a monotonic clock: the page's `performance.now()`
/// (sub-millisecond), the OS's in native tests.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or_else(js_sys::Date::now, |p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::sync::OnceLock;
        use std::time::Instant;
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_products_against_a_clock() {
        // A fake clock that advances 2 ms per reading: the slice reads it at
        // the start and after each product, so 8 ms = 4 products.
        let mut t = 0.0;
        let mut clock = || {
            t += 2.0;
            t
        };
        let mut m = Meter::new();
        m.run_slice(&mut clock);
        assert_eq!(m.products(), 0, "idle: nothing runs");
        m.start();
        m.run_slice(&mut clock);
        assert_eq!(m.products(), 4);
        assert!((m.progress() - 0.008).abs() < 1e-12);
        // 4 products of 2·64·256·256 = 8,388,608 flops in 8 ms = 4.194… GFLOP/s.
        let expected = 4.0 * 8_388_608.0 / 8.0 * 1e3;
        assert!((m.flops_per_second().unwrap() - expected).abs() < 1.0);
        // 125 slices of 8 ms make the second.
        for _ in 0..124 {
            m.run_slice(&mut clock);
        }
        assert_eq!(m.phase(), Phase::Done);
        assert_eq!(m.products(), 500);
        m.run_slice(&mut clock);
        assert_eq!(m.products(), 500, "done: nothing more runs");
        m.reset();
        assert_eq!((m.phase(), m.flops_per_second()), (Phase::Idle, None));
    }

    #[test]
    fn the_products_are_real() {
        // Entry (0, 0) = Σₖ a[0,k]·b[0,k], both rows the same pattern start.
        let mut m = Meter::new();
        m.start();
        let expected: f32 = (0..K)
            .map(|k| ((k % 97) as f32 - 48.0) / 97.0 * (((k % 89) as f32 - 44.0) / 89.0))
            .sum();
        assert!(
            (m.out[0] - expected).abs() < 1e-3,
            "{} vs {expected}",
            m.out[0]
        );
        assert!(m.checksum().is_finite());
        // On a real clock a slice takes about SLICE_MS and does some work.
        m.run_slice(&mut now_ms);
        assert!(m.products() >= 1);
        assert!(m.flops_per_second().unwrap() > 0.0);
    }
}
