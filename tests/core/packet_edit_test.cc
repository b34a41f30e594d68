// Length-changing packet edits: options added and removed, payload replaced, packets built.
#include "core/bytes.h"
#include "core/packet.h"
#include "core/packet_edit.h"
#include "test_random.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace
{

using namespace dysco;
using namespace dysco::test;

/// The raw bytes of each option (NOP and EOL padding left out), in order.
std::vector<std::vector<uint8_t>>
OptionList(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    TcpOptionRef refs[20];
    const size_t n = v.Options(refs, 20);
    std::vector<std::vector<uint8_t>> out;
    for (size_t i = 0; i < n; ++i)
    {
        out.emplace_back(v.Tcp() + refs[i].offset, v.Tcp() + refs[i].offset + refs[i].length);
    }
    return out;
}

size_t
OptionBytes(const std::vector<std::vector<uint8_t>>& list)
{
    size_t n = 0;
    for (const auto& o : list)
    {
        n += o.size();
    }
    return n;
}

std::vector<uint8_t>
PayloadOf(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    return std::vector<uint8_t>(v.Payload(), v.Payload() + v.PayloadLength());
}

/// The edited packet is valid, its checksums exact, and everything an edit must not touch
/// (IP header bar length and checksum, TCP fixed header bar data offset and checksum) equal.
void
ExpectValidEdit(std::vector<uint8_t>& before, std::vector<uint8_t>& after, const std::string& what)
{
    PacketView b(before.data(), before.size());
    PacketView a(after.data(), after.size());
    ASSERT_EQ(b.Parse(), ParseError::kOk) << what;
    ASSERT_EQ(a.Parse(), ParseError::kOk) << what;
    EXPECT_TRUE(a.HasFullPayload()) << what;
    EXPECT_TRUE(a.ChecksumsValid()) << what;
    EXPECT_EQ(a.IpChecksum(), ReferenceIpChecksum(after)) << what;
    EXPECT_EQ(a.TcpChecksumField(), ReferenceTcpChecksum(after)) << what;
    EXPECT_EQ(a.TotalLength(), after.size()) << what;
    EXPECT_EQ(a.TcpHeaderLength() % 4, 0u) << what;
    ASSERT_EQ(a.IpHeaderLength(), b.IpHeaderLength()) << what;
    for (size_t i = 0; i < b.IpHeaderLength(); ++i)
    {
        if (i != 2 && i != 3 && i != 10 && i != 11)
        {
            EXPECT_EQ(after[i], before[i]) << what << ": IP byte " << i;
        }
    }
    for (size_t i = 0; i < 20; ++i)
    {
        if (i != 12 && i != 16 && i != 17)
        {
            EXPECT_EQ(a.Tcp()[i], b.Tcp()[i]) << what << ": TCP byte " << i;
        }
    }
    EXPECT_EQ(a.Tcp()[12] & 0x0F, b.Tcp()[12] & 0x0F) << what << ": reserved bits";
}

TEST(PacketEdit, BuildTcpPacketIsValid)
{
    const uint8_t opts[] = {2, 4, 0x05, 0xb4};
    const uint8_t payload[] = {1, 2, 3};
    auto pkt = BuildTcpPacket(0x0a000001, 0x0a000302, 49153, 80, 0xfffffff0u, 7,
                              tcpflag::kSyn | tcpflag::kAck, 29200, opts, 4, payload, 3);
    ASSERT_EQ(pkt.size(), 47u);
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(pkt[0], 0x45);
    EXPECT_EQ(v.Ttl(), 64);
    EXPECT_EQ(v.Tuple(), (FiveTuple{0x0a000001, 0x0a000302, 49153, 80, kProtoTcp}));
    EXPECT_EQ(v.SeqNumber(), 0xfffffff0u);
    EXPECT_EQ(v.AckNumber(), 7u);
    EXPECT_EQ(v.Flags(), tcpflag::kSyn | tcpflag::kAck);
    EXPECT_EQ(v.Window(), 29200);
    EXPECT_EQ(v.TcpHeaderLength(), 24u);
    EXPECT_EQ(PayloadOf(pkt), (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_TRUE(v.ChecksumsValid());
    EXPECT_EQ(v.IpChecksum(), ReferenceIpChecksum(pkt));
    EXPECT_EQ(v.TcpChecksumField(), ReferenceTcpChecksum(pkt));
}

TEST(PacketEdit, BuildTcpPacketRejectsBadArguments)
{
    const uint8_t opts[44] = {};
    std::vector<uint8_t> big(65535 - 40 + 1);
    EXPECT_TRUE(BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, opts, 3, nullptr, 0).empty());
    EXPECT_TRUE(BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, opts, 44, nullptr, 0).empty());
    EXPECT_TRUE(BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, nullptr, 4, nullptr, 0).empty());
    EXPECT_TRUE(BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, nullptr, 0, nullptr, 1).empty());
    EXPECT_TRUE(BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, nullptr, 0, big.data(), big.size()).empty());
    EXPECT_EQ(BuildTcpPacket(1, 2, 3, 4, 5, 6, 0, 7, nullptr, 0, big.data(), big.size() - 1).size(),
              65535u);
}

