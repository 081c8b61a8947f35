#!/usr/bin/env bash
# Builds the site and serves it on http://127.0.0.1:8080/ (installs the build tools first if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh --web
exec trunk serve --release --skip-version-check "$@"
