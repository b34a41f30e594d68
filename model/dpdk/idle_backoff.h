// Poll-mode loops spin; on a shared machine (CI, tests beside other builds) an idle agent
// must not hold a core. After kSpinNs without traffic the loop sleeps, doubling the sleep up
// to kMaxSleepNs; the first frame resets it. Worst-case added latency: kMaxSleepNs.
#ifndef DYSCO_DPDK_IDLE_BACKOFF_H
#define DYSCO_DPDK_IDLE_BACKOFF_H

#include <algorithm>
#include <cstdint>
#include <time.h>

namespace dysco::dpdk
{

class IdleBackoff
{
public:
    static constexpr uint64_t kSpinNs = 200'000;
    static constexpr uint64_t kMinSleepNs = 10'000;
    static constexpr uint64_t kMaxSleepNs = 200'000;

    void Busy(uint64_t nowNs)
    {
        m_idleSinceNs = nowNs;
        m_sleepNs = kMinSleepNs;
    }

    /// Called after a loop iteration that found nothing to do.
    void Idle(uint64_t nowNs)
    {
        if (nowNs - m_idleSinceNs < kSpinNs)
        {
            return;
        }
        timespec ts{0, long(m_sleepNs)};
        nanosleep(&ts, nullptr);
        m_sleepNs = std::min(m_sleepNs * 2, kMaxSleepNs);
        ++m_sleeps;
    }

    uint64_t Sleeps() const { return m_sleeps; }

private:
    uint64_t m_idleSinceNs = 0;
    uint64_t m_sleepNs = kMinSleepNs;
    uint64_t m_sleeps = 0;
};

} // namespace dysco::dpdk

#endif
