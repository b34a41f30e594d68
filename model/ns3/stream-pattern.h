// The content of a test stream: byte `offset` of stream `streamId` is a cheap hash of both,
// so a receiver can verify every byte without storing the stream, and a byte that arrives
// at the wrong offset or in the wrong stream is caught.
#ifndef DYSCO_STREAM_PATTERN_H
#define DYSCO_STREAM_PATTERN_H

#include <cstddef>
#include <cstdint>

namespace ns3
{

/// Size of the big-endian stream id that precedes the content.
constexpr uint32_t kStreamIdHeaderSize = 8;

/// The pattern of the bytes a receiver streams back on stream `streamId`'s connection: a
/// different stream, so bytes that cross from one direction into the other are caught.
constexpr uint64_t
ReverseStreamId(uint64_t streamId)
{
    return streamId ^ 0x8000000000000000ull;
}

inline uint8_t
StreamPatternByte(uint64_t streamId, uint64_t offset)
{
    // A Weyl sequence per stream: the top byte changes at every offset and never repeats
    // with a short period.
    uint64_t x = (offset + streamId * 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    return static_cast<uint8_t>(x >> 56);
}

inline void
FillStreamPattern(uint64_t streamId, uint64_t offset, uint8_t* out, size_t n)
{
    for (size_t i = 0; i < n; ++i)
    {
        out[i] = StreamPatternByte(streamId, offset + i);
    }
}

} // namespace ns3

#endif
