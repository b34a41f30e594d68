// One emulated host's agent on the DPDK data path: the core's dysco::Agent between the host
// side (frames from and to the host's stack) and the network side. Frames from the host are
// the node's egress, frames from the network its ingress; each rx burst goes through the
// core as one burst and leaves on the other side as one tx burst. Packets the core
// originates (control messages, new-path handshakes, split segments) leave on the network
// side, or toward the host when addressed to it.
#ifndef DYSCO_DPDK_AGENT_NODE_H
#define DYSCO_DPDK_AGENT_NODE_H

#include "app_config.h"
#include "core/agent.h"
#include "host_side.h"
#include "packet_bridge.h"
#include "port.h"

#include <array>
#include <functional>
#include <nlohmann/json.hpp>

struct rte_mbuf;
struct rte_mempool;

namespace dysco::dpdk
{

/// What happened to the frames of one direction (egress: host -> network).
struct PathCounters
{
    uint64_t frames = 0;  ///< frames received on the side
    uint64_t arp = 0;     ///< ARP frames (handled by the binding)
    uint64_t nonIpv4 = 0; ///< other Ethernet types (e.g. IPv6), dropped
    uint64_t runt = 0;    ///< malformed frames the binding dropped (FrameCheck) ...
    uint64_t badHeader = 0;
    uint64_t badLength = 0;
    uint64_t badChecksum = 0;
    uint64_t forwarded = 0;      ///< through the core and out the other side
    uint64_t coreDropped = 0;    ///< the core said kDrop (its counters say why)
    uint64_t consumed = 0;       ///< the core used them (control, new-path handshake)
    uint64_t payloadReloads = 0; ///< kNeedPayload: copied again whole
    uint64_t bridgeErrors = 0;   ///< rewritten packet did not fit its mbuf, dropped

    uint64_t Malformed() const { return runt + badHeader + badLength + badChecksum; }
};

class AgentNode
{
public:
    static constexpr uint16_t kBurst = 32;

    AgentNode(const NodeConfig& node, const dysco::AgentConfig& agent,
              const std::vector<dysco::Policy>& policies, Port& host, Port& network,
              rte_mempool* pool);

    const std::string& Name() const { return m_name; }
    uint32_t Address() const { return m_address; }
    dysco::Agent& Core() { return m_core; }
    const dysco::Agent& Core() const { return m_core; }

    /// One rx burst from each side through the core; returns the frames received.
    uint32_t Poll(uint64_t nowNs);
    /// Core timers, idle expiry, ARP retries; cheap when nothing is due.
    void Service(uint64_t nowNs);

    /// Left-anchor reconfiguration of every session with a subsession to this agent's right:
    /// the segment up to `rightAnchor` is replaced by a path through `middleboxes`.
    struct ReconfigResult
    {
        size_t sessions = 0; ///< candidate sessions
        size_t started = 0;  ///< requests the core accepted
    };
    ReconfigResult ReconfigureAll(uint32_t rightAnchor, const std::vector<uint32_t>& middleboxes,
                                  uint64_t nowNs);

    /// Called for every core event (after it is counted), e.g. to log reconfigurations.
    void SetEventObserver(std::function<void(const AgentNode&, const dysco::AgentEvent&)> f)
    {
        m_observer = std::move(f);
    }

    const PathCounters& Egress() const { return m_egress; }
    const PathCounters& Ingress() const { return m_ingress; }
    nlohmann::json StatsJson() const;

private:
    void Pass(dysco::Direction dir, rte_mbuf** frames, uint16_t n, uint64_t nowNs);
    /// Runs the core on the burst's packets (m_refs); verdicts in m_verdicts.
    void RunCore(dysco::Direction dir, rte_mbuf** pkts, uint16_t n, PathCounters& c,
                 uint64_t nowNs);
    void OnNetworkArp(rte_mbuf* frame);
    void SendToNetwork(rte_mbuf** frames, uint16_t n);
    void FlushOutputs(uint64_t nowNs);

    std::string m_name;
    uint32_t m_address;
    bool m_middlebox;
    rte_mempool* m_pool;
    dysco::Agent m_core;
    HostSide m_host;
    Port& m_network;
    MacAddress m_networkPeer;
    /// The IPv4 packets of a burst where they are, in the mbufs (the core's data path
    /// rewrites them in place) ...
    std::array<dysco::Agent::PacketRef, kBurst> m_refs;
    /// ... and copies of those it hands to Agent::Process() instead (m_copied).
    std::array<PacketCopy, kBurst> m_slots;
    std::array<bool, kBurst> m_copied;
    std::array<dysco::Verdict, kBurst> m_verdicts;
    PathCounters m_egress;
    PathCounters m_ingress;
    uint64_t m_originatedToNetwork = 0;
    uint64_t m_originatedToHost = 0;
    uint64_t m_originatedLost = 0; ///< no mbuf for an originated packet
    uint64_t m_networkArpAnswered = 0;
    uint64_t m_nextExpiryNs = 0;
    uint64_t m_expiryIntervalNs;
    std::array<uint64_t, dysco::kAgentEventKinds> m_events{};
    std::function<void(const AgentNode&, const dysco::AgentEvent&)> m_observer;
};

} // namespace dysco::dpdk

#endif
