#include "dysco-box-cpu.h"

#include "core/checksum.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

namespace
{
constexpr uint8_t kEcnMask = 0x03;
constexpr uint8_t kEcnCe = 0x03;

/// Sets CE on an ECN-capable (ECT(0) or ECT(1)) IPv4 packet; false if it is not capable.
bool
MarkCe(std::vector<uint8_t>& ip)
{
    const uint8_t ecn = ip[1] & kEcnMask;
    if (ecn == 0)
    {
        return false;
    }
    if (ecn != kEcnCe)
    {
        const uint16_t oldWord = uint16_t(ip[0] << 8 | ip[1]);
        ip[1] |= kEcnCe;
        const uint16_t newWord = uint16_t(ip[0] << 8 | ip[1]);
        const uint16_t check = uint16_t(ip[10] << 8 | ip[11]);
        const uint16_t updated = dysco::ChecksumUpdate16(check, oldWord, newWord);
        ip[10] = uint8_t(updated >> 8);
        ip[11] = uint8_t(updated);
    }
    return true;
}
} // namespace

Time
DyscoBoxCpu::Admit(std::vector<uint8_t>& packet, uint32_t ipBytes)
{
    const bool ipv4 = packet.size() >= 20 && (packet[0] >> 4) == 4;
    if (m_waiting >= m_config.queue)
    {
        ++m_dropped;
        return Time(-1);
    }
    if (ipv4 && m_config.ecnAt > 0 && m_waiting >= m_config.ecnAt && MarkCe(packet))
    {
        ++m_marked;
    }
    const Time now = Simulator::Now();
    const Time cost =
        m_config.rate.GetBitRate() > 0 ? m_config.rate.CalculateBytesTxTime(ipBytes) : Time(0);
    m_freeAt = std::max(m_freeAt, now) + cost;
    m_busy += cost;
    ++m_waiting;
    ++m_served;
    m_peak = std::max(m_peak, m_waiting);
    return m_freeAt - now;
}

} // namespace ns3
