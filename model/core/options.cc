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

uint8_t
WindowShiftOf(const uint8_t* options, size_t len)
{
    for (size_t i = 0; i < len;)
    {
        const uint8_t kind = options[i];
        if (kind == tcpopt::kEnd)
        {
            break;
        }
        if (kind == tcpopt::kNop)
        {
            ++i;
            continue;
        }
        if (i + 1 >= len || options[i + 1] < 2)
        {
            break;
        }
        if (kind == tcpopt::kWindowScale && options[i + 1] == 3 && i + 2 < len)
        {
            return options[i + 2] < 14 ? options[i + 2] : 14;
        }
        i += options[i + 1];
    }
    return 0;
}

void
RescaleWindow(PacketView& v, uint8_t fromShift, uint8_t toShift)
{
    const uint16_t field = v.Window();
    if (fromShift == toShift || field == 0)
    {
        return;
    }
    const uint64_t bytes = uint64_t(field) << fromShift;
    uint64_t scaled = bytes >> toShift;
    scaled = scaled == 0 ? 1 : (scaled > 65535 ? 65535 : scaled);
    v.SetWindow(uint16_t(scaled));
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

void
NoteOrClampTimestamps(PacketView& v, uint32_t& newest, bool arriving)
{
    uint32_t tsVal = 0;
    uint32_t tsEcr = 0;
    if (!ReadTimestamps(v, &tsVal, &tsEcr))
    {
        return;
    }
    if (arriving)
    {
        ClampTsEcr(v, newest);
    }
    else if (int32_t(tsVal - newest) > 0)
    {
        newest = tsVal;
    }
}

} // namespace dysco
