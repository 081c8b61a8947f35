#!/usr/bin/env bash
# Installs what a fresh machine lacks, and nothing it already has:
# the wasm target, pinned cargo tools, npm packages (binaryen's wasm-opt, playwright-core)
# and, when root, Debian's Chromium + ChromeDriver for the browser tests and its CJK fonts.
#
#   scripts/setup.sh          everything (what the tests need)
#   scripts/setup.sh --web    only what building and serving the site needs
#
# Source it (`. scripts/setup.sh`) to keep the PATH it sets up.
set -euo pipefail

nnlab_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web_only=false
[ "${1:-}" = "--web" ] && web_only=true

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v cargo >/dev/null 2>&1; then
  say "cargo is missing: install Rust with rustup first (https://rustup.rs)."
  exit 1
fi

if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# tool version-check install-args...
cargo_tool() {
  local bin="$1" want="$2"; shift 2
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q "$want"; then
    return
  fi
  say "installing $* (a few minutes, once)"
  cargo install "$@"
}
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock; --locked fails for it (see docs).
cargo_tool wasm-bindgen 0.2.130 wasm-bindgen-cli@0.2.130
cargo_tool trunk 0.21.14 --locked trunk@0.21.14
if ! $web_only; then
  cargo_tool wasm-pack 0.15.1 --locked wasm-pack@0.15.1
fi

# npm: binaryen 132 (Debian's wasm-opt 108 silently breaks wasm-bindgen's output) and playwright-core.
if [ ! -x "$nnlab_root/node_modules/.bin/wasm-opt" ] || [ ! -d "$nnlab_root/node_modules/playwright-core" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Node.js and npm from Debian"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
    else
      say "npm is missing: install Node.js 20+"; exit 1
    fi
  fi
  say "installing npm packages (binaryen, playwright-core)"
  (cd "$nnlab_root" && npm ci --no-audit --no-fund --loglevel=error)
fi
export PATH="$nnlab_root/node_modules/.bin:$PATH"

if ! $web_only && { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; }; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian's chromium and chromium-driver"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    say "chromium and chromedriver are missing; install them (e.g. apt-get install chromium chromium-driver) and rerun."
    exit 1
  fi
fi
# CJK fonts, so the Chinese pages render in headless screenshots (a fresh machine draws boxes).
if ! $web_only && [ "$(id -u)" = 0 ] && ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  say "installing Debian's fonts-noto-cjk (Chinese text in screenshots)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null
fi
# Python for the export tests (crates/nnlab-cli/tests/export_cli.rs runs the scripts `nnlab export`
# writes): Debian's python3 with NumPy and PyTorch (python3-torch, CPU), in a venv that adds
# safetensors and PaddlePaddle from PyPI. NNLAB_PYTHON names its interpreter.
if ! $web_only; then
  py_env="$nnlab_root/target/python"
  if ! "$py_env/bin/python" -c "import numpy, safetensors, torch, paddle" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Python for the export tests (Debian's python3-torch, PyPI's safetensors and paddlepaddle)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-numpy python3-torch >/dev/null
      /usr/bin/python3 -m venv --system-site-packages "$py_env"
      "$py_env/bin/pip" install -q --disable-pip-version-check safetensors paddlepaddle
    elif command -v python3 >/dev/null 2>&1; then
      say "installing numpy and safetensors for the export tests (PyTorch and Paddle need root here; their scripts are skipped)"
      python3 -m venv "$py_env" && "$py_env/bin/pip" install -q --disable-pip-version-check numpy safetensors
    fi
  fi
  if [ -x "$py_env/bin/python" ]; then export NNLAB_PYTHON="$py_env/bin/python"; fi
fi
say "tools ready"
