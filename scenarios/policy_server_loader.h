// Reads the scenario's `policy_server` object strictly (scenarios/README.md): every
// problem is a ScenarioError naming its JSON path. The scenario loader lends its node-name
// and match parsers, so both read them alike.
#ifndef DYSCOSIM_POLICY_SERVER_LOADER_H
#define DYSCOSIM_POLICY_SERVER_LOADER_H

#include "json_fields.h"
#include "policy_server_spec.h"

#include <functional>
#include <memory>

namespace dyscosim
{

struct PolicyServerParsers
{
    /// The index of the node a JSON value names (file, JSON path, value).
    std::function<size_t(const std::string&, const std::string&, const nlohmann::json&)> node;
    /// A match object into a PolicySpec's predicate fields.
    std::function<void(const JsonObject&, const nlohmann::json&, PolicySpec*)> match;
};

std::shared_ptr<const PolicyServerSpec> ParsePolicyServer(const JsonObject& o,
                                                          const nlohmann::json& raw,
                                                          const Scenario& s,
                                                          const PolicyServerParsers& parsers);

/// Trigger times against the effective stop time (`stop` words it for messages).
void CheckPolicyServerTiming(const Scenario& s, const std::string& stop);

} // namespace dyscosim

#endif
