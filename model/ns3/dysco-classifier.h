// The classifier (paper §2.3): chooses a session's next middlebox when its first
// client -> server data segment passes, and inserts it into the chain to its own right by a
// reconfiguration with this node's agent as left anchor and the session's server as right
// anchor. Rules match the session's destination port, its first bytes (classifier-rules.h),
// or both; the first matching rule wins. A session whose first bytes arrive over several
// segments is decided once enough of them passed; its packets are never held meanwhile.
#ifndef DYSCO_CLASSIFIER_H
#define DYSCO_CLASSIFIER_H

#include "classifier-rules.h"
#include "core/five_tuple.h"
#include "dysco-middlebox.h"
#include "ns3/ipv4-address.h"
#include "stream-start.h"

#include <unordered_map>
#include <vector>

namespace ns3
{

class DyscoAgent;

class DyscoClassifier : public DyscoMiddlebox
{
public:
    struct Rule
    {
        ClassifierRule match;
        Ipv4Address insert; ///< the chosen middlebox's agent address
    };

    static TypeId GetTypeId();
    DyscoClassifier();

    /// The agent that anchors the insertions (this node's), the rules, the default choice
    /// (Ipv4Address::GetAny(): leave unmatched sessions alone).
    void Configure(Ptr<DyscoAgent> agent, std::vector<Rule> rules, Ipv4Address fallback);

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;
    /// The data segments of sessions not decided yet: their first bytes decide.
    bool WantsPayload(const std::vector<uint8_t>& packet) override;

    uint64_t GetClassifiedCount() const { return m_classified; }
    uint64_t GetInsertRequestCount() const { return m_requested; } ///< Reconfigure accepted
    /// Sessions decided by rule i; the last entry counts those no rule matched (the default).
    const std::vector<uint64_t>& GetDecisionCounts() const { return m_decisions; }

protected:
    void DoDispose() override;

private:
    /// A session seen from its SYN until it is decided.
    struct Pending
    {
        StreamStart start;
        bool decided = false;
    };

    /// The undecided session whose client -> server tuple `packet` (not a SYN; parsed into
    /// `v`) has, or null.
    Pending* Undecided(dysco::PacketView& v, const std::vector<uint8_t>& packet);
    void Decide(const dysco::FiveTuple& t, Pending& p, bool complete);
    static void Done(Pending& p); ///< decided (or aborted): never classified again
    void Insert(dysco::FiveTuple session, Ipv4Address middlebox);

    Ptr<DyscoAgent> m_agent;
    std::vector<Rule> m_rules;
    std::vector<ClassifierRule> m_matchers; ///< m_rules' match parts, for DecideClass
    Ipv4Address m_default;
    size_t m_longestPrefix = 0;
    /// Sessions by client -> server tuple (the SYN's), classified once.
    std::unordered_map<dysco::FiveTuple, Pending, dysco::FiveTupleHasher> m_sessions;
    std::vector<uint64_t> m_decisions;
    uint64_t m_classified = 0;
    uint64_t m_requested = 0;
};

} // namespace ns3

#endif
