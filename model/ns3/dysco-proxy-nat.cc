#include "dysco-proxy-nat.h"

#include "core/bytes.h"
#include "core/options.h"
#include "core/packet.h"
#include "core/packet_edit.h"
#include "dysco-agent.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoProxyNat");
NS_OBJECT_ENSURE_REGISTERED(DyscoProxyNat);

namespace
{
/// The onward connection's key: ns-3 sends from the outgoing interface's address whatever
/// address the socket was bound to, so the source address does not take part.
dysco::FiveTuple
RightKey(dysco::FiveTuple t)
{
    t.srcIp = 0;
    return t;
}

bool
IsPlainSyn(uint8_t f)
{
    return (f & dysco::tcpflag::kSyn) && !(f & dysco::tcpflag::kAck);
}
} // namespace

TypeId
DyscoProxyNat::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoProxyNat")
            .SetParent<DyscoMiddlebox>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoProxyNat>()
            .AddAttribute("ListenPort", "Port of the proxy's listening socket", UintegerValue(9000),
                          MakeUintegerAccessor(&DyscoProxyNat::m_listenPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("RandomIsn",
                          "Draw the offsets of the proxy's own ISNs per session (else fixed)",
                          BooleanValue(true), MakeBooleanAccessor(&DyscoProxyNat::m_randomIsn),
                          MakeBooleanChecker())
            .AddAttribute("RightIsn", "Fixed ISN offset of the onward (server-side) connection",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoProxyNat::m_fixedRightIsn),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("LeftIsn", "Fixed ISN offset of the accepted (client-side) connection",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoProxyNat::m_fixedLeftIsn),
                          MakeUintegerChecker<uint32_t>());
    return tid;
}

DyscoProxyNat::DyscoProxyNat()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

DyscoProxyNat::~DyscoProxyNat() = default;

void
DyscoProxyNat::DoDispose()
{
    m_agent = nullptr;
    m_rng = nullptr;
    m_splicedOut = Callback<void, size_t>();
    m_onwardReset = Callback<void, size_t>();
    DyscoMiddlebox::DoDispose();
}

void
DyscoProxyNat::SetAgent(Ptr<DyscoAgent> agent)
{
    m_agent = agent;
    m_agent->TraceConnectWithoutContext("AgentEvent",
                                        MakeCallback(&DyscoProxyNat::OnAgentEvent, this));
}

void
DyscoProxyNat::SetEditDelta(int64_t clientToServer, int64_t serverToClient)
{
    m_editDelta[0] = clientToServer;
    m_editDelta[1] = serverToClient;
}

int64_t
DyscoProxyNat::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

uint32_t
DyscoProxyNat::DrawOffset()
{
    return (m_rng->GetInteger(0, 0xFFFF) << 16) | m_rng->GetInteger(0, 0xFFFF);
}

int64_t
DyscoProxyNat::FindAccepted(uint32_t clientIp, uint16_t clientPort) const
{
    const uint32_t self = m_agent ? m_agent->GetAddress().Get() : 0;
    auto it = m_byAccepted.find(
        dysco::FiveTuple{clientIp, self, clientPort, m_listenPort, dysco::kProtoTcp});
    return it == m_byAccepted.end() ? -1 : int64_t(it->second);
}

void
DyscoProxyNat::SetRight(size_t index, const dysco::FiveTuple& right)
{
    DyscoProxyEntry& e = m_entries[index];
    if (e.haveRight)
    {
        m_byRight.erase(RightKey(e.right));
    }
    e.right = right;
    e.haveRight = true;
    m_byRight[RightKey(right)] = index;
}

void
DyscoProxyNat::SetExplicitRight(size_t index, const dysco::FiveTuple& right, uint32_t tag,
                                int64_t clientToServer, int64_t serverToClient)
{
    DyscoProxyEntry& e = m_entries[index];
    e.tag = tag;
    e.editDelta[0] = clientToServer;
    e.editDelta[1] = serverToClient;
    SetRight(index, right);
}

