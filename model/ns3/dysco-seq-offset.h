// A packet middlebox that gives each session its own sequence spaces, as ISN-randomising
// firewalls do: ns-3 sockets always start at ISN 0, so without it every session would use
// the same small numbers and no delta or 2^32 wrap would ever be exercised.
//
// Per session (from its SYN on), client -> server sequence numbers are shifted by one offset
// and server -> client ones by another; acks and SACK blocks of the opposite direction are
// shifted back (dysco::SubtractAckDelta). The offsets are declared to the node's agent as the
// middlebox's deltas (SetMiddleboxDelta), so when a reconfiguration removes this middlebox
// the anchors take the shift over. Sessions whose SYN arrives on a reconfiguration's new
// path (the box was inserted mid-session) are left unshifted: their numbers are already
// fixed at both ends.
#ifndef DYSCO_SEQ_OFFSET_H
#define DYSCO_SEQ_OFFSET_H

#include "core/agent_events.h"
#include "core/five_tuple.h"
#include "dysco-middlebox.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

#include <unordered_map>
#include <vector>

namespace ns3
{

class DyscoAgent;

/// What the box did to one session; index 0 is client -> server, 1 server -> client.
struct DyscoSeqOffsetStats
{
    dysco::FiveTuple session; ///< client -> server
    uint32_t offset[2] = {0, 0};
    uint64_t packets[2] = {0, 0};
    uint32_t lastSeqOut[2] = {0, 0}; ///< highest shifted sequence number sent on, plus length
    bool seen[2] = {false, false};
    /// When the shifted numbers of a direction crossed 2^32; negative if they never did.
    Time wrapTime[2] = {Seconds(-1), Seconds(-1)};
};

class DyscoSeqOffset : public DyscoMiddlebox
{
public:
    static TypeId GetTypeId();
    DyscoSeqOffset();
    ~DyscoSeqOffset() override;

    bool Process(std::vector<uint8_t>& packet, Ptr<NetDevice> inDevice) override;

    /// Uses `stream` for the random offsets; returns the number of streams used (1).
    int64_t AssignStreams(int64_t stream);

    /// Stats of a session (either orientation); false if the box never shifted it.
    bool GetStats(const dysco::FiveTuple& session, DyscoSeqOffsetStats* out) const;
    std::vector<DyscoSeqOffsetStats> GetAllStats() const;
    size_t GetActiveCount() const { return m_active.size(); }

protected:
    void DoDispose() override;

private:
    /// The offset of a new session for one direction: fixed, or drawn.
    uint32_t Draw(bool random, uint32_t fixed);
    /// Starts shifting a session at its first SYN, if the local agent chains it.
    DyscoSeqOffsetStats* StartSession(const dysco::FiveTuple& t, Ptr<NetDevice> inDevice);
    void Watch(Ptr<DyscoAgent> agent);
    void OnAgentEvent(const dysco::AgentEvent& e);

    bool m_randomC2s = true;
    bool m_randomS2c = true;
    uint32_t m_fixedC2s = 0;
    uint32_t m_fixedS2c = 0;
    Ptr<UniformRandomVariable> m_rng;
    Ptr<DyscoAgent> m_agent; ///< the node's agent, found with the first packet
    /// Sessions being shifted (client -> server key); stats outlive them.
    std::unordered_map<dysco::FiveTuple, size_t, dysco::FiveTupleHasher> m_active;
    std::vector<DyscoSeqOffsetStats> m_stats;
};

} // namespace ns3

#endif
