#include "packet_edit.h"

#include "bytes.h"
#include "packet.h"

#include <cstring>

namespace dysco
{

namespace
{

constexpr size_t kTcpMinHeader = 20;
constexpr size_t kMaxOptionBytes = 40;
constexpr size_t kMaxIpv4Packet = 65535;
constexpr size_t kMaxOptionRefs = kMaxOptionBytes / 2;

/// Pads an options area with EOL (zero) bytes to a multiple of 4.
void
PadOptions(std::vector<uint8_t>& opts)
{
    while (opts.size() % 4 != 0)
    {
        opts.push_back(tcpopt::kEnd);
    }
}

/// Builds `v`'s packet again with new TCP options (already padded) and payload, fixes the
/// lengths and both checksums, and replaces `pkt` only if the result parses. The inputs may
/// point into `pkt` itself: nothing is written to it before the swap.
bool
Rebuild(std::vector<uint8_t>& pkt, const PacketView& v, const uint8_t* opts, size_t optsLen,
        const uint8_t* payload, size_t payloadLen)
{
    const size_t ihl = v.IpHeaderLength();
    const size_t tcpLen = kTcpMinHeader + optsLen;
    const size_t total = ihl + tcpLen + payloadLen;
    if (optsLen % 4 != 0 || optsLen > kMaxOptionBytes || total > kMaxIpv4Packet)
    {
        return false;
    }
    std::vector<uint8_t> out(total);
    std::memcpy(out.data(), pkt.data(), ihl + kTcpMinHeader);
    if (optsLen > 0)
    {
        std::memcpy(out.data() + ihl + kTcpMinHeader, opts, optsLen);
    }
    if (payloadLen > 0)
    {
        std::memcpy(out.data() + ihl + tcpLen, payload, payloadLen);
    }
    Store16(&out[2], uint16_t(total));
    out[ihl + 12] = uint8_t((tcpLen / 4) << 4 | (out[ihl + 12] & 0x0F));
    PacketView nv(out.data(), out.size());
    if (nv.Parse() != ParseError::kOk)
    {
        return false;
    }
    nv.RecomputeChecksums();
    pkt.swap(out);
    return true;
}

/// Parses `pkt` and requires the whole packet to be present (length edits move the payload).
bool
ParseWhole(std::vector<uint8_t>& pkt, PacketView* v)
{
    *v = PacketView(pkt.data(), pkt.size());
    return v->Parse() == ParseError::kOk && v->HasFullPayload();
}

} // namespace

bool
AddTcpOption(std::vector<uint8_t>& pkt, uint8_t kind, const uint8_t* value, size_t valueLen)
{
    PacketView v(nullptr, 0);
    if (kind == tcpopt::kEnd || kind == tcpopt::kNop || valueLen > kMaxOptionBytes - 2 ||
        (value == nullptr && valueLen > 0) || !ParseWhole(pkt, &v))
    {
        return false;
    }
    TcpOptionRef refs[kMaxOptionRefs];
    const size_t n = v.Options(refs, kMaxOptionRefs);
    const uint8_t* tcp = v.Tcp();
    // Keep the existing layout (NOPs that align options included) up to the last option;
    // trailing padding is dropped. If that leaves no room, pack the options without NOPs.
    const size_t used = n == 0 ? kTcpMinHeader : refs[n - 1].offset + refs[n - 1].length;
    std::vector<uint8_t> opts;
    if (used - kTcpMinHeader + 2 + valueLen <= kMaxOptionBytes)
    {
        opts.assign(tcp + kTcpMinHeader, tcp + used);
    }
    else
    {
        for (size_t i = 0; i < n; ++i)
        {
            opts.insert(opts.end(), tcp + refs[i].offset, tcp + refs[i].offset + refs[i].length);
        }
        if (opts.size() + 2 + valueLen > kMaxOptionBytes)
        {
            return false;
        }
    }
    opts.push_back(kind);
    opts.push_back(uint8_t(2 + valueLen));
    if (valueLen > 0)
    {
        opts.insert(opts.end(), value, value + valueLen);
    }
    PadOptions(opts);
    return Rebuild(pkt, v, opts.data(), opts.size(), v.Payload(), v.PayloadLength());
}

bool
RemoveTcpOption(std::vector<uint8_t>& pkt, uint8_t kind)
{
    PacketView v(nullptr, 0);
    if (kind == tcpopt::kEnd || kind == tcpopt::kNop || !ParseWhole(pkt, &v))
    {
        return false;
    }
    TcpOptionRef refs[kMaxOptionRefs];
    const size_t n = v.Options(refs, kMaxOptionRefs);
    const uint8_t* tcp = v.Tcp();
    std::vector<uint8_t> opts;
    bool removed = false;
    size_t pos = kTcpMinHeader;
    for (size_t i = 0; i < n; ++i)
    {
        // Bytes between options are NOPs aligning the next option: they go with it.
        const size_t end = refs[i].offset + refs[i].length;
        if (refs[i].kind == kind)
        {
            removed = true;
        }
        else
        {
            opts.insert(opts.end(), tcp + pos, tcp + end);
        }
        pos = end;
    }
    if (!removed)
    {
        return false;
    }
    PadOptions(opts);
    return Rebuild(pkt, v, opts.data(), opts.size(), v.Payload(), v.PayloadLength());
}

bool
SetTcpPayload(std::vector<uint8_t>& pkt, const uint8_t* payload, size_t len)
{
    // A header-only buffer is fine here: the old payload is discarded anyway.
    PacketView v(pkt.data(), pkt.size());
    if ((payload == nullptr && len > 0) || v.Parse() != ParseError::kOk)
    {
        return false;
    }
    const size_t optsLen = v.TcpHeaderLength() - kTcpMinHeader;
    return Rebuild(pkt, v, v.Tcp() + kTcpMinHeader, optsLen, payload, len);
}

std::vector<uint8_t>
BuildTcpPacket(uint32_t srcIp, uint32_t dstIp, uint16_t srcPort, uint16_t dstPort, uint32_t seq,
               uint32_t ack, uint8_t flags, uint16_t window, const uint8_t* options,
               size_t optionsLen, const uint8_t* payload, size_t payloadLen)
{
    const size_t tcpLen = kTcpMinHeader + optionsLen;
    const size_t total = 20 + tcpLen + payloadLen;
    if (optionsLen % 4 != 0 || optionsLen > kMaxOptionBytes || total > kMaxIpv4Packet ||
        (options == nullptr && optionsLen > 0) || (payload == nullptr && payloadLen > 0))
    {
        return {};
    }
    std::vector<uint8_t> pkt(total, 0);
    uint8_t* ip = pkt.data();
    ip[0] = 0x45;
    Store16(ip + 2, uint16_t(total));
    ip[8] = 64;
    ip[9] = 6;
    Store32(ip + 12, srcIp);
    Store32(ip + 16, dstIp);
    uint8_t* tcp = ip + 20;
    Store16(tcp, srcPort);
    Store16(tcp + 2, dstPort);
    Store32(tcp + 4, seq);
    Store32(tcp + 8, ack);
    tcp[12] = uint8_t((tcpLen / 4) << 4);
    tcp[13] = flags;
    Store16(tcp + 14, window);
    if (optionsLen > 0)
    {
        std::memcpy(tcp + kTcpMinHeader, options, optionsLen);
    }
    if (payloadLen > 0)
    {
        std::memcpy(tcp + tcpLen, payload, payloadLen);
    }
    // Options are not validated, so tests can build malformed packets; checksums are right
    // whatever the content.
    PacketView v(pkt.data(), pkt.size());
    v.RecomputeChecksums();
    return pkt;
}

} // namespace dysco
