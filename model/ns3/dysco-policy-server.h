// The policy server (issue 6): holds policies on middlebox *types* (predicate -> types),
// the instances (agent addresses) of each type, and the strategy by which agents pick an
// instance per session (round robin, or least loaded). At given times it reconfigures every
// live session matching a predicate: insert a type (a scrubber for a traffic class), replace an
// instance (maintenance: drain it), delete a type (proxies); triggers pick instances by the
// same strategy, with the load the server counts (live sessions on an instance).
//
// Distribution is a protocol over the simulated network: the server sends each receiving
// agent's DyscoPolicyClient the whole current policy set (a version) as one UDP datagram
// (core/policy_message.h), each type resolved to its live instances, and resends it every RTO
// (doubling) until the agent acks that version or Retries resends went unanswered (a give-up,
// counted). A new version (an `update` trigger, or a drained instance) replaces the one in
// flight. The first version leaves DistributionDelay after the start; sessions whose first SYN
// leaves before their agent applied one go unchained. Agents choose the instances of each
// session and report the choice (the client's Assign trace), which the server records.
//
// Reconfigurations go to a sink (the scenario runner's ReconfigDriver records and retries
// them); without one the server calls DyscoAgent::Reconfigure / RequestDeletion itself.
#ifndef DYSCO_POLICY_SERVER_H
#define DYSCO_POLICY_SERVER_H

#include "core/policy.h"
#include "dysco-agent.h"
#include "dysco-policy-client.h"
#include "ns3/application.h"
#include "ns3/socket.h"

#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/// predicate -> middlebox types, in traversal order (an empty list: a direct subsession,
/// into which types can be inserted later).
struct DyscoTypePolicy
{
    std::string name;
    dysco::Predicate predicate;
    std::vector<std::string> types;
};

/// What a trigger does to each live session matching its predicate.
struct DyscoPolicyTrigger
{
    enum Action
    {
        INSERT,  ///< add an instance of `type` at `position` of the chain (end if past it)
        REPLACE, ///< move sessions off instance `drain` (to another of its type); new
                 ///< sessions no longer get it
        DELETE,  ///< the first instance of `type` in the chain leaves it (RequestDeletion)
        UPDATE,  ///< `policies` become the new policy set (a new version for every agent)
    };
    Action action = INSERT;
    Time at;
    dysco::Predicate predicate;
    std::string type;
    size_t position = SIZE_MAX;
    uint32_t drain = 0;
    std::vector<DyscoTypePolicy> policies;
};

/// One reconfiguration the server asks for: either `deleteNode` leaves the chain, or
/// `leftAnchor` replaces the segment to `rightAnchor` by `middleboxes` (agent addresses).
struct DyscoPolicyAction
{
    size_t trigger = 0;
    dysco::FiveTuple session; ///< client -> server
    uint32_t leftAnchor = 0;
    uint32_t rightAnchor = 0;
    std::vector<uint32_t> middleboxes;
    uint32_t deleteNode = 0;
};

/// A session the server assigned, and its chain as the server knows it.
struct DyscoPolicyAssignment
{
    dysco::FiveTuple session;
    std::string policy;
    uint32_t version = 0;    ///< of the policy set the agent chose it by
    uint32_t firstAgent = 0; ///< the agent that chose it (the session's left end)
    std::vector<uint32_t> chain;
    bool closed = false;
};

/// One policy version's delivery to one agent.
struct DyscoPolicyDelivery
{
    uint32_t agent = 0;
    uint32_t version = 0;
    Time sent;                  ///< first transmission
    Time acked = Time(-1);      ///< negative: never acked
    uint32_t transmissions = 0; ///< first one included
    bool gaveUp = false;        ///< Retries resends went unanswered
    bool superseded = false;    ///< a newer version replaced it before its ack
};

/// The distribution protocol's counters.
struct DyscoPolicyServerCounters
{
    uint64_t versions = 0; ///< policy sets published
    uint64_t sent = 0;     ///< update datagrams, retransmissions included
    uint64_t retransmissions = 0;
    uint64_t acks = 0;      ///< acks of the version in flight
    uint64_t staleAcks = 0; ///< acks of another version, or a duplicate
    uint64_t malformed = 0; ///< datagrams that are not an ack, dropped
    uint64_t giveUps = 0;
    uint64_t unencodable = 0; ///< sets that did not fit one message (never sent)
};

