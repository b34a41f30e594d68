#include "stream-receiver.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"
#include "socket-acked.h"
#include "stream-pattern.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoStreamReceiver");
NS_OBJECT_ENSURE_REGISTERED(DyscoStreamReceiver);

TypeId
DyscoStreamReceiver::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoStreamReceiver")
            .SetParent<Application>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoStreamReceiver>()
            .AddAttribute("Local", "The address to listen on", AddressValue(),
                          MakeAddressAccessor(&DyscoStreamReceiver::m_local), MakeAddressChecker())
            .AddAttribute("ReverseBytes",
                          "Content bytes streamed back on each connection (SetReverseBytes "
                          "overrides it per stream)",
                          UintegerValue(0),
                          MakeUintegerAccessor(&DyscoStreamReceiver::m_reverseBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("SendSize", "Bytes per socket Send call of the reverse stream",
                          UintegerValue(1448),
                          MakeUintegerAccessor(&DyscoStreamReceiver::m_sendSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ReverseRate",
                          "Write rate of each reverse stream; 0: as fast as the socket takes it",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&DyscoStreamReceiver::m_reverseRate),
                          MakeDataRateChecker())
            .AddAttribute("AbortFallback",
                          "How long AbortStream waits for unread data before closing with a FIN",
                          TimeValue(MilliSeconds(100)),
                          MakeTimeAccessor(&DyscoStreamReceiver::m_abortFallback),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("StreamClosed", "A stream ended (peer FIN or error); its final record",
                            MakeTraceSourceAccessor(&DyscoStreamReceiver::m_closedTrace),
                            "ns3::DyscoStreamReceiver::StreamClosedTracedCallback")
            .AddTraceSource("Read", "Bytes read from a connection's socket, in order",
                            MakeTraceSourceAccessor(&DyscoStreamReceiver::m_readTrace),
                            "ns3::DyscoStreamReceiver::BytesTracedCallback")
            .AddTraceSource("Write", "Reverse-stream bytes a connection's socket accepted",
                            MakeTraceSourceAccessor(&DyscoStreamReceiver::m_writeTrace),
                            "ns3::DyscoStreamReceiver::BytesTracedCallback");
    return tid;
}

DyscoStreamReceiver::DyscoStreamReceiver() = default;

DyscoStreamReceiver::~DyscoStreamReceiver() = default;

void
DyscoStreamReceiver::DoDispose()
{
    m_listener = nullptr;
    m_connections.clear();
    Application::DoDispose();
}

void
DyscoStreamReceiver::StartApplication()
{
    if (m_listener)
    {
        return;
    }
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_listener->Bind(m_local) == -1, "DyscoStreamReceiver: bind failed");
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&DyscoStreamReceiver::Accepted, this));
}

void
DyscoStreamReceiver::StopApplication()
{
    for (auto& kv : m_connections)
    {
        kv.first->Close();
    }
    m_connections.clear();
    if (m_listener)
    {
        m_listener->Close();
    }
}

void
DyscoStreamReceiver::Accepted(Ptr<Socket> socket, const Address& from)
{
    DyscoStreamRecord r;
    r.peer = from;
    r.acceptTime = Simulator::Now();
    m_records.push_back(r);
    Connection c;
    c.record = m_records.size() - 1;
    m_connections[socket] = c;
    socket->SetRecvCallback(MakeCallback(&DyscoStreamReceiver::HandleRead, this));
    socket->SetSendCallback(MakeCallback(&DyscoStreamReceiver::HandleSend, this));
    socket->SetCloseCallbacks(MakeCallback(&DyscoStreamReceiver::HandlePeerClose, this),
                              MakeCallback(&DyscoStreamReceiver::HandleError, this));
}

void
DyscoStreamReceiver::HandleRead(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    if (it->second.abortPending)
    {
        // Leave the data unread; close outside the socket's own receive path.
        Simulator::ScheduleNow(&DyscoStreamReceiver::AbortNow, this, socket);
        return;
    }
    Ptr<Packet> packet;
    while ((packet = socket->Recv()) && packet->GetSize() > 0)
    {
        const uint32_t n = packet->GetSize();
        m_rx.resize(n);
        packet->CopyData(m_rx.data(), n);
        m_readTrace(socket, m_rx.data(), n);
        Consume(socket, it->second, m_rx.data(), n);
    }
}

void
DyscoStreamReceiver::Consume(Ptr<Socket> socket, Connection& c, const uint8_t* data, uint32_t n)
{
    DyscoStreamRecord& r = m_records[c.record];
    if (c.head.GetState() == StreamHead::kPending)
    {
        const size_t taken = c.head.Feed(m_prefixes, data, n);
        if (c.head.GetState() == StreamHead::kResolved)
        {
            StartStream(socket, c, r);
            const std::vector<uint8_t>& early = c.head.Content(); // read past the head
            CheckContent(c, r, early.data(), early.size());
        }
        else if (c.head.GetState() == StreamHead::kFailed)
        {
            r.bytesReceived += c.head.Content().size();
        }
        data += taken;
        n -= uint32_t(taken);
    }
    if (c.head.GetState() == StreamHead::kFailed)
    {
        r.bytesReceived += n; // counted, as a stray stream's bytes, but not checked
        return;
    }
    CheckContent(c, r, data, n);
}

