#!/usr/bin/env bash
# README command 1: install what is missing, build, run the default reconfiguration
# scenario with its check. Results land in results/quickstart/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
tools/build.sh dyscosim
./build/dyscosim run scenarios/quickstart.json --out results/quickstart "$@"
