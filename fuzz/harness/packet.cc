// Packet parser, option walker and in-place rewrites (model/core packet.h, options.h,
// packet_edit.h). Properties: Parse never reads outside the buffer (ASan: the copy has the
// input's exact size); every option it reports lies inside the TCP header; on a whole
// packet with valid checksums, any sequence of rewrites keeps both checksums valid.
#include "core/packet.h"

#include "core/bytes.h"
#include "core/options.h"
#include "core/packet_edit.h"
#include "harness.h"

#include <cstring>

namespace dysco
{
namespace fuzz
{
namespace
{

void
CheckOptions(const PacketView& v)
{
    TcpOptionRef refs[40];
    const size_t n = v.Options(refs, 40);
    FUZZ_CHECK(n <= 40, "more options than bytes in the options area");
    for (size_t i = 0; i < n; ++i)
    {
        const TcpOptionRef& r = refs[i];
        FUZZ_CHECK(r.offset >= 20 && r.offset + r.length <= v.TcpHeaderLength(),
                   "option outside the TCP header");
        TcpOptionRef found;
        FUZZ_CHECK(v.FindOption(r.kind, &found), "listed option not found");
        FUZZ_CHECK(found.offset <= r.offset, "FindOption skipped the first option of a kind");
    }
}

/// Every rewrite the agents use, with values taken from the parameter bytes.
void
Rewrite(PacketView& v, const uint8_t* param)
{
    const uint32_t a = Load32(param);
    const uint32_t b = Load32(param + 4);
    FiveTuple t = v.Tuple();
    t.srcIp ^= a;
    t.dstPort = uint16_t(t.dstPort + b);
    v.SetTuple(t);
    v.SetSrcIp(v.SrcIp() + b);
    v.SetDstIp(a);
    v.SetSrcPort(uint16_t(a));
    v.SetSeqNumber(v.SeqNumber() + a);
    v.SetAckNumber(v.AckNumber() - b);
    v.SetWindow(uint16_t(b >> 16));
    ShiftSackBlocks(v, SeqDelta(a));
    SubtractAckDelta(v, SeqDelta(b));
}

void
CheckEdits(const std::vector<uint8_t>& pkt, const uint8_t* param)
{
    const uint8_t value[8] = {param[0], param[1], param[2], param[3],
                              param[4], param[5], param[6], param[7]};
    std::vector<std::vector<uint8_t>> edited(4, pkt);
    const bool ok[4] = {
        AddTcpOption(edited[0], param[2], value, param[3] % 9),
        RemoveTcpOption(edited[1], param[4]),
        SetTcpPayload(edited[2], pkt.data() + pkt.size() / 2, param[5] % (pkt.size() / 2 + 1)),
        AddTcpOption(edited[3], tcpopt::kDyscoTag, value, 4),
    };
    for (size_t i = 0; i < 4; ++i)
    {
        if (!ok[i])
        {
            FUZZ_CHECK(edited[i] == pkt, "a failed edit changed the packet");
            continue;
        }
        PacketView e(edited[i].data(), edited[i].size());
        FUZZ_CHECK(e.Parse() == ParseError::kOk, "an edit produced an unparsable packet");
        CheckOptions(e);
        FUZZ_CHECK(!e.HasFullPayload() || e.ChecksumsValid(), "an edit broke a checksum");
    }
}

} // namespace

int
FuzzPacket(const uint8_t* data, size_t size)
{
    if (size < 8)
    {
        return 0;
    }
    const uint8_t* param = data;
    std::vector<uint8_t> pkt(data + 8, data + size);
    PacketView v(pkt.data(), pkt.size());
    const ParseError e = v.Parse();
    FUZZ_CHECK(ToString(e) != nullptr, "no name for a parse error");
    if (e != ParseError::kOk)
    {
        return 0;
    }
    FUZZ_CHECK(v.HeadersLength() <= pkt.size(), "headers beyond the buffer");
    CheckOptions(v);
    // The same packet as a header-only view parses the same way.
    PacketView head(pkt.data(), v.HeadersLength());
    FUZZ_CHECK(head.Parse() == ParseError::kOk, "header-only view of a valid packet rejected");

    const bool whole = v.HasFullPayload();
    if (whole)
    {
        v.RecomputeChecksums();
        FUZZ_CHECK(v.ChecksumsValid(), "recomputed checksums do not verify");
        CheckEdits(pkt, param);
    }
    Rewrite(v, param);
    FUZZ_CHECK(v.Parse() == ParseError::kOk, "a rewrite made the packet unparsable");
    // Raw option bytes at a fuzzer-chosen (possibly odd, possibly outside) offset: the options
    // may no longer parse, but the checksum must still match.
    v.RewriteOptionBytes(param[0] % 64, param + 1, param[1] % 8);
    FUZZ_CHECK(!whole || v.ChecksumsValid(), "incremental checksum update is wrong");
    return 0;
}

} // namespace fuzz
} // namespace dysco
