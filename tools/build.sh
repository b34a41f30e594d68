#!/usr/bin/env bash
# Configures and builds dyscosim (Release) into build/. Arguments are build targets
# (default: everything).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
targets=()
for t in "$@"; do
    targets+=(--target "$t")
done
cmake --build build -j"$(nproc)" "${targets[@]}"
