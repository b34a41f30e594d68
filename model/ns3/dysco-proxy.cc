#include "dysco-proxy.h"

#include "dysco-agent.h"
#include "dysco-helper.h"
#include "ns3/data-rate.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"
#include "socket-acked.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoProxy");
NS_OBJECT_ENSURE_REGISTERED(DyscoProxy);

TypeId
DyscoProxy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoProxy")
            .SetParent<Application>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoProxy>()
            .AddAttribute("SpliceAfterBytes",
                          "Leave the chain once this many client -> server bytes were relayed "
                          "(0: not by bytes)",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoProxy::m_spliceAfterBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("SpliceAfter",
                          "Leave the chain this long after accepting the session (0: not by time)",
                          TimeValue(Seconds(0)), MakeTimeAccessor(&DyscoProxy::m_spliceAfter),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("RetryAfter",
                          "Ask again this long after a request that did not take the proxy out "
                          "(0: never)",
                          TimeValue(Seconds(0)), MakeTimeAccessor(&DyscoProxy::m_retryAfter),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("MaxRequests", "Deletion requests per session, retries included",
                          UintegerValue(4), MakeUintegerAccessor(&DyscoProxy::m_maxRequests),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("RcvBufSize",
                          "Receive buffer of the proxy's sockets, which sets the window scale "
                          "it announces (0: the TcpSocket default)",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoProxy::m_rcvBuf),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("SndBufSize", "Send buffer of the proxy's sockets (0: the default)",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoProxy::m_sndBuf),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("RelayRate",
                          "CPU cost of relaying: the rate at which the proxy's host processes "
                          "the data segments of each direction of a session (in sequence per "
                          "direction, sessions in parallel), DyscoProxyNat::LocalDelay; 0: free",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&DyscoProxy::m_relayRate), MakeDataRateChecker())
            .AddTraceSource("SpliceRequested", "The proxy asked its agent to delete it",
                            MakeTraceSourceAccessor(&DyscoProxy::m_spliceRequestedTrace),
                            "ns3::DyscoProxy::SpliceTracedCallback")
            .AddTraceSource("SplicedOut", "The agent freed a session the proxy left",
                            MakeTraceSourceAccessor(&DyscoProxy::m_splicedOutTrace),
                            "ns3::DyscoProxy::SpliceTracedCallback");
    return tid;
}

DyscoProxy::DyscoProxy() = default;

DyscoProxy::~DyscoProxy() = default;

void
DyscoProxy::DoDispose()
{
    for (Relay& r : m_relays)
    {
        r.sock[0] = nullptr;
        r.sock[1] = nullptr;
    }
    m_bySocket.clear();
    m_listener = nullptr;
    m_nat = nullptr;
    Application::DoDispose();
}

void
DyscoProxy::Install(Ptr<Node> node)
{

    Ptr<DyscoAgent> agent = DyscoHelper::GetAgent(node);
    NS_ABORT_MSG_IF(!agent, "DyscoProxy::Install: the node has no DyscoAgent");
    if (!m_nat)
    {
        m_nat = CreateObject<DyscoProxyNat>();
    }
    m_nat->SetAgent(agent);
    m_nat->SetEditDelta(EditDelta(0), EditDelta(1));
    m_nat->SetRelayRate(m_relayRate);
    m_nat->SetSplicedOutCallback(MakeCallback(&DyscoProxy::OnSplicedOut, this));
    DyscoHelper::SetMiddlebox(node, m_nat);
    node->AddApplication(this);
}

std::vector<DyscoProxySessionStats>
DyscoProxy::GetAllStats() const
{
    return m_sessions;
}

void
DyscoProxy::StartApplication()
{
    NS_ABORT_MSG_IF(!m_nat, "DyscoProxy: call Install(node) instead of Node::AddApplication");
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    ConfigureSocket(m_listener); // accepted sockets inherit the listener's buffers
    m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_nat->GetListenPort()));
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeCallback(&DyscoProxy::OnConnectionRequest, this),
                                  MakeCallback(&DyscoProxy::OnAccept, this));
}

void
DyscoProxy::StopApplication()
{
    if (m_listener)
    {
        m_listener->Close();
    }
    for (Relay& r : m_relays)
    {
        r.timer.Cancel();
    }
}

