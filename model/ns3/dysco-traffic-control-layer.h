// The agent's hook: a TrafficControlLayer that hands every IPv4 packet the node sends
// (local or forwarded, after routing) or receives (before Ipv4L3Protocol) to the node's
// DyscoAgent as raw bytes, and puts the rewritten bytes back into the ns-3 packet.
// Installed in place of the stock layer by DyscoStackHelper (ns3-notes.md).
#ifndef DYSCO_TRAFFIC_CONTROL_LAYER_H
#define DYSCO_TRAFFIC_CONTROL_LAYER_H

#include "core/agent.h"
#include "dysco-box-cpu.h"
#include "dysco-raw-header.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-route.h"
#include "ns3/nstime.h"
#include "ns3/traffic-control-layer.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3
{

class DyscoAgent;
class Ipv4;
class Ipv4Header;

class DyscoTrafficControlLayer : public TrafficControlLayer
{
public:
    static TypeId GetTypeId();
    /// TrafficControlLayer hard-codes its own TypeId here; without this override
    /// GetObject<DyscoTrafficControlLayer> and our attributes would not be found.
    TypeId GetInstanceTypeId() const override;
    DyscoTrafficControlLayer();
    ~DyscoTrafficControlLayer() override;

    /// The agent this layer drives; without one, packets pass untouched.
    void SetAgent(Ptr<DyscoAgent> agent);
    /// Serves every forwarded packet at the box's processing rate (null: at once).
    void SetCpu(Ptr<DyscoBoxCpu> cpu) { m_cpu = cpu; }
    Ptr<DyscoBoxCpu> GetCpu() const { return m_cpu; }
    Ptr<DyscoAgent> GetAgent() const;
    /// Forgets cached reroute decisions (after routing tables change mid-run).
    void FlushRouteCache();

    /// Sends a complete IPv4 packet (header first) from this node on the route to its
    /// destination, past the agent (it originated the packet). False if it cannot be sent
    /// (malformed, IPv4 options, no route).
    bool SendFromNode(const std::vector<uint8_t>& packet);

    void Receive(Ptr<NetDevice> device, Ptr<const Packet> p, uint16_t protocol, const Address& from,
                 const Address& to, NetDevice::PacketType packetType) override;
    void Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item) override;

protected:
    void DoDispose() override;
    void NotifyNewAggregate() override;

private:
    /// Hands a packet the node's middlebox held (LocalDelay) to the stack.
    /// A forwarded packet leaves the box's CPU queue.
    void ReceiveServed(Ptr<NetDevice> device, Ptr<const Packet> p, uint16_t protocol, Address from,
                       Address to, NetDevice::PacketType packetType);
    void ReceiveLater(Ptr<NetDevice> device, Ptr<const Packet> p, uint16_t protocol, Address from,
                      Address to, NetDevice::PacketType packetType);
    /// Fills m_buf with what the agent needs of an arriving packet (IPv4 header first):
    /// the headers, or all of it for SYNs, control messages and when `whole`. Returns the
    /// number of packet bytes the buffer stands for.
    uint32_t LoadIngress(Ptr<const Packet> p, bool whole);
    /// Same for a leaving packet: serialized `h` + L4 bytes; returns the L4 bytes taken.
    uint32_t LoadEgress(const Ipv4Header& h, Ptr<const Packet> p, bool whole);
    /// Runs the agent on m_buf, reloading the whole packet if it asks; keeps the original
    /// bytes in m_orig. `h` is null at ingress.
    dysco::Verdict RunAgent(dysco::Direction dir, Ptr<const Packet> p, const Ipv4Header* h,
                            uint32_t* consumed);
    bool IsLocalDestination(Ipv4Address dst, Ptr<NetDevice> device) const;
    void EnsureIpv4();
    /// Appends to m_buf (headers only) the payload of `p`, whose first `consumed` bytes
    /// m_buf replaced: for a middlebox that asked for it (DyscoMiddlebox::WantsPayload).
    /// False if there was none to append.
    bool AppendPayload(Ptr<const Packet> p, uint32_t consumed);

    struct RouteDecision
    {
        bool reroute = false;
        Ptr<Ipv4Route> route; ///< route of the new destination, if rerouting
        uint32_t ifIndex = 0; ///< device the decision was made for
        Time expires;
    };
    /// Whether a packet routed to `oldDst` via `device` must be re-sent after its
    /// destination became `newDst`.
    const RouteDecision& Decide(Ptr<NetDevice> device, Ipv4Address oldDst, Ipv4Address newDst,
                                Ptr<Packet> p, const Ipv4Header& newHeader);
    /// Sends an L4 packet with its IPv4 header on `route`, marked to bypass the agent.
    void SendBypassing(Ptr<Packet> p, const Ipv4Header& h, Ptr<Ipv4Route> route);

    Ptr<DyscoAgent> m_agent;
    Ptr<DyscoBoxCpu> m_cpu;
    Ptr<Ipv4> m_ipv4;
    std::vector<uint8_t> m_buf;  ///< the packet as the agent sees it (reused)
    std::vector<uint8_t> m_orig; ///< its bytes before the agent ran, to skip unchanged packets
    DyscoRawHeader m_raw;        ///< carries rewritten bytes back into the packet (reused)
    std::unordered_map<uint64_t, RouteDecision> m_routeCache;
    Time m_routeCacheTimeout;
    uint64_t m_pendingBypass = 0; ///< bypassing packets not yet seen back at egress
    bool m_hookDropped = false;   ///< RunAgent's kDrop came from DyscoMiddlebox::BeforeAgent
};

} // namespace ns3

#endif
