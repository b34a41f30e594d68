// PacketView: known-answer parsing, incremental checksum updates against full recomputation,
// strict rejection of malformed packets, and a mutation loop.
#include "core/bytes.h"
#include "core/checksum.h"
#include "core/packet.h"
#include "core/packet_edit.h"
#include "test_random.h"

#include <algorithm>
#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace
{

using namespace dysco;
using namespace dysco::test;

/// smoltcp's wire::tcp test segment (checksum 0x01b6 for 192.168.1.1 -> 192.168.1.2) behind an
/// IPv4 header whose checksum 0xb774 was computed by hand.
std::vector<uint8_t>
KnownPacket()
{
    return {0x45, 0x00, 0x00, 0x30, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06,
            0xb7, 0x74, 0xc0, 0xa8, 0x01, 0x01, 0xc0, 0xa8, 0x01, 0x02, // IPv4
            0xbf, 0x00, 0x00, 0x50, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
            0xcd, 0xef, 0x60, 0x35, 0x01, 0x23, 0x01, 0xb6, 0x02, 0x01, // TCP
            0x03, 0x03, 0x0c, 0x01,                                     // WS 12, NOP
            0xaa, 0x00, 0x00, 0xff};                                    // payload
}

ParseError
ParseExact(const std::vector<uint8_t>& bytes, size_t len)
{
    // An exactly sized heap copy, so a sanitizer build catches reads past len.
    std::vector<uint8_t> copy(bytes.begin(), bytes.begin() + len);
    return PacketView(copy.data(), copy.size()).Parse();
}

/// The parsing rules of packet.h written out independently, for differential testing.
ParseError
ReferenceParse(const std::vector<uint8_t>& b)
{
    const size_t n = b.size();
    if (n < 20)
    {
        return ParseError::kTooShort;
    }
    if (b[0] >> 4 != 4)
    {
        return ParseError::kNotIpv4;
    }
    const size_t ihl = (b[0] & 0x0F) * 4u;
    if (ihl < 20)
    {
        return ParseError::kBadIhl;
    }
    if (n < ihl)
    {
        return ParseError::kTooShort;
    }
    const size_t total = size_t(b[2]) * 256 + b[3];
    if (total < ihl + 20 || n > total)
    {
        return ParseError::kBadTotalLength;
    }
    if ((b[6] & 0x20) != 0 || (b[6] & 0x1F) != 0 || b[7] != 0)
    {
        return ParseError::kFragment;
    }
    if (b[9] != 6)
    {
        return ParseError::kNotTcp;
    }
    if (n < ihl + 20)
    {
        return ParseError::kTooShort;
    }
    const size_t doff = (b[ihl + 12] >> 4) * 4u;
    if (doff < 20 || ihl + doff > total)
    {
        return ParseError::kBadDataOffset;
    }
    if (n < ihl + doff)
    {
        return ParseError::kTooShort;
    }
    const size_t end = ihl + doff;
    for (size_t i = ihl + 20; i < end && b[i] != 0;)
    {
        if (b[i] == 1)
        {
            ++i;
            continue;
        }
        if (i + 2 > end || b[i + 1] < 2 || i + b[i + 1] > end)
        {
            return ParseError::kBadOption;
        }
        const unsigned len = b[i + 1];
        bool ok = true;
        switch (b[i])
        {
        case 2:
            ok = len == 4;
            break;
        case 3:
            ok = len == 3;
            break;
        case 4:
            ok = len == 2;
            break;
        case 5:
            ok = len == 10 || len == 18 || len == 26 || len == 34;
            break;
        case 8:
            ok = len == 10;
            break;
        case 253:
            ok = len == 6;
            break;
        case 254:
            ok = len == 12;
            break;
        }
        if (!ok)
        {
            return ParseError::kBadOption;
        }
        i += len;
    }
    return ParseError::kOk;
}

// ---------------------------------------------------------------------------------------------
// Known packet

TEST(Packet, KnownPacketParsesAndReads)
{
    auto pkt = KnownPacket();
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.IpHeaderLength(), 20u);
    EXPECT_EQ(v.TcpHeaderLength(), 24u);
    EXPECT_EQ(v.HeadersLength(), 44u);
    EXPECT_EQ(v.TotalLength(), 48u);
    EXPECT_EQ(v.PayloadLength(), 4u);
    EXPECT_TRUE(v.HasFullPayload());
    EXPECT_EQ(v.Payload()[0], 0xaa);
    EXPECT_EQ(v.SrcIp(), 0xc0a80101u);
    EXPECT_EQ(v.DstIp(), 0xc0a80102u);
    EXPECT_EQ(v.SrcPort(), 48896);
    EXPECT_EQ(v.DstPort(), 80);
    EXPECT_EQ(v.SeqNumber(), 0x01234567u);
    EXPECT_EQ(v.AckNumber(), 0x89abcdefu);
    EXPECT_EQ(v.Flags(), 0x35);
    EXPECT_TRUE(v.HasFlag(tcpflag::kFin));
    EXPECT_TRUE(v.HasFlag(tcpflag::kAck));
    EXPECT_FALSE(v.HasFlag(tcpflag::kSyn));
    EXPECT_EQ(v.Window(), 0x0123);
    EXPECT_EQ(v.Ttl(), 64);
    EXPECT_EQ(v.IpChecksum(), 0xb774);
    EXPECT_EQ(v.TcpChecksumField(), 0x01b6);
    EXPECT_EQ(v.Tuple(), (FiveTuple{0xc0a80101u, 0xc0a80102u, 48896, 80, kProtoTcp}));
    EXPECT_TRUE(v.ChecksumsValid());
    TcpOptionRef ws;
    ASSERT_TRUE(v.FindOption(tcpopt::kWindowScale, &ws));
    EXPECT_EQ(ws.offset, 20);
    EXPECT_EQ(ws.length, 3);
    EXPECT_FALSE(v.FindOption(tcpopt::kMss, nullptr));
}

