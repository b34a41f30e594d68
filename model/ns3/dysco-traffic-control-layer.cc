#include "dysco-traffic-control-layer.h"

#include "core/bytes.h"
#include "core/control.h"
#include "core/packet.h"
#include "dysco-agent.h"
#include "dysco-bypass-tag.h"
#include "ns3-nextseg-fix.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/ipv4-queue-disc-item.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoTrafficControlLayer");
NS_OBJECT_ENSURE_REGISTERED(DyscoTrafficControlLayer);

namespace
{
constexpr uint16_t kIpv4Ethertype = 0x0800;
constexpr size_t kIpv4HeaderSize = 20;   ///< ns-3's Ipv4Header never carries options
constexpr uint32_t kPeekBytes = 60 + 60; ///< longest IPv4 header + longest TCP header
constexpr size_t kMaxRouteCacheEntries = 4096;

uint16_t
Ipv4HeaderChecksum(const uint8_t* b, size_t len)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
    {
        sum += dysco::Load16(b + i);
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(~sum);
}

/// Writes the 20 wire bytes of an ns-3 Ipv4Header (what Ipv4Header::Serialize would write,
/// checksum included) without going through a Buffer.
void
WriteIpv4Header(const Ipv4Header& h, uint8_t* b)
{
    b[0] = 0x45;
    b[1] = h.GetTos();
    dysco::Store16(b + 2, static_cast<uint16_t>(kIpv4HeaderSize + h.GetPayloadSize()));
    dysco::Store16(b + 4, h.GetIdentification());
    uint16_t frag = static_cast<uint16_t>(h.GetFragmentOffset() / 8);
    frag |= h.IsDontFragment() ? 0x4000 : 0;
    frag |= h.IsLastFragment() ? 0 : 0x2000;
    dysco::Store16(b + 6, frag);
    b[8] = h.GetTtl();
    b[9] = h.GetProtocol();
    dysco::Store16(b + 10, 0);
    dysco::Store32(b + 12, h.GetSource().Get());
    dysco::Store32(b + 16, h.GetDestination().Get());
    dysco::Store16(b + 10, Ipv4HeaderChecksum(b, kIpv4HeaderSize));
}

Ipv4Address
NextHop(Ptr<Ipv4Route> route, Ipv4Address dst)
{
    return route->GetGateway().IsAny() ? dst : route->GetGateway();
}
} // namespace

TypeId
DyscoTrafficControlLayer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoTrafficControlLayer")
            .SetParent<TrafficControlLayer>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoTrafficControlLayer>()
            .AddAttribute("RouteCacheTimeout",
                          "How long a reroute decision per (old, new) destination is reused",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&DyscoTrafficControlLayer::m_routeCacheTimeout),
                          MakeTimeChecker(Time(0)));
    return tid;
}

TypeId
DyscoTrafficControlLayer::GetInstanceTypeId() const
{
    return GetTypeId();
}

DyscoTrafficControlLayer::DyscoTrafficControlLayer()
{
    // Links the ns-3.37 NextSeg fix into every program that hooks agents under TCP.
    static_cast<void>(DyscoNextSegFixCount());
}

DyscoTrafficControlLayer::~DyscoTrafficControlLayer() = default;

void
DyscoTrafficControlLayer::SetAgent(Ptr<DyscoAgent> agent)
{
    m_agent = agent;
}

Ptr<DyscoAgent>
DyscoTrafficControlLayer::GetAgent() const
{
    return m_agent;
}

void
DyscoTrafficControlLayer::FlushRouteCache()
{
    m_routeCache.clear();
}

void
DyscoTrafficControlLayer::NotifyNewAggregate()
{
    TrafficControlLayer::NotifyNewAggregate();
    if (!m_agent)
    {
        m_agent = GetObject<DyscoAgent>();
    }
}

void
DyscoTrafficControlLayer::DoDispose()
{
    m_agent = nullptr;
    m_ipv4 = nullptr;
    m_routeCache.clear();
    TrafficControlLayer::DoDispose();
}

