#include "dysco-policy-server.h"

#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

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
                          "From the application's start until the agents hold the policies.",
                          TimeValue(MilliSeconds(1)), MakeTimeAccessor(&DyscoPolicyServer::m_delay),
                          MakeTimeChecker());
    return tid;
}

DyscoPolicyServer::DyscoPolicyServer() = default;

void
DyscoPolicyServer::AddAgent(Ptr<DyscoAgent> agent, bool first)
{
    m_agents.push_back(agent);
    m_first.push_back(first);
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
    m_events.push_back(Simulator::Schedule(m_delay, &DyscoPolicyServer::Distribute, this));
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
}

void
DyscoPolicyServer::DoDispose()
{
    m_agents.clear();
    m_sink = nullptr;
    Application::DoDispose();
}

void
DyscoPolicyServer::Distribute()
{
    for (size_t a = 0; a < m_agents.size(); ++a)
    {
        if (!m_first[a])
        {
            continue;
        }
        Ptr<DyscoAgent> agent = m_agents[a];
        const uint32_t address = agent->GetAddress().Get();
        for (size_t p = 0; p < m_policies.size(); ++p)
        {
            dysco::Policy policy;
            policy.name = m_policies[p].name;
            policy.predicate = m_policies[p].predicate;
            policy.choose = [this, p, address](const dysco::FiveTuple& t)
            { return Choose(p, address, t); };
            agent->AddPolicy(policy);
        }
    }
}

std::vector<uint32_t>
DyscoPolicyServer::Choose(size_t policy, uint32_t agent, const dysco::FiveTuple& session)
{
    DyscoPolicyAssignment a;
    a.session = session;
    a.policy = policy;
    a.firstAgent = agent;
    for (const auto& type : m_policies[policy].types)
    {
        const uint32_t instance = Pick(type, 0);
        if (instance == 0)
        {
            NS_LOG_WARN("no instance of type " << type << " left; the chain skips it");
            continue;
        }
        a.chain.push_back(instance);
        Load(instance, +1);
    }
    m_assignments.push_back(a);
    m_bySession[session] = m_assignments.size() - 1;
    Log("assign", m_assignments.size() - 1);
    return a.chain;
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
