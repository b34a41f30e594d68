// The scenario keys of the session-terminating middleboxes: a node's `proxy` or
// `content_modifier` object (scenarios/README.md, "proxy and content_modifier").
#ifndef DYSCOSIM_PROXY_SPEC_LOADER_H
#define DYSCOSIM_PROXY_SPEC_LOADER_H

#include "json_fields.h"
#include "scenario.h"

namespace dyscosim
{

/// Parses `o` (the node's `proxy` or, with `modifier`, `content_modifier` object) into
/// `out`; throws ScenarioError naming the JSON path on any bad key or value.
void ParseProxySpec(const JsonObject& o, const nlohmann::json& raw, bool modifier,
                    ProxySpec* out);

} // namespace dyscosim

#endif
