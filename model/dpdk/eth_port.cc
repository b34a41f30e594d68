#include "eth_port.h"

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <stdexcept>

namespace dysco::dpdk
{

namespace
{
constexpr uint16_t kRxDescriptors = 1024;
constexpr uint16_t kTxDescriptors = 1024;

[[noreturn]] void
Fail(const std::string& device, const std::string& what, int rc)
{
    throw std::runtime_error("DPDK port \"" + device + "\": " + what +
                             " failed: " + rte_strerror(rc < 0 ? -rc : rc));
}
} // namespace

bool
EthPort::Exists(const std::string& device)
{
    uint16_t id;
    return rte_eth_dev_get_port_by_name(device.c_str(), &id) == 0;
}

std::string
EthPort::AllNames()
{
    std::string list;
    uint16_t id;
    RTE_ETH_FOREACH_DEV(id)
    {
        char name[RTE_ETH_NAME_MAX_LEN];
        if (rte_eth_dev_get_name_by_port(id, name) == 0)
        {
            list += (list.empty() ? "" : ", ") + std::string(name);
        }
    }
    return list.empty() ? "(none; add devices with --vdev)" : list;
}

EthPort::EthPort(const std::string& device, rte_mempool* pool)
    : m_name(device)
{
    int rc = rte_eth_dev_get_port_by_name(device.c_str(), &m_port);
    if (rc != 0)
    {
        throw std::runtime_error("no DPDK port \"" + device + "\"; ports are: " + AllNames());
    }
    rte_eth_dev_info info;
    if ((rc = rte_eth_dev_info_get(m_port, &info)) != 0)
    {
        Fail(device, "rte_eth_dev_info_get", rc);
    }
    rte_eth_conf conf{};
    if ((rc = rte_eth_dev_configure(m_port, 1, 1, &conf)) != 0)
    {
        Fail(device, "rte_eth_dev_configure", rc);
    }
    uint16_t rxd = kRxDescriptors;
    uint16_t txd = kTxDescriptors;
    rte_eth_dev_adjust_nb_rx_tx_desc(m_port, &rxd, &txd);
    const int socket = rte_eth_dev_socket_id(m_port);
    const unsigned s = socket < 0 ? 0 : unsigned(socket);
    if ((rc = rte_eth_rx_queue_setup(m_port, 0, rxd, s, nullptr, pool)) != 0)
    {
        Fail(device, "rte_eth_rx_queue_setup", rc);
    }
    if ((rc = rte_eth_tx_queue_setup(m_port, 0, txd, s, nullptr)) != 0)
    {
        Fail(device, "rte_eth_tx_queue_setup", rc);
    }
    if ((rc = rte_eth_dev_start(m_port)) != 0)
    {
        Fail(device, "rte_eth_dev_start", rc);
    }
    // The host side receives frames addressed to the host's peers (proxy ARP answers with
    // this port's MAC, but a device may filter); not every device supports it.
    rte_eth_promiscuous_enable(m_port);
    rte_ether_addr mac;
    if (rte_eth_macaddr_get(m_port, &mac) == 0)
    {
        std::copy(mac.addr_bytes, mac.addr_bytes + 6, m_mac.begin());
    }
}

EthPort::~EthPort()
{
    // Closing flushes what pcap devices buffered and removes tap interfaces.
    rte_eth_dev_stop(m_port);
    rte_eth_dev_close(m_port);
}

uint16_t
EthPort::Receive(rte_mbuf** frames, uint16_t max)
{
    const uint16_t n = rte_eth_rx_burst(m_port, 0, frames, max);
    m_counters.rxFrames += n;
    for (uint16_t i = 0; i < n; ++i)
    {
        m_counters.rxBytes += rte_pktmbuf_pkt_len(frames[i]);
    }
    return n;
}

void
EthPort::Send(rte_mbuf** frames, uint16_t n)
{
    if (n == 0)
    {
        return;
    }
    uint64_t bytes = 0;
    for (uint16_t i = 0; i < n; ++i)
    {
        bytes += rte_pktmbuf_pkt_len(frames[i]);
    }
    const uint16_t sent = rte_eth_tx_burst(m_port, 0, frames, n);
    m_counters.txFrames += sent;
    for (uint16_t i = sent; i < n; ++i)
    {
        bytes -= rte_pktmbuf_pkt_len(frames[i]);
        rte_pktmbuf_free(frames[i]);
    }
    m_counters.txBytes += bytes;
    m_counters.txDropped += n - sent;
}

nlohmann::json
EthPort::DeviceStats() const
{
    rte_eth_stats st;
    if (rte_eth_stats_get(m_port, &st) != 0)
    {
        return nlohmann::json::object();
    }
    return {{"ipackets", st.ipackets}, {"opackets", st.opackets},  {"ibytes", st.ibytes},
            {"obytes", st.obytes},     {"imissed", st.imissed},    {"ierrors", st.ierrors},
            {"oerrors", st.oerrors},   {"rx_nombuf", st.rx_nombuf}};
}

} // namespace dysco::dpdk
