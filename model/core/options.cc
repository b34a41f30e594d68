#include "options.h"

#include "bytes.h"

namespace dysco
{

bool
ShiftSackBlocks(PacketView& v, SeqDelta delta)
{
    TcpOptionRef ref;
    if (!v.FindOption(tcpopt::kSack, &ref) || ref.length < 10)
    {
        return false;
    }
    const size_t edges = (size_t(ref.length) - 2) / 4;
    const uint8_t* p = v.Tcp() + ref.offset + 2;
    uint8_t shifted[32];
    for (size_t i = 0; i < edges && i < 8; ++i)
    {
        Store32(shifted + 4 * i, Load32(p + 4 * i) - uint32_t(delta));
    }
    v.RewriteOptionBytes(ref.offset + 2, shifted, 4 * edges);
    return true;
}

void
SubtractAckDelta(PacketView& v, SeqDelta delta)
{
    if (delta == 0 || !v.HasFlag(tcpflag::kAck))
    {
        return;
    }
    v.SetAckNumber(v.AckNumber() - uint32_t(delta));
    ShiftSackBlocks(v, delta);
}

bool
ReadTimestamps(const PacketView& v, uint32_t* tsVal, uint32_t* tsEcr)
{
    TcpOptionRef ref;
    if (!v.FindOption(tcpopt::kTimestamp, &ref) || ref.length != 10)
    {
        return false;
    }
    const uint8_t* p = v.Tcp() + ref.offset + 2;
    *tsVal = Load32(p);
    *tsEcr = Load32(p + 4);
    return true;
}

bool
ClampTsEcr(PacketView& v, uint32_t newest)
{
    TcpOptionRef ref;
    if (!v.FindOption(tcpopt::kTimestamp, &ref) || ref.length != 10)
    {
        return false;
    }
    const uint32_t ecr = Load32(v.Tcp() + ref.offset + 6);
    if (int32_t(ecr - newest) <= 0)
    {
        return false;
    }
    uint8_t b[4];
    Store32(b, newest);
    v.RewriteOptionBytes(ref.offset + 6, b, 4);
    return true;
}

} // namespace dysco
