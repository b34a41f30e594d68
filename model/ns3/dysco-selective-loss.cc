#include "dysco-selective-loss.h"

#include "core/bytes.h"
#include "core/control.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoSelectiveLoss");
NS_OBJECT_ENSURE_REGISTERED(DyscoSelectiveLoss);

TypeId
DyscoSelectiveLoss::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DyscoSelectiveLoss")
                            .SetParent<ErrorModel>()
                            .SetGroupName("Dysco")
                            .AddConstructor<DyscoSelectiveLoss>();
    return tid;
}

DyscoSelectiveLoss::DyscoSelectiveLoss() = default;

void
DyscoSelectiveLoss::AddRule(const Rule& rule, int64_t stream)
{
    ActiveRule r;
    r.rule = rule;
    r.rng = CreateObject<UniformRandomVariable>();
    r.rng->SetStream(stream);
    m_rules.push_back(r);
}

uint32_t
DyscoSelectiveLoss::Classify(Ptr<const Packet> p) const
{
    uint32_t kinds = 1u << ALL;
    uint8_t b[128];
    const uint32_t n = p->CopyData(b, sizeof(b));
    const uint32_t ip = m_linkHeader;
    if (n < ip + 20 || (b[ip] >> 4) != 4)
    {
        return kinds;
    }
    const uint32_t ihl = uint32_t(b[ip] & 0x0f) * 4;
    const uint32_t l4 = ip + ihl;
    const uint32_t total = dysco::Load16(b + ip + 2);
    if (b[ip + 9] == dysco::kProtoUdp && n >= l4 + 4 &&
        dysco::Load16(b + l4 + 2) == dysco::kControlPort)
    {
        kinds |= 1u << CONTROL;
    }
    if (b[ip + 9] == dysco::kProtoTcp && n >= l4 + 13)
    {
        const uint32_t tcpHeader = uint32_t(b[l4 + 12] >> 4) * 4;
        if (total > ihl + tcpHeader)
        {
            kinds |= 1u << DATA;
        }
    }
    return kinds;
}

bool
DyscoSelectiveLoss::DoCorrupt(Ptr<Packet> p)
{
    const Time now = Simulator::Now();
    uint32_t kinds = 0;
    bool classified = false;
    for (auto& r : m_rules)
    {
        if (now < r.rule.from || (!r.rule.until.IsNegative() && now >= r.rule.until) ||
            (r.rule.gate && !r.rule.gate()))
        {
            continue;
        }
        if (!classified)
        {
            kinds = Classify(p);
            classified = true;
        }
        if (!(kinds & (1u << r.rule.target)))
        {
            continue;
        }
        ++m_examined[r.rule.target];
        // Each rule draws from its own random stream (seeded per run).
        if (r.rng->GetValue() < r.rule.rate)
        {
            ++m_dropped[r.rule.target];
            NS_LOG_LOGIC("dropped a frame (target " << r.rule.target << ")");
            return true;
        }
    }
    return false;
}

} // namespace ns3
