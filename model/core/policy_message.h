// Policy distribution messages (issue 6): the policy server sends each agent a whole policy set
// as one UDP datagram to kPolicyPort; the agent applies it atomically and acks its version.
// Compact binary, big-endian, bounded by kPolicyMessageMaxBytes (one datagram, no fragments):
//
//   update: u8 format (1) | u8 type (1) | u32 version (>= 1) | u8 strategy | u8 policy count
//           per policy: u8 name length | name | predicate (19 bytes) | u8 slot count
//             per slot (one middlebox of the chain): u8 instance count (>= 1) | u32 each
//   ack:    u8 format (1) | u8 type (2) | u32 version (>= 1)
//
// predicate: u32 src | u8 src length | u32 dst | u8 dst length | u16 src ports low, high |
// u16 dst ports low, high | u8 protocol. Decode rejects truncation, trailing bytes and every
// field out of range, so a malformed datagram is dropped whole.
#ifndef DYSCO_CORE_POLICY_MESSAGE_H
#define DYSCO_CORE_POLICY_MESSAGE_H

#include "policy.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dysco
{

constexpr uint16_t kPolicyPort = 4734;
constexpr uint8_t kPolicyFormat = 1;
constexpr size_t kPolicyMessageMaxBytes = 1400; ///< fits one Ethernet-sized datagram

enum class PolicyMessageType : uint8_t
{
    kUpdate = 1,
    kAck = 2,
};

enum class PolicyStrategy : uint8_t
{
    kRoundRobin = 0,  ///< per slot, the agent cycles through its instances
    kLeastLoaded = 1, ///< the instance with the fewest live sessions this agent started there
};

/// One policy of a set: the chain is a list of slots; each new session gets one instance of
/// each slot, in order (a slot lists the live instances of a middlebox type).
struct PolicyEntry
{
    std::string name;
    Predicate predicate;
    std::vector<std::vector<uint32_t>> slots;
};

struct PolicyMessage
{
    PolicyMessageType type = PolicyMessageType::kUpdate;
    uint32_t version = 0;
    PolicyStrategy strategy = PolicyStrategy::kRoundRobin; ///< update only
    std::vector<PolicyEntry> policies;                     ///< update only
};

enum class PolicyDecodeError
{
    kNone,
    kTruncated,    ///< ends inside a field
    kBadFormat,    ///< format byte not kPolicyFormat
    kBadType,      ///< neither update nor ack
    kBadVersion,   ///< version 0
    kBadStrategy,  ///< unknown strategy
    kBadPredicate, ///< prefix length > 32 or a port range with low > high
    kEmptySlot,    ///< a slot without instances
    kTrailing,     ///< bytes after the message
    kTooLong,      ///< more than kPolicyMessageMaxBytes
};

const char* ToString(PolicyDecodeError e);

/// Encoded sizes: an update's fixed part, and one policy with a name of `nameLength` bytes
/// and slots of the given instance counts (for bounding sets before they are sent).
constexpr size_t kPolicyUpdateHeaderBytes = 8;
inline size_t
PolicyEntryBytes(size_t nameLength, const std::vector<size_t>& slotSizes)
{
    size_t n = 1 + nameLength + 19 + 1;
    for (size_t k : slotSizes)
    {
        n += 1 + 4 * k;
    }
    return n;
}

/// The message's bytes; empty if it does not fit the format (a name or a count over 255,
/// an empty slot, version 0, or more than kPolicyMessageMaxBytes in all).
std::vector<uint8_t> EncodePolicyMessage(const PolicyMessage& m);

/// Parses a whole datagram into `out`; on error `out` is unspecified.
PolicyDecodeError DecodePolicyMessage(const uint8_t* data, size_t size, PolicyMessage* out);

} // namespace dysco

#endif