// ---------------------------------------------------------------------------------------------
// AddTcpOption

TEST(PacketEdit, AddTcpOptionKeepsPacketsValidOrFailsCleanly)
{
    std::mt19937 rng(TestSeed());
    size_t added = 0;
    size_t refused = 0;
    for (int iter = 0; iter < 4000; ++iter)
    {
        auto pkt = RandomPacket(rng);
        const auto before = pkt;
        auto beforeCopy = pkt;
        const auto oldOptions = OptionList(pkt);
        const auto oldPayload = PayloadOf(pkt);
        // The tag, or an unknown kind with 0..8 value bytes.
        const bool tag = Uniform(rng, 0, 1) == 0;
        const uint8_t kind = tag ? tcpopt::kDyscoTag : uint8_t(Uniform(rng, 30, 250));
        const auto value = RandomBytes(rng, tag ? 4 : Uniform(rng, 0, 8));
        const bool fits = OptionBytes(oldOptions) + 2 + value.size() <= 40;
        const std::string what = "iter " + std::to_string(iter);
        ASSERT_EQ(AddTcpOption(pkt, kind, value.data(), value.size()), fits) << what;
        if (!fits)
        {
            ++refused;
            ASSERT_EQ(pkt, before) << what << ": changed although the edit failed";
            continue;
        }
        ++added;
        ExpectValidEdit(beforeCopy, pkt, what);
        auto expect = oldOptions;
        std::vector<uint8_t> opt{kind, uint8_t(2 + value.size())};
        opt.insert(opt.end(), value.begin(), value.end());
        expect.push_back(opt);
        ASSERT_EQ(OptionList(pkt), expect) << what;
        ASSERT_EQ(PayloadOf(pkt), oldPayload) << what;
        if (::testing::Test::HasFailure())
        {
            return;
        }
    }
    EXPECT_GT(added, 0u);
    EXPECT_GT(refused, 0u);
}

TEST(PacketEdit, AddTcpOptionKeepsTheExistingLayout)
{
    // Linux SYN options: the NOP that aligns the window scale stays where it was.
    const uint8_t opts[] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 3, 3, 7};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 0, tcpflag::kSyn, 7, opts, sizeof(opts), nullptr, 0);
    const uint8_t tag[] = {0, 0, 0, 42};
    ASSERT_TRUE(AddTcpOption(pkt, tcpopt::kDyscoTag, tag, 4));
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.TcpHeaderLength(), 48u);
    EXPECT_TRUE(std::equal(opts, opts + sizeof(opts), v.Tcp() + 20));
    const uint8_t rest[] = {253, 6, 0, 0, 0, 42, 0, 0};
    EXPECT_TRUE(std::equal(rest, rest + sizeof(rest), v.Tcp() + 40));
    EXPECT_TRUE(v.ChecksumsValid());
}

