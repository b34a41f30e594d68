// The Dysco agent core: the per-node state machine a binding (ns-3, DPDK, tests) drives.
//
// The binding hands every IPv4 packet the node sends or receives to Process(): packets
// leaving the node (from the local stack, or forwarded) with Direction::kEgress, packets
// arriving from the network with Direction::kIngress. The buffer holds the IPv4 packet
// starting at its IPv4 header. It must hold the whole packet when the TCP SYN flag is set;
// otherwise the headers suffice (the payload is never touched, checksums are updated
// incrementally). Process() may rewrite the buffer, change its length (SYNs only) and
// returns whether the packet goes on or is dropped. The core owns protocol state, the
// binding owns clocks, timers and packet buffers.
#ifndef DYSCO_CORE_AGENT_H
#define DYSCO_CORE_AGENT_H

#include "agent_events.h"
#include "policy.h"
#include "session_table.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace dysco
{

enum class Direction
{
    kEgress,  ///< leaving this node: from the local stack or forwarded
    kIngress, ///< arriving from the network, before local delivery or forwarding
};

enum class Verdict
{
    kForward, ///< pass the (possibly rewritten) packet on
    kDrop,    ///< drop it (counted in AgentCounters)
};

struct AgentConfig
{
    uint32_t address = 0;                 ///< this host's address, source of its subsessions
    std::vector<uint32_t> localAddresses; ///< every address of the node (address included)
    uint16_t firstPort = 20000;           ///< subsession ports are drawn from [firstPort, lastPort]
    uint16_t lastPort = 48999; ///< below ns-3/Linux ephemeral ports (49152..)
    uint64_t idleTimeoutNs = 60'000'000'000ull; ///< state of a silent session is freed after
    uint64_t closeLingerNs = 2'000'000'000ull;  ///< state kept after FIN/FIN or RST
    size_t maxSessions = 1u << 20;              ///< bound on live sessions (SYNs beyond: no chain)
};

class Agent
{
public:
    explicit Agent(AgentConfig config);

    const AgentConfig& Config() const { return m_config; }
    void SetAddresses(uint32_t address, std::vector<uint32_t> localAddresses);
    PolicyTable& Policies() { return m_policies; }

    Verdict Process(Direction dir, std::vector<uint8_t>& packet, uint64_t nowNs);

    /// Frees sessions idle for idleTimeoutNs, and closed sessions after closeLingerNs.
    /// The binding calls it periodically; returns the number freed.
    size_t ExpireIdle(uint64_t nowNs);

    size_t SessionCount() const { return m_sessions.Size(); }
    const AgentCounters& Counters() const { return m_counters; }

    /// Receives every protocol event (setup, rewrite errors, close, state freed).
    void SetEventSink(std::function<void(const AgentEvent&)> sink) { m_sink = std::move(sink); }

private:
    Verdict Egress(std::vector<uint8_t>& packet, uint64_t nowNs);
    Verdict Ingress(std::vector<uint8_t>& packet, uint64_t nowNs);
    Verdict StartChain(std::vector<uint8_t>& packet, const FiveTuple& session,
                       const Policy& policy, uint64_t nowNs);
    Verdict AcceptChainSyn(std::vector<uint8_t>& packet, uint64_t nowNs);
    Verdict ForwardTaggedSyn(std::vector<uint8_t>& packet, uint32_t tag, uint64_t nowNs);
    /// Rewrites a SYN to the session's right subsession and attaches the address list.
    bool SendChainSyn(std::vector<uint8_t>& packet, const Session& s);
    /// Allocates a port and builds a subsession to `next` that collides with no entry.
    bool NewRightSubsession(uint32_t next, FiveTuple* sub);
    Verdict Translate(std::vector<uint8_t>& packet, MapEntry& e, uint64_t nowNs);
    void TrackClose(uint32_t index, uint8_t flags, bool towardRight, uint64_t nowNs);
    void FreeSession(uint32_t index, uint64_t nowNs);
    bool IsLocal(uint32_t ip) const;
    Verdict Drop(AgentEventKind kind, uint64_t* counter, const FiveTuple& t, uint32_t detail,
                 uint64_t nowNs);
    void Emit(AgentEventKind kind, const FiveTuple& session, const FiveTuple& sub,
              uint32_t detail, uint64_t nowNs);

    AgentConfig m_config;
    PolicyTable m_policies;
    SessionTable m_sessions;
    uint64_t m_portCursor = 0; ///< walks (srcPort, dstPort) pairs for new subsessions
    AgentCounters m_counters;
    std::function<void(const AgentEvent&)> m_sink;
    std::vector<uint32_t> m_closed; ///< sessions waiting out the close linger
    uint64_t m_lastScanNs = 0;
    uint32_t m_nextTag = 1;
};

} // namespace dysco

#endif
