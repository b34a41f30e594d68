// The scenario's `policy_server` (scenarios/README.md): policies on middlebox types, the
// instances of each type, how instances are chosen, and triggers that reconfigure every live
// session matching a predicate. Plain data like scenario.h.
#ifndef DYSCOSIM_POLICY_SERVER_SPEC_H
#define DYSCOSIM_POLICY_SERVER_SPEC_H

#include "scenario.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dyscosim
{

/// A predicate -> middlebox types (the match fields of a PolicySpec; its chain is unused).
struct TypePolicySpec
{
    std::string name;
    PolicySpec match;
    std::vector<std::string> types;
};

enum class PolicyTriggerAction
{
    kInsert,  ///< add an instance of `type` to each matching session (at `position`)
    kReplace, ///< move matching sessions off `instance` (maintenance)
    kDelete,  ///< the instance of `type` leaves each matching session's chain
    kUpdate,  ///< `policies` become the server's policy set: a new version for every agent
};

const char* ToString(PolicyTriggerAction action);

struct PolicyTriggerSpec
{
    double atS = 0;
    PolicyTriggerAction action = PolicyTriggerAction::kInsert;
    PolicySpec match;
    std::string type;
    std::optional<size_t> position;       ///< insert: index in the chain; unset: at its end
    size_t instance = 0;                  ///< replace: the node drained
    std::vector<TypePolicySpec> policies; ///< update: the new set
};

struct PolicyServerSpec
{
    size_t node = 0;
    bool leastLoaded = false;          ///< else round robin
    double distributionDelayS = 0.001; ///< the first version leaves then
    double rtoS = 0.02;                ///< first retransmission timeout (doubles per resend)
    uint32_t retries = 8;              ///< resends before giving up on an agent
    /// type -> its instances (middlebox nodes), in the order the file lists them
    std::vector<std::pair<std::string, std::vector<size_t>>> instances;
    std::vector<TypePolicySpec> policies;
    std::vector<PolicyTriggerSpec> triggers;
};

} // namespace dyscosim

#endif
