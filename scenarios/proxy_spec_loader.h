// The scenario keys of the session-terminating proxy: a node's `proxy` object
// (scenarios/README.md, "proxy").
#ifndef DYSCOSIM_PROXY_SPEC_LOADER_H
#define DYSCOSIM_PROXY_SPEC_LOADER_H

#include "json_fields.h"
#include "scenario.h"

namespace dyscosim
{

/// Parses `o` (the node's `proxy` object) into `out`; throws ScenarioError naming the JSON
/// path on any bad key or value.
void ParseProxySpec(const JsonObject& o, const nlohmann::json& raw, ProxySpec* out);

/// The keys ParseProxySpec reads, for objects that take them among others.
const std::vector<std::string>& ProxyKeys();
/// ParseProxySpec without the check for unknown keys (the caller's object has more).
void ParseProxyFields(const JsonObject& o, const nlohmann::json& raw, ProxySpec* out);

} // namespace dyscosim

#endif
