// The scenario keys of the classifier: a node's `"middlebox": "classifier"` and its
// `classifier` object {rules: [{dst_port and/or prefix or prefix_hex, insert}], default}
// (scenarios/README.md).
#ifndef DYSCOSIM_CLASSIFIER_SPEC_LOADER_H
#define DYSCOSIM_CLASSIFIER_SPEC_LOADER_H

#include "scenario.h"

#include <nlohmann/json.hpp>
#include <string>

namespace dyscosim
{

/// Reads every node's `classifier` object (nodes: the JSON array at `path`) into `s`, once
/// all node names are known: required on classifier nodes, refused on others. Throws
/// ScenarioError naming the JSON path on any bad key or value.
void ParseClassifiers(const std::string& file, const nlohmann::json& nodes, const std::string& path,
                      Scenario* s);

} // namespace dyscosim

#endif
