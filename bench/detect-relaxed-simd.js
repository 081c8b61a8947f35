// Does this browser run WebAssembly relaxed SIMD? Asks the engine to validate a
// tiny module that uses f32x4.relaxed_madd (the instruction nnlab's wasm
// matrix kernels need), so it needs no instantiation, no network and no
// flags. The answer picks which build to load: the relaxed one (fused
// multiply-add, ~10% faster) or the plain SIMD128 fallback.

// (module (func (result v128)
//   (f32x4.relaxed_madd (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0))))
const V128_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
const RELAXED_MADD_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code section: one 59-byte body, no locals
  ...V128_ZERO, ...V128_ZERO, ...V128_ZERO,
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 261)
  0x0b, // end
]);

/** True when WebAssembly relaxed SIMD (fused multiply-add) is available. */
export function relaxedSimdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_MADD_MODULE);
  } catch {
    return false;
  }
}

/** The build to load: 'relaxed' or 'simd128'. */
export function bestBuild() {
  return relaxedSimdSupported() ? 'relaxed' : 'simd128';
}
