// The data path's common case: a segment of an established session that carries data or
// an ACK and needs nothing but the map entry's 5-tuple rewrite and the sequence tracking.
// It is what Translate() does for such a packet, minus the checks and branches that cannot
// apply to it; any packet or session outside this case goes the general way unchanged.
#include "agent.h"
#include "checksum_delta.h"
#include "packet.h"

namespace dysco
{

namespace
{

constexpr size_t kIpHeader = 20;   ///< no IPv4 options: version 4, IHL 5 (first byte 0x45)
constexpr size_t kTcpPlain = 20;   ///< no TCP options
constexpr size_t kTcpStamped = 32; ///< NOP, NOP, timestamp: Linux's layout on data segments

/// TCP header length if `tcp` (with `avail` bytes present) has one of the two layouts the
/// fast path knows, which PacketView::Parse() accepts; 0 otherwise.
size_t
CommonTcpHeaderLength(const uint8_t* tcp, size_t avail)
{
    const uint8_t dataOffset = tcp[12] >> 4;
    if (dataOffset == kTcpPlain / 4)
    {
        return kTcpPlain;
    }
    if (dataOffset == kTcpStamped / 4 && avail >= kTcpStamped && tcp[20] == tcpopt::kNop &&
        tcp[21] == tcpopt::kNop && tcp[22] == tcpopt::kTimestamp && tcp[23] == 10)
    {
        return kTcpStamped;
    }
    return 0;
}

} // namespace

bool
Agent::FastForward(uint8_t* data, size_t len, MapEntry& e, bool ingress)
{
    constexpr uint8_t kGeneral =
        MapEntry::kSlow | MapEntry::kDelta | MapEntry::kRescale | MapEntry::kTsClamp;
    constexpr uint8_t kControlFlags = tcpflag::kSyn | tcpflag::kFin | tcpflag::kRst;
    if ((e.flags & kGeneral) || len < kIpHeader + kTcpPlain || data[0] != 0x45 ||
        data[9] != kProtoTcp || (Load16(data + 6) & 0x3FFF) != 0)
    {
        return false;
    }
    uint8_t* tcp = data + kIpHeader;
    const size_t tcpLen = CommonTcpHeaderLength(tcp, len - kIpHeader);
    const size_t total = Load16(data + 2);
    const uint8_t flags = tcp[13];
    // Parse()'s length checks for this layout: headers present and within the total
    // length, and the buffer not longer than the packet.
    if (tcpLen == 0 || total < kIpHeader + tcpLen || len > total || (flags & kControlFlags))
    {
        return false;
    }
    const bool towardRight = (e.flags & MapEntry::kTowardRight) != 0;
    const int stream = towardRight ? 0 : 1;
    const int side = (ingress == towardRight) ? 0 : 1;
    SessionTrack& tr = m_sessions.Track(e.session);
    // A merged side may need its stale acks raised; a shifting middlebox on the right side
    // needs the session record: both are Translate()'s business.
    if ((ingress && (tr.merged & (1 << side))) || (side == 1 && tr.shifted))
    {
        return false;
    }
    const uint32_t seq = Load32(tcp + 4);
    const uint32_t ack = Load32(tcp + 8);
    RewriteTuple(data, tcp, e.Rewrite());
    ++m_counters.packets;
    ++m_counters.rewritten;
    ++m_fastForwarded;
    tr.Note(stream, seq, uint32_t(total - kIpHeader - tcpLen), (flags & tcpflag::kAck) != 0, ack);
    return true;
}

} // namespace dysco
