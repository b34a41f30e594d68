#!/usr/bin/env bash
# README command 2: install what is missing, build, run every test through CTest.
# Extra arguments go to ctest (e.g. -L core). Without arguments, the sanitizer and fuzz stage
# (tools/sanitize_ci.sh) follows; DYSCO_SKIP_SANITIZE=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh
(cd build && ctest --output-on-failure --no-tests=error -j"$(nproc)" --timeout 600 "$@")
if [ $# -eq 0 ] && [ "${DYSCO_SKIP_SANITIZE:-0}" != 1 ]; then
    tools/sanitize_ci.sh
fi
