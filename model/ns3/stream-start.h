// The first bytes of a TCP stream as a middlebox sees them: segments copied at their
// sequence offset from the SYN, in any order, retransmissions included, up to a fixed
// count. Only the contiguous start counts, so a reordered segment never makes a gap look like
// data. Copies only: the segments themselves pass on unchanged.
#ifndef DYSCO_STREAM_START_H
#define DYSCO_STREAM_START_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{

class StreamStart
{
public:
    /// Keeps the first `capacity` bytes of the stream whose SYN carried `synSeq`.
    StreamStart(uint32_t synSeq, size_t capacity);

    /// A segment's payload (`seq` its first byte's sequence number); modulo 2^32.
    void Add(uint32_t seq, const uint8_t* data, size_t n);

    const uint8_t* Data() const { return m_bytes.data(); }
    /// Bytes from the stream's start up to the first byte not seen yet.
    size_t Contiguous() const { return m_contiguous; }
    /// Every byte before sequence number `end` was seen (or the capacity is reached).
    bool Covers(uint32_t end) const
    {
        return m_contiguous == m_bytes.size() || uint32_t(end - m_first) <= m_contiguous;
    }

private:
    uint32_t m_first; ///< sequence number of the stream's first byte
    std::vector<uint8_t> m_bytes;
    std::vector<bool> m_seen;
    size_t m_contiguous = 0;
};

} // namespace ns3

#endif
