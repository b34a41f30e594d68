#include "trace_recorder.h"

#include "core/bytes.h"
#include "core/packet.h"
#include "ns3/dysco-content-modifier.h"
#include "ns3/inet-socket-address.h"
#include "ns3/simulator.h"
#include "ns3/socks-request.h"

#include <algorithm>
#include <stdexcept>

namespace dyscosim
{

using namespace ns3;
namespace v = dysco::verify;

namespace
{
constexpr int kClient = 0;
constexpr int kServer = 1;

/// A segment's fields as the trace records them, from raw IPv4 + TCP headers.
v::Segment
SegmentOf(const dysco::PacketView& p)
{
    v::Segment s;
    const uint8_t f = p.Flags();
    s.flags = uint8_t(((f & dysco::tcpflag::kSyn) ? v::tcpflag::kSyn : 0) |
                      ((f & dysco::tcpflag::kAck) ? v::tcpflag::kAck : 0) |
                      ((f & dysco::tcpflag::kFin) ? v::tcpflag::kFin : 0) |
                      ((f & dysco::tcpflag::kRst) ? v::tcpflag::kRst : 0) |
                      ((f & dysco::tcpflag::kPsh) ? v::tcpflag::kPsh : 0));
    s.seq = p.SeqNumber();
    s.ack = p.AckNumber();
    s.length = uint32_t(p.PayloadLength());
    s.window = p.Window();
    const uint8_t* tcp = p.Tcp();
    dysco::TcpOptionRef o;
    if (p.FindOption(dysco::tcpopt::kTimestamp, &o) && o.length == 10)
    {
        s.hasTimestamp = true;
        s.tsVal = dysco::Load32(tcp + o.offset + 2);
        s.tsEcr = dysco::Load32(tcp + o.offset + 6);
    }
    if (p.FindOption(dysco::tcpopt::kSack, &o) && o.length >= 10)
    {
        const size_t n = std::min<size_t>((o.length - 2) / 8, v::kMaxSackBlocks);
        for (size_t i = 0; i < n; ++i)
        {
            s.sack[i].left = dysco::Load32(tcp + o.offset + 2 + 8 * i);
            s.sack[i].right = dysco::Load32(tcp + o.offset + 6 + 8 * i);
        }
        s.sackCount = uint8_t(n);
    }
    return s;
}
} // namespace

TraceRecorder::TraceRecorder(RunContext& ctx, const std::string& path)
    : m_ctx(ctx)
{
    nlohmann::json nodes = nlohmann::json::array();
    for (size_t n = 0; n < ctx.scenario.nodes.size(); ++n)
    {
        nodes.push_back(ctx.scenario.nodes[n].name);
        for (uint32_t a : ctx.plan.Addresses(n))
        {
            m_nodeOf[a] = uint16_t(n);
        }
    }
    // Agents keep a closed session's state for their close linger, freed at the next expiry
    // scan: the checker allows that long before it calls state still held at the end a leak.
    TimeValue linger;
    TimeValue interval;
    Ptr<DyscoAgent> agent = ctx.Agent(0);
    agent->GetAttribute("CloseLinger", linger);
    agent->GetAttribute("ExpiryInterval", interval);
    const Time grace = linger.Get() + interval.Get() * 2 + MilliSeconds(10);
    nlohmann::json header = {
        {"nodes", nodes},
        {"scenario", ctx.scenario.name},
        {"seed", ctx.scenario.seed},
        {"stop_ns", uint64_t(Seconds(ctx.scenario.durationS).GetNanoSeconds())},
        {"state_grace_ns", uint64_t(grace.GetNanoSeconds())},
        {"recorder", "dyscosim run"}};
    if (!m_writer.Open(path, header))
    {
        throw std::runtime_error(m_writer.Error());
    }
    m_sessions.resize(ctx.streams.size() + 1);
}

TraceRecorder::~TraceRecorder()
{
    Finish();
}

uint64_t
TraceRecorder::Now()
{
    return uint64_t(Simulator::Now().GetNanoSeconds());
}

void
TraceRecorder::Install()
{
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        m_nodeSinks.push_back(std::make_unique<NodeSink>(NodeSink{this, uint16_t(n)}));
        Ptr<DyscoAgent> agent = m_ctx.Agent(n);
        agent->TraceConnectWithoutContext(
            "AgentEvent",
            MakeBoundCallback(&TraceRecorder::OnAgentEvent, m_nodeSinks.back().get()));
        agent->TraceConnectWithoutContext(
            "LocalSegment", MakeBoundCallback(&TraceRecorder::OnSegment, m_nodeSinks.back().get()));
    }
    std::vector<DyscoStreamReceiver*> receivers;
    for (const auto& rx : m_ctx.otherReceivers)
    {
        ConnectReceiver(rx, &receivers);
    }
    for (const StreamApps& st : m_ctx.streams)
    {
        m_senderSinks.push_back(
            std::make_unique<SenderSink>(SenderSink{this, uint32_t(st.streamId)}));
        st.sender->TraceConnectWithoutContext(
            "Tx", MakeBoundCallback(&TraceRecorder::OnSenderTx, m_senderSinks.back().get()));
        st.sender->TraceConnectWithoutContext(
            "Read", MakeBoundCallback(&TraceRecorder::OnSenderRead, m_senderSinks.back().get()));
        st.sender->TraceConnectWithoutContext(
            "Closed",
            MakeBoundCallback(&TraceRecorder::OnSenderClosed, m_senderSinks.back().get()));
        ConnectReceiver(st.receiver, &receivers);
    }
}