void
DyscoProxy::ConfigureSocket(Ptr<Socket> s) const
{
    if (m_rcvBuf > 0)
    {
        s->SetAttribute("RcvBufSize", UintegerValue(m_rcvBuf));
    }
    if (m_sndBuf > 0)
    {
        s->SetAttribute("SndBufSize", UintegerValue(m_sndBuf));
    }
}

bool
DyscoProxy::OnConnectionRequest(Ptr<Socket>, const Address&)
{
    return true;
}

void
DyscoProxy::OnAccept(Ptr<Socket> s, const Address& from)
{
    const InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
    const int64_t natIndex = m_nat->FindAccepted(a.GetIpv4().Get(), a.GetPort());
    if (natIndex < 0)
    {
        NS_LOG_WARN("connection from " << a.GetIpv4() << " is no Dysco session; closed");
        s->Close();
        return;
    }
    const DyscoProxyEntry& e = m_nat->Entry(size_t(natIndex));
    // The onward connection: from this node's address to the session's server, through the
    // rest of the chain (the NAT gives its SYN the session's tag).
    uint16_t port = 0;
    Ptr<Socket> out = NewOnwardSocket(&port);
    m_nat->SetRight(size_t(natIndex),
                    dysco::FiveTuple{m_nat->GetAgent()->GetAddress().Get(), e.session.dstIp, port,
                                     e.session.dstPort, dysco::kProtoTcp});
    const size_t idx = AddRelay(s, size_t(natIndex), out);
    out->Connect(InetSocketAddress(Ipv4Address(e.session.dstIp), e.session.dstPort));
    if (m_spliceAfter.IsStrictlyPositive())
    {
        m_relays[idx].timer =
            Simulator::Schedule(m_spliceAfter, &DyscoProxy::RequestSplice, this, idx);
    }
}

Ptr<Socket>
DyscoProxy::NewOnwardSocket(uint16_t* port)
{
    Ptr<Socket> out = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    ConfigureSocket(out);
    out->Bind(InetSocketAddress(m_nat->GetAgent()->GetAddress(), 0));
    Address local;
    out->GetSockName(local);
    *port = InetSocketAddress::ConvertFrom(local).GetPort();
    return out;
}

size_t
DyscoProxy::AddRelay(Ptr<Socket> s, size_t natIndex, Ptr<Socket> out)
{
    Relay r;
    r.nat = natIndex;
    r.stats = m_sessions.size();
    r.sock[0] = s;
    r.sock[1] = out;
    DyscoProxySessionStats st;
    st.session = m_nat->Entry(natIndex).session;
    st.acceptedAt = Simulator::Now();
    m_sessions.push_back(st);
    m_relays.push_back(r);
    const size_t idx = m_relays.size() - 1;
    for (int side = 0; side < 2; ++side)
    {
        Ptr<Socket> k = m_relays[idx].sock[side];
        m_bySocket[PeekPointer(k)] = {idx, side};
        k->SetRecvCallback(MakeCallback(&DyscoProxy::OnRead, this));
        k->SetSendCallback(MakeCallback(&DyscoProxy::OnWritable, this));
        k->SetCloseCallbacks(MakeCallback(&DyscoProxy::OnPeerClose, this),
                             MakeCallback(&DyscoProxy::OnError, this));
    }
    return idx;
}

int64_t
DyscoProxy::RelayOf(Ptr<Socket> s, int* side) const
{
    auto it = m_bySocket.find(PeekPointer(s));
    if (it == m_bySocket.end())
    {
        return -1;
    }
    *side = it->second.second;
    return int64_t(it->second.first);
}

int64_t
DyscoProxy::RelayOfEntry(size_t natIndex) const
{
    for (size_t i = 0; i < m_relays.size(); ++i)
    {
        if (m_relays[i].nat == natIndex)
        {
            return int64_t(i);
        }
    }
    return -1;
}

Ptr<Socket>
DyscoProxy::EndRelay(size_t relayIndex)
{
    Relay& r = m_relays[relayIndex];
    r.timer.Cancel();
    for (int side = 0; side < 2; ++side)
    {
        r.peerClosed[side] = true;
        r.shut[side] = true;
    }
    return r.sock[0];
}

