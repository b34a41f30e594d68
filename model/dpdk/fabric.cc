#include "fabric.h"

#include "core/bytes.h"
#include "core/five_tuple.h"
#include "ether.h"

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <stdexcept>

namespace dysco::dpdk
{

namespace
{
constexpr unsigned kInboxSize = 4096;
} // namespace

FabricPort::FabricPort(Fabric& fabric, uint32_t address, std::string name, MacAddress mac)
    : m_fabric(fabric)
    , m_address(address)
    , m_name(std::move(name))
    , m_mac(mac)
{
    const std::string ring = "fab_" + Ipv4ToString(address);
    m_inbox =
        rte_ring_create(ring.c_str(), kInboxSize, SOCKET_ID_ANY, RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (m_inbox == nullptr)
    {
        throw std::runtime_error("fabric port " + m_name +
                                 ": rte_ring_create failed: " + rte_strerror(rte_errno));
    }
}

FabricPort::~FabricPort()
{
    if (m_fabric.Find(m_address) == this)
    {
        m_fabric.Detach(m_address);
    }
    rte_mbuf* m;
    while (rte_ring_dequeue(m_inbox, reinterpret_cast<void**>(&m)) == 0)
    {
        rte_pktmbuf_free(m);
    }
    rte_ring_free(m_inbox);
}

uint16_t
FabricPort::Receive(rte_mbuf** frames, uint16_t max)
{
    const unsigned n =
        rte_ring_dequeue_burst(m_inbox, reinterpret_cast<void**>(frames), max, nullptr);
    m_counters.rxFrames += n;
    for (unsigned i = 0; i < n; ++i)
    {
        m_counters.rxBytes += rte_pktmbuf_pkt_len(frames[i]);
    }
    return uint16_t(n);
}

bool
FabricPort::Deliver(rte_mbuf* frame)
{
    if (rte_ring_enqueue(m_inbox, frame) != 0)
    {
        ++m_inboxFull;
        return false;
    }
    return true;
}

void
FabricPort::Send(rte_mbuf** frames, uint16_t n)
{
    for (uint16_t i = 0; i < n; ++i)
    {
        rte_mbuf* m = frames[i];
        const uint8_t* f = rte_pktmbuf_mtod(m, const uint8_t*);
        FabricPort* to = nullptr;
        if (rte_pktmbuf_data_len(m) >= kEthHeader + 20 && EtherType(f) == kEtherIpv4)
        {
            to = m_fabric.Find(Load32(f + kEthHeader + 16));
        }
        const uint32_t len = rte_pktmbuf_pkt_len(m);
        if (to == nullptr)
        {
            ++m_unroutable;
        }
        if (to == nullptr || !to->Deliver(m))
        {
            ++m_counters.txDropped;
            rte_pktmbuf_free(m);
            continue;
        }
        ++m_counters.txFrames;
        m_counters.txBytes += len;
    }
}

nlohmann::json
FabricPort::DeviceStats() const
{
    return {{"unroutable", m_unroutable}, {"inbox_full", m_inboxFull}};
}

std::unique_ptr<FabricPort>
Fabric::Attach(uint32_t address)
{
    // A locally administered MAC derived from the address: stable across runs, so captures
    // of the same configuration compare equal.
    MacAddress mac = {0x02,
                      0xfa,
                      uint8_t(address >> 24),
                      uint8_t(address >> 16),
                      uint8_t(address >> 8),
                      uint8_t(address)};
    auto port =
        std::make_unique<FabricPort>(*this, address, "fabric:" + Ipv4ToString(address), mac);
    m_ports[address] = port.get();
    return port;
}

FabricPort*
Fabric::Find(uint32_t address) const
{
    auto it = m_ports.find(address);
    return it == m_ports.end() ? nullptr : it->second;
}

} // namespace dysco::dpdk
