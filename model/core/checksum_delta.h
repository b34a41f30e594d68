// Incremental checksum arithmetic on raw (network-order) header bytes, shared by the
// PacketView setters and the agent's data-path fast path (Agent::FastForward), so both
// rewrite a 5-tuple with the same instructions and give the same bytes.
#ifndef DYSCO_CORE_CHECKSUM_DELTA_H
#define DYSCO_CORE_CHECKSUM_DELTA_H

#include "bytes.h"
#include "five_tuple.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dysco
{

constexpr size_t kIpChecksumOffset = 10;
constexpr size_t kTcpChecksumOffset = 16;

// The setters do their arithmetic on the raw (network-order) bytes: the one's-complement sum
// is byte-order independent (RFC 1071 §2(B)) and may run over 32-bit words folded at the end,
// which saves the byte swaps and per-word folds of a 16-bit big-endian formulation.

inline uint32_t
Raw32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

inline uint16_t
Raw16(const uint8_t* p)
{
    uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
}

/// The raw (network-order) representation of a host-order value.
inline uint32_t
Wire32(uint32_t host)
{
    uint8_t b[4];
    Store32(b, host);
    return Raw32(b);
}

inline uint16_t
Wire16(uint16_t host)
{
    uint8_t b[2];
    Store16(b, host);
    return Raw16(b);
}

/// RFC 1624 eq. 3 terms (~m + m') for a raw 32- or 16-bit field changing from old to new.
inline uint64_t
Delta32(uint32_t oldRaw, uint32_t newRaw)
{
    return uint64_t(uint32_t(~oldRaw)) + newRaw;
}

inline uint64_t
Delta16(uint16_t oldRaw, uint16_t newRaw)
{
    return uint64_t(uint16_t(~oldRaw)) + newRaw;
}

/// HC' = ~(~HC + delta) on the raw checksum field at `field`; delta holds a few terms.
/// Folding delta first keeps the checksum's load-modify-store chain (the latency that
/// consecutive setters queue on) to a single end-around add.
inline void
ApplyDelta(uint8_t* field, uint64_t delta)
{
    delta = (delta & 0xFFFFFFFFu) + (delta >> 32);
    delta = (delta & 0xFFFFFFFFu) + (delta >> 32);
    // Zero only if every term is zero, so zero is represented as a full recomputation does.
    delta = (delta & 0xFFFF) + (delta >> 16);
    delta = (delta & 0xFFFF) + (delta >> 16);
    const uint32_t sum = uint32_t(uint16_t(~Raw16(field))) + uint32_t(delta); // <= 0x1FFFE
    const uint16_t check = uint16_t(~(sum + (sum >> 16)));
    std::memcpy(field, &check, 2);
}

/// Writes addresses and ports of `t` into the IPv4 header at `ip` and the TCP header at
/// `tcp`, one fold per checksum for all four fields; both ports travel as one 32-bit word.
inline void
RewriteTuple(uint8_t* ip, uint8_t* tcp, const FiveTuple& t)
{
    const uint32_t src = Wire32(t.srcIp);
    const uint32_t dst = Wire32(t.dstIp);
    const uint32_t ports = Wire32(uint32_t(t.srcPort) << 16 | t.dstPort);
    const uint64_t ipDelta = Delta32(Raw32(ip + 12), src) + Delta32(Raw32(ip + 16), dst);
    const uint64_t portDelta = Delta32(Raw32(tcp), ports);
    std::memcpy(ip + 12, &src, 4);
    std::memcpy(ip + 16, &dst, 4);
    std::memcpy(tcp, &ports, 4);
    ApplyDelta(ip + kIpChecksumOffset, ipDelta);
    ApplyDelta(tcp + kTcpChecksumOffset, ipDelta + portDelta);
}

} // namespace dysco

#endif
