#include "dysco-socks-proxy.h"

#include "dysco-agent.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoSocksProxy");
NS_OBJECT_ENSURE_REGISTERED(DyscoSocksProxy);

TypeId
DyscoSocksProxy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoSocksProxy")
            .SetParent<DyscoProxy>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoSocksProxy>()
            .AddTraceSource("Onward",
                            "A client's session was joined to the onward "
                            "connection its request named",
                            MakeTraceSourceAccessor(&DyscoSocksProxy::m_onwardTrace),
                            "ns3::DyscoSocksProxy::OnwardTracedCallback");
    return tid;
}

DyscoSocksProxy::DyscoSocksProxy() = default;

DyscoSocksProxy::~DyscoSocksProxy() = default;

void
DyscoSocksProxy::DoDispose()
{
    m_pending.clear();
    DyscoProxy::DoDispose();
}

void
DyscoSocksProxy::OnAccept(Ptr<Socket> s, const Address& from)
{
    const InetSocketAddress a = InetSocketAddress::ConvertFrom(from);
    const int64_t natIndex = GetNat()->FindAccepted(a.GetIpv4().Get(), a.GetPort());
    if (natIndex < 0)
    {
        NS_LOG_WARN("connection from " << a.GetIpv4() << " is no Dysco session; closed");
        s->Close();
        return;
    }
    GetNat()->SetOnwardResetCallback(MakeCallback(&DyscoSocksProxy::OnwardReset, this));
    m_pending[s].nat = size_t(natIndex);
    s->SetRecvCallback(MakeCallback(&DyscoSocksProxy::ReadRequest, this));
    s->SetCloseCallbacks(MakeCallback(&DyscoSocksProxy::RequestEnded, this),
                         MakeCallback(&DyscoSocksProxy::RequestEnded, this));
}

void
DyscoSocksProxy::Refuse(Ptr<Socket> s, SocksStatus status)
{
    std::vector<uint8_t> reply;
    SocksMessage{uint8_t(status), 0, 0}.Serialize(reply);
    s->Send(Create<Packet>(reply.data(), uint32_t(reply.size())), 0);
    s->Close(); // the FIN follows the reply
}

void
DyscoSocksProxy::ReadRequest(Ptr<Socket> s)
{
    auto it = m_pending.find(s);
    if (it == m_pending.end())
    {
        return;
    }
    Pending& p = it->second;
    // Read no more than the request: what follows it belongs to the relayed stream.
    while (p.request.size() < kSocksMessageSize)
    {
        Ptr<Packet> pkt = s->Recv(uint32_t(kSocksMessageSize - p.request.size()), 0);
        if (!pkt || pkt->GetSize() == 0)
        {
            return;
        }
        const size_t have = p.request.size();
        p.request.resize(have + pkt->GetSize());
        pkt->CopyData(p.request.data() + have, pkt->GetSize());
    }
    SocksMessage req;
    const SocksError err = req.DeserializeRequest(p.request.data(), p.request.size());
    const size_t nat = p.nat;
    m_pending.erase(it);
    if (err != SocksError::kOk)
    {
        NS_LOG_INFO("malformed request (" << ToString(err) << "); refused");
        ++m_malformed;
        Refuse(s, StatusFor(err));
        return;
    }
    // The onward connection joins the client's session at this agent (its SYN carries the
    // tag ExtendChain returns), so the proxy is a middlebox of one session it can leave.
    uint16_t port = 0;
    Ptr<Socket> out = NewOnwardSocket(&port);
    const dysco::FiveTuple session = GetNat()->Entry(nat).session;
    const dysco::FiveTuple right{GetNat()->GetAgent()->GetAddress().Get(), req.ipv4, port, req.port,
                                 dysco::kProtoTcp};
    const uint32_t tag = GetNat()->GetAgent()->GetCore().ExtendChain(session, right);
    if (tag == 0)
    {
        NS_LOG_WARN("agent refused to extend " << session.ToString());
        out->Close();
        ++m_refused;
        Refuse(s, SocksStatus::kGeneralFailure);
        return;
    }
    // Client -> server: the request's bytes end at the proxy; server -> client: the reply's
    // bytes come before the server's.
    GetNat()->SetExplicitRight(nat, right, tag, -int64_t(kSocksMessageSize),
                               int64_t(kSocksMessageSize));
    m_onwardTrace(session, right);
    AddRelay(s, nat, out);
    out->SetCloseCallbacks(MakeCallback(&DyscoSocksProxy::OnOnwardClose, this),
                           MakeCallback(&DyscoSocksProxy::OnOnwardError, this));
    out->SetConnectCallback(MakeCallback(&DyscoSocksProxy::Connected, this),
                            MakeCallback(&DyscoSocksProxy::ConnectFailed, this));
    out->Connect(InetSocketAddress(Ipv4Address(req.ipv4), req.port));
}

void
DyscoSocksProxy::RequestEnded(Ptr<Socket> s)
{
    auto it = m_pending.find(s);
    if (it == m_pending.end())
    {
        return;
    }
    ReadRequest(s); // what came before the FIN
    if (m_pending.erase(s) > 0)
    {
        ++m_malformed; // the client stopped before a whole request
        Refuse(s, StatusFor(SocksError::kTruncated));
    }
}

void
DyscoSocksProxy::Connected(Ptr<Socket> out)
{
    int side = 0;
    const int64_t idx = RelayOf(out, &side);
    if (idx < 0)
    {
        return;
    }
    if (!m_onwardUp.insert(PeekPointer(out)).second)
    {
        return;
    }
    ++m_connected;
    // BND.ADDR and BND.PORT stay 0 (the client has no use for them once the proxy leaves).
    std::vector<uint8_t> reply;
    SocksMessage{uint8_t(SocksStatus::kSucceeded), 0, 0}.Serialize(reply);
    Ptr<Socket> client = AcceptedSocket(size_t(idx));
    client->Send(Create<Packet>(reply.data(), uint32_t(reply.size())), 0);
    // The handshake is over: leave at once (RequestSplice waits for the deltas).
    RequestSplice(size_t(idx));
}

void
DyscoSocksProxy::OnwardReset(size_t natIndex)
{
    const int64_t idx = RelayOfEntry(natIndex);
    if (idx >= 0)
    {
        ConnectFailed(OnwardSocket(size_t(idx)));
    }
}

void
DyscoSocksProxy::OnOnwardClose(Ptr<Socket> out)
{
    // ns-3 reports a RST answering the SYN as a close or an error, not as a failed connect.
    if (m_onwardUp.count(PeekPointer(out)) == 0)
    {
        ConnectFailed(out);
        return;
    }
    OnPeerClose(out);
}

void
DyscoSocksProxy::OnOnwardError(Ptr<Socket> out)
{
    if (m_onwardUp.count(PeekPointer(out)) == 0)
    {
        ConnectFailed(out);
        return;
    }
    OnError(out);
}

void
DyscoSocksProxy::ConnectFailed(Ptr<Socket> out)
{
    int side = 0;
    const int64_t idx = RelayOf(out, &side);
    if (idx < 0)
    {
        return;
    }
    if (!m_onwardUp.insert(PeekPointer(out)).second)
    {
        return; // reported once
    }
    NS_LOG_INFO("onward connection of relay " << idx << " failed; refused");
    ++m_refused;
    Refuse(EndRelay(size_t(idx)), SocksStatus::kConnectionRefused);
    out->Close(); // no more SYN retries
}

} // namespace ns3
