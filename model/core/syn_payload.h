// The payload a Dysco agent puts into a SYN (§2.3): the session's original five-tuple and
// the address list of the remaining service chain, ending with the session's destination.
//
// Wire format (big-endian):
//   0  'D' 'y'            magic
//   2  version (1)
//   3  count n            number of addresses, 1..kMaxChainAddresses
//   4  session srcIp, dstIp (4+4), srcPort, dstPort (2+2), protocol (1), reserved (1, zero)
//  18  n addresses (4 bytes each)
#ifndef DYSCO_CORE_SYN_PAYLOAD_H
#define DYSCO_CORE_SYN_PAYLOAD_H

#include "five_tuple.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dysco
{

constexpr size_t kMaxChainAddresses = 16;
constexpr size_t kSynPayloadHeaderSize = 18;
constexpr uint8_t kSynPayloadVersion = 1;

struct SynPayload
{
    FiveTuple session;
    std::vector<uint32_t> addresses; ///< next middleboxes ..., then the session destination
};

enum class SynPayloadError
{
    kOk,
    kTooShort,     ///< fewer than the header bytes
    kBadMagic,
    kBadVersion,
    kBadCount,     ///< n == 0 or n > kMaxChainAddresses
    kBadLength,    ///< length != 18 + 4n
    kBadReserved,
    kBadAddress,   ///< 0.0.0.0 or 255.255.255.255 in the list
};

const char* ToString(SynPayloadError e);

/// Appends the encoding to `out`; returns bytes written, 0 if the list is empty or too long.
size_t EncodeSynPayload(const SynPayload& p, std::vector<uint8_t>& out);

/// Strictly decodes; never reads past data+len.
SynPayloadError DecodeSynPayload(const uint8_t* data, size_t len, SynPayload* out);

/// True if the bytes start with the magic and version (a Dysco SYN rather than TCP Fast Open
/// data); a full decode may still fail.
bool LooksLikeSynPayload(const uint8_t* data, size_t len);

} // namespace dysco

#endif
