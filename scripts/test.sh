#!/usr/bin/env bash
# Runs every test nnlab has, after installing whatever the machine lacks:
#   formatting and lints · native tests (core, figures, CLI) · browser tests (wasm in headless Chromium)
#   · the release build of the site · end-to-end tests driving that site in headless Chromium.
# CIFAR-10 tests read the archive named by NNLAB_CIFAR10 (default: ../shared/data/cifar-10-binary.tar.gz).
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

. scripts/setup.sh || exit 1

if [ -z "${NNLAB_CIFAR10:-}" ] && [ -f "$root/../shared/data/cifar-10-binary.tar.gz" ]; then
  export NNLAB_CIFAR10="$root/../shared/data/cifar-10-binary.tar.gz"
fi
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export TRUNK_SKIP_VERSION_CHECK=true
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"

passed=0; failed=0; failures=()
stage() {
  local name="$1"; shift
  printf '\n\033[1;34m==> %s\033[0m\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); printf '\033[1;32m<== %s: ok (%ss)\033[0m\n' "$name" $((SECONDS - start))
  else
    failed=$((failed + 1)); failures+=("$name"); printf '\033[1;31m<== %s: FAILED\033[0m\n' "$name"
  fi
}

stage "format" cargo fmt --all -- --check
stage "clippy (native)" cargo clippy --workspace --all-targets -- -D warnings
# The core's dev-dependencies (proptest) are native-only, so lint its library for wasm32 and the web crate with its tests.
stage "clippy (wasm32)" cargo clippy -p nnlab -p nnlab-figures -p nnlab-bench --target wasm32-unknown-unknown -- -D warnings
stage "clippy (wasm32, web + worker + tests)" cargo clippy -p nnlab-web -p nnlab-worker --target wasm32-unknown-unknown --all-targets -- -D warnings
stage "native tests" cargo test --workspace
stage "browser tests (wasm-pack, headless Chromium)" wasm-pack test --headless --chrome --mode no-install crates/nnlab-web
stage "site build (trunk --release)" trunk build --release
stage "end-to-end tests (playwright-core)" node tests/e2e/run.mjs

echo
if [ "$failed" -gt 0 ]; then printf 'failed stages: %s\n' "${failures[*]}"; fi
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
