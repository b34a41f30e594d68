// The scenario keys of the SOCKS-like proxy: a node's `"middlebox": "socks"` with its
// optional `socks` object, and a traffic entry's `via_socks` and `socks_request`
// (scenarios/README.md, "socks").
#ifndef DYSCOSIM_SOCKS_SPEC_LOADER_H
#define DYSCOSIM_SOCKS_SPEC_LOADER_H

#include "json_fields.h"
#include "scenario.h"

namespace dyscosim
{

/// Reads node `o`'s `socks` object (raw: the node's JSON) into `n->proxy`: optional for a
/// socks node (port 1080 by default), refused on any other. Throws ScenarioError naming the
/// JSON path on a bad key or value.
void ParseSocksNode(const JsonObject& o, const nlohmann::json& raw, NodeSpec* n);

/// Reads traffic entry `o`'s `via_socks` (the name of a socks node of `s`) and
/// `socks_request` into `t`. Throws ScenarioError naming the JSON path.
void ParseSocksTraffic(const JsonObject& o, const nlohmann::json& raw, const Scenario& s,
                       TrafficSpec* t);

} // namespace dyscosim

#endif
