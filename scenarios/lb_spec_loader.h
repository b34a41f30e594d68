// The scenario keys of the Beamer-style load balancer: a node's `beamer` object
// (scenarios/README.md, "beamer"). Parsed once every node is known (backends are names).
#ifndef DYSCOSIM_LB_SPEC_LOADER_H
#define DYSCOSIM_LB_SPEC_LOADER_H

#include "json_fields.h"
#include "scenario.h"

namespace dyscosim
{

/// Parses `o` (node `self`'s `beamer` object) into `out`; throws ScenarioError naming the
/// JSON path on any bad key or value (zero buckets, unknown or repeated backends, moves of
/// buckets that do not exist or to a node that is not a backend).
void ParseBeamerSpec(const JsonObject& o, const Scenario& s, size_t self, BeamerSpec* out);

} // namespace dyscosim

#endif