void
DyscoProxyNat::MarkSpliceRequested(size_t index)
{
    if (m_entries[index].phase == DyscoProxyEntry::RELAYING)
    {
        m_entries[index].phase = DyscoProxyEntry::SPLICE_REQUESTED;
    }
}

void
DyscoProxyNat::OnAgentEvent(const dysco::AgentEvent& e)
{
    if (e.kind != dysco::AgentEventKind::kStateFreed)
    {
        return;
    }
    auto it = m_bySession.find(e.session);
    if (it == m_bySession.end())
    {
        return;
    }
    DyscoProxyEntry& en = m_entries[it->second];
    if (en.phase == DyscoProxyEntry::SPLICED_OUT)
    {
        return;
    }
    // Freed while relaying: the session closed through the proxy; freed after asking to
    // leave: the old path is gone. Either way nothing of it reaches the proxy any more.
    const bool spliced = en.phase == DyscoProxyEntry::SPLICE_REQUESTED;
    en.phase = DyscoProxyEntry::SPLICED_OUT;
    en.splicedOutAt = Simulator::Now();
    const size_t index = it->second;
    m_bySession.erase(it); // a later session may reuse the tuple
    if (spliced && !m_splicedOut.IsNull())
    {
        m_splicedOut(index);
    }
}

int64_t
DyscoProxyNat::Accept(const dysco::FiveTuple& t, uint32_t tag, uint32_t clientIsn)
{
    auto it = m_bySession.find(t);
    if (it != m_bySession.end())
    {
        return int64_t(it->second); // a retransmitted SYN
    }
    // Only sessions the agent chains through this node, and not a new path's SYN (a proxy
    // inserted mid-session has no stream start to terminate).
    const dysco::Session* s = m_agent->GetCore().FindSession(t);
    if (s == nullptr || s->marker.IsSet() || s->leftSession != t ||
        m_explicit != (s->role == dysco::Role::kLast))
    {
        return -1;
    }
    DyscoProxyEntry e;
    e.session = t;
    e.explicitProxy = m_explicit;
    e.accepted = dysco::FiveTuple{t.srcIp, m_agent->GetAddress().Get(), t.srcPort, m_listenPort,
                                  dysco::kProtoTcp};
    e.editDelta[0] = m_editDelta[0];
    e.editDelta[1] = m_editDelta[1];
    if (m_byAccepted.count(e.accepted))
    {
        NS_LOG_WARN("client " << t.ToString() << " already has a proxied session; not taken");
        return -1;
    }
    e.tag = tag;
    e.clientIsn = clientIsn;
    for (int d = 0; d < 2; ++d)
    {
        e.isnOffset[d] = m_randomIsn ? DrawOffset() : (d == 0 ? m_fixedRightIsn : m_fixedLeftIsn);
    }
    m_entries.push_back(e);
    m_bySession[t] = m_entries.size() - 1;
    m_byAccepted[e.accepted] = m_entries.size() - 1;
    return int64_t(m_entries.size() - 1);
}

void
DyscoProxyNat::Declare(DyscoProxyEntry& e)
{
    // What moves a stream's numbers from the left side's space to the right side's: the
    // difference of the two connections' ISNs, plus the bytes the proxy's edits added.
    // Client -> server: right = left + (proxy's onward ISN - client's ISN) + edits;
    // server -> client: left = right + (proxy's accepted ISN - server's ISN) + edits.
    uint32_t d[2] = {0, 0};
    if (e.haveProxyIsn[0])
    {
        d[0] = e.proxyIsn[0] + e.isnOffset[0] - e.clientIsn + uint32_t(e.editDelta[0]);
    }
    if (e.haveProxyIsn[1] && e.haveServerIsn)
    {
        d[1] = e.proxyIsn[1] + e.isnOffset[1] - e.serverIsn + uint32_t(e.editDelta[1]);
    }
    // Called from the agent's hook: talk to the core directly.
    m_agent->GetCore().SetMiddleboxDelta(e.session, dysco::SeqDelta(d[0]), dysco::SeqDelta(d[1]));
}

