// A TCP session or subsession identifier. Addresses and ports are in host byte order.
#ifndef DYSCO_CORE_FIVE_TUPLE_H
#define DYSCO_CORE_FIVE_TUPLE_H

#include <cstdint>
#include <cstring>
#include <string>

namespace dysco
{

constexpr uint8_t kProtoTcp = 6;
constexpr uint8_t kProtoUdp = 17;

struct FiveTuple
{
    uint32_t srcIp = 0;
    uint32_t dstIp = 0;
    uint16_t srcPort = 0;
    uint16_t dstPort = 0;
    uint8_t protocol = kProtoTcp;

    /// The same session seen from the other end (addresses and ports swapped).
    FiveTuple Reversed() const { return FiveTuple{dstIp, srcIp, dstPort, srcPort, protocol}; }

    bool operator==(const FiveTuple& o) const
    {
        return srcIp == o.srcIp && dstIp == o.dstIp && srcPort == o.srcPort &&
               dstPort == o.dstPort && protocol == o.protocol;
    }
    bool operator!=(const FiveTuple& o) const { return !(*this == o); }

    /// 64-bit mix of all fields; cheap and well spread for open addressing.
    uint64_t Hash() const
    {
        uint64_t a = (uint64_t(srcIp) << 32) | dstIp;
        uint64_t b = (uint64_t(srcPort) << 24) | (uint64_t(dstPort) << 8) | protocol;
        uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 32;
        return h;
    }

    /// "10.0.0.1:49153->10.0.3.2:80/6"
    std::string ToString() const;
};

/// Dotted-quad text of a host-order IPv4 address.
std::string Ipv4ToString(uint32_t ip);

/// Parses dotted-quad text; returns false on malformed input.
bool ParseIpv4(const std::string& text, uint32_t* ip);

struct FiveTupleHasher
{
    size_t operator()(const FiveTuple& t) const { return size_t(t.Hash()); }
};

} // namespace dysco

#endif
