// The payload a Dysco agent puts into a SYN (§2.3): the session's original five-tuple and
// the address list of the remaining service chain, ending with the session's destination.
//
// Wire format (big-endian):
//   0  'D' 'y'            magic
//   2  version (1)
//   3  count n            number of addresses, 1..kMaxChainAddresses
//   4  session srcIp, dstIp (4+4), srcPort, dstPort (2+2), protocol (1),
//      flags (1): bit 0 = a new-path marker follows the list, bit 1 = protection follows;
//      other bits zero
//  18  n addresses (4 bytes each)
//  18+4n  if flags bit 0: left anchor (4), request id (4) -- a reconfiguration's new path
//  then   if flags bit 1: session nonce (8, non-zero), chain key id (4, 0 = none)
//         (control_auth.h: every control message of the session must carry the nonce)
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
    /// Set (non-zero left anchor) on a reconfiguration's new-path SYN (§3.1): names the
    /// request so the right anchor attaches the subsession to its existing session.
    uint32_t markerLeftAnchor = 0;
    uint32_t markerRequestId = 0;
    /// Non-zero: the session's control-message nonce (encoded with its key id).
    uint64_t nonce = 0;
    uint32_t keyId = 0;
};

enum class SynPayloadError
{
    kOk,
    kTooShort, ///< fewer than the header bytes
    kBadMagic,
    kBadVersion,
    kBadCount,    ///< n == 0 or n > kMaxChainAddresses
    kBadLength,   ///< length != 18 + 4n
    kBadReserved, ///< unknown flag bits set
    kBadAddress,  ///< 0.0.0.0 or 255.255.255.255 in the list or as the marker's left anchor
};

const char* ToString(SynPayloadError e);

/// Appends the encoding to `out`; returns bytes written, 0 (nothing appended) if the list is
/// empty or too long, or holds an address DecodeSynPayload would reject (the marker's left
/// anchor included). The request id is only encoded with a marker (non-zero left anchor).
size_t EncodeSynPayload(const SynPayload& p, std::vector<uint8_t>& out);

/// Strictly decodes; never reads past data+len. `out` (may be null) is written only on kOk.
/// Checks run in the order of the enum (except that the flags byte is checked before the
/// length it determines), so a payload with several faults reports the first.
SynPayloadError DecodeSynPayload(const uint8_t* data, size_t len, SynPayload* out);

/// True if the bytes start with the magic and version (a Dysco SYN rather than TCP Fast Open
/// data); a full decode may still fail.
bool LooksLikeSynPayload(const uint8_t* data, size_t len);

} // namespace dysco

#endif
