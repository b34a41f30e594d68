#!/usr/bin/env bash
# Installs the Debian packages dyscosim needs, skipping those already present.
# Usage: tools/deps.sh   (root, or sudo available)
set -euo pipefail

PACKAGES=(
    cmake ninja-build g++ ccache git pkg-config
    libns3-dev libgsl-dev
    libz3-dev libgtest-dev libgmock-dev libbenchmark-dev
    nlohmann-json3-dev libboost-graph-dev
    gnuplot-nox python3
    libdpdk-dev iproute2 curl
    libssl-dev
    clang-14 libclang-rt-14-dev
    parallel slurm-wlm munge
)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "deps: all ${#PACKAGES[@]} packages present"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
