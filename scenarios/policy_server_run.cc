#include "policy_server_run.h"

#include "address_plan.h"
#include "ns3/dysco-monitor.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"
#include "policy_server_spec.h"

#include <algorithm>
#include <sstream>

namespace dyscosim
{

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("DyscosimPolicyServer");

PolicyServerRun::PolicyServerRun(RunContext& ctx, ReconfigDriver& driver)
    : m_ctx(ctx)
    , m_driver(driver)
{
}

void
PolicyServerRun::Install()
{
    const Scenario& s = m_ctx.scenario;
    if (!s.policyServer)
    {
        return;
    }
    const PolicyServerSpec& spec = *s.policyServer;
    m_server = CreateObject<DyscoPolicyServer>();
    m_server->SetAttribute("Strategy",
                           EnumValue(spec.leastLoaded ? DyscoPolicyServer::LEAST_LOADED
                                                      : DyscoPolicyServer::ROUND_ROBIN));
    m_server->SetAttribute("DistributionDelay", TimeValue(Seconds(spec.distributionDelayS)));
    m_server->SetAttribute("Rto", TimeValue(Seconds(spec.rtoS)));
    m_server->SetAttribute("Retries", UintegerValue(spec.retries));
    for (size_t n = 0; n < s.nodes.size(); ++n)
    {
        Ptr<DyscoPolicyClient> client;
        if (s.nodes[n].role == NodeRole::kHost && n != spec.node)
        {
            client = CreateObject<DyscoPolicyClient>();
            client->SetAgent(m_ctx.Agent(n));
            m_ctx.nodes.Get(uint32_t(n))->AddApplication(client);
            client->SetStartTime(Seconds(0));
            m_clients.emplace_back(n, client);
        }
        m_server->AddAgent(m_ctx.Agent(n), client);
    }
    for (const auto& [type, nodes] : spec.instances)
    {
        for (size_t n : nodes)
        {
            m_server->AddInstance(type, Ipv4Address(m_ctx.AgentAddress(n)));
        }
    }
    for (const auto& p : spec.policies)
    {
        m_server->AddPolicy(Resolve(p));
    }
    for (const auto& t : spec.triggers)
    {
        DyscoPolicyTrigger trig;
        trig.action = t.action == PolicyTriggerAction::kInsert    ? DyscoPolicyTrigger::INSERT
                      : t.action == PolicyTriggerAction::kReplace ? DyscoPolicyTrigger::REPLACE
                      : t.action == PolicyTriggerAction::kUpdate  ? DyscoPolicyTrigger::UPDATE
                                                                  : DyscoPolicyTrigger::DELETE;
        for (const auto& p : t.policies)
        {
            trig.policies.push_back(Resolve(p));
        }
        trig.at = Seconds(t.atS);
        trig.predicate = ResolvePredicate(t.match, m_ctx.plan);
        trig.type = t.type;
        trig.position = t.position.value_or(SIZE_MAX);
        trig.drain = t.action == PolicyTriggerAction::kReplace ? m_ctx.AgentAddress(t.instance) : 0;
        m_server->AddTrigger(trig);
    }
    m_server->SetActionSink([this](const DyscoPolicyAction& a) { Act(a); });
    m_ctx.nodes.Get(uint32_t(spec.node))->AddApplication(m_server);
    m_server->SetStartTime(Seconds(0));
}

DyscoTypePolicy
PolicyServerRun::Resolve(const TypePolicySpec& p) const
{
    return {p.name, ResolvePredicate(p.match, m_ctx.plan), p.types};
}

void
PolicyServerRun::Act(const DyscoPolicyAction& a)
{
    const uint64_t stream = m_ctx.StreamOf(a.session);
    ReconfigSpec spec;
    bool known = stream != 0;
    auto node = [&](uint32_t address)
    {
        auto n = m_ctx.NodeOf(address);
        known = known && n.has_value();
        return n.value_or(0);
    };
    if (a.deleteNode != 0)
    {
        spec.deleteNode = node(a.deleteNode);
    }
    else
    {
        spec.leftAnchor = node(a.leftAnchor);
        spec.rightAnchor = node(a.rightAnchor);
        for (uint32_t m : a.middleboxes)
        {
            spec.middleboxes.push_back(node(m));
        }
    }
    if (!known)
    {
        NS_LOG_WARN("policy server: a session or node it names is not in the scenario");
        return;
    }
    spec.atS = Simulator::Now().GetSeconds();
    m_driver.Ask(spec, stream);
}

std::string
PolicyServerRun::Chain(const std::vector<uint32_t>& chain) const
{
    std::string out;
    for (uint32_t a : chain)
    {
        out += (out.empty() ? "" : ";") + m_ctx.NameOf(a);
    }
    return out;
}

void
PolicyServerRun::Collect(RunResult* r)
{
    if (!m_server)
    {
        return;
    }
    const PolicyServerSpec& spec = *m_ctx.scenario.policyServer;
    const auto& assignments = m_server->GetAssignments();
    std::ostringstream log;
    log << "time_s,event,stream,policy,version,chain\n";
    std::map<uint32_t, uint64_t> assigned;
    for (const auto& e : m_server->GetLog())
    {
        const DyscoPolicyAssignment& a = assignments[e.assignment];
        log << e.at.GetSeconds() << "," << e.event << "," << m_ctx.StreamOf(a.session) << ","
            << a.policy << "," << a.version << "," << Chain(e.chain) << "\n";
        if (e.event == "assign")
        {
            for (uint32_t i : e.chain)
            {
                ++assigned[i];
            }
        }
    }
    std::ostringstream inst;
    inst << "type,instance,assigned,load,drained,last_packet_s\n";
    for (const auto& [type, nodes] : spec.instances)
    {
        for (size_t n : nodes)
        {
            const uint32_t address = m_ctx.AgentAddress(n);
            bool drained = false;
            for (const auto& t : spec.triggers)
            {
                drained |= t.action == PolicyTriggerAction::kReplace && t.instance == n;
            }
            inst << type << "," << m_ctx.scenario.nodes[n].name << "," << assigned[address] << ","
                 << m_server->GetLoad(address) << "," << (drained ? 1 : 0) << ",";
            Ptr<DyscoMonitor> monitor = DynamicCast<DyscoMonitor>(m_ctx.Agent(n)->GetMiddlebox());
            if (monitor)
            {
                Time last(0);
                for (const auto& st : monitor->GetAllStats())
                {
                    last = std::max(last, st.lastSeen);
                }
                inst << last.GetSeconds();
            }
            inst << "\n";
        }
    }
    r->extraCsv["policy_server.csv"] = log.str();
    r->extraCsv["policy_instances.csv"] = inst.str();
    CollectDistribution(r);
}

void
PolicyServerRun::CollectDistribution(RunResult* r)
{
    std::ostringstream csv;
    csv << "agent,version,sent_s,transmissions,acked_s,gave_up,superseded,applied_s\n";
    for (const auto& d : m_server->GetDeliveries())
    {
        csv << m_ctx.NameOf(d.agent) << "," << d.version << "," << d.sent.GetSeconds() << ","
            << d.transmissions << ",";
        if (!d.acked.IsNegative())
        {
            csv << d.acked.GetSeconds();
        }
        csv << "," << (d.gaveUp ? 1 : 0) << "," << (d.superseded ? 1 : 0) << ",";
        for (const auto& [node, client] : m_clients)
        {
            for (const auto& a : client->GetApplied())
            {
                if (m_ctx.AgentAddress(node) == d.agent && a.version == d.version)
                {
                    csv << a.at.GetSeconds();
                }
            }
        }
        csv << "\n";
    }
    r->extraCsv["policy_distribution.csv"] = csv.str();

    const DyscoPolicyServerCounters& c = m_server->GetCounters();
    MiddleboxResult m;
    m.node = m_ctx.scenario.nodes[m_ctx.scenario.policyServer->node].name;
    m.kind = "policy_server";
    m.counters = {{"versions", c.versions},
                  {"messages_sent", c.sent},
                  {"retransmissions", c.retransmissions},
                  {"acks", c.acks},
                  {"stale_acks", c.staleAcks},
                  {"malformed_dropped", c.malformed},
                  {"give_ups", c.giveUps},
                  {"agents", m_clients.size()}};
    uint64_t latest = 0;
    for (const auto& [node, client] : m_clients)
    {
        latest += client->GetVersion() == m_server->GetVersion();
        m.counters["agent_malformed_dropped"] += client->GetMalformed();
        m.counters["agent_duplicates"] += client->GetDuplicates();
        m.counters["agent_stale"] += client->GetStale();
    }
    m.counters["agents_on_latest"] = latest;
    r->middleboxes.push_back(m);
}

} // namespace dyscosim
