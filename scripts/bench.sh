#!/usr/bin/env bash
# One command for the training benchmark of the lecture's MLP
# (3072-100-256-256-10, ReLU, softmax cross-entropy, Adam, batch 64, float32, one thread):
#   1. builds the wasm benchmark twice (SIMD128, and SIMD128 + relaxed SIMD) into bench/pkg/,
#   2. trains and infers natively for a fixed time,
#   3. does the same in headless Chromium with both wasm builds,
#   4. with NNLAB_CIFAR10 set, trains in the web app itself (dist/, built if missing) on the
#      real CIFAR-10 and reports, in one run, one Web Worker (?workers=1) against the default
#      (one per core when measured faster): the two alternate, two rounds of NNLAB_BENCH_TRAIN seconds
#      each, with the lesson's own samples/s read-out and the UI thread's share of a core,
#   5. runs the peer harness (TF.js wasm SIMD, convnetjs) from a copy of $NNLAB_PEERS,
#   6. prints one table: samples/s, GFLOP/s, % of measured peak, where the time of a step
#      goes, and which targets are met.
# Knobs: NNLAB_BENCH_TRAIN / NNLAB_BENCH_INFER (seconds, default 10 / 4),
#        NNLAB_PEERS (default ../shared/bench/peers; set to "" to skip the peers),
#        NNLAB_PEERS_WORK (where the copy and its node_modules live, default /tmp/nnlab-peers).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
train_s="${NNLAB_BENCH_TRAIN:-10}"
infer_s="${NNLAB_BENCH_INFER:-4}"
peers_src="${NNLAB_PEERS-$root/../shared/bench/peers}"
peers_work="${NNLAB_PEERS_WORK:-/tmp/nnlab-peers}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export PATH="$HOME/.cargo/bin:$PATH"
say() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }

say "building the wasm benchmark (simd128, then simd128+relaxed-simd)"
cargo build --release --target wasm32-unknown-unknown -p nnlab-bench
wasm-bindgen --target web --out-dir bench/pkg/simd128 target/wasm32-unknown-unknown/release/nnlab_bench.wasm
# Its own target dir, so the two flag sets do not rebuild each other's crates.
RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
  cargo build --release --target wasm32-unknown-unknown -p nnlab-bench --target-dir target/wasm-relaxed
wasm-bindgen --target web --out-dir bench/pkg/relaxed target/wasm-relaxed/wasm32-unknown-unknown/release/nnlab_bench.wasm

say "native: ${train_s}s training + ${infer_s}s inference (load: $(cut -d' ' -f1-3 /proc/loadavg))"
cargo build --release -p nnlab-bench --example train_bench
target/release/examples/train_bench "$train_s" "$infer_s" --json >"$out/native.json"

[ -d node_modules/playwright-core ] || npm install --no-audit --no-fund
say "browser: both wasm builds in headless Chromium (load: $(cut -d' ' -f1-3 /proc/loadavg))"
node bench/run.mjs --train "$train_s" --infer "$infer_s" --json >"$out/browser.json"

if [ -n "${NNLAB_CIFAR10:-}" ] && [ -f "$NNLAB_CIFAR10" ]; then
  if [ ! -f dist/index.html ]; then
    say "building the web app (trunk build --release)"
    PATH="$root/node_modules/.bin:$PATH" trunk build --release
  fi
  say "the web app: live training on CIFAR-10, 1 Worker vs the default (one per core), alternated, in one run (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  node bench/page.mjs --seconds "$train_s" --rounds 2 --json >"$out/page.json"
else
  say "the web app: skipped (set NNLAB_CIFAR10 to cifar-10-binary.tar.gz)"
fi

if [ -n "$peers_src" ] && [ -f "$peers_src/run.mjs" ]; then
  say "peers: TF.js wasm SIMD and convnetjs from a copy of $peers_src"
  mkdir -p "$peers_work"
  # Copy the sources (not results or node_modules); reinstall only when the lock file changed.
  (cd "$peers_src" && tar --exclude=node_modules --exclude=results -cf - .) | (cd "$peers_work" && tar -xf -)
  if ! cmp -s "$peers_work/package-lock.json" "$peers_work/.installed-lock.json"; then
    (cd "$peers_work" && npm ci --no-audit --no-fund && cp package-lock.json .installed-lock.json)
  fi
  (cd "$peers_work" && node run.mjs --only tfjs-wasm-simd,convnetjs --no-native --reps 1 \
    --train-seconds "$train_s" --infer-seconds "$infer_s" --quiet-wait 30 --out "$out/peers.json")
else
  say "peers: skipped (no peer harness at '${peers_src}'; set NNLAB_PEERS)"
fi

say "results (load: $(cut -d' ' -f1-3 /proc/loadavg))"
node bench/report.mjs "$out/native.json" "$out/browser.json" "$out/peers.json" "$out/page.json"