/// Something the server did: "assign", "insert", "replace", "delete" or "close".
struct DyscoPolicyLogEntry
{
    Time at;
    std::string event;
    size_t assignment = 0;
    std::vector<uint32_t> chain; ///< after the event
};

class DyscoPolicyServer : public Application
{
public:
    enum Strategy
    {
        ROUND_ROBIN,
        LEAST_LOADED,
    };
    using ActionSink = std::function<void(const DyscoPolicyAction&)>;

    static TypeId GetTypeId();
    DyscoPolicyServer();

    /// An agent the server acts on and hears closes from; with a `client` (on a node whose
    /// stack opens sessions) it is also sent the policies. Routers and middleboxes get none:
    /// they would chain SYNs they only forward if a policy matched them.
    void AddAgent(Ptr<DyscoAgent> agent, Ptr<DyscoPolicyClient> client = nullptr);
    void AddPolicy(const DyscoTypePolicy& policy);
    /// Instances are chosen in the order they are added (ties of least loaded too).
    void AddInstance(const std::string& type, Ipv4Address instance);
    void AddTrigger(const DyscoPolicyTrigger& trigger);
    void SetActionSink(ActionSink sink) { m_sink = std::move(sink); }

    const std::vector<DyscoPolicyAssignment>& GetAssignments() const { return m_assignments; }
    const std::vector<DyscoPolicyLogEntry>& GetLog() const { return m_log; }
    const std::vector<DyscoPolicyDelivery>& GetDeliveries() const { return m_deliveries; }
    const DyscoPolicyServerCounters& GetCounters() const { return m_counters; }
    uint32_t GetVersion() const { return m_version; } ///< the latest published
    /// Live sessions the server counts on `instance`.
    uint32_t GetLoad(uint32_t instance) const;

private:
    struct Instance
    {
        uint32_t address = 0;
        uint32_t load = 0;
        bool drained = false;
    };
    struct Type
    {
        std::vector<Instance> instances;
        size_t next = 0; ///< round robin position
    };

    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    /// The current policies as version m_version + 1, to every receiving agent.
    void Publish();
    void Transmit(size_t receiver);
    void OnTimeout(size_t receiver);
    void HandleRead(Ptr<Socket> socket);
    void OnAssign(uint32_t agent, const dysco::FiveTuple& session, const std::string& policy,
                  uint32_t version, const std::vector<uint32_t>& chain);
    /// An instance of `type` by the strategy, skipping drained ones and `avoid`; 0 if none.
    uint32_t Pick(const std::string& type, uint32_t avoid);
    Instance* Find(uint32_t address, std::string* type = nullptr);
    void Load(uint32_t address, int delta);
    void Fire(size_t trigger);
    void Act(const DyscoPolicyAction& action);
    void Log(const char* event, size_t assignment);
    void OnAgentEvent(const dysco::AgentEvent& e);
    bool Live(const DyscoPolicyAssignment& a);
    Ptr<DyscoAgent> AgentAt(uint32_t address);

    /// An agent the policies go to, and the delivery in flight (index into m_deliveries).
    struct Receiver
    {
        uint32_t address = 0;
        size_t delivery = SIZE_MAX;
        EventId timer;
    };

    Strategy m_strategy = ROUND_ROBIN;
    Time m_delay;
    Time m_rto;
    uint32_t m_retries = 0;
    std::vector<Ptr<DyscoAgent>> m_agents;
    std::vector<Ptr<DyscoPolicyClient>> m_clients;
    std::vector<Receiver> m_receivers;
    Ptr<Socket> m_socket;
    uint32_t m_version = 0;
    std::vector<uint8_t> m_message; ///< the current version, encoded
    std::vector<DyscoPolicyDelivery> m_deliveries;
    DyscoPolicyServerCounters m_counters;
    std::vector<DyscoTypePolicy> m_policies;
    std::map<std::string, Type> m_types;
    std::vector<DyscoPolicyTrigger> m_triggers;
    std::vector<DyscoPolicyAssignment> m_assignments;
    std::unordered_map<dysco::FiveTuple, size_t, dysco::FiveTupleHasher> m_bySession;
    std::vector<DyscoPolicyLogEntry> m_log;
    std::vector<EventId> m_events;
    ActionSink m_sink;
};

} // namespace ns3

#endif