void
DyscoStreamReceiver::StartStream(Ptr<Socket> socket, Connection& c, DyscoStreamRecord& r)
{
    r.streamId = c.head.StreamId();
    r.prefixBytes = c.head.PrefixSize();
    r.idComplete = true;
    auto edit = m_editFor.find(r.streamId);
    c.edit = edit != m_editFor.end() ? &edit->second : nullptr;
    auto rev = m_reverseFor.find(r.streamId);
    r.reverseRequested = rev != m_reverseFor.end() ? rev->second : m_reverseBytes;
    auto rate = m_rateFor.find(r.streamId);
    c.pacer.SetRate((rate != m_rateFor.end() ? rate->second : m_reverseRate).GetBitRate(),
                    m_sendSize);
    SendReverse(socket);
}

void
DyscoStreamReceiver::CheckContent(const Connection& c, DyscoStreamRecord& r, const uint8_t* data,
                                  size_t n)
{
    if (r.firstMismatchOffset < 0)
    {
        for (size_t k = 0; k < n; ++k)
        {
            const uint64_t offset = r.bytesReceived + k;
            if (data[k] != ExpectedStreamByte(r.streamId, c.edit, offset))
            {
                r.firstMismatchOffset = static_cast<int64_t>(offset);
                NS_LOG_WARN("stream " << r.streamId << ": first mismatch at " << offset);
                break;
            }
        }
    }
    r.bytesReceived += n;
}

void
DyscoStreamReceiver::HandleSend(Ptr<Socket> socket, uint32_t /* available */)
{
    auto it = m_connections.find(socket);
    if (it != m_connections.end() && it->second.finDeferred)
    {
        if (AllAcked(socket))
        {
            ShutReverse(socket, m_records[it->second.record], false);
        }
        return;
    }
    SendReverse(socket);
}

void
DyscoStreamReceiver::SendReverse(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || it->second.abortPending)
    {
        return;
    }
    DyscoStreamRecord& r = m_records[it->second.record];
    if (!r.idComplete || r.reverseShut || r.reverseRequested == 0)
    {
        return;
    }
    const uint64_t id = ReverseStreamId(r.streamId);
    Connection& c = it->second;
    while (r.reverseWritten < r.reverseRequested)
    {
        const uint32_t available = socket->GetTxAvailable();
        if (available == 0)
        {
            return; // HandleSend resumes when the socket frees buffer space
        }
        const uint64_t left = r.reverseRequested - r.reverseWritten;
        const uint64_t allowed = c.pacer.Allowance();
        const uint32_t n =
            static_cast<uint32_t>(std::min<uint64_t>({m_sendSize, available, left, allowed}));
        if (n == 0 || (allowed < m_sendSize && n < left && n < available))
        {
            // Paced: wait for a full write's worth (or the rest of the stream).
            if (!c.tickPending)
            {
                c.tickPending = true;
                Simulator::Schedule(c.pacer.WaitFor(std::min<uint64_t>(m_sendSize, left)),
                                    &DyscoStreamReceiver::PacerTick, this, socket);
            }
            return;
        }
        m_tx.resize(n);
        FillStreamPattern(id, r.reverseWritten, m_tx.data(), n);
        const int actual = socket->Send(Create<Packet>(m_tx.data(), n));
        if (actual <= 0)
        {
            return;
        }
        NS_ABORT_MSG_IF(static_cast<uint32_t>(actual) != n, "TCP socket took a partial write");
        m_writeTrace(socket, m_tx.data(), n);
        c.pacer.Consume(n);
        r.reverseWritten += n;
    }
    ShutReverse(socket, r, true);
}

void
DyscoStreamReceiver::ShutReverse(Ptr<Socket> socket, DyscoStreamRecord& r, bool whenAcked)
{
    r.reverseShut = true;
    auto it = m_connections.find(socket);
    if (it != m_connections.end())
    {
        // A FIN riding on the last data segment can meet the client's FIN (both streams
        // end together): ns-3.37's TcpSocketBase then files the FIN at the segment's first
        // byte instead of after its data (ProcessWait) and never completes the close. An
        // empty FIN, sent once every byte is acknowledged, is filed right.
        it->second.finDeferred = whenAcked && !AllAcked(socket);
        if (it->second.finDeferred)
        {
            return; // HandleSend sends it
        }
    }
    // ShutdownSend, not Close: a Close with client bytes still buffered out of order (after
    // a loss) would answer with a RST.
    socket->ShutdownSend();
    if (it != m_connections.end() && it->second.peerClosed)
    {
        m_connections.erase(it); // both directions are done
    }
}

