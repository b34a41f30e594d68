#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test through CTest.
# Extra arguments go to ctest (e.g. -L core).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh
cd build
ctest --output-on-failure --no-tests=error -j"$(nproc)" --timeout 600 "$@"
