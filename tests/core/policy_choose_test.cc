// Policies on middlebox types (a policy server's): the agent asks the policy's chooser for
// each new session's instances, so consecutive sessions can take different chains.
#include "chain_test_bed.h"
#include "core/syn_payload.h"

using namespace dysco;

namespace
{

constexpr uint32_t kClient = 0x0A000001;
constexpr uint32_t kServer = 0x0A000301;
constexpr uint32_t kMon1 = 0x0A000101;
constexpr uint32_t kMon2 = 0x0A000201;

std::vector<uint32_t>
SynAddresses(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    SynPayload p;
    EXPECT_EQ(DecodeSynPayload(v.Payload(), v.PayloadLength(), &p), SynPayloadError::kOk);
    return p.addresses;
}

} // namespace

TEST(PolicyChoose, EachNewSessionGetsTheInstancesItsChooserPicks)
{
    AgentConfig cfg;
    cfg.address = kClient;
    Agent agent(cfg);
    std::vector<FiveTuple> asked;
    Policy p;
    p.name = "monitored";
    p.chain = {0x0A0009FF}; // ignored: the chooser decides
    p.choose = [&asked](const FiveTuple& t)
    {
        asked.push_back(t);
        return std::vector<uint32_t>{asked.size() % 2 == 1 ? kMon1 : kMon2};
    };
    agent.Policies().Add(p);

    std::vector<std::vector<uint32_t>> lists;
    for (uint16_t port = 40000; port < 40003; ++port)
    {
        const FiveTuple session{kClient, kServer, port, 80, kProtoTcp};
        auto syn = test::Segment(session, 100, 0, tcpflag::kSyn, {}, {});
        ASSERT_EQ(agent.Process(Direction::kEgress, syn, 1000), Verdict::kForward);
        lists.push_back(SynAddresses(syn));
        // A retransmitted SYN keeps the session's chain: the chooser is not asked again.
        auto again = test::Segment(session, 100, 0, tcpflag::kSyn, {}, {});
        ASSERT_EQ(agent.Process(Direction::kEgress, again, 2000), Verdict::kForward);
        EXPECT_EQ(SynAddresses(again), lists.back());
    }
    ASSERT_EQ(asked.size(), 3u);
    EXPECT_EQ(asked[2], (FiveTuple{kClient, kServer, 40002, 80, kProtoTcp}));
    EXPECT_EQ(lists[0], (std::vector<uint32_t>{kMon1, kServer}));
    EXPECT_EQ(lists[1], (std::vector<uint32_t>{kMon2, kServer}));
    EXPECT_EQ(lists[2], (std::vector<uint32_t>{kMon1, kServer}));
}

TEST(PolicyChoose, WithoutAChooserThePolicyChainIsUsed)
{
    Policy p;
    p.chain = {kMon2, kMon1};
    EXPECT_EQ(p.ChainFor(FiveTuple{kClient, kServer, 1, 80, kProtoTcp}), p.chain);
    p.choose = [](const FiveTuple&) { return std::vector<uint32_t>{}; };
    EXPECT_TRUE(p.ChainFor(FiveTuple{kClient, kServer, 1, 80, kProtoTcp}).empty());
}
