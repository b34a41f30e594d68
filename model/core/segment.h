// Cutting a TCP segment in two for the two-path phase (§3.4): when a packet's bytes (or its
// bytes and its ACK) belong to different paths, each part becomes a segment of its own.
#ifndef DYSCO_CORE_SEGMENT_H
#define DYSCO_CORE_SEGMENT_H

#include <cstdint>
#include <vector>

namespace dysco
{

/// A copy of the whole packet `pkt` carrying only payload bytes [offset, offset + len), its
/// sequence number advanced by `offset`. SYN is cleared; FIN (which follows the last byte)
/// is kept only if `keepFin`. Checksums recomputed. Empty vector if `pkt` does not parse or
/// lacks its payload.
std::vector<uint8_t> CutSegment(const std::vector<uint8_t>& pkt, uint32_t offset, uint32_t len,
                                bool keepFin);

/// A pure ACK derived from `pkt`'s header: no payload, no SYN/FIN/PSH/RST, the given ack.
std::vector<uint8_t> PureAck(const std::vector<uint8_t>& pkt, uint32_t ack);

} // namespace dysco

#endif
