#include "dysco-policy-server.h"

#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoPolicyServer");
NS_OBJECT_ENSURE_REGISTERED(DyscoPolicyServer);

TypeId
DyscoPolicyServer::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoPolicyServer")
            .SetParent<Application>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoPolicyServer>()
            .AddAttribute("Strategy", "How an instance of a type is chosen for a session.",
                          EnumValue(ROUND_ROBIN), MakeEnumAccessor(&DyscoPolicyServer::m_strategy),
                          MakeEnumChecker(ROUND_ROBIN, "round_robin", LEAST_LOADED, "least_loaded"))
            .AddAttribute("DistributionDelay",
                          "From the application's start until it sends the first policy version.",
                          TimeValue(MilliSeconds(1)), MakeTimeAccessor(&DyscoPolicyServer::m_delay),
                          MakeTimeChecker())
            .AddAttribute("Rto", "First retransmission timeout of a policy message (doubles).",
                          TimeValue(MilliSeconds(20)), MakeTimeAccessor(&DyscoPolicyServer::m_rto),
                          MakeTimeChecker(Time(1)))
            .AddAttribute("Retries", "Resends of an unacked policy message before giving up.",
                          UintegerValue(8), MakeUintegerAccessor(&DyscoPolicyServer::m_retries),
                          MakeUintegerChecker<uint32_t>(0, 30));
    return tid;
}

DyscoPolicyServer::DyscoPolicyServer() = default;

void
DyscoPolicyServer::AddAgent(Ptr<DyscoAgent> agent, Ptr<DyscoPolicyClient> client)
{
    m_agents.push_back(agent);
    if (client)
    {
        m_clients.push_back(client);
        Receiver r;
        r.address = agent->GetAddress().Get();
        m_receivers.push_back(r);
    }
}

void
DyscoPolicyServer::AddPolicy(const DyscoTypePolicy& policy)
{
    m_policies.push_back(policy);
}

void
DyscoPolicyServer::AddInstance(const std::string& type, Ipv4Address instance)
{
    Instance i;
    i.address = instance.Get();
    m_types[type].instances.push_back(i);
}

void
DyscoPolicyServer::AddTrigger(const DyscoPolicyTrigger& trigger)
{
    m_triggers.push_back(trigger);
}

uint32_t
DyscoPolicyServer::GetLoad(uint32_t instance) const
{
    for (const auto& [name, type] : m_types)
    {
        for (const auto& i : type.instances)
        {
            if (i.address == instance)
            {
                return i.load;
            }
        }
    }
    return 0;
}

void
DyscoPolicyServer::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind();
    m_socket->SetRecvCallback(MakeCallback(&DyscoPolicyServer::HandleRead, this));
    for (auto& client : m_clients)
    {
        client->TraceConnectWithoutContext("Assign",
                                           MakeCallback(&DyscoPolicyServer::OnAssign, this));
    }
    m_events.push_back(Simulator::Schedule(m_delay, &DyscoPolicyServer::Publish, this));
    for (size_t t = 0; t < m_triggers.size(); ++t)
    {
        const Time in = std::max(Time(0), m_triggers[t].at - Simulator::Now());
        m_events.push_back(Simulator::Schedule(in, &DyscoPolicyServer::Fire, this, t));
    }
    for (auto& agent : m_agents)
    {
        agent->TraceConnectWithoutContext("AgentEvent",
                                          MakeCallback(&DyscoPolicyServer::OnAgentEvent, this));
    }
}

void
DyscoPolicyServer::StopApplication()
{
    for (auto& e : m_events)
    {
        e.Cancel();
    }
    for (auto& r : m_receivers)
    {
        r.timer.Cancel();
    }
    if (m_socket)
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->Close();
    }
}

void
DyscoPolicyServer::DoDispose()
{
    m_agents.clear();
    m_clients.clear();
    m_socket = nullptr;
    m_sink = nullptr;
    Application::DoDispose();
}

void
DyscoPolicyServer::Publish()
{
    dysco::PolicyMessage m;
    m.version = m_version + 1;
    m.strategy = m_strategy == LEAST_LOADED ? dysco::PolicyStrategy::kLeastLoaded
                                            : dysco::PolicyStrategy::kRoundRobin;
    for (const auto& p : m_policies)
    {
        dysco::PolicyEntry e;
        e.name = p.name;
        e.predicate = p.predicate;
        for (const auto& type : p.types)
        {
            std::vector<uint32_t> live;
            auto it = m_types.find(type);
            for (const Instance& i :
                 it == m_types.end() ? std::vector<Instance>{} : it->second.instances)
            {
                if (!i.drained)
                {
                    live.push_back(i.address);
                }
            }
            if (live.empty())
            {
                NS_LOG_WARN("no instance of type " << type << " left; the chain skips it");
                continue;
            }
            e.slots.push_back(live);
        }
        m.policies.push_back(e);
    }
    auto bytes = dysco::EncodePolicyMessage(m);
    if (bytes.empty())
    {
        ++m_counters.unencodable; // the loader bounds the sets, so only a direct user gets here
        NS_LOG_WARN("policy set too large for one message; version " << m.version << " not sent");
        return;
    }
    m_version = m.version;
    m_message = std::move(bytes);
    ++m_counters.versions;
    for (size_t r = 0; r < m_receivers.size(); ++r)
    {
        Receiver& rc = m_receivers[r];
        rc.timer.Cancel();
        if (rc.delivery != SIZE_MAX && m_deliveries[rc.delivery].acked.IsNegative() &&
            !m_deliveries[rc.delivery].gaveUp)
        {
            m_deliveries[rc.delivery].superseded = true;
        }
        DyscoPolicyDelivery d;
        d.agent = rc.address;
        d.version = m_version;
        d.sent = Simulator::Now();
        m_deliveries.push_back(d);
        rc.delivery = m_deliveries.size() - 1;
        Transmit(r);
    }
}

