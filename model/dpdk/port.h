// A port an agent sends and receives Ethernet frames on: a DPDK ethdev (EthPort) or a port of
// the in-process network (FabricPort). Bursts of mbufs in, bursts out; a port owns what it
// is given and frees what it cannot send, counting it.
#ifndef DYSCO_DPDK_PORT_H
#define DYSCO_DPDK_PORT_H

#include "app_config.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

struct rte_mbuf;

namespace dysco::dpdk
{

struct PortCounters
{
    uint64_t rxFrames = 0;
    uint64_t rxBytes = 0;
    uint64_t txFrames = 0;
    uint64_t txBytes = 0;
    uint64_t txDropped = 0; ///< frames the device did not take (queue full), freed
};

class Port
{
public:
    virtual ~Port() = default;

    virtual const std::string& Name() const = 0;
    virtual MacAddress Mac() const = 0;
    /// Up to `max` received frames into `frames`; returns how many.
    virtual uint16_t Receive(rte_mbuf** frames, uint16_t max) = 0;
    /// Sends `n` frames and takes ownership of all of them.
    virtual void Send(rte_mbuf** frames, uint16_t n) = 0;
    /// The device's own statistics (empty where there are none).
    virtual nlohmann::json DeviceStats() const { return nlohmann::json::object(); }

    const PortCounters& Counters() const { return m_counters; }
    nlohmann::json StatsJson() const;

protected:
    PortCounters m_counters;
};

} // namespace dysco::dpdk

#endif
