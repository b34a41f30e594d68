// Ethernet and ARP frame layouts. The core takes IPv4 packets; DPDK ports carry Ethernet
// frames: the binding strips the 14-byte header on the way in and rewrites it on the way
// out, and answers ARP itself (model/dpdk/README.md, "Addresses").
#ifndef DYSCO_DPDK_ETHER_H
#define DYSCO_DPDK_ETHER_H

#include "app_config.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace dysco::dpdk
{

constexpr size_t kEthHeader = 14;
constexpr uint16_t kEtherIpv4 = 0x0800;
constexpr uint16_t kEtherArp = 0x0806;
constexpr size_t kArpFrame = kEthHeader + 28; ///< Ethernet + ARP for IPv4 over Ethernet
constexpr MacAddress kBroadcastMac = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

inline uint16_t
EtherType(const uint8_t* frame)
{
    return uint16_t((frame[12] << 8) | frame[13]);
}

/// Writes destination, source and type: the header of a frame leaving a port.
inline void
WriteEthHeader(uint8_t* frame, const MacAddress& dst, const MacAddress& src, uint16_t type)
{
    std::memcpy(frame, dst.data(), 6);
    std::memcpy(frame + 6, src.data(), 6);
    frame[12] = uint8_t(type >> 8);
    frame[13] = uint8_t(type);
}

inline MacAddress
SourceMac(const uint8_t* frame)
{
    MacAddress m;
    std::memcpy(m.data(), frame + 6, 6);
    return m;
}

enum class ArpOp : uint16_t
{
    kRequest = 1,
    kReply = 2,
};

/// An ARP message for IPv4 over Ethernet (the only kind handled).
struct Arp
{
    ArpOp op = ArpOp::kRequest;
    MacAddress senderMac{};
    uint32_t senderIp = 0; ///< host order
    MacAddress targetMac{};
    uint32_t targetIp = 0;
};

/// Decodes the ARP message of an Ethernet frame of `len` bytes; false unless it is an
/// IPv4-over-Ethernet request or reply.
bool ParseArp(const uint8_t* frame, size_t len, Arp* arp);

/// Writes a whole ARP frame (kArpFrame bytes) from `src` to `dst`.
void WriteArp(uint8_t* frame, const MacAddress& dst, const MacAddress& src, const Arp& arp);

} // namespace dysco::dpdk

#endif
