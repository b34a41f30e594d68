#include "policy_server_loader.h"

#include "core/policy_message.h"
#include "scenario_error.h"

#include <algorithm>

namespace dyscosim
{

using json = nlohmann::json;

const char*
ToString(PolicyTriggerAction action)
{
    switch (action)
    {
    case PolicyTriggerAction::kInsert:
        return "insert";
    case PolicyTriggerAction::kReplace:
        return "replace";
    case PolicyTriggerAction::kDelete:
        return "delete";
    case PolicyTriggerAction::kUpdate:
        return "update";
    }
    return "?";
}

namespace
{

class PolicyServerParser
{
public:
    PolicyServerParser(const Scenario& s, const PolicyServerParsers& parsers)
        : m_s(s)
        , m_parsers(parsers)
    {
    }

    std::shared_ptr<const PolicyServerSpec> Parse(const JsonObject& o, const json& raw)
    {
        o.AllowOnly({"node", "strategy", "distribution_delay_s", "rto_s", "retries", "instances",
                     "policies", "triggers"});
        auto spec = std::make_shared<PolicyServerSpec>();
        spec->node = m_parsers.node(o.File(), o.PathOf("node"), o.Require("node", "a node name"));
        const std::string strategy =
            o.String("strategy", "\"round_robin\" or \"least_loaded\"", "round_robin");
        if (strategy != "round_robin" && strategy != "least_loaded")
        {
            o.Fail("strategy", "expected \"round_robin\" or \"least_loaded\", got " +
                                   DescribeJson(raw.at("strategy")));
        }
        spec->leastLoaded = strategy == "least_loaded";
        spec->distributionDelayS =
            o.Number("distribution_delay_s", 0, 1e6, false, "a delay in seconds", 0.001);
        spec->rtoS = o.Number("rto_s", 1e-6, 60, false, "a timeout in seconds", 0.02);
        spec->retries = uint32_t(o.Unsigned("retries", 0, 30, "a resend count", 8));
        ParseInstances(JsonObject(o.File(), o.PathOf("instances"),
                                  o.Require("instances", "an object {type: [middlebox nodes]}"),
                                  "an object {type: [middlebox nodes]}"),
                       raw.at("instances"), spec.get());
        spec->policies = ParsePolicies(o, *spec);
        const json& triggers = o.Array("triggers", "an array of triggers", false);
        for (size_t i = 0; i < triggers.size(); ++i)
        {
            spec->triggers.push_back(ParseTrigger(
                JsonObject(o.File(), o.PathOf("triggers") + "[" + std::to_string(i) + "]",
                           triggers[i], "a trigger {at_s, action, match, type | instance}"),
                triggers[i], *spec));
        }
        return spec;
    }

private:
    void ParseInstances(const JsonObject& o, const json& raw, PolicyServerSpec* spec)
    {
        if (raw.empty())
        {
            throw ScenarioError(o.File(), o.Path(), "expected at least one middlebox type");
        }
        for (const auto& [type, list] : raw.items())
        {
            const std::string path = o.PathOf(type);
            if (type.empty())
            {
                throw ScenarioError(o.File(), path, "a middlebox type needs a name");
            }
            const json& nodes = o.Array(type, "an array of middlebox node names", true);
            if (nodes.empty())
            {
                throw ScenarioError(o.File(), path, "expected at least one instance");
            }
            std::vector<size_t> instances;
            for (size_t k = 0; k < nodes.size(); ++k)
            {
                const std::string kp = path + "[" + std::to_string(k) + "]";
                const size_t n = m_parsers.node(o.File(), kp, nodes[k]);
                const NodeSpec& node = m_s.nodes[n];
                if (node.role != NodeRole::kMiddlebox)
                {
                    throw ScenarioError(o.File(), kp,
                                        "node \"" + node.name + "\" is a " + ToString(node.role) +
                                            "; instances are nodes with role \"middlebox\"");
                }
                if (TypeOf(*spec, n) != nullptr ||
                    std::find(instances.begin(), instances.end(), n) != instances.end())
                {
                    throw ScenarioError(o.File(), kp,
                                        "middlebox \"" + node.name +
                                            "\" is already an instance; each node is an instance "
                                            "of one type, once");
                }
                instances.push_back(n);
            }
            spec->instances.emplace_back(type, instances);
        }
    }

