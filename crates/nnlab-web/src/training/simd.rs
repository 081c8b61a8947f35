//! Which build of the training Worker the page starts.
//!
//! The site ships the Worker twice (see scripts/build-relaxed-worker.sh):
//! with WebAssembly relaxed SIMD, whose fused multiply-add speeds up the
//! matrix kernels (scripts/bench.sh: ~23k against ~17k samples/s in
//! Chromium), and with plain SIMD128 for browsers without relaxed SIMD. WebAssembly has
//! no run-time feature test inside a module, so the page asks the engine to
//! validate a tiny module that uses `f32x4.relaxed_madd` (as
//! bench/detect-relaxed-simd.js does) and picks the build from the answer.
//! `?simd=plain` in the page's address forces the plain build, to compare.

use crate::i18n::Key;

/// A build of the training Worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerBuild {
    /// SIMD128 with relaxed SIMD's fused multiply-add.
    Relaxed,
    /// SIMD128 with separate multiply and add.
    Plain,
}

/// `(module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))))`:
/// valid exactly when the engine has relaxed SIMD.
pub const RELAXED_MADD_MODULE: [u8; 82] = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: one type, () -> v128
    0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
    0x0a, 0x3d, 0x01, 0x3b, 0x00, // code section (61 bytes): one 59-byte body, no locals
    0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
    0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
    0xfd, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // v128.const 0
    0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 261, LEB128)
    0x0b, // end
];

impl WorkerBuild {
    /// The build for a page whose address has the query `search` (e.g.
    /// `"?simd=plain"`, or `""`) in a browser that does (`relaxed_available`)
    /// or does not have relaxed SIMD.
    pub fn choose(search: &str, relaxed_available: bool) -> WorkerBuild {
        let forced_plain = search
            .trim_start_matches('?')
            .split('&')
            .any(|pair| pair == "simd=plain");
        if relaxed_available && !forced_plain {
            WorkerBuild::Relaxed
        } else {
            WorkerBuild::Plain
        }
    }

    /// The Worker's loader script, next to index.html: Trunk's
    /// `data-loader-shim` for the plain build, the build script's for the
    /// relaxed one.
    pub fn loader_url(self) -> &'static str {
        match self {
            WorkerBuild::Relaxed => "./nnlab-worker-relaxed_loader.js",
            WorkerBuild::Plain => "./nnlab-worker_loader.js",
        }
    }

    /// How the live-training lesson names it, next to the samples/s.
    pub fn label(self) -> Key {
        match self {
            WorkerBuild::Relaxed => Key::LiveEngineRelaxed,
            WorkerBuild::Plain => Key::LiveEnginePlain,
        }
    }

    /// The build for this page in this browser.
    pub fn detect() -> WorkerBuild {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        WorkerBuild::choose(&search, relaxed_simd_available())
    }
}

/// Whether this browser validates a module that uses relaxed SIMD.
fn relaxed_simd_available() -> bool {
    let bytes = js_sys::Uint8Array::from(&RELAXED_MADD_MODULE[..]);
    js_sys::WebAssembly::validate(&bytes).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relaxed_when_available_unless_forced_plain() {
        assert_eq!(WorkerBuild::choose("", true), WorkerBuild::Relaxed);
        assert_eq!(WorkerBuild::choose("", false), WorkerBuild::Plain);
        assert_eq!(WorkerBuild::choose("?simd=plain", true), WorkerBuild::Plain);
        assert_eq!(
            WorkerBuild::choose("?lang=zh&simd=plain", true),
            WorkerBuild::Plain
        );
        // Only the exact pair forces it; other values keep the detection.
        assert_eq!(
            WorkerBuild::choose("?simd=plainer", true),
            WorkerBuild::Relaxed
        );
        // Forcing relaxed is not offered: a browser without it could not run it.
        assert_eq!(
            WorkerBuild::choose("?simd=relaxed", false),
            WorkerBuild::Plain
        );
    }

    #[test]
    fn the_probe_module_sizes_add_up() {
        // 8 bytes of header, 7 of type section, 4 of function section and the
        // code section's id and size byte: 21 bytes before the 61 (0x3d) it
        // announces; its body (after count and body-size bytes) is 59 (0x3b).
        let m = &RELAXED_MADD_MODULE;
        assert_eq!((m.len() - 21, usize::from(m[20])), (61, 0x3d));
        assert_eq!((m.len() - 23, usize::from(m[22])), (59, 0x3b));
        // It ends in f32x4.relaxed_madd and `end`.
        assert_eq!(m[m.len() - 4..], [0xfd, 0x85, 0x02, 0x0b]);
    }
}
