#!/usr/bin/env bash
# Builds the site (release) and serves it on http://127.0.0.1:8080/ — installs the build tools first if missing.
# A CIFAR-10 archive in data/ (scripts/get-cifar10.sh puts it there) is served at /data/ for the training lessons.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh --web
trunk build --release --skip-version-check
exec node scripts/serve.mjs "${PORT:-8080}"
