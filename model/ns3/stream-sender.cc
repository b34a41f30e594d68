#include "stream-sender.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"
#include "socket-acked.h"
#include "socks-request.h"
#include "stream-pattern.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoStreamSender");
NS_OBJECT_ENSURE_REGISTERED(DyscoStreamSender);

TypeId
DyscoStreamSender::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoStreamSender")
            .SetParent<Application>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoStreamSender>()
            .AddAttribute("Remote", "The address of the receiver", AddressValue(),
                          MakeAddressAccessor(&DyscoStreamSender::m_remote), MakeAddressChecker())
            .AddAttribute("TotalBytes", "Content bytes to send after the stream id",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoStreamSender::m_totalBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("StreamId",
                          "Identifier written first (8 bytes, big-endian); seeds the content",
                          UintegerValue(0), MakeUintegerAccessor(&DyscoStreamSender::m_streamId),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("SendSize", "Bytes per socket Send call", UintegerValue(1448),
                          MakeUintegerAccessor(&DyscoStreamSender::m_sendSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ReverseBytes",
                          "Content bytes the receiver sends back on the connection; 0: none "
                          "(the sender shuts its receive side)",
                          UintegerValue(0),
                          MakeUintegerAccessor(&DyscoStreamSender::m_reverseBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("Rate", "Write rate of the stream; 0: as fast as the socket takes it",
                          DataRateValue(DataRate(0)),
                          MakeDataRateAccessor(&DyscoStreamSender::m_rate), MakeDataRateChecker())
            .AddAttribute("SocksTarget",
                          "Remote is a SOCKS-like proxy (DyscoSocksProxy): CONNECT to this "
                          "IPv4 address and port first, send the stream once it succeeded; "
                          "empty: Remote is the receiver",
                          AddressValue(), MakeAddressAccessor(&DyscoStreamSender::m_socksTarget),
                          MakeAddressChecker())
            .AddAttribute("SocksRequest",
                          "The request sent (tests of the proxy's parser): 0 a valid CONNECT, "
                          "1 a wrong version, 2 truncated (5 bytes, then FIN)",
                          UintegerValue(0),
                          MakeUintegerAccessor(&DyscoStreamSender::m_socksRequestKind),
                          MakeUintegerChecker<uint32_t>(0, 2))
            .AddAttribute(
                "AbortFallback", "How long Abort waits for unread data before closing with a FIN",
                TimeValue(MilliSeconds(100)), MakeTimeAccessor(&DyscoStreamSender::m_abortFallback),
                MakeTimeChecker(Time(0)))
            .AddTraceSource("Tx", "Bytes handed to the socket",
                            MakeTraceSourceAccessor(&DyscoStreamSender::m_txTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Read", "Reverse-stream bytes read from the socket, in order",
                            MakeTraceSourceAccessor(&DyscoStreamSender::m_readTrace),
                            "ns3::DyscoStreamSender::ReadTracedCallback")
            .AddTraceSource("Closed",
                            "The socket reported the end of the connection: the peer's FIN "
                            "(false) or an error such as a RST (true)",
                            MakeTraceSourceAccessor(&DyscoStreamSender::m_closedTrace),
                            "ns3::DyscoStreamSender::ClosedTracedCallback");
    return tid;
}

DyscoStreamSender::DyscoStreamSender() = default;

DyscoStreamSender::~DyscoStreamSender() = default;

void
DyscoStreamSender::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

void
DyscoStreamSender::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket)
    {
        return;
    }
    m_socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    NS_ABORT_MSG_IF(m_socket->Bind() == -1, "DyscoStreamSender: bind failed");
    m_socket->SetConnectCallback(MakeCallback(&DyscoStreamSender::Connected, this),
                                 MakeCallback(&DyscoStreamSender::ConnectFailed, this));
    m_socket->SetSendCallback(MakeCallback(&DyscoStreamSender::SendSpace, this));
    m_socket->SetCloseCallbacks(MakeCallback(&DyscoStreamSender::HandlePeerClose, this),
                                MakeCallback(&DyscoStreamSender::HandleError, this));
    m_socket->Connect(m_remote);
    if (m_reverseBytes == 0 && m_socksTarget.IsInvalid())
    {
        m_socket->ShutdownRecv();
    }
    else
    {
        m_socket->SetRecvCallback(MakeCallback(&DyscoStreamSender::HandleRead, this));
    }
}

void
DyscoStreamSender::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_socket && !m_done)
    {
        m_socket->Close(); // stopped early: the receiver sees a short stream
        m_connected = false;
    }
}

void
DyscoStreamSender::Connected(Ptr<Socket> /* socket */)
{
    m_connectTime = Simulator::Now();
    if (!m_socksTarget.IsInvalid())
    {
        SendSocksRequest();
        return;
    }
    StartStream();
}

void
DyscoStreamSender::SendSocksRequest()
{
    m_socket->SetRecvCallback(MakeCallback(&DyscoStreamSender::HandleRead, this));
    const InetSocketAddress to = InetSocketAddress::ConvertFrom(m_socksTarget);
    std::vector<uint8_t> req;
    SocksMessage{kSocksConnect, to.GetIpv4().Get(), to.GetPort()}.Serialize(req);
    if (m_socksRequestKind == 1)
    {
        req[0] = kSocksVersion - 1;
    }
    if (m_socksRequestKind == 2)
    {
        req.resize(kSocksMessageSize / 2);
    }
    m_socksWaiting = true;
    Ptr<Packet> p = Create<Packet>(req.data(), uint32_t(req.size()));
    m_txTrace(p); // the connection's first bytes (the trace knows the proxy consumes them)
    m_socket->Send(p, 0);
    if (m_socksRequestKind == 2)
    {
        m_socket->ShutdownSend();
        m_sendShut = true;
    }
}

void
DyscoStreamSender::ReadSocksReply(Ptr<Socket> socket)
{
    while (m_socksReply.size() < kSocksMessageSize)
    {
        Ptr<Packet> p = socket->Recv(uint32_t(kSocksMessageSize - m_socksReply.size()), 0);
        if (!p || p->GetSize() == 0)
        {
            return;
        }
        const size_t have = m_socksReply.size();
        m_socksReply.resize(have + p->GetSize());
        p->CopyData(m_socksReply.data() + have, p->GetSize());
        m_readTrace(m_socksReply.data() + have, p->GetSize());
    }
    m_socksWaiting = false;
    SocksMessage reply;
    if (reply.DeserializeReply(m_socksReply.data(), m_socksReply.size()) != SocksError::kOk)
    {
        m_socksStatus = int(SocksStatus::kGeneralFailure);
    }
    else
    {
        m_socksStatus = reply.code;
    }
    if (m_socksStatus != int(SocksStatus::kSucceeded) || m_socksRequestKind != 0)
    {
        NS_LOG_INFO("stream " << m_streamId << ": proxy replied " << m_socksStatus);
        m_failed = true;
        if (!m_sendShut)
        {
            m_sendShut = true;
            m_socket->Close();
        }
        return;
    }
    if (m_reverseBytes == 0)
    {
        m_socket->ShutdownRecv();
    }
    StartStream();
}

void
DyscoStreamSender::StartStream()
{
    m_connected = true;
    m_pacer.SetRate(m_rate.GetBitRate(), m_sendSize);
    SendData();
}

void
DyscoStreamSender::ConnectFailed(Ptr<Socket> /* socket */)
{
    NS_LOG_WARN("stream " << m_streamId << ": connection failed");
    m_failed = true;
}

void
DyscoStreamSender::SendSpace(Ptr<Socket> /* socket */, uint32_t /* available */)
{
    if (m_finDeferred)
    {
        if (AllAcked())
        {
            EndSending();
        }
        return;
    }
    if (m_connected && !m_cutShort)
    {
        SendData();
    }
}

bool
DyscoStreamSender::AllAcked() const
{
    return ns3::AllAcked(m_socket);
}

void
DyscoStreamSender::PacerTick()
{
    m_tickPending = false;
    if (m_connected && !m_cutShort)
    {
        SendData();
    }
}

void
DyscoStreamSender::EndSending()
{
    m_finDeferred = false;
    m_sendShut = true;
    if (m_reverseBytes == 0)
    {
        m_socket->Close();
    }
    else
    {
        m_socket->ShutdownSend();
    }
}

void
DyscoStreamSender::CloseEarly()
{
    if (!m_socket || m_done || m_cutShort || m_peerClosed || m_reset)
    {
        return; // nothing left to cut
    }
    m_cutShort = true;
    m_connected = false;
    EndSending();
}

void
DyscoStreamSender::Abort()
{
    if (!m_socket || m_abortPending || m_reset || (m_peerClosed && m_sendShut))
    {
        return;
    }
    m_cutShort = true;
    m_connected = false;
    m_abortPending = true;
    if (m_socket->GetRxAvailable() > 0)
    {
        Simulator::ScheduleNow(&DyscoStreamSender::CloseNow, this);
    }
    Simulator::Schedule(m_abortFallback, &DyscoStreamSender::AbortFallbackExpired, this);
}

void
DyscoStreamSender::CloseNow()
{
    if (m_reset)
    {
        return;
    }
    // Aborting: unread data in the socket makes TcpSocketBase answer with a RST. Otherwise
    // (a deferred FIN after the peer's) a plain close.
    m_abortPending = false;
    m_socket->Close();
}

void
DyscoStreamSender::AbortFallbackExpired()
{
    if (m_abortPending && !m_reset)
    {
        NS_LOG_WARN("stream " << m_streamId << ": no data to leave unread, closing with a FIN");
        m_abortPending = false;
        m_abortFellBack = true;
        EndSending();
    }
}

void
DyscoStreamSender::HandleRead(Ptr<Socket> socket)
{
    if (m_abortPending)
    {
        // Leave the data unread; close outside the socket's own receive path.
        Simulator::ScheduleNow(&DyscoStreamSender::CloseNow, this);
        return;
    }
    if (m_socksWaiting)
    {
        ReadSocksReply(socket); // the proxy's reply comes first, then the reverse stream
        if (m_socksWaiting || m_failed)
        {
            return;
        }
    }
    Ptr<Packet> packet;
    while ((packet = socket->Recv()) && packet->GetSize() > 0)
    {
        const uint32_t n = packet->GetSize();
        m_rx.resize(n);
        packet->CopyData(m_rx.data(), n);
        m_readTrace(m_rx.data(), n);
        if (m_reverseMismatch < 0)
        {
            const uint64_t id = ReverseStreamId(m_streamId);
            for (uint32_t i = 0; i < n; ++i)
            {
                if (m_rx[i] != StreamPatternByte(id, m_reverseReceived + i))
                {
                    m_reverseMismatch = static_cast<int64_t>(m_reverseReceived + i);
                    NS_LOG_WARN("stream " << m_streamId << ": reverse mismatch at "
                                          << m_reverseMismatch);
                    break;
                }
            }
        }
        m_reverseReceived += n;
    }
}

void
DyscoStreamSender::HandlePeerClose(Ptr<Socket> socket)
{
    if ((m_reverseBytes > 0 || m_socksWaiting) && !m_abortPending)
    {
        HandleRead(socket); // the close is notified before the last bytes
    }
    m_peerClosed = true;
    m_closeTime = Simulator::Now();
    m_closedTrace(false);
    if (m_finDeferred)
    {
        // ns-3 ignores the ack riding on the peer's FIN, so our last bytes may never look
        // acknowledged now. Everything is sent and the peer is done: Close sends the FIN
        // at once (after the socket finished handling the peer's FIN).
        m_finDeferred = false;
        m_sendShut = true;
        Simulator::ScheduleNow(&DyscoStreamSender::CloseNow, this);
    }
    if (m_abortPending)
    {
        if (m_sendShut)
        {
            m_abortPending = false; // both FINs went through: nothing left to abort
        }
        else
        {
            Simulator::ScheduleNow(&DyscoStreamSender::CloseNow, this); // still owed
        }
    }
}

void
DyscoStreamSender::HandleError(Ptr<Socket> /* socket */)
{
    m_reset = true;
    m_abortPending = false;
    if (m_closeTime.IsZero())
    {
        m_closeTime = Simulator::Now();
    }
    m_closedTrace(true);
}

void
DyscoStreamSender::SendData()
{
    const uint64_t head = m_prefix.size() + kStreamIdHeaderSize;
    const uint64_t end = head + m_totalBytes;
    while (m_sent < end)
    {
        const uint32_t available = m_socket->GetTxAvailable();
        if (available == 0)
        {
            break; // SendSpace resumes when the socket frees buffer space
        }
        const uint64_t allowed = m_pacer.Allowance();
        const uint32_t n = static_cast<uint32_t>(
            std::min<uint64_t>({m_sendSize, available, end - m_sent, allowed}));
        if (n == 0 || (allowed < m_sendSize && n < end - m_sent && n < available))
        {
            // Paced: wait for a full write's worth (or the rest of the stream).
            if (!m_tickPending)
            {
                m_tickPending = true;
                Simulator::Schedule(m_pacer.WaitFor(std::min<uint64_t>(m_sendSize, end - m_sent)),
                                    &DyscoStreamSender::PacerTick, this);
            }
            break;
        }
        m_chunk.resize(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            const uint64_t pos = m_sent + i;
            if (pos < m_prefix.size())
            {
                m_chunk[i] = m_prefix[pos];
            }
            else if (pos < head)
            {
                m_chunk[i] = static_cast<uint8_t>(m_streamId >> (8 * (head - 1 - pos)));
            }
            else
            {
                m_chunk[i] = StreamPatternByte(m_streamId, pos - head);
            }
        }
        Ptr<Packet> packet = Create<Packet>(m_chunk.data(), n);
        const int actual = m_socket->Send(packet);
        if (actual <= 0)
        {
            break;
        }
        NS_ABORT_MSG_IF(static_cast<uint32_t>(actual) != n, "TCP socket took a partial write");
        m_pacer.Consume(n);
        m_sent += n;
        m_written = m_sent > head ? m_sent - head : 0;
        m_txTrace(packet);
    }
    if (m_sent == end && !m_done)
    {
        m_done = true;
        m_connected = false;
        // With a reverse stream the server may end at the same moment. A FIN riding on our
        // last data segment would then meet its FIN, and ns-3.37's TcpSocketBase files a FIN
        // that carries data at the segment's first byte while in FIN_WAIT (ProcessWait), so
        // the close never completes. An empty FIN, once every byte is acknowledged, is safe.
        m_finDeferred = m_reverseBytes > 0 && !AllAcked();
        if (!m_finDeferred)
        {
            EndSending();
        }
    }
}

} // namespace ns3