uint32_t
DyscoTrafficControlLayer::LoadIngress(Ptr<const Packet> p, bool whole)
{
    const uint32_t size = p->GetSize();
    uint32_t n = std::min(size, kPeekBytes);
    m_buf.resize(n);
    p->CopyData(m_buf.data(), n);
    if (n < kIpv4HeaderSize || (m_buf[0] >> 4) != 4)
    {
        return n; // not IPv4 as far as we can tell: the core passes it, ns-3 judges it
    }
    const uint32_t ihl = uint32_t(m_buf[0] & 0x0f) * 4;
    const uint32_t total = dysco::Load16(&m_buf[2]);
    // SYNs (address-list payload) and control messages travel whole.
    if (!whole && n >= ihl + 4 && m_buf[9] == dysco::kProtoUdp)
    {
        whole = dysco::Load16(&m_buf[ihl + 2]) == dysco::kControlPort;
    }
    if (!whole && n >= ihl + 14 && m_buf[9] == dysco::kProtoTcp)
    {
        whole = (m_buf[ihl + 13] & dysco::tcpflag::kSyn) != 0;
    }
    if (whole)
    {
        const uint32_t all = (total >= ihl && total <= size) ? total : size;
        m_buf.resize(all);
        p->CopyData(m_buf.data(), all);
        return all;
    }
    if (m_buf[9] == dysco::kProtoTcp && n >= ihl + 14)
    {
        n = std::min(n, ihl + uint32_t(m_buf[ihl + 12] >> 4) * 4);
    }
    else if (m_buf[9] != dysco::kProtoTcp)
    {
        n = std::min(n, std::max<uint32_t>(ihl, kIpv4HeaderSize) + 8);
    }
    // else: truncated TCP header, the core drops it as malformed
    m_buf.resize(n);
    return n;
}

uint32_t
DyscoTrafficControlLayer::LoadEgress(const Ipv4Header& h, Ptr<const Packet> p, bool whole)
{
    const uint32_t l4size = std::min<uint32_t>(p->GetSize(), h.GetPayloadSize());
    uint32_t n = std::min<uint32_t>(l4size, kPeekBytes - 60);
    m_buf.resize(kIpv4HeaderSize + n);
    WriteIpv4Header(h, m_buf.data());
    p->CopyData(m_buf.data() + kIpv4HeaderSize, n);
    const uint8_t* l4 = m_buf.data() + kIpv4HeaderSize;
    if (!whole && h.GetProtocol() == dysco::kProtoUdp && n >= 4)
    {
        whole = dysco::Load16(l4 + 2) == dysco::kControlPort;
    }
    if (!whole && h.GetProtocol() == dysco::kProtoTcp && n >= 14)
    {
        whole = (l4[13] & dysco::tcpflag::kSyn) != 0;
    }
    if (whole)
    {
        n = l4size;
        m_buf.resize(kIpv4HeaderSize + n);
        p->CopyData(m_buf.data() + kIpv4HeaderSize, n);
        return n;
    }
    if (h.GetProtocol() == dysco::kProtoTcp && n >= 14)
    {
        n = std::min<uint32_t>(n, uint32_t(l4[12] >> 4) * 4);
    }
    else if (h.GetProtocol() != dysco::kProtoTcp)
    {
        n = std::min<uint32_t>(n, 8);
    }
    m_buf.resize(kIpv4HeaderSize + n);
    return n;
}

dysco::Verdict
DyscoTrafficControlLayer::RunAgent(dysco::Direction dir, Ptr<const Packet> p, const Ipv4Header* h,
                                   uint32_t* consumed)
{
    bool whole = false;
    m_hookDropped = false;
    for (int pass = 0; pass < 2; ++pass)
    {
        *consumed = h ? LoadEgress(*h, p, whole) : LoadIngress(p, whole);
        m_orig = m_buf;
        if (Ptr<DyscoMiddlebox> mb = m_agent->GetMiddlebox(); mb && !mb->BeforeAgent(dir, m_buf))
        {
            m_hookDropped = true;
            return dysco::Verdict::kDrop;
        }
        dysco::Verdict v = m_agent->Process(dir, m_buf);
        if (v != dysco::Verdict::kNeedPayload)
        {
            return v;
        }
        whole = true; // a packet that may be split: hand over all of it
    }
    NS_LOG_WARN("agent asked for the payload of a whole packet; dropping it");
    return dysco::Verdict::kDrop;
}

bool
DyscoTrafficControlLayer::AppendPayload(Ptr<const Packet> p, uint32_t consumed)
{
    // m_buf holds the headers as the agent left them (perhaps resized); the payload follows
    // the `consumed` header bytes of `p`.
    const uint32_t total = m_buf.size() >= kIpv4HeaderSize ? dysco::Load16(&m_buf[2]) : 0;
    if (total <= m_buf.size() || p->GetSize() <= consumed)
    {
        return false; // no payload, or the packet is whole already
    }
    const uint32_t n = std::min<uint32_t>(total - m_buf.size(), p->GetSize() - consumed);
    const size_t headers = m_buf.size();
    m_buf.resize(headers + n);
    p->CreateFragment(consumed, n)->CopyData(m_buf.data() + headers, n);
    return true;
}

