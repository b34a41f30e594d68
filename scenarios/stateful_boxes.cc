#include "stateful_boxes.h"

#include "ns3/boolean.h"
#include "ns3/dysco-cgnat.h"
#include "ns3/dysco-firewall.h"
#include "ns3/uinteger.h"
#include "reorder_counter.h"
#include "run_context.h"

namespace dyscosim
{

using namespace ns3;

namespace
{
dysco::Prefix
Resolve(const PrefixSpec& p, const AddressPlan& plan)
{
    if (p.node)
    {
        return dysco::Prefix{plan.FirstAddress(*p.node), 32};
    }
    return dysco::Prefix{p.address, p.length};
}

double
Sec(Time t)
{
    return t.IsNegative() ? -1 : t.GetSeconds();
}
} // namespace

Ptr<DyscoStatefulMiddlebox>
MakeStatefulBox(const Scenario& s, size_t node, const AddressPlan& plan)
{
    const NodeSpec& n = s.nodes[node];
    const StatefulSpec& st = n.stateful;
    if (n.middlebox == MiddleboxKind::kFirewall)
    {
        Ptr<DyscoFirewall> fw = CreateObject<DyscoFirewall>();
        fw->SetDefaultAllow(st.defaultAllow);
        for (const auto& r : st.rules)
        {
            DyscoFirewallRule rule;
            rule.allow = r.allow;
            rule.match.src = Resolve(r.src, plan);
            rule.match.dst = Resolve(r.dst, plan);
            rule.match.srcPorts = dysco::PortRange{r.srcPorts.low, r.srcPorts.high};
            rule.match.dstPorts = dysco::PortRange{r.dstPorts.low, r.dstPorts.high};
            fw->AddRule(rule);
        }
        return fw;
    }
    Ptr<DyscoNat> nat;
    if (n.middlebox == MiddleboxKind::kCgnat)
    {
        nat = CreateObject<DyscoCgnat>();
    }
    else
    {
        nat = CreateObject<DyscoNat>();
    }
    nat->SetAttribute("FirstPort", UintegerValue(st.ports.low));
    nat->SetAttribute("LastPort", UintegerValue(st.ports.high));
    nat->SetInside(Resolve(st.inside, plan));
    std::vector<uint32_t> outside;
    for (const auto& p : st.outside)
    {
        outside.push_back(Resolve(p, plan).address);
    }
    if (Ptr<DyscoCgnat> cg = DynamicCast<DyscoCgnat>(nat))
    {
        cg->SetAttribute("BlockSize", UintegerValue(st.blockSize));
        if (outside.empty())
        {
            outside.push_back(plan.FirstAddress(node));
        }
        for (uint32_t a : outside)
        {
            cg->AddOutsideAddress(Ipv4Address(a));
        }
        return cg;
    }
    if (!outside.empty())
    {
        nat->SetExternalAddress(Ipv4Address(outside.front()));
    }
    return nat;
}

std::map<std::string, uint64_t>
StatefulCounters(Ptr<DyscoStatefulMiddlebox> box)
{
    if (Ptr<DyscoFirewall> fw = DynamicCast<DyscoFirewall>(box))
    {
        return {{"connections", fw->GetConnCount()},
                {"allowed", fw->GetAllowedCount()},
                {"denied", fw->GetDeniedCount()},
                {"dropped_no_state", fw->GetNoStateCount()},
                {"imported", fw->GetImportedCount()}};
    }
    Ptr<DyscoNat> nat = DynamicCast<DyscoNat>(box);
    std::map<std::string, uint64_t> c = {{"flows", nat->GetFlowCount()},
                                         {"translated", nat->GetTranslatedCount()},
                                         {"exhausted", nat->GetExhaustedCount()},
                                         {"imported", nat->GetImportedCount()}};
    if (Ptr<DyscoCgnat> cg = DynamicCast<DyscoCgnat>(box))
    {
        c["subscribers"] = cg->GetSubscriberCount();
    }
    return c;
}

void
CollectMigrations(RunContext& ctx, const ReorderCounter& reorder, RunResult* r)
{
    if (!ctx.migration)
    {
        return;
    }
    for (const auto& rec : ctx.migration->GetRecords())
    {
        MigrationResult m;
        m.id = rec.id;
        m.streamId = ctx.StreamOf(rec.session);
        auto tag = ctx.migrationTags.find(rec.id);
        if (tag != ctx.migrationTags.end())
        {
            m.entry = int(tag->second.entry);
            m.from = ctx.scenario.nodes[tag->second.from].name;
            m.to = ctx.scenario.nodes[tag->second.to].name;
        }
        m.mode = rec.mode == DyscoMigrationRequest::BUFFERED ? "buffered" : "unbuffered";
        m.outcome = rec.outcome;
        m.error = rec.error;
        m.triggerS = Sec(rec.trigger);
        m.reconfiguredS = Sec(rec.reconfigured);
        m.newPathUpS = Sec(rec.newPathUp);
        m.exportedS = Sec(rec.exported);
        m.installedS = Sec(rec.installed);
        m.endedS = Sec(rec.ended);
        m.stateBytes = rec.stateBytes;
        m.reordered = reorder.Reordered(m.streamId);
        const double until = m.endedS >= 0 ? m.endedS : r->simTimeS;
        m.maxGapMs = reorder.MaxGapMs(m.streamId, m.triggerS, until);
        r->migrations.push_back(m);
    }
}

} // namespace dyscosim
