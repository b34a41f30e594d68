// Chain SYNs with malicious address lists (loops, too many hops, addresses outside the
// policy's allow-list) are refused where they arrive, counted by reason, and leave no state.
#include "security/secure_chain.h"

using namespace dysco;
using namespace dysco::test;

namespace
{

/// A chain SYN from kEve to `to` carrying `addresses` (the first must be `to`).
std::vector<uint8_t>
ChainSyn(uint32_t to, std::vector<uint32_t> addresses, uint16_t port = 40000)
{
    SynPayload p{FiveTuple{kEve, kD, port, 80, kProtoTcp}, std::move(addresses)};
    std::vector<uint8_t> payload;
    EncodeSynPayload(p, payload);
    return BuildTcpPacket(kEve, to, port, 20000, 1, 0, tcpflag::kSyn, 65535, nullptr, 0,
                          payload.data(), payload.size());
}

} // namespace

TEST(SynRules, MaliciousAddressListsAreRefusedAndCounted)
{
    AgentConfig cfg;
    cfg.address = kB;
    cfg.localAddresses = {kB, kB + 1};
    cfg.maxChainAddresses = 6;
    cfg.chainAllowList = {Prefix{0x0A000000, 16}}; // middleboxes live in 10.0/16
    Agent b(cfg);
    struct Case
    {
        const char* what;
        std::vector<uint32_t> list;
        uint64_t AgentCounters::*counter;
    };
    const std::vector<Case> cases = {
        {"repeated middlebox", {kB, kC, kE, kC, kD}, &AgentCounters::synLoop},
        {"back to this host", {kB, kC, kB, kD}, &AgentCounters::synLoop},
        {"this host's other address", {kB, kC, kB + 1, kD}, &AgentCounters::synLoop},
        {"destination repeats a hop", {kB, kC, kC}, &AgentCounters::synLoop},
        {"seven hops", {kB, kC, kE, kC + 1, kE + 1, kC + 2, kD}, &AgentCounters::synTooLong},
        {"middlebox outside the allow-list", {kB, 0x0C000001, kD}, &AgentCounters::synNotAllowed},
    };
    uint16_t port = 40000;
    for (const auto& c : cases)
    {
        auto syn = ChainSyn(kB, c.list, port++);
        const uint64_t before = b.Counters().*c.counter;
        EXPECT_EQ(b.Process(Direction::kIngress, syn, 1000), Verdict::kDrop) << c.what;
        EXPECT_EQ(b.Counters().*c.counter, before + 1) << c.what;
    }
    EXPECT_EQ(b.Counters().synRefused, cases.size());
    EXPECT_EQ(b.Counters().dropped, cases.size());
    EXPECT_EQ(b.SessionCount(), 0u);
    // The destination itself may lie outside the allow-list; a well-formed list passes.
    auto good = ChainSyn(kB, {kB, kC, 0x0C000001}, port++);
    EXPECT_EQ(b.Process(Direction::kIngress, good, 1000), Verdict::kForward);
    EXPECT_EQ(b.SessionCount(), 1u);
    EXPECT_EQ(b.Counters().synRefused, cases.size());
}

TEST(SynRules, HundredsOfHopsDoNotEvenDecode)
{
    AgentConfig cfg;
    cfg.address = kB;
    Agent b(cfg);
    // The count byte says 200 (the wire limit is 16): refused as a malformed payload.
    std::vector<uint32_t> list(200, kC);
    list[0] = kB;
    std::vector<uint8_t> payload(kSynPayloadHeaderSize + 4 * list.size(), 0);
    payload[0] = 'D';
    payload[1] = 'y';
    payload[2] = kSynPayloadVersion;
    payload[3] = uint8_t(list.size());
    for (size_t i = 0; i < list.size(); ++i)
    {
        Store32(&payload[kSynPayloadHeaderSize + 4 * i], list[i] + uint32_t(i));
    }
    auto syn = BuildTcpPacket(kEve, kB, 1, 2, 1, 0, tcpflag::kSyn, 65535, nullptr, 0,
                              payload.data(), payload.size());
    EXPECT_EQ(b.Process(Direction::kIngress, syn, 1000), Verdict::kDrop);
    EXPECT_EQ(b.Counters().badSynPayload, 1u);
    EXPECT_EQ(b.SessionCount(), 0u);
}

TEST(SynRules, ALegitimateChainPassesTheRulesEndToEnd)
{
    AgentConfig base = SecureConfig(ControlProtection::kNonce);
    base.maxChainAddresses = 3;
    base.chainAllowList = {Prefix{0x0A000000, 8}};
    SecureChain c({kB, kC}, base);
    c.DataA(500);
    EXPECT_TRUE(c.LastDeliveredToDIsExact(1001, 500));
    for (uint32_t n : {kA, kB, kC, kD})
    {
        EXPECT_EQ(c.net[n].Counters().synRefused, 0u);
        EXPECT_EQ(c.net[n].SessionCount(), 1u);
    }
    // Every agent of the chain learnt the same nonce from the SYN.
    EXPECT_NE(c.At(kA).nonce, 0u);
    for (uint32_t n : {kB, kC, kD})
    {
        EXPECT_EQ(c.At(n).nonce, c.At(kA).nonce);
        EXPECT_EQ(c.At(n).keyId, 0u); // nonce mode: the policy's key is not used
    }
}