void
DyscoPolicyServer::Transmit(size_t r)
{
    Receiver& rc = m_receivers[r];
    DyscoPolicyDelivery& d = m_deliveries[rc.delivery];
    m_socket->SendTo(Create<Packet>(m_message.data(), m_message.size()), 0,
                     InetSocketAddress(Ipv4Address(rc.address), dysco::kPolicyPort));
    ++m_counters.sent;
    m_counters.retransmissions += d.transmissions > 0;
    const Time rto = m_rto * int64_t(1u << std::min<uint32_t>(d.transmissions, 20));
    ++d.transmissions;
    rc.timer = Simulator::Schedule(rto, &DyscoPolicyServer::OnTimeout, this, r);
}

void
DyscoPolicyServer::OnTimeout(size_t r)
{
    DyscoPolicyDelivery& d = m_deliveries[m_receivers[r].delivery];
    if (d.transmissions > m_retries)
    {
        d.gaveUp = true;
        ++m_counters.giveUps;
        NS_LOG_WARN("policy version " << d.version << " to " << Ipv4Address(d.agent)
                                      << " unacked after " << d.transmissions << " transmissions");
        return;
    }
    Transmit(r);
}

void
DyscoPolicyServer::HandleRead(Ptr<Socket> socket)
{
    Address from;
    while (Ptr<Packet> p = socket->RecvFrom(from))
    {
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        dysco::PolicyMessage m;
        if (dysco::DecodePolicyMessage(bytes.data(), bytes.size(), &m) !=
                dysco::PolicyDecodeError::kNone ||
            m.type != dysco::PolicyMessageType::kAck || !InetSocketAddress::IsMatchingType(from))
        {
            ++m_counters.malformed;
            continue;
        }
        const uint32_t agent = InetSocketAddress::ConvertFrom(from).GetIpv4().Get();
        auto it = std::find_if(m_receivers.begin(), m_receivers.end(),
                               [&](const Receiver& r) { return r.address == agent; });
        if (it == m_receivers.end() || it->delivery == SIZE_MAX)
        {
            ++m_counters.malformed;
            continue;
        }
        DyscoPolicyDelivery& d = m_deliveries[it->delivery];
        if (m.version != d.version || !d.acked.IsNegative())
        {
            ++m_counters.staleAcks;
            continue;
        }
        d.acked = Simulator::Now();
        ++m_counters.acks;
        it->timer.Cancel();
    }
}

void
DyscoPolicyServer::OnAssign(uint32_t agent, const dysco::FiveTuple& session,
                            const std::string& policy, uint32_t version,
                            const std::vector<uint32_t>& chain)
{
    DyscoPolicyAssignment a;
    a.session = session;
    a.policy = policy;
    a.version = version;
    a.firstAgent = agent;
    a.chain = chain;
    for (uint32_t instance : chain)
    {
        Load(instance, +1);
    }
    m_assignments.push_back(a);
    m_bySession[session] = m_assignments.size() - 1;
    Log("assign", m_assignments.size() - 1);
}

uint32_t
DyscoPolicyServer::Pick(const std::string& name, uint32_t avoid)
{
    auto it = m_types.find(name);
    if (it == m_types.end())
    {
        return 0;
    }
    Type& type = it->second;
    const size_t n = type.instances.size();
    Instance* best = nullptr;
    for (size_t k = 0; k < n; ++k)
    {
        const size_t i = m_strategy == ROUND_ROBIN ? (type.next + k) % n : k;
        Instance& cand = type.instances[i];
        if (cand.drained || cand.address == avoid)
        {
            continue;
        }
        if (m_strategy == ROUND_ROBIN)
        {
            type.next = (i + 1) % n;
            return cand.address;
        }
        if (best == nullptr || cand.load < best->load)
        {
            best = &cand;
        }
    }
    return best != nullptr ? best->address : 0;
}

DyscoPolicyServer::Instance*
DyscoPolicyServer::Find(uint32_t address, std::string* typeName)
{
    for (auto& [name, type] : m_types)
    {
        for (auto& i : type.instances)
        {
            if (i.address == address)
            {
                if (typeName != nullptr)
                {
                    *typeName = name;
                }
                return &i;
            }
        }
    }
    return nullptr;
}