    static const std::string* TypeOf(const PolicyServerSpec& spec, size_t node)
    {
        for (const auto& [type, nodes] : spec.instances)
        {
            if (std::find(nodes.begin(), nodes.end(), node) != nodes.end())
            {
                return &type;
            }
        }
        return nullptr;
    }

    /// o[key] names a type with instances.
    std::string TypeRef(const JsonObject& o, const std::string& key, const json& v,
                        const PolicyServerSpec& spec)
    {
        const std::string type = JsonToString(o.File(), o.PathOf(key), v, "a middlebox type");
        std::vector<std::string> known;
        std::string list;
        for (const auto& [name, nodes] : spec.instances)
        {
            if (name == type)
            {
                return type;
            }
            known.push_back(name);
            list += (list.empty() ? "" : ", ") + name;
        }
        std::string message = "unknown middlebox type \"" + type + "\"";
        const std::string guess = ClosestKey(type, known);
        if (!guess.empty())
        {
            message += " (did you mean \"" + guess + "\"?)";
        }
        throw ScenarioError(o.File(), o.PathOf(key),
                            message + "; policy_server.instances has: " + list);
    }

    void Match(const JsonObject& o, const json& raw, PolicySpec* out)
    {
        if (o.Has("match"))
        {
            m_parsers.match(JsonObject(o.File(), o.PathOf("match"), raw.at("match"),
                                       "a match object {src, dst, src_ports, dst_ports, "
                                       "protocol}"),
                            raw.at("match"), out);
        }
    }

    /// o.policies: a policy set, bounded to what one policy message carries.
    std::vector<TypePolicySpec> ParsePolicies(const JsonObject& o, const PolicyServerSpec& spec)
    {
        const json& policies = o.Array("policies", "an array of {name, match, types}", true);
        std::vector<TypePolicySpec> out;
        size_t bytes = dysco::kPolicyUpdateHeaderBytes;
        for (size_t i = 0; i < policies.size(); ++i)
        {
            const JsonObject p(o.File(), o.PathOf("policies") + "[" + std::to_string(i) + "]",
                               policies[i], "a policy {name, match, types}");
            out.push_back(ParsePolicy(p, policies[i], i, spec));
            if (out.back().name.size() > 255)
            {
                p.Fail("name", "a policy name has at most 255 bytes");
            }
            std::vector<size_t> slots; // at most every instance of each type is live
            for (const auto& type : out.back().types)
            {
                for (const auto& [name, nodes] : spec.instances)
                {
                    if (name == type)
                    {
                        slots.push_back(nodes.size());
                    }
                }
            }
            bytes += dysco::PolicyEntryBytes(out.back().name.size(), slots);
        }
        if (bytes > dysco::kPolicyMessageMaxBytes)
        {
            o.Fail("policies", "the set takes " + std::to_string(bytes) +
                                   " bytes as a policy message; one message holds at most " +
                                   std::to_string(dysco::kPolicyMessageMaxBytes));
        }
        return out;
    }

    TypePolicySpec ParsePolicy(const JsonObject& o, const json& raw, size_t index,
                               const PolicyServerSpec& spec)
    {
        o.AllowOnly({"name", "match", "types"});
        TypePolicySpec p;
        p.name = o.String("name", "a policy name", "server_policy" + std::to_string(index));
        Match(o, raw, &p.match);
        const json& types = o.Array("types", "an array of middlebox types", true);
        for (size_t k = 0; k < types.size(); ++k)
        {
            const std::string key = "types[" + std::to_string(k) + "]";
            const std::string type = TypeRef(o, key, types[k], spec);
            if (std::find(p.types.begin(), p.types.end(), type) != p.types.end())
            {
                o.Fail(key, "type \"" + type +
                                "\" is already in this policy; a chain visits "
                                "each type once");
            }
            p.types.push_back(type);
        }
        return p;
    }