bool
DyscoProxyNat::Process(std::vector<uint8_t>& packet, Ptr<NetDevice>)
{
    if (!m_agent || packet.size() < 20 || packet[9] != dysco::kProtoTcp)
    {
        return true;
    }
    dysco::PacketView v(packet.data(), packet.size());
    if (v.Parse() != dysco::ParseError::kOk)
    {
        return true;
    }
    const dysco::FiveTuple t = v.Tuple();
    const uint8_t flags = v.Flags();
    // Left side: the session's header, from the client.
    auto it = m_bySession.find(t);
    dysco::TcpOptionRef tag;
    const bool tagged = v.FindOption(dysco::tcpopt::kDyscoTag, &tag);
    // Transparent: the chain SYN the agent hands up tagged; explicit: a SYN to the proxy.
    const bool candidate =
        m_explicit ? !tagged && t.dstPort == m_listenPort && t.dstIp == m_agent->GetAddress().Get()
                   : tagged;
    if (it == m_bySession.end() && IsPlainSyn(flags) && candidate)
    {
        int64_t idx =
            Accept(t, tagged ? dysco::Load32(v.Tcp() + tag.offset + 2) : 0, v.SeqNumber());
        if (idx < 0)
        {
            return true; // forwarded as a packet middlebox would
        }
        it = m_bySession.find(t);
    }
    if (it != m_bySession.end())
    {
        DyscoProxyEntry& e = m_entries[it->second];
        if (flags & dysco::tcpflag::kSyn)
        {
            // The tag is the agent's way to recognise the SYN when it re-emerges; the proxy's
            // stack ends this SYN and starts its own (SetRight passes the tag on to it).
            dysco::RemoveTcpOption(packet, dysco::tcpopt::kDyscoTag);
            v = dysco::PacketView(packet.data(), packet.size());
            v.Parse();
        }
        v.SetTuple(e.accepted);
        dysco::SubtractAckDelta(v, dysco::SeqDelta(e.isnOffset[1]));
        return true;
    }
    // Right side: the onward connection's replies (server -> client), for the local stack.
    // Explicit: they come addressed to the onward connection itself.
    size_t index = 0;
    bool found = false;
    if (m_explicit)
    {
        auto r = m_byRight.find(RightKey(t.Reversed()));
        found = r != m_byRight.end();
        index = found ? r->second : 0;
    }
    else
    {
        auto r = m_bySession.find(t.Reversed());
        found = r != m_bySession.end();
        index = found ? r->second : 0;
    }
    if (found && m_entries[index].haveRight)
    {
        DyscoProxyEntry& e = m_entries[index];
        if ((flags & dysco::tcpflag::kRst) && !e.haveServerIsn && !m_onwardReset.IsNull())
        {
            Simulator::ScheduleNow([cb = m_onwardReset, index]() { cb(index); });
        }
        if ((flags & dysco::tcpflag::kSyn) && (flags & dysco::tcpflag::kAck) && !e.haveServerIsn)
        {
            e.serverIsn = v.SeqNumber();
            e.haveServerIsn = true;
            Declare(e);
        }
        v.SetTuple(e.right.Reversed());
        dysco::SubtractAckDelta(v, dysco::SeqDelta(e.isnOffset[0]));
    }
    return true;
}