void
DyscoPolicyServer::Load(uint32_t address, int delta)
{
    if (Instance* i = Find(address))
    {
        i->load = uint32_t(int64_t(i->load) + delta);
    }
}

Ptr<DyscoAgent>
DyscoPolicyServer::AgentAt(uint32_t address)
{
    for (auto& agent : m_agents)
    {
        if (agent->GetAddress().Get() == address)
        {
            return agent;
        }
    }
    return nullptr;
}

bool
DyscoPolicyServer::Live(const DyscoPolicyAssignment& a)
{
    if (a.closed)
    {
        return false;
    }
    Ptr<DyscoAgent> first = AgentAt(a.firstAgent);
    const dysco::Session* s = first ? first->GetCore().FindSession(a.session) : nullptr;
    return s != nullptr && !s->Closed();
}

void
DyscoPolicyServer::Fire(size_t t)
{
    const DyscoPolicyTrigger& trig = m_triggers[t];
    std::string drainedType;
    if (trig.action == DyscoPolicyTrigger::REPLACE)
    {
        if (Instance* i = Find(trig.drain, &drainedType))
        {
            i->drained = true; // before picking: new sessions avoid it from now on
        }
        Publish(); // agents learn the instance is gone
    }
    else if (trig.action == DyscoPolicyTrigger::UPDATE)
    {
        m_policies = trig.policies;
        Publish();
        return; // live sessions keep their chains
    }
    for (size_t k = 0; k < m_assignments.size(); ++k)
    {
        DyscoPolicyAssignment& a = m_assignments[k];
        if (!trig.predicate.Matches(a.session) || !Live(a))
        {
            continue;
        }
        // hops: the first agent, the chain, the server
        std::vector<uint32_t> hops{a.firstAgent};
        hops.insert(hops.end(), a.chain.begin(), a.chain.end());
        hops.push_back(a.session.dstIp);
        DyscoPolicyAction act;
        act.trigger = t;
        act.session = a.session;
        const char* event = nullptr;
        if (trig.action == DyscoPolicyTrigger::INSERT)
        {
            const uint32_t instance = Pick(trig.type, 0);
            if (instance == 0)
            {
                continue;
            }
            const size_t at = std::min(trig.position, a.chain.size());
            act.leftAnchor = hops[at];
            act.rightAnchor = hops[at + 1];
            act.middleboxes = {instance};
            a.chain.insert(a.chain.begin() + at, instance);
            Load(instance, +1);
            event = "insert";
        }
        else if (trig.action == DyscoPolicyTrigger::REPLACE)
        {
            auto it = std::find(a.chain.begin(), a.chain.end(), trig.drain);
            const uint32_t instance = it == a.chain.end() ? 0 : Pick(drainedType, trig.drain);
            if (instance == 0)
            {
                continue;
            }
            const size_t at = size_t(it - a.chain.begin());
            act.leftAnchor = hops[at];
            act.rightAnchor = hops[at + 2];
            act.middleboxes = {instance};
            *it = instance;
            Load(trig.drain, -1);
            Load(instance, +1);
            event = "replace";
        }
        else
        {
            std::string type;
            auto it = std::find_if(a.chain.begin(), a.chain.end(),
                                   [&](uint32_t i)
                                   { return Find(i, &type) != nullptr && type == trig.type; });
            if (it == a.chain.end())
            {
                continue;
            }
            act.deleteNode = *it;
            Load(*it, -1);
            a.chain.erase(it);
            event = "delete";
        }
        Log(event, k);
        Act(act);
    }
}

void
DyscoPolicyServer::Act(const DyscoPolicyAction& act)
{
    if (m_sink)
    {
        m_sink(act);
        return;
    }
    if (act.deleteNode != 0)
    {
        Ptr<DyscoAgent> mb = AgentAt(act.deleteNode);
        const dysco::Session* s = mb ? mb->GetCore().FindSession(act.session) : nullptr;
        if (s != nullptr)
        {
            mb->RequestDeletion(s->leftSession);
        }
        return;
    }
    Ptr<DyscoAgent> left = AgentAt(act.leftAnchor);
    const dysco::Session* s = left ? left->GetCore().FindSession(act.session) : nullptr;
    if (s == nullptr)
    {
        return;
    }
    std::vector<Ipv4Address> path;
    for (uint32_t m : act.middleboxes)
    {
        path.emplace_back(m);
    }
    left->Reconfigure(s->rightSession, Ipv4Address(act.rightAnchor), path);
}

void
DyscoPolicyServer::Log(const char* event, size_t assignment)
{
    m_log.push_back({Simulator::Now(), event, assignment, m_assignments[assignment].chain});
}

void
DyscoPolicyServer::OnAgentEvent(const dysco::AgentEvent& e)
{
    if (e.kind != dysco::AgentEventKind::kSessionClosed)
    {
        return;
    }
    auto it = m_bySession.find(e.session);
    if (it == m_bySession.end() || m_assignments[it->second].closed)
    {
        return;
    }
    DyscoPolicyAssignment& a = m_assignments[it->second];
    a.closed = true;
    for (uint32_t i : a.chain)
    {
        Load(i, -1);
    }
    Log("close", it->second);
}

} // namespace ns3