TEST(Packet, KnownPacketChecksumsAreRecomputedExactly)
{
    auto pkt = KnownPacket();
    const auto orig = pkt;
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    Store16(&pkt[10], 0);
    Store16(&pkt[36], 0);
    EXPECT_FALSE(v.ChecksumsValid());
    v.RecomputeChecksums();
    EXPECT_EQ(pkt, orig);
}

TEST(Packet, KnownPacketIncrementalRewrite)
{
    // Expected values computed by hand (full RFC 1071 sums over the rewritten packet).
    auto pkt = KnownPacket();
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    v.SetDstIp(0x0a000001);
    v.SetSrcPort(1234);
    v.SetSeqNumber(0xfffffff0u);
    EXPECT_EQ(v.IpChecksum(), 0x6f1e);
    EXPECT_EQ(v.TcpChecksumField(), 0xba27);
    EXPECT_TRUE(v.ChecksumsValid());
}

TEST(Packet, ChecksumsValidDetectsCorruption)
{
    auto pkt = KnownPacket();
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    for (size_t i = 0; i < pkt.size(); ++i)
    {
        if (i == 2 || i == 3 || i == 0 || i == 32)
        {
            continue; // length fields: the view would change shape
        }
        pkt[i] ^= 0x10;
        EXPECT_FALSE(v.ChecksumsValid()) << "flip at byte " << i;
        pkt[i] ^= 0x10;
    }
    EXPECT_TRUE(v.ChecksumsValid());
    // A header-only view cannot verify the TCP checksum.
    PacketView headers(pkt.data(), 44);
    ASSERT_EQ(headers.Parse(), ParseError::kOk);
    EXPECT_FALSE(headers.HasFullPayload());
    EXPECT_FALSE(headers.ChecksumsValid());
}

// ---------------------------------------------------------------------------------------------
// Incremental updates == full recomputation

enum class Setter
{
    kSrcIp,
    kDstIp,
    kSrcPort,
    kDstPort,
    kSeq,
    kAck,
    kWindow,
    kTuple,
    kOptionBytes,
    kCount,
};

const char*
Name(Setter s)
{
    static const char* names[] = {"SetSrcIp",   "SetDstIp",     "SetSrcPort",
                                  "SetDstPort", "SetSeqNumber", "SetAckNumber",
                                  "SetWindow",  "SetTuple",     "RewriteOptionBytes"};
    return names[int(s)];
}