TEST(PacketEdit, AddTcpOptionAtTheFortyByteLimit)
{
    const uint8_t tag[] = {1, 2, 3, 4};
    // A 4-block SACK (34 bytes) leaves exactly room for a 6-byte tag.
    std::vector<uint8_t> sack{5, 34};
    sack.resize(34, 0x11);
    sack.resize(36, 0);
    auto pkt =
        BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kAck, 7, sack.data(), sack.size(), nullptr, 0);
    ASSERT_TRUE(AddTcpOption(pkt, tcpopt::kDyscoTag, tag, 4));
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.TcpHeaderLength(), 60u);
    // Now full: even a 2-byte option fails, leaving the packet as it was.
    const auto full = pkt;
    EXPECT_FALSE(AddTcpOption(pkt, tcpopt::kSackPermitted, nullptr, 0));
    EXPECT_EQ(pkt, full);

    // 36 option bytes + 6 would be 42.
    sack = {5, 34};
    sack.resize(34, 0x22);
    sack.insert(sack.end(), {4, 2, 0, 0});
    pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kAck, 7, sack.data(), sack.size(), nullptr, 0);
    const auto before = pkt;
    EXPECT_FALSE(AddTcpOption(pkt, tcpopt::kDyscoTag, tag, 4));
    EXPECT_EQ(pkt, before);
}

TEST(PacketEdit, AddTcpOptionDropsAlignmentNopsOnlyWhenOutOfRoom)
{
    // NOP NOP TS, NOP NOP SACK(2 blocks), NOP NOP MSS: 38 bytes, 32 without NOPs.
    std::vector<uint8_t> opts{1, 1, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1, 5, 18};
    opts.resize(32, 0x33);
    opts.insert(opts.end(), {1, 1, 2, 4, 5, 0xb4, 0, 0});
    const uint8_t payload[] = {9, 8, 7};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kAck, 7, opts.data(), opts.size(), payload,
                              sizeof(payload));
    auto before = pkt;
    const auto oldOptions = OptionList(pkt);
    const uint8_t tag[] = {0, 0, 1, 0};
    ASSERT_TRUE(AddTcpOption(pkt, tcpopt::kDyscoTag, tag, 4));
    ExpectValidEdit(before, pkt, "compacted");
    auto expect = oldOptions;
    expect.push_back({253, 6, 0, 0, 1, 0});
    EXPECT_EQ(OptionList(pkt), expect);
    EXPECT_EQ(PayloadOf(pkt), (std::vector<uint8_t>{9, 8, 7}));
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.TcpHeaderLength(), 60u);
}

TEST(PacketEdit, AddTcpOptionRejectsBadOptions)
{
    const uint8_t value[40] = {};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kSyn, 7, nullptr, 0, nullptr, 0);
    const auto before = pkt;
    EXPECT_FALSE(AddTcpOption(pkt, tcpopt::kEnd, nullptr, 0));
    EXPECT_FALSE(AddTcpOption(pkt, tcpopt::kNop, nullptr, 0));
    EXPECT_FALSE(AddTcpOption(pkt, tcpopt::kMss, value, 3));      // MSS is 4 bytes
    EXPECT_FALSE(AddTcpOption(pkt, tcpopt::kDyscoTag, value, 2)); // the tag is 6 bytes
    EXPECT_FALSE(AddTcpOption(pkt, tcpopt::kSack, nullptr, 0));   // SACK needs a block
    EXPECT_FALSE(AddTcpOption(pkt, 99, value, 39));               // 41 bytes
    EXPECT_FALSE(AddTcpOption(pkt, 99, nullptr, 2));
    EXPECT_EQ(pkt, before);
    EXPECT_TRUE(AddTcpOption(pkt, 99, value, 38)); // 40 bytes: the whole area
}

// ---------------------------------------------------------------------------------------------
// RemoveTcpOption

