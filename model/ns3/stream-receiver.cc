#include "stream-receiver.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/tcp-socket-factory.h"
#include "stream-pattern.h"

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
            .AddTraceSource("StreamClosed", "A stream ended (peer FIN or error); its final record",
                            MakeTraceSourceAccessor(&DyscoStreamReceiver::m_closedTrace),
                            "ns3::DyscoStreamReceiver::StreamClosedTracedCallback");
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
    Ptr<Packet> packet;
    while ((packet = socket->Recv()) && packet->GetSize() > 0)
    {
        const uint32_t n = packet->GetSize();
        m_rx.resize(n);
        packet->CopyData(m_rx.data(), n);
        Consume(it->second, m_rx.data(), n);
    }
}

void
DyscoStreamReceiver::Consume(Connection& c, const uint8_t* data, uint32_t n)
{
    DyscoStreamRecord& r = m_records[c.record];
    uint32_t i = 0;
    for (; i < n && c.idBytes < kStreamIdHeaderSize; ++i)
    {
        c.id[c.idBytes++] = data[i];
        if (c.idBytes == kStreamIdHeaderSize)
        {
            r.streamId = 0;
            for (uint8_t b : c.id)
            {
                r.streamId = (r.streamId << 8) | b;
            }
            r.idComplete = true;
        }
    }
    if (r.firstMismatchOffset < 0)
    {
        for (uint32_t k = i; k < n; ++k)
        {
            const uint64_t offset = r.bytesReceived + (k - i);
            if (data[k] != StreamPatternByte(r.streamId, offset))
            {
                r.firstMismatchOffset = static_cast<int64_t>(offset);
                NS_LOG_WARN("stream " << r.streamId << ": first mismatch at " << offset);
                break;
            }
        }
    }
    r.bytesReceived += n - i;
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
    HandleRead(socket); // everything before the FIN counts
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
    {
        return;
    }
    DyscoStreamRecord& r = m_records[it->second.record];
    (error ? r.error : r.closed) = true;
    r.closeTime = Simulator::Now();
    m_connections.erase(it);
    if (!error)
    {
        // Our FIN, so the session closes in both directions; after the socket finished
        // handling the peer's FIN (closing from inside its callback would reorder segments).
        Simulator::ScheduleNow(&DyscoStreamReceiver::CloseSocket, socket);
    }
    m_closedTrace(r);
}

} // namespace ns3
