#include "segment.h"

#include "bytes.h"
#include "packet.h"
#include "packet_edit.h"

namespace dysco
{

namespace
{
constexpr size_t kTcpFlagsOffset = 13;
}

std::vector<uint8_t>
CutSegment(const std::vector<uint8_t>& pkt, uint32_t offset, uint32_t len, bool keepFin)
{
    std::vector<uint8_t> out = pkt;
    PacketView v(out.data(), out.size());
    if (v.Parse() != ParseError::kOk || !v.HasFullPayload() ||
        uint64_t(offset) + len > v.PayloadLength())
    {
        return {};
    }
    const uint32_t seq = v.SeqNumber() + offset;
    std::vector<uint8_t> slice(v.Payload() + offset, v.Payload() + offset + len);
    if (!SetTcpPayload(out, slice.data(), slice.size()))
    {
        return {};
    }
    PacketView w(out.data(), out.size());
    w.Parse();
    uint8_t flags = w.Flags() & uint8_t(~tcpflag::kSyn);
    if (!keepFin)
    {
        flags &= uint8_t(~tcpflag::kFin);
    }
    w.Tcp()[kTcpFlagsOffset] = flags;
    w.SetSeqNumber(seq);
    w.RecomputeChecksums();
    return out;
}

std::vector<uint8_t>
PureAck(const std::vector<uint8_t>& pkt, uint32_t ack)
{
    std::vector<uint8_t> out = pkt;
    PacketView v(out.data(), out.size());
    if (v.Parse() != ParseError::kOk)
    {
        return {};
    }
    // Keep only the headers: the payload (if present) is not part of an ACK.
    const size_t headers = v.HeadersLength();
    out.resize(headers);
    Store16(&out[2], uint16_t(headers));
    PacketView w(out.data(), out.size());
    w.Parse();
    w.Tcp()[kTcpFlagsOffset] = tcpflag::kAck;
    w.SetAckNumber(ack);
    w.RecomputeChecksums();
    return out;
}

} // namespace dysco