/// Applies one setter with a random value (sometimes the current value) and checks the getter
/// reads it back. Returns the byte range [first, last) of the header it was allowed to change,
/// besides the checksum fields.
std::pair<size_t, size_t>
ApplySetter(PacketView& v, Setter s, std::mt19937& rng)
{
    const size_t ihl = v.IpHeaderLength();
    const bool same = Uniform(rng, 0, 9) == 0;
    switch (s)
    {
    case Setter::kSrcIp:
    {
        const uint32_t x = same ? v.SrcIp() : rng();
        v.SetSrcIp(x);
        EXPECT_EQ(v.SrcIp(), x);
        return {12, 16};
    }
    case Setter::kDstIp:
    {
        const uint32_t x = same ? v.DstIp() : rng();
        v.SetDstIp(x);
        EXPECT_EQ(v.DstIp(), x);
        return {16, 20};
    }
    case Setter::kSrcPort:
    {
        const uint16_t x = same ? v.SrcPort() : uint16_t(rng());
        v.SetSrcPort(x);
        EXPECT_EQ(v.SrcPort(), x);
        return {ihl, ihl + 2};
    }
    case Setter::kDstPort:
    {
        const uint16_t x = same ? v.DstPort() : uint16_t(rng());
        v.SetDstPort(x);
        EXPECT_EQ(v.DstPort(), x);
        return {ihl + 2, ihl + 4};
    }
    case Setter::kSeq:
    {
        const uint32_t x = same ? v.SeqNumber() : rng();
        v.SetSeqNumber(x);
        EXPECT_EQ(v.SeqNumber(), x);
        return {ihl + 4, ihl + 8};
    }
    case Setter::kAck:
    {
        const uint32_t x = same ? v.AckNumber() : rng();
        v.SetAckNumber(x);
        EXPECT_EQ(v.AckNumber(), x);
        return {ihl + 8, ihl + 12};
    }
    case Setter::kWindow:
    {
        const uint16_t x = same ? v.Window() : uint16_t(rng());
        v.SetWindow(x);
        EXPECT_EQ(v.Window(), x);
        return {ihl + 14, ihl + 16};
    }
    case Setter::kTuple:
    {
        FiveTuple t = v.Tuple();
        if (!same)
        {
            t.srcIp = rng();
            t.dstIp = rng();
            t.srcPort = uint16_t(rng());
            t.dstPort = uint16_t(rng());
        }
        v.SetTuple(t);
        EXPECT_EQ(v.Tuple(), t);
        // Addresses and ports: two ranges; report the span covering both and check the gap.
        return {12, ihl + 4};
    }
    case Setter::kOptionBytes:
    default:
    {
        // Rewrite part of a random option's data (SACK blocks, timestamps, ...), at whatever
        // offset and length it has: odd offsets and lengths are exercised too.
        TcpOptionRef refs[20];
        const size_t n = std::min<size_t>(v.Options(refs, 20), 20);
        std::vector<TcpOptionRef> withData;
        for (size_t i = 0; i < n; ++i)
        {
            if (refs[i].length > 2)
            {
                withData.push_back(refs[i]);
            }
        }
        if (withData.empty())
        {
            return {0, 0};
        }
        const TcpOptionRef r = withData[Uniform(rng, 0, uint32_t(withData.size() - 1))];
        const size_t from = r.offset + 2 + Uniform(rng, 0, r.length - 3);
        const size_t len = Uniform(rng, 1, uint32_t(r.offset + r.length - from));
        const auto bytes = RandomBytes(rng, len);
        v.RewriteOptionBytes(from, bytes.data(), len);
        EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), v.Tcp() + from));
        return {ihl + from, ihl + from + len};
    }
    }
}

/// Checks that `pkt`'s checksum fields equal a full recomputation, by the core and by the
/// independent reference.
void
ExpectChecksumsExact(const std::vector<uint8_t>& pkt, const std::string& what)
{
    auto copy = pkt;
    PacketView(copy.data(), copy.size()).RecomputeChecksums();
    EXPECT_EQ(copy, pkt) << what << ": incremental != full recomputation";
    const size_t ihl = size_t(pkt[0] & 0x0F) * 4;
    EXPECT_EQ(Load16(&pkt[10]), ReferenceIpChecksum(pkt)) << what;
    EXPECT_EQ(Load16(&pkt[ihl + 16]), ReferenceTcpChecksum(pkt)) << what;
}

