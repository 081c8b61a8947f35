#!/usr/bin/env bash
# Trunk post-build hook (see Trunk.toml): builds the training Worker a second
# time with WebAssembly relaxed SIMD, so browsers that have it train with fused
# multiply-add (scripts/bench.sh: ~23k samples/s in Chromium against ~17k for
# plain SIMD128).
#
# Trunk itself builds the plain SIMD128 Worker (www/index.html) as
# nnlab-worker.js + nnlab-worker_bg.wasm + nnlab-worker_loader.js; this script
# adds the same three files named nnlab-worker-relaxed*, made the same way
# (wasm-bindgen --target no-modules and Trunk's loader shim). The page picks
# one at run time (crates/nnlab-web/src/training/simd.rs).
#
# Trunk sets TRUNK_PROFILE (debug|release) and TRUNK_STAGING_DIR. By hand:
#   TRUNK_PROFILE=release TRUNK_STAGING_DIR=/tmp/out scripts/build-relaxed-worker.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
profile="${TRUNK_PROFILE:-release}"
staging="${TRUNK_STAGING_DIR:?set by trunk build; by hand, name the output folder}"
name="nnlab-worker-relaxed"
# Its own target dir (shared with scripts/bench.sh), so the two flag sets do
# not rebuild each other's crates.
target_dir="$root/target/wasm-relaxed"

say() { printf '\033[1;34m[relaxed worker]\033[0m %s\n' "$*" >&2; }

case "$profile" in
  release) cargo_profile=(--release) ;;
  debug) cargo_profile=() ;;
  *) say "unknown TRUNK_PROFILE '$profile' (debug or release)"; exit 1 ;;
esac

say "cargo build ($profile, +simd128,+relaxed-simd)"
# --offline like Trunk's own cargo build (Trunk.toml: offline = true): the
# plain Worker was just built from the same lock file, so nothing is missing.
RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
  cargo build --offline --target wasm32-unknown-unknown "${cargo_profile[@]}" \
  --manifest-path "$root/crates/nnlab-worker/Cargo.toml" --bin nnlab-worker \
  --target-dir "$target_dir"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target no-modules --no-typescript --out-dir "$work" --out-name "$name" \
  "$target_dir/wasm32-unknown-unknown/$profile/nnlab-worker.wasm"

if [ "$profile" = release ]; then
  # Like Trunk's wasm-opt for the plain Worker (data-wasm-opt="3" in
  # www/index.html), with binaryen 132 from npm (Debian's wasm-opt 108 breaks
  # wasm-bindgen 0.2.130 output); the features are read from the module.
  wasm_opt="$root/node_modules/.bin/wasm-opt"
  [ -x "$wasm_opt" ] || wasm_opt=wasm-opt
  if ! "$wasm_opt" --version 2>/dev/null | grep -q 'version 132'; then
    say "wasm-opt 132 is missing: run scripts/setup.sh (npm's binaryen in node_modules/.bin)"
    exit 1
  fi
  say "wasm-opt -O3"
  "$wasm_opt" -O3 -o "$work/${name}_bg.opt.wasm" "$work/${name}_bg.wasm"
  mv "$work/${name}_bg.opt.wasm" "$work/${name}_bg.wasm"
fi

cp "$work/$name.js" "$work/${name}_bg.wasm" "$staging/"
# The loader shim for a no-modules Worker, for the relaxed files (init takes
# { module_or_path }: a bare path is deprecated and makes wasm-bindgen warn).
printf 'importScripts("./%s.js");wasm_bindgen({ module_or_path: "./%s_bg.wasm" });' "$name" "$name" \
  >"$staging/${name}_loader.js"
say "added ${name}.js, ${name}_bg.wasm, ${name}_loader.js"
