#include "dysco-policy-client.h"

#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/udp-socket-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoPolicyClient");
NS_OBJECT_ENSURE_REGISTERED(DyscoPolicyClient);

TypeId
DyscoPolicyClient::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoPolicyClient")
            .SetParent<Application>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoPolicyClient>()
            .AddTraceSource("Assign", "The instances chosen for a new session, by policy version.",
                            MakeTraceSourceAccessor(&DyscoPolicyClient::m_assignTrace),
                            "ns3::DyscoPolicyClient::AssignTracedCallback");
    return tid;
}

DyscoPolicyClient::DyscoPolicyClient() = default;

void
DyscoPolicyClient::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), dysco::kPolicyPort));
    m_socket->SetRecvCallback(MakeCallback(&DyscoPolicyClient::HandleRead, this));
    m_agent->TraceConnectWithoutContext("AgentEvent",
                                        MakeCallback(&DyscoPolicyClient::OnAgentEvent, this));
}

void
DyscoPolicyClient::StopApplication()
{
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
    }
}

void
DyscoPolicyClient::DoDispose()
{
    if (m_agent && m_base != SIZE_MAX)
    {
        m_agent->GetCore().Policies().Truncate(m_base); // its choosers point here
    }
    m_agent = nullptr;
    m_socket = nullptr;
    Application::DoDispose();
}

void
DyscoPolicyClient::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        dysco::PolicyMessage m;
        const auto error = dysco::DecodePolicyMessage(bytes.data(), bytes.size(), &m);
        if (error != dysco::PolicyDecodeError::kNone || m.type != dysco::PolicyMessageType::kUpdate)
        {
            NS_LOG_WARN("malformed policy message dropped: " << dysco::ToString(error));
            ++m_malformed;
            continue;
        }
        if (m.version < m_version)
        {
            ++m_stale; // a newer set is in force; the server no longer waits for this one
            continue;
        }
        if (m.version == m_version)
        {
            ++m_duplicates; // our ack was lost (or is late): ack again, apply once
        }
        else
        {
            Apply(m);
        }
        Ack(m.version, from);
    }
}

void
DyscoPolicyClient::Apply(const dysco::PolicyMessage& m)
{
    dysco::PolicyTable& table = m_agent->GetCore().Policies();
    if (m_base == SIZE_MAX)
    {
        m_base = table.Size();
    }
    // One event: no SYN can see part of the old set and part of the new one.
    table.Truncate(m_base);
    m_policies = m.policies;
    m_strategy = m.strategy;
    m_version = m.version;
    m_next.assign(m_policies.size(), {});
    for (size_t i = 0; i < m_policies.size(); ++i)
    {
        m_next[i].assign(m_policies[i].slots.size(), 0);
        dysco::Policy p;
        p.name = m_policies[i].name;
        p.predicate = m_policies[i].predicate;
        p.choose = [this, i](const dysco::FiveTuple& t) { return Choose(i, t); };
        table.Add(p);
    }
    m_applied.push_back({m.version, Simulator::Now()});
}

void
DyscoPolicyClient::Ack(uint32_t version, const Address& to)
{
    dysco::PolicyMessage ack;
    ack.type = dysco::PolicyMessageType::kAck;
    ack.version = version;
    const auto bytes = dysco::EncodePolicyMessage(ack);
    m_socket->SendTo(Create<Packet>(bytes.data(), bytes.size()), 0, to);
}

std::vector<uint32_t>
DyscoPolicyClient::Choose(size_t policy, const dysco::FiveTuple& session)
{
    const dysco::PolicyEntry& e = m_policies[policy];
    std::vector<uint32_t> chain;
    for (size_t s = 0; s < e.slots.size(); ++s)
    {
        const auto& slot = e.slots[s];
        size_t pick = 0;
        if (m_strategy == dysco::PolicyStrategy::kRoundRobin)
        {
            pick = m_next[policy][s] % slot.size();
            m_next[policy][s] = pick + 1;
        }
        else
        {
            for (size_t k = 1; k < slot.size(); ++k)
            {
                pick = m_load[slot[k]] < m_load[slot[pick]] ? k : pick; // ties: listed first
            }
        }
        chain.push_back(slot[pick]);
        ++m_load[slot[pick]];
    }
    m_live[session] = chain;
    m_assignTrace(m_agent->GetAddress().Get(), session, e.name, m_version, chain);
    return chain;
}

void
DyscoPolicyClient::OnAgentEvent(const dysco::AgentEvent& e)
{
    if (e.kind != dysco::AgentEventKind::kSessionClosed)
    {
        return;
    }
    auto it = m_live.find(e.session);
    if (it == m_live.end())
    {
        return;
    }
    for (uint32_t i : it->second)
    {
        --m_load[i];
    }
    m_live.erase(it);
}

} // namespace ns3
