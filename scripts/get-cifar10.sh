#!/usr/bin/env bash
# Puts CIFAR-10 (binary version) at data/cifar-10-binary.tar.gz for the training lessons and `nnlab train`.
# Downloads https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (about 170 MB) and checks its md5;
# with NNLAB_CIFAR10=/path/to/cifar-10-binary.tar.gz it copies that local file instead (no network).
# Extra arguments go to `nnlab data fetch` (e.g. --force, --from PATH); see `nnlab data fetch --help`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust with rustup first (https://rustup.rs)." >&2
  exit 1
fi
cargo build --release --quiet -p nnlab-cli --bin nnlab
exec target/release/nnlab data fetch --dest data/ "$@"
