// Optional write pacing of the byte-exact stream applications: a token bucket, so a stream
// can run below the path's capacity. Then the socket's send buffer stays nearly empty and a
// close takes effect on the wire at once (its FIN is not queued behind buffered data),
// which is what FIN injection at a given protocol phase needs.
#ifndef DYSCO_STREAM_PACER_H
#define DYSCO_STREAM_PACER_H

#include "ns3/nstime.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cstdint>

namespace ns3
{

class StreamPacer
{
public:
    /// `bps` 0: unpaced. `burst`: the most bytes written at once (one socket write).
    void SetRate(uint64_t bps, uint32_t burst)
    {
        m_bps = bps;
        m_burst = burst;
        m_tokens = burst;
        m_last = Simulator::Now();
    }

    bool Paced() const { return m_bps > 0; }

    /// Bytes that may be written now.
    uint64_t Allowance()
    {
        if (!Paced())
        {
            return UINT64_MAX;
        }
        const Time now = Simulator::Now();
        m_tokens = std::min<double>(m_burst, m_tokens + (now - m_last).GetSeconds() * m_bps / 8);
        m_last = now;
        return uint64_t(m_tokens);
    }

    void Consume(uint64_t bytes)
    {
        if (Paced())
        {
            m_tokens -= double(bytes);
        }
    }

    /// How long until `bytes` (at most the burst) may be written.
    Time WaitFor(uint64_t bytes) const
    {
        const double missing = std::max(0.0, double(bytes) - m_tokens);
        return Seconds(missing * 8 / double(m_bps)) + NanoSeconds(1);
    }

private:
    uint64_t m_bps = 0;
    uint32_t m_burst = 0;
    double m_tokens = 0;
    Time m_last;
};

} // namespace ns3

#endif