TEST(Packet, EverySetterMatchesFullRecomputationOnRandomPackets)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 3000; ++iter)
    {
        const auto orig = RandomPacket(rng);
        for (int s = 0; s < int(Setter::kCount); ++s)
        {
            auto pkt = orig;
            PacketView v(pkt.data(), pkt.size());
            ASSERT_EQ(v.Parse(), ParseError::kOk);
            const auto range = ApplySetter(v, Setter(s), rng);
            const std::string what = std::string(Name(Setter(s))) + " iter " + std::to_string(iter);
            ExpectChecksumsExact(pkt, what);
            ASSERT_TRUE(v.ChecksumsValid()) << what;
            ASSERT_EQ(v.Parse(), ParseError::kOk) << what;
            // Nothing but the field and the checksums changed.
            const size_t ihl = v.IpHeaderLength();
            for (size_t i = 0; i < pkt.size(); ++i)
            {
                const bool checksum = i == 10 || i == 11 || i == ihl + 16 || i == ihl + 17;
                const bool field = i >= range.first && i < range.second &&
                                   !(Setter(s) == Setter::kTuple && i >= 20 && i < ihl);
                if (!checksum && !field)
                {
                    ASSERT_EQ(pkt[i], orig[i]) << what << ": byte " << i << " changed";
                }
            }
            if (::testing::Test::HasFailure())
            {
                return;
            }
        }
    }
}

TEST(Packet, SetterChainsMatchFullRecomputation)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 3000; ++iter)
    {
        auto pkt = RandomPacket(rng);
        PacketView v(pkt.data(), pkt.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        for (uint32_t k = Uniform(rng, 1, 12); k > 0; --k)
        {
            ApplySetter(v, Setter(Uniform(rng, 0, uint32_t(Setter::kCount) - 1)), rng);
        }
        ExpectChecksumsExact(pkt, "chain " + std::to_string(iter));
        if (::testing::Test::HasFailure())
        {
            return;
        }
    }
}

TEST(Packet, HeaderOnlyViewsRewriteLikeFullPackets)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 2000; ++iter)
    {
        auto full = RandomPacket(rng, 1400);
        PacketView fv(full.data(), full.size());
        ASSERT_EQ(fv.Parse(), ParseError::kOk);
        // The binding may hand over just the headers, or the headers and part of the payload.
        const size_t len = fv.HeadersLength() + Uniform(rng, 0, uint32_t(fv.PayloadLength()));
        std::vector<uint8_t> head(full.begin(), full.begin() + len);
        PacketView hv(head.data(), head.size());
        ASSERT_EQ(hv.Parse(), ParseError::kOk);
        EXPECT_EQ(hv.HasFullPayload(), len == full.size());
        EXPECT_EQ(hv.PayloadLength(), fv.PayloadLength());
        const uint32_t seed = rng();
        std::mt19937 r1(seed);
        std::mt19937 r2(seed);
        for (int k = 0; k < 6; ++k)
        {
            const Setter s = Setter(Uniform(r1, 0, uint32_t(Setter::kCount) - 1));
            Uniform(r2, 0, uint32_t(Setter::kCount) - 1);
            ApplySetter(fv, s, r1);
            ApplySetter(hv, s, r2);
        }
        ASSERT_TRUE(std::equal(head.begin(), head.end(), full.begin()));
        ASSERT_TRUE(fv.ChecksumsValid());
    }
}

TEST(Packet, ZeroChecksumFieldsAreHandled)
{
    // ns-3 with checksums off emits 0 in both fields; rewriting must still work, and turning
    // checksums on later with RecomputeChecksums gives a valid packet.
    auto pkt = KnownPacket();
    Store16(&pkt[10], 0);
    Store16(&pkt[36], 0);
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    v.SetTuple(FiveTuple{1, 2, 3, 4, kProtoTcp});
    v.SetSeqNumber(5);
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.Tuple(), (FiveTuple{1, 2, 3, 4, kProtoTcp}));
    v.RecomputeChecksums();
    EXPECT_TRUE(v.ChecksumsValid());
}

