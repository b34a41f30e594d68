#include "packet_bridge.h"

#include "core/bytes.h"
#include "core/five_tuple.h"
#include "ether.h"

#include <algorithm>
#include <cstring>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

namespace dysco::dpdk
{

namespace
{
constexpr size_t kIpMin = 20;
constexpr uint8_t kTcpSyn = 0x02;

/// One's complement sum of an IPv4 header (20 bytes or more, a multiple of 4): 32-bit words
/// into a 64-bit accumulator, folded once at the end.
uint16_t
HeaderSum(const uint8_t* ip, size_t ihl)
{
    uint32_t w[5];
    std::memcpy(w, ip, sizeof(w)); // the fixed header, summed without a loop
    uint64_t sum = uint64_t(w[0]) + w[1] + w[2] + w[3] + w[4];
    for (size_t i = sizeof(w); i < ihl; i += 4)
    {
        uint32_t o;
        std::memcpy(&o, ip + i, 4);
        sum += o;
    }
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffffffff) + (sum >> 32);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return uint16_t(sum); // byte order does not matter for 0xffff
}

/// `dst` sized to n bytes holding src[0, n): rte_memcpy inlines the short copies of the data
/// path, and resize() is free when the size does not change from packet to packet.
void
CopyIn(std::vector<uint8_t>& dst, const uint8_t* src, size_t n)
{
    dst.resize(n);
    rte_memcpy(dst.data(), src, n);
}
} // namespace

const char*
ToString(FrameCheck c)
{
    switch (c)
    {
    case FrameCheck::kOk:
        return "ok";
    case FrameCheck::kRunt:
        return "runt";
    case FrameCheck::kBadHeader:
        return "bad_header";
    case FrameCheck::kBadLength:
        return "bad_length";
    case FrameCheck::kBadChecksum:
        return "bad_checksum";
    }
    return "unknown";
}

FrameCheck
CheckIpv4Frame(const rte_mbuf* m)
{
    const size_t first = rte_pktmbuf_data_len(m);
    if (first < kEthHeader + kIpMin)
    {
        return FrameCheck::kRunt;
    }
    const uint8_t* ip = rte_pktmbuf_mtod(m, const uint8_t*) + kEthHeader;
    const size_t ihl = size_t(ip[0] & 0x0f) * 4;
    if ((ip[0] >> 4) != 4 || ihl < kIpMin || kEthHeader + ihl > first)
    {
        return FrameCheck::kBadHeader;
    }
    const size_t total = Load16(ip + 2);
    if (total < ihl || kEthHeader + total > rte_pktmbuf_pkt_len(m))
    {
        return FrameCheck::kBadLength;
    }
    // A correct header sums to 0xffff including its checksum field. NICs check this in
    // hardware; virtual devices do not, and the core's incremental updates would keep a
    // wrong checksum wrong.
    if (HeaderSum(ip, ihl) != 0xffff)
    {
        return FrameCheck::kBadChecksum;
    }
    return FrameCheck::kOk;
}

void
LoadPacket(const rte_mbuf* m, PacketCopy& copy, bool whole)
{
    const size_t first = rte_pktmbuf_data_len(m) - kEthHeader; // contiguous IPv4 bytes
    const uint8_t* ip = rte_pktmbuf_mtod(m, const uint8_t*) + kEthHeader;
    const size_t ihl = size_t(ip[0] & 0x0f) * 4;
    const size_t total = Load16(ip + 2);
    size_t n = total;
    const bool fragment = (Load16(ip + 6) & 0x3fff) != 0;
    if (!whole && ip[9] == kProtoTcp && !fragment && total >= ihl + kIpMin &&
        first >= ihl + kIpMin && !(ip[ihl + 13] & kTcpSyn))
    {
        const size_t headers = ihl + size_t(ip[ihl + 12] >> 4) * 4;
        if (headers <= first)
        {
            // At least a minimal TCP header, so the core sees (and reports) a data offset
            // below 5 or beyond the total length.
            n = std::min(total, std::max(headers, ihl + kIpMin));
        }
    }
    copy.whole = n == total;
    copy.loaded = n;
    if (n <= first)
    {
        CopyIn(copy.bytes, ip, n);
        return;
    }
    copy.bytes.resize(n);
    const void* p = rte_pktmbuf_read(m, kEthHeader, uint32_t(n), copy.bytes.data());
    if (p != copy.bytes.data())
    {
        std::copy_n(static_cast<const uint8_t*>(p), n, copy.bytes.data());
    }
}

bool
StorePacket(rte_mbuf* m, const PacketCopy& copy)
{
    const size_t len = copy.bytes.size();
    if (!copy.whole)
    {
        // Header rewrites keep their length: in place, behind the Ethernet header.
        if (len != copy.loaded)
        {
            return false;
        }
        rte_memcpy(rte_pktmbuf_mtod_offset(m, uint8_t*, kEthHeader), copy.bytes.data(), len);
        return true;
    }
    if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) != 0)
    {
        return false;
    }
    if (kEthHeader + len > size_t(m->buf_len - m->data_off))
    {
        return false;
    }
    // Ethernet padding, if any, goes: the frame ends with the IPv4 packet.
    m->data_len = uint16_t(kEthHeader + len);
    m->pkt_len = m->data_len;
    std::copy_n(copy.bytes.data(), len, rte_pktmbuf_mtod_offset(m, uint8_t*, kEthHeader));
    return true;
}

rte_mbuf*
NewFrame(rte_mempool* pool, const std::vector<uint8_t>& packet)
{
    rte_mbuf* m = rte_pktmbuf_alloc(pool);
    if (m == nullptr)
    {
        return nullptr;
    }
    uint8_t* p =
        reinterpret_cast<uint8_t*>(rte_pktmbuf_append(m, uint16_t(kEthHeader + packet.size())));
    if (p == nullptr || packet.size() > 0xffff - kEthHeader)
    {
        rte_pktmbuf_free(m);
        return nullptr;
    }
    std::copy(packet.begin(), packet.end(), p + kEthHeader);
    return m;
}

} // namespace dysco::dpdk