bool
DyscoProxyNat::BeforeAgent(dysco::Direction dir, std::vector<uint8_t>& packet)
{
    if (dir != dysco::Direction::kEgress || !m_agent || packet.size() < 20 ||
        packet[9] != dysco::kProtoTcp)
    {
        return true;
    }
    dysco::PacketView v(packet.data(), packet.size());
    if (v.Parse() != dysco::ParseError::kOk)
    {
        return true;
    }
    const dysco::FiveTuple t = v.Tuple();
    const uint8_t flags = v.Flags();
    int side = -1; // 0: onward connection, 1: accepted connection
    auto it = m_byRight.find(RightKey(t));
    if (it != m_byRight.end())
    {
        side = 0;
        m_entries[it->second].right.srcIp = t.srcIp; // the stack's choice of interface
    }
    else if ((it = m_byAccepted.find(t.Reversed())) != m_byAccepted.end())
    {
        side = 1;
    }
    if (side < 0)
    {
        return true;
    }
    DyscoProxyEntry& e = m_entries[it->second];
    if (e.phase == DyscoProxyEntry::SPLICED_OUT)
    {
        ++m_droppedAfterSplice; // the proxy's sockets outlive its place in the chain
        return false;
    }
    if ((flags & dysco::tcpflag::kSyn) && !e.haveProxyIsn[side])
    {
        e.proxyIsn[side] = v.SeqNumber();
        e.haveProxyIsn[side] = true;
        Declare(e);
    }
    if (side == 0)
    {
        // The onward socket's highest sequence sent (its own numbers): AcceptLocal.
        const uint32_t end = v.SeqNumber() + uint32_t(v.PayloadLength()) +
                             ((flags & (dysco::tcpflag::kSyn | dysco::tcpflag::kFin)) ? 1 : 0);
        if (!e.haveSentMax || int32_t(end - e.sentMax) > 0)
        {
            e.sentMax = end;
            e.haveSentMax = true;
        }
    }
    v.SetSeqNumber(v.SeqNumber() + e.isnOffset[side]);
    // Transparent both ways: the accepted socket answers as the server, the onward
    // connection speaks as the client (so the server sees the session's own header).
    if (side == 1)
    {
        v.SetTuple(e.session.Reversed());
        return true;
    }
    if (!e.explicitProxy)
    {
        v.SetTuple(e.session);
    }
    if (IsPlainSyn(flags))
    {
        uint8_t tag[4];
        dysco::Store32(tag, e.tag);
        dysco::RemoveTcpOption(packet, dysco::tcpopt::kDyscoTag); // a retransmission's
        if (!dysco::AddTcpOption(packet, dysco::tcpopt::kDyscoTag, tag, sizeof(tag)))
        {
            NS_LOG_WARN("no room for the tag in " << t.ToString() << "'s SYN");
            return false;
        }
    }
    return true;
}

Time
DyscoProxyNat::LocalDelay(const std::vector<uint8_t>& b)
{
    if (m_relayRate.GetBitRate() == 0 || b.size() < 20 || b[9] != dysco::kProtoTcp)
    {
        return Time(0);
    }
    const size_t ihl = size_t(b[0] & 0x0f) * 4;
    if (b.size() < ihl + 20)
    {
        return Time(0);
    }
    const size_t doff = size_t(b[ihl + 12] >> 4) * 4;
    const size_t total = dysco::Load16(&b[2]);
    if (total <= ihl + doff)
    {
        return Time(0); // no payload (ACKs, handshakes): nothing to relay
    }
    const dysco::FiveTuple t{dysco::Load32(&b[12]), dysco::Load32(&b[16]), dysco::Load16(&b[ihl]),
                             dysco::Load16(&b[ihl + 2]), dysco::kProtoTcp};
    const Time cost = m_relayRate.CalculateBytesTxTime(uint32_t(total - ihl - doff));
    Time& until = m_busyUntil[t];
    until = std::max(until, Simulator::Now()) + cost; // in order, one after the other
    m_busy += cost;
    return until - Simulator::Now();
}

bool
DyscoProxyNat::AcceptLocal(const std::vector<uint8_t>& packet)
{
    if (packet.size() < 20 || packet[9] != dysco::kProtoTcp)
    {
        return true;
    }
    dysco::PacketView v(const_cast<uint8_t*>(packet.data()), packet.size());
    if (v.Parse() != dysco::ParseError::kOk || !(v.Flags() & dysco::tcpflag::kAck))
    {
        return true;
    }
    auto it = m_byRight.find(RightKey(v.Tuple().Reversed()));
    if (it == m_byRight.end())
    {
        return true;
    }
    const DyscoProxyEntry& e = m_entries[it->second];
    // During the two-path phase the server acknowledges bytes the client sent it on the new
    // path; such an ACK, reaching the onward socket, covers bytes it never sent (ns-3.37's
    // TcpRateLinux crashes on it). It is for the anchors, not for the proxy.
    if (e.haveSentMax && int32_t(v.AckNumber() - e.sentMax) > 0)
    {
        ++m_ackBeyondSent;
        return false;
    }
    return true;
}

} // namespace ns3
