// Nanoseconds since start from the TSC: the agents' clock (timers, timeouts, expiry).
// One multiply and shift per reading, no system call.
#ifndef DYSCO_DPDK_TSC_CLOCK_H
#define DYSCO_DPDK_TSC_CLOCK_H

#include <cstdint>
#include <rte_cycles.h>

namespace dysco::dpdk
{

class TscClock
{
public:
    TscClock()
        : m_start(rte_rdtsc())
        , m_nsPerCycleQ32((uint64_t(1000000000) << 32) / rte_get_tsc_hz())
    {
    }

    uint64_t NowNs() const
    {
        const unsigned __int128 c = rte_rdtsc() - m_start;
        return uint64_t((c * m_nsPerCycleQ32) >> 32);
    }

    double NowS() const { return double(NowNs()) / 1e9; }

private:
    uint64_t m_start;
    uint64_t m_nsPerCycleQ32; ///< ns per TSC cycle, fixed point with 32 fraction bits
};

} // namespace dysco::dpdk

#endif
