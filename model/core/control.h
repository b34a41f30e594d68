// Control messages of the reconfiguration protocol (§3): the codec and the UDP/IPv4 framing.
// Messages travel hop by hop between neighbouring agents on the old path; each carries the
// subsession it concerns (left -> right orientation) so the receiving agent finds the
// session in its own maps, whatever five-tuple the session has elsewhere in the chain.
//
// Wire format (UDP payload, big-endian), 44 + 4n bytes, plus the protection trailer:
//   0  'D' 'c'            magic
//   2  version (1)
//   3  type               ControlType
//   4  serial             hop-by-hop sequence number for reliable delivery (kAck echoes it)
//   8  subsession         srcIp, dstIp, srcPort, dstPort, protocol, reserved (14 bytes)
//  22  leftAnchor, rightAnchor
//  30  requestId          unique per left anchor
//  34  delta              signed: rightDelta (requestLock) or leftDelta (ackLock)
//  38  flags (1), count n (1)
//  40  protection (1)     bit 0: nonce follows the list, bit 1: key id and MAC follow; others 0
//  41  reserved (3)
//  44  n addresses        the new path's list (trigger, requestLock), n <= kMaxChainAddresses
//  44+4n  if bit 0: session nonce (8)  (control_auth.h)
//  then   if bit 1: key id (4), HMAC-SHA256/128 (16) over every byte before the MAC
#ifndef DYSCO_CORE_CONTROL_H
#define DYSCO_CORE_CONTROL_H

#include "control_auth.h"
#include "five_tuple.h"
#include "seq.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dysco
{

constexpr uint16_t kControlPort = 4733;
constexpr size_t kControlHeaderSize = 44;
constexpr uint8_t kControlVersion = 1;
constexpr uint8_t kProtectNonce = 1; ///< protection bit: session nonce present
constexpr uint8_t kProtectMac = 2;   ///< protection bit: key id and MAC present

enum class ControlType : uint8_t
{
    kRequestLock = 1, ///< left anchor -> right, accumulates rightDelta
    kAckLock = 2,     ///< right anchor -> left, accumulates leftDelta
    kNackLock = 3,    ///< contention loser's answer, travels left
    kCancelLock = 4,  ///< abort: left anchor -> right, unlocks
    kAckCancel = 5,   ///< right anchor -> left, unlocks
    kOldPathDone = 6, ///< an anchor no longer needs the old path (teardown predicate held)
    kTrigger = 7,     ///< ask the left anchor to reconfigure (e.g. a middlebox deleting itself)
    kAck = 8,         ///< transport acknowledgment of `serial` (hop by hop)
};

const char* ToString(ControlType t);

struct ControlMessage
{
    ControlType type = ControlType::kRequestLock;
    uint32_t serial = 0;
    FiveTuple subsession;
    uint32_t leftAnchor = 0;
    uint32_t rightAnchor = 0;
    uint32_t requestId = 0;
    SeqDelta delta = 0;
    uint8_t flags = 0;
    std::vector<uint32_t> addresses;
    uint8_t protection = 0; ///< kProtectNonce | kProtectMac
    uint64_t nonce = 0;
    uint32_t keyId = 0;
    ControlMac mac{}; ///< as received; BuildControlPacket computes it when sending

    bool operator==(const ControlMessage& o) const;
};

enum class ControlError
{
    kOk,
    kTooShort,
    kBadMagic,
    kBadVersion,
    kBadType,
    kBadCount,
    kBadLength,
    kBadReserved,
};

const char* ToString(ControlError e);

/// Appends the encoding; returns bytes written, 0 if the address list is too long.
size_t EncodeControl(const ControlMessage& m, std::vector<uint8_t>& out);

/// Strict decoding of a UDP payload; never reads past data + len.
ControlError DecodeControl(const uint8_t* data, size_t len, ControlMessage* out);

/// Where the MAC starts in the encoding of a message with `addresses` addresses.
size_t ControlMacOffset(const ControlMessage& m);

/// A complete IPv4/UDP packet (checksums set) carrying `m` from `src` to `dst`. With
/// kProtectMac, the MAC is computed under keys->Find(m.keyId) (all zero if there is none).
std::vector<uint8_t> BuildControlPacket(uint32_t src, uint32_t dst, const ControlMessage& m,
                                        const KeyRing* keys = nullptr);

/// With kProtectMac: true iff the MAC of the encoded message `p` (as decoded into `m`) is
/// right under its key in `keys`. Without: true.
bool VerifyControlMac(const uint8_t* p, size_t len, const ControlMessage& m, const KeyRing& keys);

/// If `packet` is an IPv4/UDP datagram to the control port, points `payload` at its UDP
/// payload and returns true (the message itself may still fail to decode).
bool IsControlPacket(const std::vector<uint8_t>& packet, const uint8_t** payload, size_t* len);

} // namespace dysco

#endif
