#include "stream-start.h"

namespace ns3
{

StreamStart::StreamStart(uint32_t synSeq, size_t capacity)
    : m_first(synSeq + 1)
    , m_bytes(capacity, 0)
    , m_seen(capacity, false)
{
}

void
StreamStart::Add(uint32_t seq, const uint8_t* data, size_t n)
{
    // Offset of the segment in the stream; a segment from before the start (a retransmitted
    // SYN's sequence space) would wrap to a huge offset and is ignored, as is anything past
    // the capacity.
    const uint64_t offset = uint32_t(seq - m_first);
    for (size_t i = 0; i < n && offset + i < m_bytes.size(); ++i)
    {
        m_bytes[offset + i] = data[i];
        m_seen[offset + i] = true;
    }
    while (m_contiguous < m_seen.size() && m_seen[m_contiguous])
    {
        ++m_contiguous;
    }
}

} // namespace ns3