void
DyscoTrafficControlLayer::EnsureIpv4()
{
    if (!m_ipv4)
    {
        m_ipv4 = GetObject<Ipv4>();
    }
}

bool
DyscoTrafficControlLayer::IsLocalDestination(Ipv4Address dst, Ptr<NetDevice> device) const
{
    if (dst.IsBroadcast() || dst.IsMulticast())
    {
        return true;
    }
    const int32_t iif = m_ipv4->GetInterfaceForDevice(device);
    if (iif < 0 || !m_ipv4->IsForwarding(iif))
    {
        return true; // not forwarded by this node in any case
    }
    return m_ipv4->IsDestinationAddress(dst, iif);
}

void
DyscoTrafficControlLayer::Receive(Ptr<NetDevice> device, Ptr<const Packet> p, uint16_t protocol,
                                  const Address& from, const Address& to,
                                  NetDevice::PacketType packetType)
{
    if (protocol != kIpv4Ethertype || !m_agent)
    {
        TrafficControlLayer::Receive(device, p, protocol, from, to, packetType);
        return;
    }
    EnsureIpv4();
    DyscoAgent::OutputFlusher flushAfterThisPacket(PeekPointer(m_agent));
    uint32_t consumed = 0;
    switch (RunAgent(dysco::Direction::kIngress, p, nullptr, &consumed))
    {
    case dysco::Verdict::kForward:
        break;
    case dysco::Verdict::kConsume:
        return; // the agent's own traffic (control message, new-path handshake)
    default:
        m_agent->NotifyDrop(p, dysco::Direction::kIngress,
                            m_hookDropped ? DyscoAgent::DROP_MIDDLEBOX : DyscoAgent::DROP_AGENT);
        return;
    }
    const bool ipv4 = m_buf.size() >= kIpv4HeaderSize && (m_buf[0] >> 4) == 4;
    Ptr<DyscoMiddlebox> mb = m_agent->GetMiddlebox();
    const bool traced = ipv4 && m_buf[9] == dysco::kProtoTcp && m_agent->IsLocalSegmentTraced();
    // Locality costs a lookup: only asked when someone needs the answer.
    bool local = !ipv4 || !m_ipv4 || (!mb && !traced && !m_cpu) ||
                 IsLocalDestination(Ipv4Address(dysco::Load32(&m_buf[16])), device);
    // Packet middleboxes see forwarded packets with the session's own header, before routing.
    if (mb && m_ipv4 && ipv4 && (!local || mb->SeesLocalPackets()))
    {
        const uint32_t dst = dysco::Load32(&m_buf[16]);
        const size_t headers = m_buf.size();
        const bool appended = mb->WantsPayload(m_buf) && AppendPayload(p, consumed);
        const bool accepted = mb->Process(m_buf, device);
        if (appended)
        {
            m_buf.resize(headers); // the payload itself stays in `p`
        }
        if (!accepted)
        {
            m_agent->NotifyDrop(p, dysco::Direction::kIngress, DyscoAgent::DROP_MIDDLEBOX);
            return;
        }
        if (local && dysco::Load32(&m_buf[16]) != dst)
        {
            local = IsLocalDestination(Ipv4Address(dysco::Load32(&m_buf[16])), device);
        }
    }
    if (traced && local)
    {
        m_agent->NotifyLocalSegment(dysco::Direction::kIngress, m_buf); // as TCP will see it
    }
    // A box that redirects packets to its own stack (the proxy) made them local in Process.
    const bool toStack =
        mb && ipv4 && m_ipv4 && mb->SeesLocalPackets() &&
        (local || IsLocalDestination(Ipv4Address(dysco::Load32(&m_buf[16])), device));
    if (toStack && !mb->AcceptLocal(m_buf))
    {
        m_agent->NotifyDrop(p, dysco::Direction::kIngress, DyscoAgent::DROP_MIDDLEBOX);
        return;
    }
    const Time hold = toStack ? mb->LocalDelay(m_buf) : Time(0);
    Time served(-1); // the CPU queue's delay for a forwarded packet; negative: no CPU model
    if (m_cpu && ipv4 && !local && !toStack)
    {
        served = m_cpu->Admit(m_buf, dysco::Load16(&m_buf[2]));
        if (served.IsStrictlyNegative())
        {
            m_agent->NotifyDrop(p, dysco::Direction::kIngress, DyscoAgent::DROP_MIDDLEBOX);
            return;
        }
    }
    Ptr<const Packet> up = p;
    if (m_buf != m_orig)
    {
        // Keep payload and packet tags: drop the old header bytes from a copy, prepend the new.
        Ptr<Packet> q = p->Copy();
        q->RemoveAtStart(consumed);
        m_raw.SetBytes(m_buf.data(), static_cast<uint32_t>(m_buf.size()));
        q->AddHeader(m_raw);
        up = q;
    }
    if (!served.IsStrictlyNegative())
    {
        Simulator::Schedule(served, &DyscoTrafficControlLayer::ReceiveServed, this, device, up,
                            protocol, from, to, packetType);
        return;
    }
    if (hold.IsStrictlyPositive())
    {
        Simulator::Schedule(hold, &DyscoTrafficControlLayer::ReceiveLater, this, device, up,
                            protocol, from, to, packetType);
        return;
    }
    TrafficControlLayer::Receive(device, up, protocol, from, to, packetType);
}