void
DyscoStreamReceiver::PacerTick(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it != m_connections.end())
    {
        it->second.tickPending = false;
        SendReverse(socket);
    }
}

bool
DyscoStreamReceiver::CloseStream(uint64_t streamId)
{
    Ptr<Socket> socket = FindStream(streamId);
    if (!socket)
    {
        return false;
    }
    DyscoStreamRecord& r = m_records[m_connections[socket].record];
    if (r.reverseShut)
    {
        if (m_connections[socket].finDeferred)
        {
            ShutReverse(socket, r, false); // complete already: just do not wait for acks
        }
        return false; // the reverse stream already ended
    }
    r.cutShort = true;
    ShutReverse(socket, r);
    return true;
}

bool
DyscoStreamReceiver::AbortStream(uint64_t streamId)
{
    Ptr<Socket> socket = FindStream(streamId);
    if (!socket)
    {
        return false;
    }
    Connection& c = m_connections[socket];
    if (c.abortPending || c.peerClosed)
    {
        return false;
    }
    c.abortPending = true;
    m_records[c.record].cutShort = true;
    if (socket->GetRxAvailable() > 0)
    {
        Simulator::ScheduleNow(&DyscoStreamReceiver::AbortNow, this, socket);
    }
    Simulator::Schedule(m_abortFallback, &DyscoStreamReceiver::AbortFallbackExpired, this, socket);
    return true;
}

void
DyscoStreamReceiver::AbortNow(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || !it->second.abortPending)
    {
        return;
    }
    it->second.abortPending = false;
    it->second.aborting = true;
    m_records[it->second.record].reverseShut = true;
    socket->Close(); // unread data in the socket: TcpSocketBase answers with a RST
    it = m_connections.find(socket);
    if (it != m_connections.end() && it->second.peerClosed)
    {
        m_connections.erase(it); // nothing was left unread: it closed with a FIN
    }
}

void
DyscoStreamReceiver::AbortFallbackExpired(Ptr<Socket> socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || !it->second.abortPending)
    {
        return;
    }
    NS_LOG_WARN("no data to leave unread, closing with a FIN");
    it->second.abortPending = false;
    DyscoStreamRecord& r = m_records[it->second.record];
    r.abortFellBack = true;
    if (!r.reverseShut)
    {
        ShutReverse(socket, r);
    }
}

Ptr<Socket>
DyscoStreamReceiver::FindStream(uint64_t streamId) const
{
    for (const auto& [socket, c] : m_connections)
    {
        const DyscoStreamRecord& r = m_records[c.record];
        if (r.idComplete && r.streamId == streamId)
        {
            return socket;
        }
    }
    return nullptr;
}

void
DyscoStreamReceiver::HandlePeerClose(Ptr<Socket> socket)
{
    Finish(socket, false);
}

void
DyscoStreamReceiver::HandleError(Ptr<Socket> socket)
{
    Finish(socket, true);
}

void
DyscoStreamReceiver::CloseSocket(Ptr<Socket> socket)
{
    socket->Close();
}

void
DyscoStreamReceiver::Finish(Ptr<Socket> socket, bool error)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    if (!it->second.abortPending && !it->second.aborting)
    {
        HandleRead(socket); // everything before the FIN counts
    }
    it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    Connection& c = it->second;
    DyscoStreamRecord& r = m_records[c.record];
    if (c.head.GetState() == StreamHead::kPending)
    {
        c.head.Finish(m_prefixes); // a short stream: no longer prefix can fit any more
        if (c.head.GetState() == StreamHead::kResolved)
        {
            StartStream(socket, c, r);
            CheckContent(c, r, c.head.Content().data(), c.head.Content().size());
        }
    }
    (error ? r.error : r.closed) = true;
    r.closeTime = Simulator::Now();
    c.peerClosed = true;
    if (error)
    {
        m_connections.erase(it);
    }
    else if (c.abortPending)
    {
        Simulator::ScheduleNow(&DyscoStreamReceiver::AbortNow, this, socket); // still owed
    }
    else if (r.reverseRequested == 0)
    {
        m_connections.erase(it);
        // Our FIN, so the session closes in both directions; after the socket finished
        // handling the peer's FIN (closing from inside its callback would reorder segments).
        Simulator::ScheduleNow(&DyscoStreamReceiver::CloseSocket, socket);
    }
    else if (r.reverseShut && !c.finDeferred)
    {
        m_connections.erase(it); // our FIN is queued already: the socket closes by itself
    }
    else if (r.reverseShut)
    {
        // Written but waiting for acks: ns-3 ignores the ack riding on the peer's FIN, so
        // they may never come. Everything is sent and the peer is done: close now.
        m_connections.erase(it);
        Simulator::ScheduleNow(&DyscoStreamReceiver::CloseSocket, socket);
    }
    // else: the reverse stream is still being written; ShutReverse ends it
    m_closedTrace(r);
}

} // namespace ns3