    PolicyTriggerSpec ParseTrigger(const JsonObject& o, const json& raw,
                                   const PolicyServerSpec& spec)
    {
        o.AllowOnly({"at_s", "action", "match", "type", "position", "instance", "policies"});
        PolicyTriggerSpec t;
        t.atS = o.Number("at_s", 0, 1e6, false, "a trigger time in seconds");
        const std::string action =
            o.String("action", "\"insert\", \"replace\", \"delete\" or \"update\"");
        Match(o, raw, &t.match);
        const bool insert = action == "insert";
        if (action != "update")
        {
            Forbid(o, "policies", "only \"update\" takes a policy set");
        }
        if (action == "update")
        {
            t.action = PolicyTriggerAction::kUpdate;
            for (const char* key : {"match", "type", "position", "instance"})
            {
                Forbid(o, key, "update replaces the policy set; it takes \"policies\" only");
            }
            o.Require("policies", "an array of {name, match, types}");
            t.policies = ParsePolicies(o, spec);
        }
        else if (insert || action == "delete")
        {
            t.action = insert ? PolicyTriggerAction::kInsert : PolicyTriggerAction::kDelete;
            t.type = TypeRef(o, "type", o.Require("type", "a middlebox type"), spec);
            Forbid(o, "instance", action + " names a type, not an instance");
            if (insert && o.Has("position"))
            {
                t.position = size_t(o.Unsigned("position", 0, 64, "a chain index"));
            }
            else if (o.Has("position"))
            {
                o.Fail("position", "only \"insert\" takes a position");
            }
        }
        else if (action == "replace")
        {
            t.action = PolicyTriggerAction::kReplace;
            Forbid(o, "type", "replace names the instance it drains (\"instance\")");
            Forbid(o, "position", "only \"insert\" takes a position");
            t.instance = m_parsers.node(o.File(), o.PathOf("instance"),
                                        o.Require("instance", "a middlebox instance"));
            const std::string* type = TypeOf(spec, t.instance);
            if (type == nullptr)
            {
                o.Fail("instance", "node \"" + m_s.nodes[t.instance].name +
                                       "\" is not an instance of any type in "
                                       "policy_server.instances");
            }
            for (const auto& [name, nodes] : spec.instances)
            {
                if (name == *type && nodes.size() < 2)
                {
                    o.Fail("instance",
                           "type \"" + name + "\" has no other instance to take its sessions");
                }
            }
        }
        else
        {
            o.Fail("action", "expected \"insert\", \"replace\", \"delete\" or \"update\", got " +
                                 DescribeJson(raw.at("action")));
        }
        return t;
    }

    static void Forbid(const JsonObject& o, const char* key, const std::string& why)
    {
        if (o.Has(key))
        {
            o.Fail(key, why);
        }
    }

    const Scenario& m_s;
    const PolicyServerParsers& m_parsers;
};

} // namespace

std::shared_ptr<const PolicyServerSpec>
ParsePolicyServer(const JsonObject& o, const json& raw, const Scenario& s,
                  const PolicyServerParsers& parsers)
{
    return PolicyServerParser(s, parsers).Parse(o, raw);
}

void
CheckPolicyServerTiming(const Scenario& s, const std::string& stop)
{
    if (!s.policyServer)
    {
        return;
    }
    for (size_t i = 0; i < s.policyServer->triggers.size(); ++i)
    {
        const double at = s.policyServer->triggers[i].atS;
        if (at >= s.durationS)
        {
            throw ScenarioError(s.file, "$.policy_server.triggers[" + std::to_string(i) + "].at_s",
                                "triggers at " + FormatNumber(at) + " s, not before " + stop);
        }
    }
}

} // namespace dyscosim
