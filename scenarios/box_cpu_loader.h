// A forwarding node's processing capacity: the node key `cpu` (scenarios/README.md, "cpu").
#ifndef DYSCOSIM_BOX_CPU_LOADER_H
#define DYSCOSIM_BOX_CPU_LOADER_H

#include "json_fields.h"
#include "scenario.h"

namespace dyscosim
{

/// Parses the node's `cpu` object into `n->cpu` if present; throws ScenarioError naming the
/// JSON path on a bad key or value, or on a node that forwards nothing (a host).
void ParseBoxCpu(const JsonObject& node, NodeSpec* n);

} // namespace dyscosim

#endif