TEST(Packet, RewriteOptionBytesOutsideTheOptionsIsIgnored)
{
    auto pkt = KnownPacket();
    const auto orig = pkt;
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    const uint8_t junk[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    v.RewriteOptionBytes(16, junk, 2); // the checksum field itself
    v.RewriteOptionBytes(22, junk, 3); // runs into the payload
    v.RewriteOptionBytes(24, junk, 1); // first payload byte
    v.RewriteOptionBytes(SIZE_MAX, junk, 2);
    EXPECT_EQ(pkt, orig);
    const uint8_t ws[2] = {7, tcpopt::kNop};
    v.RewriteOptionBytes(22, ws, 2); // the window-scale value and the NOP: allowed
    EXPECT_EQ(pkt[42], 7);
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_TRUE(v.ChecksumsValid());
}

// ---------------------------------------------------------------------------------------------
// Options

TEST(Packet, OptionsAreListedInOrderWithOffsets)
{
    // A Linux-style SYN: MSS, SACK-permitted, TS, NOP, WS; then a tag and EOL padding.
    const uint8_t opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8,   10, 1, 2, 3, 4, 5, 6,
                            7, 8, 1,    3,    3, 7, 253, 6,  0, 0, 0, 9, 0, 0};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kSyn, 7, opts, sizeof(opts), nullptr, 0);
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    TcpOptionRef refs[8];
    ASSERT_EQ(v.Options(refs, 8), 5u);
    const uint8_t kinds[] = {2, 4, 8, 3, 253};
    const uint16_t offsets[] = {20, 24, 26, 37, 40};
    const uint8_t lengths[] = {4, 2, 10, 3, 6};
    for (size_t i = 0; i < 5; ++i)
    {
        EXPECT_EQ(refs[i].kind, kinds[i]);
        EXPECT_EQ(refs[i].offset, offsets[i]);
        EXPECT_EQ(refs[i].length, lengths[i]);
    }
    // A short output array still reports the full count.
    TcpOptionRef two[2];
    EXPECT_EQ(v.Options(two, 2), 5u);
    EXPECT_EQ(two[1].kind, 4);
    EXPECT_EQ(v.Options(nullptr, 0), 5u);
    TcpOptionRef tag;
    ASSERT_TRUE(v.FindOption(tcpopt::kDyscoTag, &tag));
    EXPECT_EQ(Load32(v.Tcp() + tag.offset + 2), 9u);
    EXPECT_FALSE(v.FindOption(tcpopt::kSack, &tag));
}

TEST(Packet, FindOptionReturnsTheFirstOfAKind)
{
    const uint8_t opts[] = {253, 6, 0, 0, 0, 1, 253, 6, 0, 0, 0, 2};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, opts, sizeof(opts), nullptr, 0);
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    TcpOptionRef r;
    ASSERT_TRUE(v.FindOption(tcpopt::kDyscoTag, &r));
    EXPECT_EQ(r.offset, 20);
}

TEST(Packet, BytesAfterEndOfOptionsAreIgnored)
{
    const uint8_t opts[] = {2, 4, 1, 0, 0, 2, 0, 7}; // MSS, EOL, then junk (an MSS of length 0)
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, opts, sizeof(opts), nullptr, 0);
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.Options(nullptr, 0), 1u);
}

// ---------------------------------------------------------------------------------------------
// Rejection of malformed packets

std::vector<uint8_t>
RichPacket(bool ipOptions)
{
    const uint8_t opts[] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 3, 3, 7};
    const uint8_t payload[] = {'h', 'e', 'l', 'l', 'o', ' ', 'd', 'y', 's', 'c', 'o'};
    auto pkt = BuildTcpPacket(0x0a000001, 0x0a000302, 49153, 80, 1000, 2000, tcpflag::kAck, 512,
                              opts, sizeof(opts), payload, sizeof(payload));
    if (ipOptions)
    {
        const uint8_t ipOpts[] = {0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00}; // RA, NOPs
        pkt.insert(pkt.begin() + 20, ipOpts, ipOpts + sizeof(ipOpts));
        pkt[0] = 0x47;
        Store16(&pkt[2], uint16_t(pkt.size()));
        PacketView(pkt.data(), pkt.size()).RecomputeChecksums();
    }
    return pkt;
}

