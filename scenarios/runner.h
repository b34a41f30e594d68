// Builds and runs the ns-3 simulation of a validated scenario: nodes, point-to-point links
// (seeded random loss), the Dysco stack on every node, addresses per AddressPlan, global
// routing, middlebox functions, policies and byte-exact traffic. Returns what happened;
// checking and writing summary files is the caller's job (see dyscosim_main.cc).
#ifndef DYSCOSIM_RUNNER_H
#define DYSCOSIM_RUNNER_H

#include "run_result.h"
#include "scenario.h"

#include <string>

namespace dyscosim
{

struct RunOptions
{
    std::string outDir;   ///< existing directory for pcap/ and trace.txt
    bool quick = false;   ///< recorded in the result only (the scenario is already reduced)
    bool pcap = false;    ///< every link device to outDir/pcap/<scenario>-<node>-<dev>.pcap
    bool trace = false;   ///< the checker's trace to TracePath(outDir) (needs DYSCO_WITH_Z3)
    bool progress = true; ///< progress on stderr
};

/// Runs `s` (seeded with s.seed) to its stop time. Not re-entrant: ns-3 has global state;
/// the simulator is destroyed before returning, so consecutive calls are fine.
RunResult RunScenario(const Scenario& s, const RunOptions& options);

/// Where a run with RunOptions::trace writes its trace (verification/README.md format).
std::string TracePath(const std::string& outDir);

} // namespace dyscosim

#endif
