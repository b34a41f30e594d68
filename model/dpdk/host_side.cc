#include "host_side.h"

#include <rte_mbuf.h>

namespace dysco::dpdk
{

namespace
{
constexpr size_t kMaxHeld = 256;
constexpr uint64_t kArpRetryNs = 100'000'000; ///< between requests for the host's MAC
constexpr uint64_t kHoldNs = 3'000'000'000;   ///< held packets go after this without an answer
} // namespace

HostSide::HostSide(Port& port, rte_mempool* pool, uint32_t hostAddress,
                   std::optional<MacAddress> hostMac)
    : m_port(port)
    , m_pool(pool)
    , m_hostAddress(hostAddress)
    , m_routerMac{0x02,
                  0xd5,
                  uint8_t(hostAddress >> 24),
                  uint8_t(hostAddress >> 16),
                  uint8_t(hostAddress >> 8),
                  uint8_t(hostAddress)}
    , m_hostMac(hostMac)
    , m_static(hostMac.has_value())
{
}

HostSide::~HostSide()
{
    for (rte_mbuf* m : m_held)
    {
        rte_pktmbuf_free(m);
    }
}

void
HostSide::OnArp(rte_mbuf* frame, uint64_t nowNs)
{
    Arp arp;
    const bool ok =
        ParseArp(rte_pktmbuf_mtod(frame, const uint8_t*), rte_pktmbuf_data_len(frame), &arp);
    rte_pktmbuf_free(frame);
    if (!ok)
    {
        ++m_counters.arpIgnored;
        return;
    }
    if (arp.senderIp == m_hostAddress && !m_static)
    {
        SetHostMac(arp.senderMac);
    }
    // Requests for the host's own address (gratuitous ARP), and probes (sender 0.0.0.0,
    // address conflict detection) are not answered: the host would see a conflict.
    if (arp.op != ArpOp::kRequest || arp.targetIp == m_hostAddress || arp.senderIp == 0)
    {
        ++m_counters.arpIgnored;
        return;
    }
    Arp reply;
    reply.op = ArpOp::kReply;
    reply.senderMac = m_routerMac;
    reply.senderIp = arp.targetIp;
    reply.targetMac = arp.senderMac;
    reply.targetIp = arp.senderIp;
    SendArp(arp.senderMac, reply);
    ++m_counters.arpAnswered;
    (void)nowNs;
}

void
HostSide::SendArp(const MacAddress& dst, const Arp& arp)
{
    rte_mbuf* m = rte_pktmbuf_alloc(m_pool);
    if (m == nullptr)
    {
        return;
    }
    uint8_t* p = reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, kArpFrame));
    WriteArp(p, dst, m_routerMac, arp);
    m_port.Send(&m, 1);
}

void
HostSide::SetHostMac(const MacAddress& mac)
{
    m_hostMac = mac;
    while (!m_held.empty())
    {
        rte_mbuf* batch[32];
        uint16_t n = 0;
        while (n < 32 && !m_held.empty())
        {
            batch[n++] = m_held.front();
            m_held.pop_front();
        }
        Send(batch, n, 0);
    }
}

void
HostSide::Send(rte_mbuf** frames, uint16_t n, uint64_t nowNs)
{
    if (n == 0)
    {
        return;
    }
    if (!m_hostMac)
    {
        for (uint16_t i = 0; i < n; ++i)
        {
            Hold(frames[i], nowNs);
        }
        RequestMac(nowNs);
        return;
    }
    for (uint16_t i = 0; i < n; ++i)
    {
        WriteEthHeader(rte_pktmbuf_mtod(frames[i], uint8_t*), *m_hostMac, m_routerMac, kEtherIpv4);
    }
    m_port.Send(frames, n);
}

void
HostSide::Hold(rte_mbuf* frame, uint64_t nowNs)
{
    if (m_held.size() >= kMaxHeld)
    {
        ++m_counters.heldDropped;
        rte_pktmbuf_free(frame);
        return;
    }
    if (m_held.empty())
    {
        m_heldSinceNs = nowNs;
    }
    m_held.push_back(frame);
    ++m_counters.held;
}

void
HostSide::RequestMac(uint64_t nowNs)
{
    if (m_requested && nowNs - m_lastRequestNs < kArpRetryNs)
    {
        return;
    }
    m_requested = true;
    m_lastRequestNs = nowNs;
    Arp req;
    req.op = ArpOp::kRequest;
    req.senderMac = m_routerMac;
    req.senderIp = 0; // a probe: the host answers without learning an address from it
    req.targetIp = m_hostAddress;
    SendArp(kBroadcastMac, req);
    ++m_counters.arpRequested;
}

void
HostSide::OnTime(uint64_t nowNs)
{
    if (m_held.empty())
    {
        return;
    }
    if (nowNs - m_heldSinceNs >= kHoldNs)
    {
        m_counters.heldDropped += m_held.size();
        for (rte_mbuf* m : m_held)
        {
            rte_pktmbuf_free(m);
        }
        m_held.clear();
        return;
    }
    RequestMac(nowNs);
}

nlohmann::json
HostSide::StatsJson() const
{
    return {{"host_mac", m_hostMac ? FormatMac(*m_hostMac) : std::string()},
            {"router_mac", FormatMac(m_routerMac)},
            {"arp_answered", m_counters.arpAnswered},
            {"arp_ignored", m_counters.arpIgnored},
            {"arp_requested", m_counters.arpRequested},
            {"held", m_counters.held},
            {"held_dropped", m_counters.heldDropped}};
}

} // namespace dysco::dpdk
