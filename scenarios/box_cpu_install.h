// Installs the nodes' `cpu` (model/ns3/dysco-box-cpu.h) and reports what each one did.
#ifndef DYSCOSIM_BOX_CPU_INSTALL_H
#define DYSCOSIM_BOX_CPU_INSTALL_H

#include "ns3/node-container.h"
#include "run_result.h"
#include "scenario.h"

namespace dyscosim
{

/// Gives every node with a `cpu` its processing queue (nodes[i] is scenario node i).
void InstallBoxCpus(const Scenario& s, const ns3::NodeContainer& nodes);

/// Adds cpu_* counters to the node's middlebox entry (a new entry if it has none).
void CollectBoxCpus(const Scenario& s, const ns3::NodeContainer& nodes, RunResult* r);

} // namespace dyscosim

#endif
