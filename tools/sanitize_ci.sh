#!/usr/bin/env bash
# CI stage after the main suite: the clang + ASan + UBSan build (build-fuzz, fuzz/README.md),
# the core and checker suites under the sanitizers, the fuzz seed/regression replays, and a
# bounded libFuzzer run of every target (label security). Any sanitizer report fails it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/fuzz.sh --build
ctest --test-dir build-fuzz --output-on-failure --no-tests=error -j"$(nproc)" --timeout 600 \
    -L 'core|checker|security'