TEST(PacketEdit, RemoveTcpOptionRemovesEveryInstanceAndKeepsTheRest)
{
    std::mt19937 rng(TestSeed());
    size_t removed = 0;
    for (int iter = 0; iter < 4000; ++iter)
    {
        auto pkt = RandomPacket(rng);
        // Remove a kind that is present (if any), else one that is absent.
        const auto oldOptions = OptionList(pkt);
        const uint8_t kind = oldOptions.empty()
                                 ? uint8_t(tcpopt::kMss)
                                 : oldOptions[Uniform(rng, 0, uint32_t(oldOptions.size() - 1))][0];
        std::vector<std::vector<uint8_t>> expect;
        for (const auto& o : oldOptions)
        {
            if (o[0] != kind)
            {
                expect.push_back(o);
            }
        }
        const auto before = pkt;
        auto beforeCopy = pkt;
        const auto oldPayload = PayloadOf(pkt);
        const std::string what = "iter " + std::to_string(iter);
        const bool present = expect.size() != oldOptions.size();
        ASSERT_EQ(RemoveTcpOption(pkt, kind), present) << what;
        if (!present)
        {
            ASSERT_EQ(pkt, before) << what;
            continue;
        }
        ++removed;
        ExpectValidEdit(beforeCopy, pkt, what);
        ASSERT_EQ(OptionList(pkt), expect) << what;
        ASSERT_EQ(PayloadOf(pkt), oldPayload) << what;
        PacketView v(pkt.data(), pkt.size());
        ASSERT_FALSE(v.FindOption(kind, nullptr)) << what;
        ASSERT_LE(v.TcpHeaderLength(),
                  PacketView(beforeCopy.data(), beforeCopy.size()).TcpHeaderLength())
            << what;
        if (::testing::Test::HasFailure())
        {
            return;
        }
    }
    EXPECT_GT(removed, 0u);
}

TEST(PacketEdit, RemoveTcpOptionTakesItsAlignmentNopsAlong)
{
    // MSS, NOP NOP TS, tag, NOP WS: removing TS also removes the NOPs in front of it.
    const uint8_t opts[] = {2, 4, 5,   0xb4, 1, 1, 8, 10, 1, 2, 3, 4, 5, 6,
                            7, 8, 253, 6,    0, 0, 0, 7,  1, 3, 3, 7, 0, 0};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kSyn, 7, opts, sizeof(opts), nullptr, 0);
    ASSERT_TRUE(RemoveTcpOption(pkt, tcpopt::kTimestamp));
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    const uint8_t expect[] = {2, 4, 5, 0xb4, 253, 6, 0, 0, 0, 7, 1, 3, 3, 7, 0, 0};
    ASSERT_EQ(v.TcpHeaderLength(), 20 + sizeof(expect));
    EXPECT_TRUE(std::equal(expect, expect + sizeof(expect), v.Tcp() + 20));
    EXPECT_TRUE(v.ChecksumsValid());
    // Removing the last option leaves a bare 20-byte header.
    ASSERT_TRUE(RemoveTcpOption(pkt, tcpopt::kMss));
    ASSERT_TRUE(RemoveTcpOption(pkt, tcpopt::kDyscoTag));
    ASSERT_TRUE(RemoveTcpOption(pkt, tcpopt::kWindowScale));
    PacketView bare(pkt.data(), pkt.size());
    ASSERT_EQ(bare.Parse(), ParseError::kOk);
    EXPECT_EQ(bare.TcpHeaderLength(), 20u);
    EXPECT_TRUE(bare.ChecksumsValid());
    EXPECT_FALSE(RemoveTcpOption(pkt, tcpopt::kWindowScale));
    EXPECT_FALSE(RemoveTcpOption(pkt, tcpopt::kNop));
    EXPECT_FALSE(RemoveTcpOption(pkt, tcpopt::kEnd));
}

TEST(PacketEdit, AddThenRemoveRestoresTheOptions)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 2000; ++iter)
    {
        auto pkt = RandomPacket(rng);
        RemoveTcpOption(pkt, tcpopt::kDyscoTag);
        const auto options = OptionList(pkt);
        const auto payload = PayloadOf(pkt);
        const auto tag = RandomBytes(rng, 4);
        if (!AddTcpOption(pkt, tcpopt::kDyscoTag, tag.data(), 4))
        {
            continue;
        }
        TcpOptionRef ref;
        PacketView v(pkt.data(), pkt.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        ASSERT_TRUE(v.FindOption(tcpopt::kDyscoTag, &ref));
        ASSERT_TRUE(std::equal(tag.begin(), tag.end(), v.Tcp() + ref.offset + 2));
        ASSERT_TRUE(RemoveTcpOption(pkt, tcpopt::kDyscoTag));
        ASSERT_EQ(OptionList(pkt), options);
        ASSERT_EQ(PayloadOf(pkt), payload);
        ASSERT_TRUE(PacketView(pkt.data(), pkt.size()).ChecksumsValid());
    }
}

// ---------------------------------------------------------------------------------------------
// SetTcpPayload

