#include "packet.h"

#include "checksum.h"
#include "checksum_delta.h"

#include <cstring>

namespace dysco
{

namespace
{

constexpr size_t kIpMinHeader = 20;
constexpr size_t kTcpMinHeader = 20;

/// True if `length` is legal for an option of `kind` (kinds we do not know take any length).
bool
OptionLengthOk(uint8_t kind, uint8_t length)
{
    switch (kind)
    {
    case tcpopt::kMss:
        return length == 4;
    case tcpopt::kWindowScale:
        return length == 3;
    case tcpopt::kSackPermitted:
        return length == 2;
    case tcpopt::kSack:
        return length >= 10 && length <= 34 && (length - 2) % 8 == 0;
    case tcpopt::kTimestamp:
        return length == 10;
    case tcpopt::kDyscoTag:
        return length == 6;
    case tcpopt::kDyscoEnded:
        return length == 12;
    default:
        return length >= 2;
    }
}

/// Walks the options in tcp[20, end), calling visit(ref) for each option other than NOP/EOL;
/// stops at EOL or when visit returns false. Returns false on a malformed option. Never reads
/// at or beyond tcp + end.
template <typename Visit>
bool
WalkOptions(const uint8_t* tcp, size_t end, Visit visit)
{
    size_t i = kTcpMinHeader;
    while (i < end)
    {
        const uint8_t kind = tcp[i];
        if (kind == tcpopt::kEnd)
        {
            return true;
        }
        if (kind == tcpopt::kNop)
        {
            ++i;
            continue;
        }
        if (i + 1 >= end)
        {
            return false; // no room for the length byte
        }
        const uint8_t length = tcp[i + 1];
        if (!OptionLengthOk(kind, length) || length > end - i)
        {
            return false;
        }
        if (!visit(TcpOptionRef{kind, length, uint16_t(i)}))
        {
            return true;
        }
        i += length;
    }
    return true;
}

} // namespace

const char*
ToString(ParseError e)
{
    switch (e)
    {
    case ParseError::kOk:
        return "ok";
    case ParseError::kTooShort:
        return "too short";
    case ParseError::kNotIpv4:
        return "not IPv4";
    case ParseError::kBadIhl:
        return "bad IHL";
    case ParseError::kBadTotalLength:
        return "bad total length";
    case ParseError::kFragment:
        return "fragment";
    case ParseError::kNotTcp:
        return "not TCP";
    case ParseError::kBadDataOffset:
        return "bad data offset";
    case ParseError::kBadOption:
        return "bad TCP option";
    }
    return "unknown";
}

ParseError
PacketView::Parse()
{
    // Checks run in enum order, each only reading bytes an earlier check proved present.
    if (m_len < kIpMinHeader)
    {
        return ParseError::kTooShort;
    }
    if ((m_data[0] >> 4) != 4)
    {
        return ParseError::kNotIpv4;
    }
    const size_t ihl = IpHeaderLength();
    if (ihl < kIpMinHeader)
    {
        return ParseError::kBadIhl;
    }
    if (m_len < ihl)
    {
        return ParseError::kTooShort;
    }
    const size_t total = TotalLength();
    if (total < ihl + kTcpMinHeader || m_len > total)
    {
        return ParseError::kBadTotalLength;
    }
    if ((Load16(m_data + 6) & 0x3FFF) != 0) // MF flag or fragment offset
    {
        return ParseError::kFragment;
    }
    if (m_data[9] != kProtoTcp)
    {
        return ParseError::kNotTcp;
    }
    if (m_len < ihl + kTcpMinHeader)
    {
        return ParseError::kTooShort;
    }
    const size_t tcpLen = TcpHeaderLength();
    if (tcpLen < kTcpMinHeader || ihl + tcpLen > total)
    {
        return ParseError::kBadDataOffset;
    }
    if (m_len < ihl + tcpLen)
    {
        return ParseError::kTooShort;
    }
    if (!WalkOptions(m_data + ihl, tcpLen, [](const TcpOptionRef&) { return true; }))
    {
        return ParseError::kBadOption;
    }
    return ParseError::kOk;
}

size_t
PacketView::Options(TcpOptionRef* out, size_t max) const
{
    size_t n = 0;
    WalkOptions(Tcp(), TcpHeaderLength(),
                [&](const TcpOptionRef& ref)
                {
                    if (n < max)
                    {
                        out[n] = ref;
                    }
                    ++n;
                    return true;
                });
    return n;
}

bool
PacketView::FindOption(uint8_t kind, TcpOptionRef* out) const
{
    bool found = false;
    WalkOptions(Tcp(), TcpHeaderLength(),
                [&](const TcpOptionRef& ref)
                {
                    if (ref.kind != kind)
                    {
                        return true;
                    }
                    found = true;
                    if (out != nullptr)
                    {
                        *out = ref;
                    }
                    return false;
                });
    return found;
}

void
PacketView::SetSrcIp(uint32_t ip)
{
    const uint32_t raw = Wire32(ip);
    const uint64_t delta = Delta32(Raw32(m_data + 12), raw);
    std::memcpy(m_data + 12, &raw, 4);
    ApplyDelta(m_data + kIpChecksumOffset, delta);
    ApplyDelta(Tcp() + kTcpChecksumOffset, delta); // the address is in the pseudo-header
}

void
PacketView::SetDstIp(uint32_t ip)
{
    const uint32_t raw = Wire32(ip);
    const uint64_t delta = Delta32(Raw32(m_data + 16), raw);
    std::memcpy(m_data + 16, &raw, 4);
    ApplyDelta(m_data + kIpChecksumOffset, delta);
    ApplyDelta(Tcp() + kTcpChecksumOffset, delta);
}

void
PacketView::SetSrcPort(uint16_t port)
{
    uint8_t* tcp = Tcp();
    const uint16_t raw = Wire16(port);
    const uint64_t delta = Delta16(Raw16(tcp), raw);
    std::memcpy(tcp, &raw, 2);
    ApplyDelta(tcp + kTcpChecksumOffset, delta);
}

void
PacketView::SetDstPort(uint16_t port)
{
    uint8_t* tcp = Tcp();
    const uint16_t raw = Wire16(port);
    const uint64_t delta = Delta16(Raw16(tcp + 2), raw);
    std::memcpy(tcp + 2, &raw, 2);
    ApplyDelta(tcp + kTcpChecksumOffset, delta);
}

void
PacketView::SetSeqNumber(uint32_t seq)
{
    uint8_t* tcp = Tcp();
    const uint32_t raw = Wire32(seq);
    const uint64_t delta = Delta32(Raw32(tcp + 4), raw);
    std::memcpy(tcp + 4, &raw, 4);
    ApplyDelta(tcp + kTcpChecksumOffset, delta);
}

void
PacketView::SetAckNumber(uint32_t ack)
{
    uint8_t* tcp = Tcp();
    const uint32_t raw = Wire32(ack);
    const uint64_t delta = Delta32(Raw32(tcp + 8), raw);
    std::memcpy(tcp + 8, &raw, 4);
    ApplyDelta(tcp + kTcpChecksumOffset, delta);
}

void
PacketView::SetWindow(uint16_t window)
{
    uint8_t* tcp = Tcp();
    const uint16_t raw = Wire16(window);
    const uint64_t delta = Delta16(Raw16(tcp + 14), raw);
    std::memcpy(tcp + 14, &raw, 2);
    ApplyDelta(tcp + kTcpChecksumOffset, delta);
}

void
PacketView::SetTuple(const FiveTuple& t)
{
    RewriteTuple(m_data, Tcp(), t);
}

void
PacketView::RewriteOptionBytes(size_t offsetInTcp, const uint8_t* bytes, size_t len)
{
    const size_t tcpLen = TcpHeaderLength();
    if (len == 0 || offsetInTcp < kTcpMinHeader || offsetInTcp > tcpLen ||
        len > tcpLen - offsetInTcp)
    {
        return;
    }
    // Options may start at odd offsets: sum the covering 16-bit-aligned span before and after.
    // The span stays inside the header because the header length is a multiple of 4.
    uint8_t* tcp = Tcp();
    const size_t begin = offsetInTcp & ~size_t(1);
    const size_t end = (offsetInTcp + len + 1) & ~size_t(1);
    const uint32_t oldSum = ChecksumAccumulate(tcp + begin, end - begin);
    for (size_t i = 0; i < len; ++i)
    {
        tcp[offsetInTcp + i] = bytes[i];
    }
    const uint32_t newSum = ChecksumAccumulate(tcp + begin, end - begin);
    // Sums are host-order 16-bit values; fold them and bring them to the field's byte order.
    const uint16_t oldFolded = Wire16(uint16_t(~ChecksumFinish(oldSum)));
    const uint16_t newFolded = Wire16(uint16_t(~ChecksumFinish(newSum)));
    ApplyDelta(tcp + kTcpChecksumOffset, Delta16(oldFolded, newFolded));
}

void
PacketView::RecomputeChecksums()
{
    const size_t ihl = IpHeaderLength();
    Store16(m_data + kIpChecksumOffset, Ipv4HeaderChecksum(m_data, ihl));
    if (HasFullPayload())
    {
        const size_t segmentLen = TotalLength() - ihl;
        Store16(Tcp() + kTcpChecksumOffset,
                TcpChecksum(SrcIp(), DstIp(), m_data + ihl, segmentLen));
    }
}

bool
PacketView::ChecksumsValid() const
{
    if (!HasFullPayload())
    {
        return false;
    }
    // Verify the receiver's way (the sum over all words, field included, is -0), so both
    // representations of zero in the field are accepted.
    const size_t ihl = IpHeaderLength();
    if (ChecksumFinish(ChecksumAccumulate(m_data, ihl)) != 0)
    {
        return false;
    }
    const size_t segmentLen = TotalLength() - ihl;
    const uint32_t src = SrcIp();
    const uint32_t dst = DstIp();
    uint32_t sum = (src >> 16) + (src & 0xFFFF) + (dst >> 16) + (dst & 0xFFFF) + kProtoTcp +
                   uint32_t(segmentLen);
    return ChecksumFinish(ChecksumAccumulate(m_data + ihl, segmentLen, sum)) == 0;
}

} // namespace dysco
