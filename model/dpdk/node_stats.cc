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
    return {{"packets", c.packets},
            {"rewritten", c.rewritten},
            {"passed", c.passed},
            {"dropped", c.dropped},
            {"malformed", c.malformed},
            {"bad_syn_payload", c.badSynPayload},
            {"bad_tag", c.badTag},
            {"ports_exhausted", c.portsExhausted},
            {"table_full", c.tableFull},
            {"sessions_created", c.sessionsCreated},
            {"sessions_freed", c.sessionsFreed},
            {"reconfig_attempted", c.reconfigAttempted},
            {"reconfig_succeeded", c.reconfigSucceeded},
            {"reconfig_aborted", c.reconfigAborted},
            {"reconfig_nacked", c.reconfigNacked},
            {"control_sent", c.controlSent},
            {"control_received", c.controlReceived},
            {"control_dropped", c.controlDropped},
            {"splits", c.splits},
            {"new_path_handshake", c.newPathHandshake}};
}

} // namespace

nlohmann::json
AgentNode::StatsJson() const
{
    nlohmann::json events = nlohmann::json::object();
    for (size_t k = 0; k <= size_t(dysco::AgentEventKind::kSplit); ++k)
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