DyscoProxy::Relay*
DyscoProxy::Find(Ptr<Socket> s, int* side)
{
    auto it = m_bySocket.find(PeekPointer(s));
    if (it == m_bySocket.end())
    {
        return nullptr;
    }
    *side = it->second.second;
    return &m_relays[it->second.first];
}

void
DyscoProxy::Edit(int, uint64_t, const uint8_t* data, uint32_t n, std::vector<uint8_t>& out)
{
    out.insert(out.end(), data, data + n);
}

void
DyscoProxy::OnRead(Ptr<Socket> s)
{
    int side = 0;
    Relay* r = Find(s, &side);
    if (r == nullptr)
    {
        return;
    }
    // Data read on the accepted socket goes client -> server (direction 0), and back.
    const int dir = side;
    DyscoProxySessionStats& st = m_sessions[r->stats];
    // Read only what the other socket takes now (as splice() moves data): what the proxy
    // holds is what its TCP acknowledged but the peer has not, and that gap is what the
    // endpoints' windows must bridge when the proxy leaves.
    Ptr<Socket> out = r->sock[1 - side];
    while (true)
    {
        const size_t held = r->pending[dir].size() - r->pendingHead[dir];
        const uint32_t room = out->GetTxAvailable();
        if (held >= room)
        {
            break; // OnWritable reads on
        }
        Ptr<Packet> p = s->Recv(room - uint32_t(held), 0);
        if (!p)
        {
            break;
        }
        const uint32_t n = p->GetSize();
        if (n == 0)
        {
            break;
        }
        m_buf.resize(n);
        p->CopyData(m_buf.data(), n);
        Edit(dir, st.bytesRead[dir], m_buf.data(), n, r->pending[dir]);
        st.bytesRead[dir] += n;
        ++st.relayOps;
        if (m_nat->Entry(r->nat).phase == DyscoProxyEntry::SPLICED_OUT)
        {
            ++st.relayOpsAfterSplice;
        }
    }
    Flush(*r, dir);
}

void
DyscoProxy::OnWritable(Ptr<Socket> s, uint32_t)
{
    int side = 0;
    if (Relay* r = Find(s, &side))
    {
        // The socket calls this from inside its ACK processing; writing into it there
        // re-enters TcpSocketBase (ns-3.37 then crashes in TcpRateLinux::SkbSent without
        // SACK), so the relay moves on in an event of its own.
        const int dir = 1 - side; // the socket is the output of the other direction
        if (!r->pumpPending[dir])
        {
            r->pumpPending[dir] = true;
            Simulator::ScheduleNow(&DyscoProxy::Pump, this, size_t(r - m_relays.data()), dir);
        }
    }
}

void
DyscoProxy::Pump(size_t relayIndex, int dir)
{
    Relay& r = m_relays[relayIndex];
    r.pumpPending[dir] = false;
    Flush(r, dir);
    OnRead(r.sock[dir]);
}

void
DyscoProxy::Flush(Relay& r, int dir)
{
    Ptr<Socket> out = r.sock[1 - dir];
    DyscoProxySessionStats& st = m_sessions[r.stats];
    std::vector<uint8_t>& q = r.pending[dir];
    size_t& head = r.pendingHead[dir];
    while (head < q.size())
    {
        const uint32_t room = out->GetTxAvailable();
        if (room == 0)
        {
            break; // OnWritable continues
        }
        const uint32_t n = uint32_t(std::min<size_t>(room, q.size() - head));
        const int sent = out->Send(Create<Packet>(q.data() + head, n), 0);
        if (sent <= 0)
        {
            break;
        }
        head += size_t(sent);
        st.bytesRelayed[dir] += uint64_t(sent);
        m_relayedBytes += uint64_t(sent);
        ++st.relayOps;
        st.lastRelayAt = Simulator::Now();
        if (m_nat->Entry(r.nat).phase == DyscoProxyEntry::SPLICED_OUT)
        {
            st.relayedAfterSplice += uint64_t(sent);
            ++st.relayOpsAfterSplice;
        }
    }
    if (head == q.size())
    {
        q.clear();
        head = 0;
        // The FIN waits until every relayed byte is acknowledged (socket-acked.h: otherwise
        // ns-3.37 may never send it); each ACK brings us back here through OnWritable.
        if (r.peerClosed[dir] && !r.shut[dir] && r.sock[dir]->GetRxAvailable() == 0 &&
            AllAcked(out))
        {
            r.shut[dir] = true;
            if (r.peerClosed[1 - dir] && out->GetRxAvailable() == 0)
            {
                out->Close(); // both ways done: the FIN, and the socket is released
            }
            else
            {
                out->ShutdownSend(); // an empty FIN, now
            }
        }
    }
    MaybeSplice(r);
}