void
TraceRecorder::ConnectReceiver(Ptr<DyscoStreamReceiver> rx,
                               std::vector<DyscoStreamReceiver*>* connected)
{
    if (std::find(connected->begin(), connected->end(), PeekPointer(rx)) != connected->end())
    {
        return;
    }
    connected->push_back(PeekPointer(rx));
    rx->TraceConnectWithoutContext("Read", MakeBoundCallback(&TraceRecorder::OnReceiverRead, this));
    rx->TraceConnectWithoutContext("Write",
                                   MakeBoundCallback(&TraceRecorder::OnReceiverWrite, this));
    rx->TraceConnectWithoutContext("StreamClosed",
                                   MakeBoundCallback(&TraceRecorder::OnReceiverClosed, this));
}

bool
TraceRecorder::Finish()
{
    if (m_finished)
    {
        return m_writer.Error().empty();
    }
    m_finished = true;
    const uint64_t now = Now();
    for (uint32_t sid = 1; sid < m_sessions.size(); ++sid)
    {
        Session& s = m_sessions[sid];
        for (int d = 0; d < 2; ++d)
        {
            PieceRange r;
            if (s.declared && s.stream[d].Partial(&r))
            {
                m_writer.Write(v::MakeRangeHashed(v::EventKind::kRead, now, sid, s.node[1 - d],
                                                  r.offset, r.length, r.hash));
            }
        }
    }
    m_sockets.clear();
    return m_writer.Close();
}

std::optional<uint16_t>
TraceRecorder::NodeOf(uint32_t address) const
{
    auto it = m_nodeOf.find(address);
    return it == m_nodeOf.end() ? std::nullopt : std::optional<uint16_t>(it->second);
}

uint32_t
TraceRecorder::SessionOf(const dysco::FiveTuple& header) const
{
    const dysco::FiveTuple t = m_ctx.Unalias(header); // a NAT's header stands for the session
    auto it = m_byTuple.find(t);
    if (it == m_byTuple.end())
    {
        it = m_byTuple.find(t.Reversed());
    }
    return it == m_byTuple.end() ? 0 : it->second;
}