TEST(PacketParse, TruncationAtEveryPrefixLength)
{
    for (bool ipOptions : {false, true})
    {
        const auto pkt = RichPacket(ipOptions);
        PacketView v(const_cast<uint8_t*>(pkt.data()), pkt.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        ASSERT_TRUE(v.ChecksumsValid());
        const size_t headers = v.HeadersLength();
        for (size_t len = 0; len <= pkt.size(); ++len)
        {
            // Shorter than the headers is an error; a header-only view (or a partial payload)
            // is fine.
            EXPECT_EQ(ParseExact(pkt, len), len < headers ? ParseError::kTooShort : ParseError::kOk)
                << "len " << len << " ipOptions " << ipOptions;
        }
    }
}

ParseError
ParseModified(bool ipOptions, const std::function<void(std::vector<uint8_t>&)>& edit)
{
    auto pkt = RichPacket(ipOptions);
    edit(pkt);
    return ParseExact(pkt, pkt.size());
}

TEST(PacketParse, RejectsBadIpHeaders)
{
    for (bool o : {false, true})
    {
        const size_t ihl = o ? 28 : 20;
        for (uint8_t version : {0, 5, 6, 15})
        {
            EXPECT_EQ(
                ParseModified(o, [&](auto& p) { p[0] = uint8_t(version << 4 | (p[0] & 15)); }),
                ParseError::kNotIpv4);
        }
        for (uint8_t ihlWords = 0; ihlWords < 5; ++ihlWords)
        {
            EXPECT_EQ(ParseModified(o, [&](auto& p) { p[0] = uint8_t(0x40 | ihlWords); }),
                      ParseError::kBadIhl);
        }
        // Total length below the headers, zero, or shorter than the buffer.
        for (uint16_t total : {0, 20, 39, 59})
        {
            EXPECT_EQ(ParseModified(o, [&](auto& p) { Store16(&p[2], total); }),
                      ParseError::kBadTotalLength)
                << total;
        }
        EXPECT_EQ(ParseModified(o, [&](auto& p) { Store16(&p[2], uint16_t(p.size() - 1)); }),
                  ParseError::kBadTotalLength);
        EXPECT_EQ(ParseModified(o, [&](auto& p) { p.push_back(0); }), ParseError::kBadTotalLength);
        // A total length above the buffer is a header-only view.
        EXPECT_EQ(ParseModified(o, [&](auto& p) { Store16(&p[2], 1500); }), ParseError::kOk);
        for (uint16_t frag : {0x2000, 0x0001, 0x1FFF, 0x6000, 0x4001})
        {
            EXPECT_EQ(ParseModified(o, [&](auto& p) { Store16(&p[6], frag); }),
                      ParseError::kFragment)
                << frag;
        }
        EXPECT_EQ(ParseModified(o, [&](auto& p) { Store16(&p[6], 0x4000); }), ParseError::kOk);
        for (uint8_t proto : {0, 1, 17, 41, 255})
        {
            EXPECT_EQ(ParseModified(o, [&](auto& p) { p[9] = proto; }), ParseError::kNotTcp);
        }
        // IHL claiming more than the buffer holds.
        EXPECT_EQ(ParseModified(o,
                                [&](auto& p)
                                {
                                    p.resize(ihl + 10);
                                    p[0] = 0x4F;
                                    Store16(&p[2], 1500);
                                }),
                  ParseError::kTooShort);
    }
}

TEST(PacketParse, RejectsBadDataOffsets)
{
    for (bool o : {false, true})
    {
        const size_t ihl = o ? 28 : 20;
        for (uint8_t doff = 0; doff < 5; ++doff)
        {
            EXPECT_EQ(ParseModified(o, [&](auto& p) { p[ihl + 12] = uint8_t(doff << 4); }),
                      ParseError::kBadDataOffset);
        }
        // Beyond the total length: drop the payload so 60 header bytes do not fit.
        EXPECT_EQ(ParseModified(o,
                                [&](auto& p)
                                {
                                    p.resize(ihl + 40);
                                    Store16(&p[2], uint16_t(p.size()));
                                    p[ihl + 12] = 0xF0;
                                }),
                  ParseError::kBadDataOffset);
        // Within the total length but beyond a header-only buffer.
        EXPECT_EQ(ParseModified(o,
                                [&](auto& p)
                                {
                                    p.resize(ihl + 40);
                                    Store16(&p[2], 1500);
                                    p[ihl + 12] = 0xF0;
                                }),
                  ParseError::kTooShort);
    }
}

/// Parses a packet whose TCP options area is exactly `opts` (a multiple of 4 bytes).
ParseError
ParseWithOptions(std::vector<uint8_t> opts)
{
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, opts.data(), opts.size(), nullptr, 0);
    EXPECT_FALSE(pkt.empty());
    return ParseExact(pkt, pkt.size());
}

