// Moves IPv4 packets between mbufs (Ethernet frames) and the byte vectors the core takes.
// On the data path the core reads and rewrites headers only, so only the IPv4 and TCP
// headers are copied out and back. SYNs, non-TCP packets (control messages are UDP) and
// packets whose payload the core asks for (kNeedPayload) are copied whole, and may come back
// with another length (address list added or removed, segment split).
#ifndef DYSCO_DPDK_PACKET_BRIDGE_H
#define DYSCO_DPDK_PACKET_BRIDGE_H

#include <cstddef>
#include <cstdint>
#include <vector>

struct rte_mbuf;
struct rte_mempool;

namespace dysco::dpdk
{

/// What the binding itself checks before the core sees a frame of type IPv4.
enum class FrameCheck
{
    kOk,
    kRunt,        ///< shorter than Ethernet + a minimal IPv4 header
    kBadHeader,   ///< version not 4, IHL below 5 or beyond the frame
    kBadLength,   ///< IPv4 total length below the header, or beyond the frame (truncated)
    kBadChecksum, ///< IPv4 header checksum wrong
};

const char* ToString(FrameCheck c);

FrameCheck CheckIpv4Frame(const rte_mbuf* m);

/// One packet copied out of a frame for the core.
struct PacketCopy
{
    std::vector<uint8_t> bytes; ///< the IPv4 packet, or its leading headers
    size_t loaded = 0;          ///< bytes copied out (bytes.size() right after Load)
    bool whole = false;         ///< the whole IPv4 packet was copied
};

/// Copies the headers (whole = false) or the whole packet of a checked frame. Headers are
/// enough for TCP segments other than SYNs; everything else is copied whole regardless.
void LoadPacket(const rte_mbuf* m, PacketCopy& copy, bool whole);

/// Writes the (possibly rewritten, possibly resized) packet back behind the Ethernet header.
/// False if it does not fit the mbuf, or a header copy came back with another length.
bool StorePacket(rte_mbuf* m, const PacketCopy& copy);

/// A new frame from `pool` holding `packet` behind 14 bytes left for the Ethernet header,
/// or nullptr (pool empty, packet too large).
rte_mbuf* NewFrame(rte_mempool* pool, const std::vector<uint8_t>& packet);

} // namespace dysco::dpdk

#endif
