// Internet checksums: full computation and incremental update (RFC 1624, eq. 3:
// HC' = ~(~HC + ~m + m')). All values are host-order views of big-endian 16-bit words.
#ifndef DYSCO_CORE_CHECKSUM_H
#define DYSCO_CORE_CHECKSUM_H

#include <cstddef>
#include <cstdint>

namespace dysco
{

/// One's-complement sum of `len` bytes read as big-endian 16-bit words (odd tail padded),
/// added to `sum`; not folded.
uint32_t ChecksumAccumulate(const uint8_t* data, size_t len, uint32_t sum = 0);

/// Folds a 32-bit one's-complement sum to 16 bits and complements it (the field value).
uint16_t ChecksumFinish(uint32_t sum);

/// Checksum field value for an IPv4 header of `headerLen` bytes (its checksum field is skipped).
uint16_t Ipv4HeaderChecksum(const uint8_t* ipHeader, size_t headerLen);

/// TCP checksum field value over pseudo-header + segment (its checksum field is skipped).
uint16_t TcpChecksum(uint32_t srcIp, uint32_t dstIp, const uint8_t* segment, size_t segmentLen);

/// Incremental update for one 16-bit word changing from oldWord to newWord.
inline uint16_t
ChecksumUpdate16(uint16_t check, uint16_t oldWord, uint16_t newWord)
{
    uint32_t sum = uint32_t(uint16_t(~check)) + uint16_t(~oldWord) + newWord;
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (sum & 0xFFFF) + (sum >> 16);
    return uint16_t(~sum);
}

/// Incremental update for a 32-bit field (two words) changing from oldValue to newValue.
inline uint16_t
ChecksumUpdate32(uint16_t check, uint32_t oldValue, uint32_t newValue)
{
    uint32_t sum = uint32_t(uint16_t(~check)) + uint16_t(~(oldValue >> 16)) +
                   uint16_t(~(oldValue & 0xFFFF)) + (newValue >> 16) + (newValue & 0xFFFF);
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = (sum & 0xFFFF) + (sum >> 16);
    return uint16_t(~sum);
}

} // namespace dysco

#endif