void
DyscoTrafficControlLayer::ReceiveServed(Ptr<NetDevice> device, Ptr<const Packet> p,
                                        uint16_t protocol, Address from, Address to,
                                        NetDevice::PacketType packetType)
{
    m_cpu->Served();
    TrafficControlLayer::Receive(device, p, protocol, from, to, packetType);
}

void
DyscoTrafficControlLayer::ReceiveLater(Ptr<NetDevice> device, Ptr<const Packet> p,
                                       uint16_t protocol, Address from, Address to,
                                       NetDevice::PacketType packetType)
{
    TrafficControlLayer::Receive(device, p, protocol, from, to, packetType);
}

void
DyscoTrafficControlLayer::Send(Ptr<NetDevice> device, Ptr<QueueDiscItem> item)
{
    if (!m_agent || item->GetProtocol() != kIpv4Ethertype)
    {
        TrafficControlLayer::Send(device, item);
        return;
    }
    Ptr<Ipv4QueueDiscItem> ipItem = DynamicCast<Ipv4QueueDiscItem>(item);
    if (!ipItem)
    {
        TrafficControlLayer::Send(device, item);
        return;
    }
    Ptr<Packet> p = ipItem->GetPacket();
    if (m_pendingBypass > 0)
    {
        DyscoBypassTag tag;
        if (p->RemovePacketTag(tag))
        {
            --m_pendingBypass;
            TrafficControlLayer::Send(device, item); // translated or originated by the agent
            return;
        }
    }
    EnsureIpv4();
    DyscoAgent::OutputFlusher flushAfterThisPacket(PeekPointer(m_agent));
    const Ipv4Header& h = ipItem->GetHeader();
    uint32_t consumed = 0;
    const dysco::Verdict verdict = RunAgent(dysco::Direction::kEgress, p, &h, &consumed);
    if (h.GetProtocol() == dysco::kProtoTcp && m_agent->IsLocalSegmentTraced() &&
        m_agent->IsLocalAddress(h.GetSource().Get()))
    {
        m_agent->NotifyLocalSegment(dysco::Direction::kEgress, m_orig); // as TCP sent it
    }
    switch (verdict)
    {
    case dysco::Verdict::kForward:
        break;
    case dysco::Verdict::kConsume:
        return;
    default:
        m_agent->NotifyDrop(p, dysco::Direction::kEgress,
                            m_hookDropped ? DyscoAgent::DROP_MIDDLEBOX : DyscoAgent::DROP_AGENT);
        return;
    }
    if (m_buf == m_orig)
    {
        TrafficControlLayer::Send(device, item);
        return;
    }
    NS_ABORT_MSG_IF(m_buf.size() < kIpv4HeaderSize || (m_buf[0] & 0x0f) != 5,
                    "DyscoTrafficControlLayer: the agent produced IPv4 options at egress");
    const uint8_t* b = m_buf.data();
    Ipv4Header nh = h;
    nh.SetSource(Ipv4Address(dysco::Load32(b + 12)));
    nh.SetDestination(Ipv4Address(dysco::Load32(b + 16)));
    nh.SetPayloadSize(static_cast<uint16_t>(dysco::Load16(b + 2) - kIpv4HeaderSize));
    nh.SetTtl(b[8]);
    nh.SetTos(b[1]);

    Ptr<Packet> q = p->Copy();
    q->RemoveAtStart(consumed);
    m_raw.SetBytes(b + kIpv4HeaderSize, static_cast<uint32_t>(m_buf.size() - kIpv4HeaderSize));
    q->AddHeader(m_raw);

    const Ipv4Address oldDst = h.GetDestination();
    if (nh.GetDestination() != oldDst && m_ipv4)
    {
        const RouteDecision& d = Decide(device, oldDst, nh.GetDestination(), q, nh);
        if (d.reroute)
        {
            // Routed for the old destination: let Ipv4 send it again on the new route.
            m_agent->NotifyReroute(q, oldDst, nh.GetDestination());
            SendBypassing(q, nh, d.route);
            return;
        }
    }
    TrafficControlLayer::Send(
        device, Create<Ipv4QueueDiscItem>(q, ipItem->GetAddress(), ipItem->GetProtocol(), nh));
}

