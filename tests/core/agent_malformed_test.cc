// Bad input never crashes an agent: it is dropped and counted.
#include "chain_test_bed.h"
#include "core/bytes.h"
#include "core/syn_payload.h"

#include <iostream>
#include <random>

using namespace dysco;
using namespace dysco::test;

namespace
{

std::vector<uint8_t>
ChainSyn(const std::vector<uint8_t>& payload)
{
    return Segment(FiveTuple{kA, kB, 20000, 20000, kProtoTcp}, 1, 0, tcpflag::kSyn, payload);
}

std::vector<uint8_t>
GoodPayload()
{
    std::vector<uint8_t> bytes;
    EncodeSynPayload(SynPayload{FiveTuple{kA, kD, 5000, 80, kProtoTcp}, {kB, kC, kD}}, bytes);
    return bytes;
}

} // namespace

TEST(AgentMalformed, TruncatedSynPayloadsAreDroppedAndCounted)
{
    const auto good = GoodPayload();
    for (size_t len = 4; len < good.size(); ++len)
    {
        Agent b(ChainBed::Config(kB));
        auto syn = ChainSyn(std::vector<uint8_t>(good.begin(), good.begin() + len));
        EXPECT_EQ(b.Process(Direction::kIngress, syn, 0), Verdict::kDrop) << "length " << len;
        EXPECT_EQ(b.Counters().badSynPayload, 1u);
        EXPECT_EQ(b.Counters().dropped, 1u);
        EXPECT_EQ(b.SessionCount(), 0u);
    }
}

TEST(AgentMalformed, OversizedAndBadCountListsAreDropped)
{
    auto bytes = GoodPayload();
    for (uint8_t count : {uint8_t(0), uint8_t(17), uint8_t(200)})
    {
        Agent b(ChainBed::Config(kB));
        auto p = bytes;
        p[3] = count;
        p.resize(kSynPayloadHeaderSize + 4 * size_t(count), 0x0A);
        auto syn = ChainSyn(p);
        EXPECT_EQ(b.Process(Direction::kIngress, syn, 0), Verdict::kDrop);
        EXPECT_EQ(b.Counters().badSynPayload, 1u);
    }
}

TEST(AgentMalformed, ListNotNamingThisHostIsRefused)
{
    Agent b(ChainBed::Config(kB));
    std::vector<uint8_t> bytes;
    EncodeSynPayload(SynPayload{FiveTuple{kA, kD, 5000, 80, kProtoTcp}, {kC, kD}}, bytes);
    auto syn = ChainSyn(bytes);
    EXPECT_EQ(b.Process(Direction::kIngress, syn, 0), Verdict::kDrop);
    EXPECT_EQ(b.Counters().badSynPayload, 1u);
    EXPECT_EQ(b.SessionCount(), 0u);
}

TEST(AgentMalformed, TaggedSynWithoutStateIsDroppedAndTheTagNeverLeaves)
{
    Agent b(ChainBed::Config(kB));
    const uint8_t tag[4] = {0, 0, 0, 42};
    auto syn = Segment(FiveTuple{kA, kD, 5000, 80, kProtoTcp}, 1, 0, tcpflag::kSyn);
    ASSERT_TRUE(AddTcpOption(syn, tcpopt::kDyscoTag, tag, sizeof(tag)));
    EXPECT_EQ(b.Process(Direction::kEgress, syn, 0), Verdict::kDrop);
    EXPECT_EQ(b.Counters().badTag, 1u);
    PacketView v(syn.data(), syn.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    TcpOptionRef ref;
    EXPECT_FALSE(v.FindOption(tcpopt::kDyscoTag, &ref));
}

TEST(AgentMalformed, BrokenHeadersAreDroppedAndCounted)
{
    Agent b(ChainBed::Config(kB));
    auto syn = ChainSyn(GoodPayload());
    auto badOffset = syn;
    badOffset[20 + 12] = 0x30; // data offset 3 words
    EXPECT_EQ(b.Process(Direction::kIngress, badOffset, 0), Verdict::kDrop);
    auto truncated = std::vector<uint8_t>(syn.begin(), syn.begin() + 30);
    EXPECT_EQ(b.Process(Direction::kIngress, truncated, 0), Verdict::kDrop);
    EXPECT_EQ(b.Counters().malformed, 2u);
    // Non-TCP traffic is not Dysco's business.
    auto udp = syn;
    udp[9] = kProtoUdp;
    EXPECT_EQ(b.Process(Direction::kIngress, udp, 0), Verdict::kForward);
}

TEST(AgentMalformed, RandomMutationsOfChainSynsNeverCrash)
{
    uint32_t seed = 20261123;
    if (const char* env = std::getenv("DYSCO_TEST_SEED"))
    {
        seed = uint32_t(std::strtoul(env, nullptr, 10));
    }
    std::cout << "seed " << seed << " (set DYSCO_TEST_SEED to replay)\n";
    std::mt19937 rng(seed);
    Agent b(ChainBed::Config(kB));
    const auto base = ChainSyn(GoodPayload());
    uint64_t forwarded = 0;
    for (int i = 0; i < 20000; ++i)
    {
        auto p = base;
        int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f)
        {
            p[rng() % p.size()] = uint8_t(rng());
        }
        if (rng() % 8 == 0)
        {
            p.resize(rng() % p.size());
        }
        auto dir = (i % 2) ? Direction::kIngress : Direction::kEgress;
        if (b.Process(dir, p, uint64_t(i)) == Verdict::kForward)
        {
            ++forwarded;
        }
    }
    const auto& c = b.Counters();
    EXPECT_EQ(c.packets, 20000u);
    EXPECT_EQ(c.dropped + forwarded, 20000u);
    EXPECT_EQ(c.dropped, c.malformed + c.badSynPayload + c.badTag + c.portsExhausted +
                             c.synRefused + c.controlRejected);
}
