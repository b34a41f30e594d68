// The policy server (issue 6): holds policies on middlebox *types* (predicate -> types),
// the instances (agent addresses) of each type, and picks instances per session, round robin
// or least loaded (load = live sessions the server assigned to an instance). At given times it
// reconfigures every live session matching a predicate: insert a type (a scrubber for a
// traffic class), replace an instance (maintenance: drain it), delete a type (proxies).
//
// Distribution is an in-simulator call, not UDP messages: DistributionDelay after the
// application starts, each agent's PolicyTable gets the policies, whose `choose` hook asks
// this server (synchronously) for a new session's instances. A wire protocol would add a
// codec, a socket per agent and a per-SYN round trip (or local instance state that the
// server can only see with a lag) without exercising any more of Dysco; the delay models
// when agents learn the policies. Sessions whose first SYN comes earlier go unchained.
//
// Reconfigurations go to a sink (the scenario runner's ReconfigDriver records and retries
// them); without one the server calls DyscoAgent::Reconfigure / RequestDeletion itself.
#ifndef DYSCO_POLICY_SERVER_H
#define DYSCO_POLICY_SERVER_H

#include "core/policy.h"
#include "dysco-agent.h"
#include "ns3/application.h"

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
    };
    Action action = INSERT;
    Time at;
    dysco::Predicate predicate;
    std::string type;
    size_t position = SIZE_MAX;
    uint32_t drain = 0;
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
    size_t policy = 0;
    uint32_t firstAgent = 0; ///< the agent that asked (the session's left end)
    std::vector<uint32_t> chain;
    bool closed = false;
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

    /// An agent the server acts on and hears closes from; `first`: it also gets the policies
    /// (a node whose stack opens sessions; routers and middleboxes would chain SYNs they
    /// only forward if a policy matched them).
    void AddAgent(Ptr<DyscoAgent> agent, bool first);
    void AddPolicy(const DyscoTypePolicy& policy);
    /// Instances are chosen in the order they are added (ties of least loaded too).
    void AddInstance(const std::string& type, Ipv4Address instance);
    void AddTrigger(const DyscoPolicyTrigger& trigger);
    void SetActionSink(ActionSink sink) { m_sink = std::move(sink); }

    const std::vector<DyscoPolicyAssignment>& GetAssignments() const { return m_assignments; }
    const std::vector<DyscoPolicyLogEntry>& GetLog() const { return m_log; }
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

    void Distribute();
    std::vector<uint32_t> Choose(size_t policy, uint32_t agent, const dysco::FiveTuple& session);
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

    Strategy m_strategy = ROUND_ROBIN;
    Time m_delay;
    std::vector<Ptr<DyscoAgent>> m_agents;
    std::vector<bool> m_first; ///< per agent: gets the policies
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
