// The classifier (paper §2.3): chooses a session's next middlebox when its first
// client -> server data segment passes, and inserts it into the chain to its own right by a
// reconfiguration with this node's agent as left anchor and the session's server as right
// anchor. Rules match the session's destination port (the test streams' first bytes are a
// stream id, so they cannot tell session classes apart); the first matching rule wins.
#ifndef DYSCO_CLASSIFIER_H
#define DYSCO_CLASSIFIER_H

#include "core/five_tuple.h"
#include "dysco-middlebox.h"
#include "ns3/ipv4-address.h"

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
        uint16_t dstPort = 0;
        Ipv4Address insert; ///< the chosen middlebox's agent address
    };

    static TypeId GetTypeId();
    DyscoClassifier();

    /// The agent that anchors the insertions (this node's), the rules, the default choice
    /// (Ipv4Address::GetAny(): leave unmatched sessions alone).
    void Configure(Ptr<DyscoAgent> agent, std::vector<Rule> rules, Ipv4Address fallback);

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;

    uint64_t GetClassifiedCount() const { return m_classified; }
    uint64_t GetInsertRequestCount() const { return m_requested; } ///< Reconfigure accepted

protected:
    void DoDispose() override;

private:
    void Insert(dysco::FiveTuple session, Ipv4Address middlebox);

    Ptr<DyscoAgent> m_agent;
    std::vector<Rule> m_rules;
    Ipv4Address m_default;
    /// Sessions whose first data segment passed (classified once), by client -> server tuple.
    std::unordered_map<dysco::FiveTuple, bool, dysco::FiveTupleHasher> m_done;
    uint64_t m_classified = 0;
    uint64_t m_requested = 0;
};

} // namespace ns3

#endif
