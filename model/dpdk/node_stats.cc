// AgentNode::StatsJson: the counters of one agent as JSON (format in model/dpdk/README.md).
#include "agent_node.h"
#include "core/five_tuple.h"

namespace dysco::dpdk
{

namespace
{

nlohmann::json
PathJson(const PathCounters& c)
{
    return {{"frames", c.frames},
            {"forwarded", c.forwarded},
            {"arp", c.arp},
            {"non_ipv4", c.nonIpv4},
            {"malformed", c.Malformed()},
            {"malformed_runt", c.runt},
            {"malformed_header", c.badHeader},
            {"malformed_length", c.badLength},
            {"malformed_checksum", c.badChecksum},
            {"core_dropped", c.coreDropped},
            {"consumed", c.consumed},
            {"payload_reloads", c.payloadReloads},
            {"bridge_errors", c.bridgeErrors}};
}

nlohmann::json
CoreJson(const dysco::AgentCounters& c)
{
    nlohmann::json j = nlohmann::json::object();
    for (const dysco::NamedCounter& n : dysco::NamedCounters(c))
    {
        if (n.always || n.value != 0)
        {
            j[n.name] = n.value;
        }
    }
    return j;
}

} // namespace

nlohmann::json
AgentNode::StatsJson() const
{
    nlohmann::json events = nlohmann::json::object();
    for (size_t k = 0; k < dysco::kAgentEventKinds; ++k)
    {
        events[dysco::ToString(dysco::AgentEventKind(k))] = m_events[k];
    }
    return {{"name", m_name},
            {"address", dysco::Ipv4ToString(m_address)},
            {"role", m_middlebox ? "middlebox" : "host"},
            {"sessions", m_core.SessionCount()},
            {"active_reconfigurations", m_core.ActiveReconfigurations()},
            {"ports", {{"host", m_host.GetPort().StatsJson()}, {"network", m_network.StatsJson()}}},
            {"host_side", m_host.StatsJson()},
            {"egress", PathJson(m_egress)},
            {"ingress", PathJson(m_ingress)},
            {"originated",
             {{"to_network", m_originatedToNetwork},
              {"to_host", m_originatedToHost},
              {"lost", m_originatedLost}}},
            {"network_arp_answered", m_networkArpAnswered},
            {"core", CoreJson(m_core.Counters())},
            {"events", events}};
}

} // namespace dysco::dpdk
