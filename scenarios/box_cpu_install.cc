#include "box_cpu_install.h"

#include "ns3/dysco-traffic-control-layer.h"

namespace dyscosim
{

using namespace ns3;

void
InstallBoxCpus(const Scenario& s, const NodeContainer& nodes)
{
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        const auto& spec = s.nodes[i].cpu;
        Ptr<DyscoTrafficControlLayer> tc;
        if (spec && (tc = nodes.Get(uint32_t(i))->GetObject<DyscoTrafficControlLayer>()))
        {
            tc->SetCpu(Create<DyscoBoxCpu>(
                DyscoBoxCpu::Config{DataRate(spec->rateBps), spec->queue, spec->ecnAt}));
        }
    }
}

void
CollectBoxCpus(const Scenario& s, const NodeContainer& nodes, RunResult* r)
{
    for (size_t i = 0; i < s.nodes.size(); ++i)
    {
        Ptr<DyscoTrafficControlLayer> tc =
            nodes.Get(uint32_t(i))->GetObject<DyscoTrafficControlLayer>();
        Ptr<DyscoBoxCpu> cpu = tc ? tc->GetCpu() : nullptr;
        if (!cpu)
        {
            continue;
        }
        MiddleboxResult* m = nullptr;
        for (auto& e : r->middleboxes)
        {
            m = e.node == s.nodes[i].name ? &e : m;
        }
        if (!m)
        {
            r->middleboxes.push_back({s.nodes[i].name, ToString(s.nodes[i].middlebox), {}});
            m = &r->middleboxes.back();
        }
        m->counters["cpu_served"] = cpu->GetServed();
        m->counters["cpu_ecn_marked"] = cpu->GetMarked();
        m->counters["cpu_dropped"] = cpu->GetDropped();
        m->counters["cpu_peak_queue"] = cpu->GetPeakQueue();
        m->counters["cpu_busy_ms"] = uint64_t(cpu->GetBusy().GetMilliSeconds());
    }
}

} // namespace dyscosim