void
TraceRecorder::Declare(uint32_t sid, const dysco::FiveTuple& tuple)
{
    Session& s = m_sessions[sid];
    if (s.declared)
    {
        return;
    }
    const StreamApps& st = *m_ctx.Stream(sid);
    s.declared = true;
    s.node[kClient] = uint16_t(st.from);
    s.node[kServer] = uint16_t(st.to);
    s.tuple = tuple;
    m_byTuple[tuple] = sid;
    // A scenario that resets the session on purpose makes RST closes clean for the checker.
    uint8_t flags = 0;
    for (const InjectionSpec& inj : m_ctx.scenario.injections)
    {
        const bool rst =
            inj.action == InjectAction::kRstClient || inj.action == InjectAction::kRstServer;
        if (rst && m_ctx.Selects(inj.sessions, sid))
        {
            flags |= v::sessionflag::kResetExpected;
        }
    }
    int64_t delta = 0;
    const std::optional<TrafficEdit> edit =
        st.traffic < m_ctx.trafficEdits.size() ? m_ctx.trafficEdits[st.traffic] : std::nullopt;
    if (edit)
    {
        // The modifier's edit, in the stream with its 8-byte id header.
        dysco::verify::ContentHasher inserted;
        for (uint32_t i = 0; i < edit->edit.insert; ++i)
        {
            const uint8_t b = ContentModifierByte(i);
            inserted.Update(&b, 1);
        }
        s.stream[kClient].SetEdit(PieceEdit{edit->edit.offset + kStreamIdHeaderSize,
                                            edit->edit.remove, edit->edit.insert,
                                            inserted.Value()});
        s.modifier = uint16_t(edit->node);
        delta = int64_t(edit->edit.insert) - int64_t(edit->edit.remove);
    }
    int64_t back = 0;
    if (const std::optional<size_t> proxy = m_ctx.scenario.traffic[st.traffic].viaSocks)
    {
        // The SOCKS-like proxy consumed the client's request and wrote its reply: edits at
        // the start of each stream (the client's TCP carries them, the server's does not).
        std::vector<uint8_t> reply;
        ns3::SocksMessage{uint8_t(ns3::SocksStatus::kSucceeded), 0, 0}.Serialize(reply);
        dysco::verify::ContentHasher none;
        dysco::verify::ContentHasher replyHash;
        replyHash.Update(reply.data(), reply.size());
        s.stream[kClient].SetEdit(PieceEdit{0, ns3::kSocksMessageSize, 0, none.Value()});
        s.stream[kServer].SetEdit(
            PieceEdit{0, 0, uint32_t(ns3::kSocksMessageSize), replyHash.Value()});
        s.modifier = uint16_t(*proxy);
        delta = -int64_t(ns3::kSocksMessageSize);
        back = int64_t(ns3::kSocksMessageSize);
    }
    m_writer.Write(
        v::MakeSession(Now(), sid, s.node[kClient], s.node[kServer], tuple, delta, back, flags));
    if (back != 0)
    {
        s.stream[kServer].EditNow(
            [&](const PieceEdit& e)
            {
                v::Edit x;
                x.dir = v::Direction::kServerToClient;
                x.offset = e.offset;
                x.inserted = e.inserted;
                x.hash = e.hash;
                m_writer.Write(v::MakeEdit(Now(), sid, s.modifier, x));
            });
    }
}

bool
TraceRecorder::Untraced(uint32_t sid) const
{
    // A SOCKS-like request meant to fail never becomes a client-server session: the run's
    // own check judges it (delivery_check.cc), the trace leaves it out.
    const StreamApps* st = m_ctx.Stream(sid);
    return st != nullptr && m_ctx.scenario.traffic[st->traffic].viaSocks &&
           m_ctx.scenario.traffic[st->traffic].socksRequest != SocksRequestKind::kConnect;
}

bool
TraceRecorder::EnsureDeclared(uint32_t sid)
{
    if (sid == 0 || sid >= m_sessions.size())
    {
        return false;
    }
    if (!m_sessions[sid].declared && Untraced(sid))
    {
        return false;
    }
    if (!m_sessions[sid].declared)
    {
        std::optional<dysco::FiveTuple> t = m_ctx.SessionOf(sid);
        if (!t)
        {
            return false;
        }
        Declare(sid, *t);
    }
    return true;
}

