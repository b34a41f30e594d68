// A DPDK ethdev (net_tap, net_pcap, net_ring, net_af_packet, a NIC) as an agent's port:
// one rx and one tx queue, started in promiscuous mode where the device supports it.
#ifndef DYSCO_DPDK_ETH_PORT_H
#define DYSCO_DPDK_ETH_PORT_H

#include "port.h"

#include <string>

struct rte_mempool;

namespace dysco::dpdk
{

class EthPort : public Port
{
public:
    /// Configures and starts the device called `device` (as named by --vdev or the PCI
    /// address). Throws std::runtime_error naming the device on failure.
    EthPort(const std::string& device, rte_mempool* pool);
    ~EthPort() override;
    EthPort(const EthPort&) = delete;
    EthPort& operator=(const EthPort&) = delete;

    /// True if DPDK knows a device called `device`.
    static bool Exists(const std::string& device);
    /// Names of every DPDK port, for messages.
    static std::string AllNames();

    const std::string& Name() const override { return m_name; }
    MacAddress Mac() const override { return m_mac; }
    uint16_t Receive(rte_mbuf** frames, uint16_t max) override;
    void Send(rte_mbuf** frames, uint16_t n) override;
    nlohmann::json DeviceStats() const override;
    uint16_t PortId() const { return m_port; }

private:
    std::string m_name;
    uint16_t m_port = 0;
    MacAddress m_mac{};
};

} // namespace dysco::dpdk

#endif