void
DyscoProxy::SpliceSessionsToPort(uint16_t dstPort)
{
    for (size_t i = 0; i < m_relays.size(); ++i)
    {
        const DyscoProxySessionStats& st = m_sessions[m_relays[i].stats];
        if (st.session.dstPort == dstPort && st.spliceRequests == 0)
        {
            RequestSplice(i);
        }
    }
}

void
DyscoProxy::MaybeSplice(Relay& r)
{
    const DyscoProxySessionStats& st = m_sessions[r.stats];
    if (m_spliceAfterBytes == 0 || st.spliceRequests > 0 || st.bytesRelayed[0] < m_spliceAfterBytes)
    {
        return;
    }
    RequestSplice(size_t(&r - m_relays.data()));
}

void
DyscoProxy::RequestSplice(size_t relayIndex)
{
    Relay& r = m_relays[relayIndex];
    DyscoProxySessionStats& st = m_sessions[r.stats];
    const DyscoProxyEntry& e = m_nat->Entry(r.nat);
    // Nothing to splice once the session ends or is gone; and the deltas must be known
    // (both handshakes done) before the anchors can take them over.
    if (e.phase == DyscoProxyEntry::SPLICED_OUT || r.peerClosed[0] || r.peerClosed[1] ||
        st.spliceRequests >= m_maxRequests)
    {
        return;
    }
    if (!e.haveServerIsn || !e.haveProxyIsn[0] || !e.haveProxyIsn[1] || !EditsDone(st))
    {
        r.timer =
            Simulator::Schedule(MilliSeconds(1), &DyscoProxy::RequestSplice, this, relayIndex);
        return;
    }
    if (!m_nat->GetAgent()->RequestDeletion(e.session))
    {
        NS_LOG_WARN("agent refused to delete the proxy from " << e.session.ToString());
        return;
    }
    if (st.spliceRequests == 0)
    {
        st.spliceRequestedAt = Simulator::Now();
        st.relayedAtRequest[0] = st.bytesRelayed[0];
        st.relayedAtRequest[1] = st.bytesRelayed[1];
        st.relayOpsAtRequest = st.relayOps;
    }
    ++st.spliceRequests;
    m_nat->MarkSpliceRequested(r.nat);
    m_spliceRequestedTrace(st);
    if (m_retryAfter.IsStrictlyPositive())
    {
        r.timer = Simulator::Schedule(m_retryAfter, &DyscoProxy::RequestSplice, this, relayIndex);
    }
}

void
DyscoProxy::OnSplicedOut(size_t natIndex)
{
    for (Relay& r : m_relays)
    {
        if (r.nat == natIndex)
        {
            r.timer.Cancel();
            DyscoProxySessionStats& st = m_sessions[r.stats];
            st.splicedOutAt = Simulator::Now();
            m_splicedOutTrace(st);
            return;
        }
    }
}

void
DyscoProxy::OnPeerClose(Ptr<Socket> s)
{
    int side = 0;
    if (Relay* r = Find(s, &side))
    {
        OnRead(s); // what came before the FIN
        r->peerClosed[side] = true;
        Flush(*r, side);
    }
}

void
DyscoProxy::OnError(Ptr<Socket> s)
{
    int side = 0;
    if (Relay* r = Find(s, &side))
    {
        r->peerClosed[side] = true;
        if (m_nat->Entry(r->nat).phase != DyscoProxyEntry::SPLICED_OUT)
        {
            r->sock[1 - side]->Close();
        }
    }
}

} // namespace ns3