void
TraceRecorder::OnSegment(NodeSink* sink, dysco::Direction dir, const std::vector<uint8_t>& p)
{
    sink->recorder->Segment(sink->node, dir, p);
}

void
TraceRecorder::Segment(uint16_t node, dysco::Direction dir, const std::vector<uint8_t>& packet)
{
    if (m_finished)
    {
        return; // the simulator is being torn down
    }
    // PacketView only reads here.
    dysco::PacketView p(const_cast<uint8_t*>(packet.data()), packet.size());
    if (p.Parse() != dysco::ParseError::kOk)
    {
        return;
    }
    const bool sent = dir == dysco::Direction::kEgress;
    // local -> remote, in the client's header if a NAT changed it
    const dysco::FiveTuple t = m_ctx.Unalias(sent ? p.Tuple() : p.Tuple().Reversed());
    int end = kClient;
    auto it = m_byTuple.find(t);
    if (it == m_byTuple.end())
    {
        end = kServer;
        it = m_byTuple.find(t.Reversed());
    }
    uint32_t sid = it != m_byTuple.end() ? it->second : 0;
    if (sid == 0)
    {
        // A client's first SYN, before the agent sees it, declares its session.
        const uint8_t f = p.Flags();
        if (!sent || !(f & dysco::tcpflag::kSyn) || (f & dysco::tcpflag::kAck))
        {
            return;
        }
        sid = uint32_t(m_ctx.StreamOf(t));
        if (sid == 0 || m_ctx.Stream(sid)->from != node || Untraced(sid))
        {
            return;
        }
        Declare(sid, t);
        end = kClient;
    }
    Session& s = m_sessions[sid];
    if (s.node[end] != node)
    {
        return; // the same tuple seen at another node (not this session's endpoint)
    }
    const v::Segment seg = SegmentOf(p);
    m_writer.Write(v::MakeSegment(
        sent ? v::EventKind::kSegmentSent : v::EventKind::kSegmentReceived, Now(), sid, node, seg));
    // The connection ends with a RST sent or received, or once the endpoint sent its FIN and
    // took the peer's in order: its own ack covers the FIN (a FIN segment that arrives before
    // missing data ends nothing), or its socket said so.
    if (seg.flags & v::tcpflag::kRst)
    {
        Close(s, sid, end, v::CloseHow::kRst);
        return;
    }
    if (!sent && (seg.flags & v::tcpflag::kFin))
    {
        s.peerFin[end] = true;
        s.peerFinEnd[end] = seg.seq + seg.length + 1;
    }
    if (sent && s.peerFin[end] && (seg.flags & v::tcpflag::kAck) &&
        int32_t(seg.ack - s.peerFinEnd[end]) >= 0)
    {
        s.peerClosed[end] = true;
    }
    if (sent && (seg.flags & v::tcpflag::kFin))
    {
        s.finSent[end] = true;
    }
    if (s.finSent[end] && s.peerClosed[end])
    {
        Close(s, sid, end, v::CloseHow::kFin);
    }
}

void
TraceRecorder::SocketClosed(uint32_t sid, int end, bool error)
{
    if (m_finished || !EnsureDeclared(sid))
    {
        return;
    }
    Session& s = m_sessions[sid];
    if (error)
    {
        Close(s, sid, end, v::CloseHow::kTimeout); // no RST seen (that closed it already)
        return;
    }
    s.peerClosed[end] = true;
    if (s.finSent[end])
    {
        Close(s, sid, end, v::CloseHow::kFin);
    }
}

void
TraceRecorder::OnSenderClosed(SenderSink* sink, bool error)
{
    sink->recorder->SocketClosed(sink->sid, kClient, error);
}

void
TraceRecorder::OnReceiverClosed(TraceRecorder* r, const DyscoStreamRecord& record)
{
    if (record.idComplete)
    {
        r->SocketClosed(uint32_t(record.streamId), kServer, record.error);
    }
}

