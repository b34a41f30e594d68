// A forwarding node's processing capacity (a middlebox's CPU): every packet it forwards is
// served in arrival order at `rate` (IPv4 bytes), waiting in a bounded queue. Rather than
// overflow, the queue marks ECN-capable packets Congestion Experienced once `ecnAt` packets
// wait, so TCP backs off without losses and the box, not a link, is the bottleneck. Packets
// that are not ECN-capable are dropped only when the queue is full.
#ifndef DYSCO_BOX_CPU_H
#define DYSCO_BOX_CPU_H

#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/simple-ref-count.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class DyscoBoxCpu : public SimpleRefCount<DyscoBoxCpu>
{
public:
    struct Config
    {
        DataRate rate;         ///< processing rate over IPv4 bytes; 0: unlimited
        uint32_t queue = 1000; ///< packets waiting at most
        uint32_t ecnAt = 50;   ///< mark ECT packets CE while this many wait; 0: never
    };

    explicit DyscoBoxCpu(const Config& config)
        : m_config(config)
    {
    }

    /**
     * Admits one packet of `ipBytes` whose header is `packet` (may set its CE codepoint).
     * \return the delay until it leaves the box, or a negative time to drop it.
     */
    Time Admit(std::vector<uint8_t>& packet, uint32_t ipBytes);
    /// The packet admitted earliest left the box.
    void Served() { --m_waiting; }

    uint64_t GetServed() const { return m_served; }
    uint64_t GetMarked() const { return m_marked; }
    uint64_t GetDropped() const { return m_dropped; }
    uint32_t GetPeakQueue() const { return m_peak; }
    Time GetBusy() const { return m_busy; }

private:
    Config m_config;
    Time m_freeAt;          ///< when the packets admitted so far are all served
    uint32_t m_waiting = 0; ///< admitted, not yet served
    uint32_t m_peak = 0;
    uint64_t m_served = 0;
    uint64_t m_marked = 0;
    uint64_t m_dropped = 0;
    Time m_busy; ///< total service time
};

} // namespace ns3

#endif
