#include "stream-sender.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "ns3/uinteger.h"
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
            .AddTraceSource("Tx", "Bytes handed to the socket",
                            MakeTraceSourceAccessor(&DyscoStreamSender::m_txTrace),
                            "ns3::Packet::TracedCallback");
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
    m_socket->Connect(m_remote);
    m_socket->ShutdownRecv();
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
    m_connected = true;
    m_connectTime = Simulator::Now();
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
    if (m_connected)
    {
        SendData();
    }
}

void
DyscoStreamSender::SendData()
{
    const uint64_t end = kStreamIdHeaderSize + m_totalBytes;
    while (m_sent < end)
    {
        const uint32_t available = m_socket->GetTxAvailable();
        if (available == 0)
        {
            break; // SendSpace resumes when the socket frees buffer space
        }
        const uint32_t n =
            static_cast<uint32_t>(std::min<uint64_t>({m_sendSize, available, end - m_sent}));
        m_chunk.resize(n);
        for (uint32_t i = 0; i < n; ++i)
        {
            const uint64_t pos = m_sent + i;
            m_chunk[i] = pos < kStreamIdHeaderSize
                             ? static_cast<uint8_t>(m_streamId >> (8 * (7 - pos)))
                             : StreamPatternByte(m_streamId, pos - kStreamIdHeaderSize);
        }
        Ptr<Packet> packet = Create<Packet>(m_chunk.data(), n);
        const int actual = m_socket->Send(packet);
        if (actual <= 0)
        {
            break;
        }
        NS_ABORT_MSG_IF(static_cast<uint32_t>(actual) != n, "TCP socket took a partial write");
        m_sent += n;
        m_written = m_sent > kStreamIdHeaderSize ? m_sent - kStreamIdHeaderSize : 0;
        m_txTrace(packet);
    }
    if (m_sent == end && !m_done)
    {
        m_done = true;
        m_connected = false;
        m_socket->Close();
    }
}

} // namespace ns3
