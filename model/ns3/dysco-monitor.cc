#include "dysco-monitor.h"

#include "core/packet.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoMonitor");
NS_OBJECT_ENSURE_REGISTERED(DyscoMonitor);

namespace
{
/// One key per session: the orientation whose (address, port) pair sorts first.
dysco::FiveTuple
Normalized(const dysco::FiveTuple& t)
{
    bool swap = t.srcIp > t.dstIp || (t.srcIp == t.dstIp && t.srcPort > t.dstPort);
    return swap ? t.Reversed() : t;
}
} // namespace

TypeId
DyscoMonitor::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DyscoMonitor")
                            .SetParent<DyscoMiddlebox>()
                            .SetGroupName("Dysco")
                            .AddConstructor<DyscoMonitor>()
                            .AddTraceSource("Count", "A TCP packet of a session was counted",
                                            MakeTraceSourceAccessor(&DyscoMonitor::m_countTrace),
                                            "ns3::DyscoMonitor::CountTracedCallback");
    return tid;
}

DyscoMonitor::DyscoMonitor() = default;

bool
DyscoMonitor::Process(std::vector<uint8_t>& packet, Ptr<NetDevice> /* inDevice */)
{
    auto v = ParseTcp(packet);
    if (!v)
    {
        return true; // a monitor never drops; it only counts TCP
    }
    const dysco::FiveTuple t = v->Tuple();
    auto it = m_stats.find(Normalized(t));
    if (it == m_stats.end())
    {
        DyscoMonitorStats s;
        s.session = t;
        s.firstSeen = Simulator::Now();
        it = m_stats.emplace(Normalized(t), s).first;
    }
    DyscoMonitorStats& s = it->second;
    const bool forward = t == s.session;
    const uint32_t bytes = static_cast<uint32_t>(v->PayloadLength());
    (forward ? s.packetsForward : s.packetsReverse)++;
    (forward ? s.bytesForward : s.bytesReverse) += bytes;
    s.lastSeen = Simulator::Now();
    m_countTrace(s.session, forward, bytes);
    return true;
}

bool
DyscoMonitor::GetStats(const dysco::FiveTuple& t, DyscoMonitorStats* out) const
{
    auto it = m_stats.find(Normalized(t));
    if (it == m_stats.end())
    {
        return false;
    }
    *out = it->second;
    return true;
}

std::vector<DyscoMonitorStats>
DyscoMonitor::GetAllStats() const
{
    std::vector<DyscoMonitorStats> all;
    all.reserve(m_stats.size());
    for (const auto& kv : m_stats)
    {
        all.push_back(kv.second);
    }
    return all;
}

} // namespace ns3