TEST(PacketParse, RejectsMalformedOptions)
{
    const ParseError bad = ParseError::kBadOption;
    // Length 0 or 1, known and unknown kinds.
    for (uint8_t kind : {2, 3, 4, 5, 8, 30, 253, 254})
    {
        EXPECT_EQ(ParseWithOptions({kind, 0, 0, 0}), bad) << +kind;
        EXPECT_EQ(ParseWithOptions({kind, 1, 0, 0}), bad) << +kind;
    }
    // Overrun of the options area.
    EXPECT_EQ(ParseWithOptions({30, 6, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({1, 1, 1, 2}), bad); // no room for the length byte
    EXPECT_EQ(ParseWithOptions({1, 1, 2, 4}), bad);
    EXPECT_EQ(ParseWithOptions({1, 1, 1, 1, 8, 10, 0, 0}), bad);
    // Overruns by exactly one byte.
    EXPECT_EQ(ParseWithOptions({1, 30, 4, 0}), bad);
    EXPECT_EQ(ParseWithOptions({1, 1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({1, 30, 3, 0}), ParseError::kOk); // ...and the exact fit
    // Wrong fixed lengths.
    EXPECT_EQ(ParseWithOptions({2, 3, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({2, 5, 0, 0, 0, 0, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({3, 2, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({3, 4, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({4, 3, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({8, 8, 0, 0, 0, 0, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({253, 4, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({253, 8, 0, 0, 0, 0, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({254, 2, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({254, 4, 0, 0}), bad);
    // SACK: 0 blocks, a partial block, and 5 blocks (42 bytes) in a full 40-byte area.
    EXPECT_EQ(ParseWithOptions({5, 2, 0, 0}), bad);
    EXPECT_EQ(ParseWithOptions({5, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), bad);
    std::vector<uint8_t> fiveBlocks(40, 0);
    fiveBlocks[0] = 5;
    fiveBlocks[1] = 42;
    EXPECT_EQ(ParseWithOptions(fiveBlocks), bad);
    // A bad option after good ones.
    EXPECT_EQ(ParseWithOptions({2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 3, 2}), bad);
}

TEST(PacketParse, AcceptsWellFormedOptions)
{
    const ParseError ok = ParseError::kOk;
    for (uint8_t blocks = 1; blocks <= 4; ++blocks)
    {
        std::vector<uint8_t> o{1, 1, 5, uint8_t(2 + 8 * blocks)};
        o.resize(4 + 8 * blocks, 0xAB);
        EXPECT_EQ(ParseWithOptions(o), ok) << +blocks;
    }
    EXPECT_EQ(ParseWithOptions({}), ok);
    EXPECT_EQ(ParseWithOptions({1, 1, 1, 1}), ok);
    EXPECT_EQ(ParseWithOptions({0, 0, 0, 0}), ok);
    EXPECT_EQ(ParseWithOptions({30, 2, 31, 2}), ok); // unknown kinds, minimal length
    EXPECT_EQ(ParseWithOptions({253, 6, 1, 2, 3, 4, 0, 0}), ok);
    EXPECT_EQ(ParseWithOptions({254, 12, 3, 0, 10, 0, 0, 1, 0, 0, 0, 7}), ok);
    EXPECT_EQ(ParseWithOptions({3, 3, 14, 0}), ok);
    std::vector<uint8_t> full(40, 0xCC);
    full[0] = 99;
    full[1] = 40; // an unknown option filling the whole area
    EXPECT_EQ(ParseWithOptions(full), ok);
}

TEST(PacketParse, ErrorNamesAreDistinct)
{
    std::vector<std::string> names;
    for (int e = int(ParseError::kOk); e <= int(ParseError::kBadOption); ++e)
    {
        const std::string name = ToString(ParseError(e));
        EXPECT_FALSE(name.empty());
        EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name;
        names.push_back(name);
    }
}

// ---------------------------------------------------------------------------------------------
// Mutation loop

/// Damages a packet in one of several ways that target the fields Parse() checks.
void
Mutate(std::vector<uint8_t>& p, std::mt19937& rng)
{
    const size_t ihl = size_t(p[0] & 0x0F) * 4;
    switch (Uniform(rng, 0, 7))
    {
    case 0: // random bytes anywhere in the first 100
        for (uint32_t k = Uniform(rng, 1, 4); k > 0; --k)
        {
            p[Uniform(rng, 0, uint32_t(std::min<size_t>(p.size(), 100) - 1))] = uint8_t(rng());
        }
        break;
    case 1: // bit flips in the headers
        for (uint32_t k = Uniform(rng, 1, 3); k > 0; --k)
        {
            p[Uniform(rng, 0, uint32_t(std::min<size_t>(p.size(), ihl + 60) - 1))] ^=
                uint8_t(1u << Uniform(rng, 0, 7));
        }
        break;
    case 2: // version / IHL nibble
        p[0] = uint8_t(rng());
        break;
    case 3: // total length near the real one
        Store16(&p[2], uint16_t(p.size() + Uniform(rng, 0, 80) - 40));
        break;
    case 4: // data offset
        if (ihl + 12 < p.size())
        {
            p[ihl + 12] = uint8_t(Uniform(rng, 0, 15) << 4);
        }
        break;
    case 5: // an option length or kind
        if (ihl + 21 < p.size())
        {
            const size_t i = ihl + 20 + Uniform(rng, 0, 39);
            if (i < p.size())
            {
                p[i] = uint8_t(Uniform(rng, 0, 3) == 0 ? rng() : Uniform(rng, 0, 12));
            }
        }
        break;
    case 6: // truncate
        p.resize(Uniform(rng, 0, uint32_t(p.size())));
        break;
    default: // extend
        for (uint32_t k = Uniform(rng, 1, 8); k > 0; --k)
        {
            p.push_back(uint8_t(rng()));
        }
        break;
    }
}

TEST(PacketParse, RandomMutationsNeverCrashAndParseConsistently)
{
    std::mt19937 rng(TestSeed());
    std::vector<std::vector<uint8_t>> pool;
    for (int i = 0; i < 256; ++i)
    {
        pool.push_back(RandomPacket(rng, 60));
    }
    size_t accepted = 0;
    size_t counts[int(ParseError::kBadOption) + 1] = {};
    for (int iter = 0; iter < 100000; ++iter)
    {
        std::vector<uint8_t> p = pool[Uniform(rng, 0, uint32_t(pool.size() - 1))];
        for (uint32_t k = Uniform(rng, 1, 3); k > 0 && !p.empty(); --k)
        {
            Mutate(p, rng);
        }
        p.shrink_to_fit(); // exact heap size, for sanitizer builds
        PacketView v(p.data(), p.size());
        const ParseError e = v.Parse();
        ++counts[int(e)];
        ASSERT_EQ(e, ReferenceParse(p)) << "iter " << iter;
        ASSERT_EQ(v.Parse(), e) << "Parse is not repeatable";
        if (e != ParseError::kOk)
        {
            continue;
        }
        ++accepted;
        // Everything a parsed view reports lies inside the buffer and adds up.
        ASSERT_LE(v.HeadersLength(), p.size());
        ASSERT_EQ(v.HeadersLength() + v.PayloadLength(), v.TotalLength());
        ASSERT_EQ(v.HasFullPayload(), p.size() == v.TotalLength());
        TcpOptionRef refs[20];
        const size_t n = v.Options(refs, 20);
        ASSERT_LE(n, 20u);
        size_t prevEnd = 20;
        for (size_t i = 0; i < n; ++i)
        {
            ASSERT_GE(refs[i].offset, prevEnd);
            ASSERT_GE(refs[i].length, 2);
            ASSERT_LE(refs[i].offset + refs[i].length, v.TcpHeaderLength());
            prevEnd = refs[i].offset + refs[i].length;
            TcpOptionRef first;
            ASSERT_TRUE(v.FindOption(refs[i].kind, &first));
            ASSERT_LE(first.offset, refs[i].offset);
        }
        // Rewrites keep the packet parseable, and keep valid checksums valid and exact.
        if (v.HasFullPayload() && Uniform(rng, 0, 1) == 0)
        {
            v.RecomputeChecksums();
        }
        const bool wasValid = v.ChecksumsValid();
        for (int k = 0; k < 3; ++k)
        {
            ApplySetter(v, Setter(Uniform(rng, 0, uint32_t(Setter::kCount) - 1)), rng);
        }
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        if (wasValid)
        {
            ASSERT_TRUE(v.ChecksumsValid());
            ExpectChecksumsExact(p, "mutated " + std::to_string(iter));
            ASSERT_FALSE(::testing::Test::HasFailure());
        }
    }
    // The loop must actually reach every outcome, or it tests less than it claims.
    for (int e = 0; e <= int(ParseError::kBadOption); ++e)
    {
        EXPECT_GT(counts[e], 0u) << ToString(ParseError(e));
    }
    std::cout << "accepted " << accepted << " of 100000 mutated packets" << std::endl;
}

} // namespace
