// The agent side of policy distribution (issue 6): a UDP application on a host node that
// listens on dysco::kPolicyPort for the policy server's update messages
// (core/policy_message.h), applies each new version atomically to its agent's PolicyTable (on
// top of the node's own policies) and acks it. Duplicates are re-acked, older versions
// ignored, malformed datagrams dropped and counted.
//
// A policy names a list of slots (a middlebox type's live instances); this client picks one
// instance per slot for each new session: round robin per slot, or the instance with the
// fewest live sessions this agent started there. It reports each choice on the "Assign" trace
// source, which the policy server watches to know what it may reconfigure.
#ifndef DYSCO_POLICY_CLIENT_H
#define DYSCO_POLICY_CLIENT_H

#include "core/policy_message.h"
#include "dysco-agent.h"
#include "ns3/application.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class DyscoPolicyClient : public Application
{
public:
    /// A version this client applied, and when.
    struct Applied
    {
        uint32_t version = 0;
        Time at;
    };

    static TypeId GetTypeId();
    DyscoPolicyClient();

    void SetAgent(Ptr<DyscoAgent> agent) { m_agent = agent; }
    Ptr<DyscoAgent> GetAgent() const { return m_agent; }

    uint32_t GetVersion() const { return m_version; } ///< 0 until the first update
    const std::vector<Applied>& GetApplied() const { return m_applied; }
    uint64_t GetMalformed() const { return m_malformed; }   ///< datagrams that do not decode
    uint64_t GetDuplicates() const { return m_duplicates; } ///< the applied version again
    uint64_t GetStale() const { return m_stale; }           ///< versions older than applied

    /// `agent`: this client's agent address (host order).
    typedef void (*AssignTracedCallback)(uint32_t agent, const dysco::FiveTuple& session,
                                         const std::string& policy, uint32_t version,
                                         const std::vector<uint32_t>& chain);

private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void HandleRead(Ptr<Socket> socket);
    void Apply(const dysco::PolicyMessage& m);
    void Ack(uint32_t version, const Address& to);
    std::vector<uint32_t> Choose(size_t policy, const dysco::FiveTuple& session);
    void OnAgentEvent(const dysco::AgentEvent& e);

    Ptr<DyscoAgent> m_agent;
    Ptr<Socket> m_socket;
    size_t m_base = SIZE_MAX; ///< the node's own policies, below the applied set
    uint32_t m_version = 0;
    dysco::PolicyStrategy m_strategy = dysco::PolicyStrategy::kRoundRobin;
    std::vector<dysco::PolicyEntry> m_policies;
    std::vector<std::vector<size_t>> m_next; ///< round robin position per policy and slot
    std::map<uint32_t, uint32_t> m_load;     ///< instance -> live sessions started here
    std::unordered_map<dysco::FiveTuple, std::vector<uint32_t>, dysco::FiveTupleHasher> m_live;
    std::vector<Applied> m_applied;
    uint64_t m_malformed = 0;
    uint64_t m_duplicates = 0;
    uint64_t m_stale = 0;
    TracedCallback<uint32_t, const dysco::FiveTuple&, const std::string&, uint32_t,
                   const std::vector<uint32_t>&>
        m_assignTrace;
};

} // namespace ns3

#endif
