// Random scenarios for `dyscosim fuzz`: topologies, chains, reconfigurations (insert, delete,
// replace), contention, control/data/packet loss, failed middleboxes and FIN/RST injections,
// in the scenario JSON format (scenarios/README.md). Only scenarios the correct protocol must
// pass are generated: every session has the time to finish, every reconfiguration ends (in
// success, or in an abort the checker accepts), and a middlebox that is down is only ever on a
// new path. Pure and deterministic: the same seed gives the same JSON on every machine.
#ifndef DYSCOSIM_FUZZ_GENERATOR_H
#define DYSCOSIM_FUZZ_GENERATOR_H

#include <cstdint>
#include <nlohmann/json.hpp>

namespace dyscosim
{

/// The seed of run `i` of `dyscosim fuzz --seed base`: base + i, skipping 0 (wraps within
/// 1..2^32-1). So run i of one fuzz campaign is replayed by `dyscosim fuzz --runs 1 --seed X`.
uint32_t FuzzRunSeed(uint32_t base, uint64_t i);

/// The scenario of one fuzz run: name "fuzz-SEED", ns-3 seed SEED.
nlohmann::ordered_json GenerateFuzzScenario(uint32_t seed);

} // namespace dyscosim

#endif
