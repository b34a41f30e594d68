#!/usr/bin/env bash
# libFuzzer targets (fuzz/README.md), built with clang + ASan + UBSan into build-fuzz/.
#   tools/fuzz.sh --build                 configure and build build-fuzz (targets and tests)
#   tools/fuzz.sh TARGET SECONDS [ARGS]   run one target (packet, syn_payload, control, agent,
#                                         policy_message, trace, scenario) for SECONDS; ARGS go to libFuzzer
#   tools/fuzz.sh all SECONDS             every target in turn
#   tools/fuzz.sh --seeds                 regenerate fuzz/corpus from real packets and files
# New inputs go to build-fuzz/fuzz/corpus/TARGET, crashes to build-fuzz/fuzz/TARGET-crash-*.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${DYSCO_FUZZ_BUILD:-build-fuzz}
TARGETS=(packet syn_payload control agent policy_message trace scenario)

configure() {
    cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER=clang++-14 -DDYSCO_FUZZ=ON -DDYSCO_WITH_NS3=OFF \
        -DDYSCO_WITH_DPDK=OFF -DDYSCO_WITH_BENCH=OFF -DDYSCO_WITH_MUTANTS=OFF >/dev/null
}

build() {
    configure
    cmake --build "$BUILD" -j"${DYSCO_JOBS:-$(nproc)}" "$@"
}

run() {
    local t=$1 secs=$2
    shift 2
    [ -x "$BUILD/fuzz/$t-fuzz" ] || build --target "$t-fuzz"
    mkdir -p "$BUILD/fuzz/corpus/$t"
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
        "$BUILD/fuzz/$t-fuzz" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$BUILD/fuzz/$t-" "$@" \
        "$BUILD/fuzz/corpus/$t" "fuzz/corpus/$t"
}

case "${1:-}" in
--build)
    shift
    build "$@"
    ;;
--seeds)
    build --target dysco-fuzz-make-seeds
    rm -rf fuzz/corpus
    "$BUILD/fuzz/dysco-fuzz-make-seeds" fuzz/corpus
    ;;
all)
    for t in "${TARGETS[@]}"; do
        run "$t" "${2:?seconds}"
    done
    ;;
packet | syn_payload | control | agent | policy_message | trace | scenario)
    run "$1" "${2:?seconds}" "${@:3}"
    ;;
*)
    sed -n '2,8p' "$0" >&2
    exit 2
    ;;
esac