TEST(PacketEdit, SetTcpPayloadReplacesThePayload)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 3000; ++iter)
    {
        auto pkt = RandomPacket(rng);
        auto before = pkt;
        const auto payload = RandomBytes(rng, Uniform(rng, 0, 1400));
        const std::string what = "iter " + std::to_string(iter);
        ASSERT_TRUE(SetTcpPayload(pkt, payload.data(), payload.size())) << what;
        ExpectValidEdit(before, pkt, what);
        ASSERT_EQ(PayloadOf(pkt), payload) << what;
        PacketView a(pkt.data(), pkt.size());
        PacketView b(before.data(), before.size());
        ASSERT_EQ(b.Parse(), ParseError::kOk);
        ASSERT_EQ(a.TcpHeaderLength(), b.TcpHeaderLength()) << what;
        ASSERT_TRUE(std::equal(b.Tcp() + 20, b.Tcp() + b.TcpHeaderLength(), a.Tcp() + 20))
            << what << ": options changed";
        if (::testing::Test::HasFailure())
        {
            return;
        }
    }
}

TEST(PacketEdit, SetTcpPayloadFromItsOwnBytesAndFromHeaderOnlyViews)
{
    const uint8_t data[] = {'a', 'b', 'c', 'd', 'e', 'f'};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kAck, 7, nullptr, 0, data, 6);
    // The new payload lies inside the packet being edited.
    ASSERT_TRUE(SetTcpPayload(pkt, pkt.data() + 40 + 2, 4));
    EXPECT_EQ(PayloadOf(pkt), (std::vector<uint8_t>{'c', 'd', 'e', 'f'}));
    EXPECT_TRUE(PacketView(pkt.data(), pkt.size()).ChecksumsValid());
    // A header-only buffer of a long segment becomes a whole packet.
    auto head = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kAck, 7, nullptr, 0, data, 6);
    Store16(&head[2], 1500);
    head.resize(40);
    ASSERT_TRUE(SetTcpPayload(head, data, 2));
    PacketView v(head.data(), head.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.TotalLength(), 42u);
    EXPECT_TRUE(v.ChecksumsValid());
    // Removing the payload entirely.
    ASSERT_TRUE(SetTcpPayload(head, nullptr, 0));
    EXPECT_EQ(head.size(), 40u);
    EXPECT_TRUE(PacketView(head.data(), head.size()).ChecksumsValid());
}

TEST(PacketEdit, SetTcpPayloadRejectsOversizedPayloads)
{
    const uint8_t opts[] = {2, 4, 5, 0xb4};
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kAck, 7, opts, 4, nullptr, 0);
    const auto before = pkt;
    std::vector<uint8_t> big(65535 - 44 + 1);
    EXPECT_FALSE(SetTcpPayload(pkt, big.data(), big.size()));
    EXPECT_FALSE(SetTcpPayload(pkt, nullptr, 1));
    EXPECT_EQ(pkt, before);
    EXPECT_TRUE(SetTcpPayload(pkt, big.data(), big.size() - 1));
    EXPECT_EQ(pkt.size(), 65535u);
}

TEST(PacketEdit, EditsLeaveUnparsablePacketsAlone)
{
    const uint8_t tag[] = {1, 2, 3, 4};
    auto good = BuildTcpPacket(1, 2, 3, 4, 5, 6, tcpflag::kSyn, 7, nullptr, 0, tag, 4);
    std::vector<std::vector<uint8_t>> bad;
    bad.push_back({});
    bad.emplace_back(good.begin(), good.begin() + 30); // truncated
    bad.push_back(good);
    bad.back()[9] = 17; // UDP
    bad.push_back(good);
    bad.back()[32] = 0x40; // data offset 4
    for (auto& p : bad)
    {
        const auto before = p;
        EXPECT_FALSE(AddTcpOption(p, tcpopt::kDyscoTag, tag, 4));
        EXPECT_FALSE(RemoveTcpOption(p, tcpopt::kDyscoTag));
        EXPECT_FALSE(SetTcpPayload(p, tag, 4));
        EXPECT_EQ(p, before);
    }
    // Option edits move the payload, so they need all of it.
    auto head = good;
    Store16(&head[2], 1500);
    const auto before = head;
    EXPECT_FALSE(AddTcpOption(head, tcpopt::kDyscoTag, tag, 4));
    EXPECT_EQ(head, before);
}

} // namespace
