// The scenario keys of the content modifier: a node's `"middlebox": "content_modifier"` and
// its `content_modifier` object (scenarios/README.md, "content_modifier").
#ifndef DYSCOSIM_MODIFIER_SPEC_LOADER_H
#define DYSCOSIM_MODIFIER_SPEC_LOADER_H

#include "json_fields.h"
#include "scenario.h"

namespace dyscosim
{

/// Reads node `o`'s `content_modifier` object (raw: the node's JSON) into `n`: required
/// when `n` runs a content modifier, refused otherwise. Throws ScenarioError naming the JSON
/// path on any bad key or value.
void ParseModifierNode(const JsonObject& o, const nlohmann::json& raw, NodeSpec* n);

} // namespace dyscosim

#endif