void
DyscoTrafficControlLayer::SendBypassing(Ptr<Packet> p, const Ipv4Header& h, Ptr<Ipv4Route> route)
{
    p->AddPacketTag(DyscoBypassTag());
    ++m_pendingBypass;
    m_ipv4->SendWithHeader(p, h, route);
}

bool
DyscoTrafficControlLayer::SendFromNode(const std::vector<uint8_t>& b)
{
    EnsureIpv4();
    if (!m_ipv4 || b.size() < kIpv4HeaderSize || (b[0] >> 4) != 4)
    {
        return false;
    }
    const uint32_t ihl = uint32_t(b[0] & 0x0f) * 4;
    const uint32_t total = dysco::Load16(&b[2]);
    if (ihl != kIpv4HeaderSize || total < ihl || total > b.size())
    {
        NS_LOG_WARN("cannot send an agent packet: IHL " << ihl << ", total " << total);
        return false;
    }
    Ipv4Header h;
    h.SetTos(b[1]);
    h.SetPayloadSize(static_cast<uint16_t>(total - ihl));
    h.SetIdentification(dysco::Load16(&b[4]));
    const uint16_t frag = dysco::Load16(&b[6]);
    (frag & 0x4000) ? h.SetDontFragment() : h.SetMayFragment();
    (frag & 0x2000) ? h.SetMoreFragments() : h.SetLastFragment();
    h.SetFragmentOffset(static_cast<uint16_t>((frag & 0x1fff) * 8));
    h.SetTtl(b[8]);
    h.SetProtocol(b[9]);
    h.SetSource(Ipv4Address(dysco::Load32(&b[12])));
    h.SetDestination(Ipv4Address(dysco::Load32(&b[16])));
    Ptr<Packet> p = Create<Packet>(b.data() + ihl, total - ihl);
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route = m_ipv4->GetRoutingProtocol()->RouteOutput(p, h, nullptr, err);
    if (!route)
    {
        NS_LOG_WARN("no route for an agent packet to " << h.GetDestination());
        return false;
    }
    SendBypassing(p, h, route);
    return true;
}

const DyscoTrafficControlLayer::RouteDecision&
DyscoTrafficControlLayer::Decide(Ptr<NetDevice> device, Ipv4Address oldDst, Ipv4Address newDst,
                                 Ptr<Packet> p, const Ipv4Header& newHeader)
{
    const uint64_t key = (uint64_t(oldDst.Get()) << 32) | newDst.Get();
    const Time now = Simulator::Now();
    auto it = m_routeCache.find(key);
    if (it != m_routeCache.end() && it->second.ifIndex == device->GetIfIndex() &&
        it->second.expires > now)
    {
        return it->second;
    }
    if (m_routeCache.size() >= kMaxRouteCacheEntries)
    {
        m_routeCache.clear();
    }
    RouteDecision d;
    d.ifIndex = device->GetIfIndex();
    d.expires = now + m_routeCacheTimeout;
    Ptr<Ipv4RoutingProtocol> routing = m_ipv4->GetRoutingProtocol();
    Socket::SocketErrno err;
    Ptr<Ipv4Route> newRoute = routing->RouteOutput(p, newHeader, nullptr, err);
    if (newRoute)
    {
        if (newRoute->GetOutputDevice() != device)
        {
            d.reroute = true;
        }
        else if (device->NeedsArp())
        {
            // Same device, but the frame is addressed to the old next hop's MAC address.
            Ipv4Header oldHeader = newHeader;
            oldHeader.SetDestination(oldDst);
            Ptr<Ipv4Route> oldRoute = routing->RouteOutput(p, oldHeader, nullptr, err);
            d.reroute = !oldRoute || NextHop(oldRoute, oldDst) != NextHop(newRoute, newDst);
        }
        d.route = d.reroute ? newRoute : nullptr;
    }
    NS_LOG_LOGIC("route " << oldDst << " -> " << newDst << " on if " << d.ifIndex << ": "
                          << (d.reroute ? "reroute" : "keep"));
    return m_routeCache[key] = d;
}

} // namespace ns3
