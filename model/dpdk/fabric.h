// The in-process network: the network sides of agents that share a process (one per
// emulated host) are joined here instead of through devices. A frame sent on a fabric port
// goes to the inbox of the port whose host has the frame's IPv4 destination, as if on a
// switched network where every host is one hop from every other. Single-threaded, like the
// rest of the application (one lcore).
#ifndef DYSCO_DPDK_FABRIC_H
#define DYSCO_DPDK_FABRIC_H

#include "port.h"

#include <memory>
#include <unordered_map>
#include <vector>

struct rte_ring;

namespace dysco::dpdk
{

class Fabric;

class FabricPort : public Port
{
public:
    FabricPort(Fabric& fabric, uint32_t address, std::string name, MacAddress mac);
    ~FabricPort() override;
    FabricPort(const FabricPort&) = delete;
    FabricPort& operator=(const FabricPort&) = delete;

    const std::string& Name() const override { return m_name; }
    MacAddress Mac() const override { return m_mac; }
    uint16_t Receive(rte_mbuf** frames, uint16_t max) override;
    void Send(rte_mbuf** frames, uint16_t n) override;
    nlohmann::json DeviceStats() const override;

    /// Takes a frame from another port; false (not taken) when the inbox is full.
    bool Deliver(rte_mbuf* frame);

private:
    Fabric& m_fabric;
    uint32_t m_address;
    std::string m_name;
    MacAddress m_mac;
    rte_ring* m_inbox = nullptr;
    uint64_t m_unroutable = 0; ///< frames to an address no fabric port has (or not IPv4)
    uint64_t m_inboxFull = 0;  ///< frames dropped at this port's full inbox
};

class Fabric
{
public:
    /// A new port for the host with `address`; the fabric keeps track of it until it is
    /// destroyed (ports must not outlive the fabric).
    std::unique_ptr<FabricPort> Attach(uint32_t address);

    FabricPort* Find(uint32_t address) const;
    void Detach(uint32_t address) { m_ports.erase(address); }

private:
    std::unordered_map<uint32_t, FabricPort*> m_ports;
};

} // namespace dysco::dpdk

#endif