void
TraceRecorder::Close(Session& s, uint32_t sid, int end, v::CloseHow how)
{
    if (!s.closed[end])
    {
        s.closed[end] = true;
        m_writer.Write(v::MakeClose(Now(), sid, s.node[end], how));
    }
}

void
TraceRecorder::Write(uint32_t sid, int dir, const uint8_t* data, uint32_t n)
{
    if (m_finished)
    {
        return; // the simulator is being torn down
    }
    if (n == 0 || !EnsureDeclared(sid))
    {
        return;
    }
    Session& s = m_sessions[sid];
    s.stream[dir].Write(
        data, n,
        [&](const PieceRange& r)
        {
            m_writer.Write(v::MakeRangeHashed(v::EventKind::kWrite, Now(), sid, s.node[dir],
                                              r.offset, r.length, r.hash));
        },
        [&](const PieceEdit& e)
        {
            v::Edit x;
            x.dir = v::Direction(dir);
            x.offset = e.offset;
            x.removed = e.removed;
            x.inserted = e.inserted;
            x.hash = e.hash;
            m_writer.Write(v::MakeEdit(Now(), sid, s.modifier, x));
        });
}

void
TraceRecorder::Read(uint32_t sid, int dir, const uint8_t* data, uint32_t n)
{
    if (m_finished)
    {
        return; // the simulator is being torn down
    }
    if (n == 0 || !EnsureDeclared(sid))
    {
        return;
    }
    Session& s = m_sessions[sid];
    const uint16_t reader = s.node[1 - dir];
    s.stream[dir].Read(data, n,
                       [&](const PieceRange& r)
                       {
                           m_writer.Write(v::MakeRangeHashed(v::EventKind::kRead, Now(), sid,
                                                             reader, r.offset, r.length, r.hash));
                       });
}

void
TraceRecorder::OnSenderTx(SenderSink* sink, Ptr<const Packet> packet)
{
    TraceRecorder* r = sink->recorder;
    r->m_buf.resize(packet->GetSize());
    packet->CopyData(r->m_buf.data(), uint32_t(r->m_buf.size()));
    r->Write(sink->sid, kClient, r->m_buf.data(), uint32_t(r->m_buf.size()));
}

void
TraceRecorder::OnSenderRead(SenderSink* sink, const uint8_t* data, uint32_t n)
{
    sink->recorder->Read(sink->sid, kServer, data, n);
}

uint32_t
TraceRecorder::SocketSession(Ptr<Socket> socket)
{
    if (m_finished)
    {
        return 0;
    }
    auto it = m_sockets.find(PeekPointer(socket));
    if (it != m_sockets.end())
    {
        return it->second.second;
    }
    Address peer;
    Address local;
    if (socket->GetPeerName(peer) != 0 || socket->GetSockName(local) != 0 ||
        !InetSocketAddress::IsMatchingType(peer) || !InetSocketAddress::IsMatchingType(local))
    {
        return 0;
    }
    InetSocketAddress p = InetSocketAddress::ConvertFrom(peer);
    InetSocketAddress l = InetSocketAddress::ConvertFrom(local);
    const dysco::FiveTuple t{p.GetIpv4().Get(), l.GetIpv4().Get(), p.GetPort(), l.GetPort(),
                             dysco::kProtoTcp};
    const uint32_t sid = uint32_t(m_ctx.StreamOf(t));
    m_sockets[PeekPointer(socket)] = {socket, sid};
    return sid;
}

void
TraceRecorder::OnReceiverRead(TraceRecorder* r, Ptr<Socket> socket, const uint8_t* data, uint32_t n)
{
    r->Read(r->SocketSession(socket), kClient, data, n);
}

void
TraceRecorder::OnReceiverWrite(TraceRecorder* r, Ptr<Socket> socket, const uint8_t* data,
                               uint32_t n)
{
    r->Write(r->SocketSession(socket), kServer, data, n);
}

} // namespace dyscosim
