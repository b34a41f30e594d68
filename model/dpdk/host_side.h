// The host side of an agent: the link to one host's stack (a TAP interface in the host's
// network namespace, or a capture file). The binding acts as the host's proxy-ARP router:
// it answers every ARP request for another address with its router MAC, so the host sends
// all its traffic here whatever its routes, and it learns the host's MAC from the host's
// frames (asking by ARP, and holding packets meanwhile, when it has not seen one yet).
// The router MAC is 02:d5 followed by the host's address, not the device's MAC: DPDK's tap
// driver gives the kernel side of a TAP the same MAC as its own side.
#ifndef DYSCO_DPDK_HOST_SIDE_H
#define DYSCO_DPDK_HOST_SIDE_H

#include "ether.h"
#include "port.h"

#include <cstring>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>

struct rte_mbuf;
struct rte_mempool;

namespace dysco::dpdk
{

struct HostSideCounters
{
    uint64_t arpAnswered = 0;  ///< proxy-ARP replies sent to the host
    uint64_t arpIgnored = 0;   ///< ARP for the host's own address (probes, gratuitous)
    uint64_t arpRequested = 0; ///< requests the binding sent for the host's MAC
    uint64_t held = 0;         ///< packets held until the host's MAC was known
    uint64_t heldDropped = 0;  ///< held packets dropped (queue full, or no answer)
};

class HostSide
{
public:
    HostSide(Port& port, rte_mempool* pool, uint32_t hostAddress,
             std::optional<MacAddress> hostMac);
    ~HostSide();
    HostSide(const HostSide&) = delete;
    HostSide& operator=(const HostSide&) = delete;

    Port& GetPort() { return m_port; }
    const Port& GetPort() const { return m_port; }
    const std::optional<MacAddress>& HostMac() const { return m_hostMac; }
    const MacAddress& RouterMac() const { return m_routerMac; }

    /// An ARP frame from the host: answered or learnt from; always freed.
    void OnArp(rte_mbuf* frame, uint64_t nowNs);
    /// The source MAC of an IPv4 frame from the host (cheap when already known).
    void Learn(const uint8_t* frame)
    {
        if (!m_static && (!m_hostMac || std::memcmp(m_hostMac->data(), frame + 6, 6) != 0))
        {
            SetHostMac(SourceMac(frame));
        }
    }
    /// Sends IPv4 frames to the host, writing their Ethernet header; takes ownership.
    void Send(rte_mbuf** frames, uint16_t n, uint64_t nowNs);
    /// ARP retries and expiry of held packets.
    void OnTime(uint64_t nowNs);

    const HostSideCounters& Counters() const { return m_counters; }
    nlohmann::json StatsJson() const;

private:
    void SetHostMac(const MacAddress& mac);
    void Hold(rte_mbuf* frame, uint64_t nowNs);
    void RequestMac(uint64_t nowNs);
    void SendArp(const MacAddress& dst, const Arp& arp);

    Port& m_port;
    rte_mempool* m_pool;
    uint32_t m_hostAddress;
    MacAddress m_routerMac;
    std::optional<MacAddress> m_hostMac;
    bool m_static; ///< the MAC was configured: never relearnt
    std::deque<rte_mbuf*> m_held;
    uint64_t m_heldSinceNs = 0;
    uint64_t m_lastRequestNs = 0;
    bool m_requested = false;
    HostSideCounters m_counters;
};

} // namespace dysco::dpdk

#endif
