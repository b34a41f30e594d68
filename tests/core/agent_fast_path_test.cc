// The data path's fast path (Agent::FastForward) against the general path: two agents with
// the same sessions, one with AgentConfig::fastPath off, get the same seeded stream of data
// segments around the fast path's boundary (TCP option layouts incl. SACK and malformed
// ones, IPv4 options, fragments, wrong lengths and data offsets, bad checksums, FIN/RST,
// sessions whose middlebox shifts numbers) and must give the same bytes, verdicts,
// counters, events and sequence tracking.
#include "core/agent.h"
#include "core/bytes.h"
#include "core/packet.h"
#include "core/packet_edit.h"
#include "test_random.h"

#include <gtest/gtest.h>
#include <memory>
#include <vector>

namespace dysco::test
{
namespace
{

constexpr uint32_t kClient = 0x0A000001;
constexpr uint32_t kServer = 0xC0A80001;
constexpr uint32_t kMiddlebox = 0xAC100001;
constexpr uint32_t kSessions = 24;

std::unique_ptr<Agent>
MakeAgent(bool fastPath, std::vector<AgentEvent>* events)
{
    AgentConfig cfg;
    cfg.address = kClient;
    cfg.fastPath = fastPath;
    auto a = std::make_unique<Agent>(cfg);
    Policy p;
    p.chain = {kMiddlebox};
    a->Policies().Add(p);
    a->SetEventSink([events](const AgentEvent& e) { events->push_back(e); });
    return a;
}

FiveTuple
Session(uint32_t i)
{
    return FiveTuple{kClient, kServer, uint16_t(2000 + i), 443, kProtoTcp};
}

std::vector<uint8_t>
Build(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags,
      const std::vector<uint8_t>& options, const std::vector<uint8_t>& payload)
{
    return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 8192,
                          options.data(), options.size(), payload.data(), payload.size());
}

/// TCP options: the layouts the fast path knows, others Parse() accepts, malformed ones.
std::vector<uint8_t>
Options(std::mt19937& rng)
{
    const uint8_t a = uint8_t(rng());
    switch (Uniform(rng, 0, 7))
    {
    case 0:
    case 1:
        return {};
    case 2: // NOP, NOP, timestamp: the fast path's second layout
        return {1, 1, 8, 10, a, 0, 0, 7, 0, 0, 0, 9};
    case 3: // timestamp first, NOPs after: valid, not the fast path's layout
        return {8, 10, a, 0, 0, 7, 0, 0, 0, 9, 1, 1};
    case 4: // SACK with one block
        return {1, 1, 5, 10, 0, 0, 1, a, 0, 0, 2, 0};
    case 5: // NOP, NOP, a timestamp of the wrong length: malformed
        return {1, 1, 8, 9, a, 0, 0, 7, 0, 0, 0, 9};
    case 6:
        return RandomTcpOptions(rng);
    default: // NOP, NOP, timestamp but followed by an option overrunning the header
        return {1, 1, 8, 10, a, 0, 0, 7, 0, 0, 0, 9, 2, 8, 0, 0};
    }
}

/// Breaks the packet in one of the ways the fast path must leave to the general path (or
/// must handle exactly like it), or leaves it alone.
void
Mutate(std::mt19937& rng, std::vector<uint8_t>& p)
{
    switch (Uniform(rng, 0, 14))
    {
    case 0: // IPv4 options (NOP, NOP, NOP, EOL): IHL 6
        p.insert(p.begin() + 20, {1, 1, 1, 0});
        p[0] = 0x46;
        Store16(&p[2], uint16_t(p.size()));
        PacketView(p.data(), p.size()).RecomputeChecksums();
        break;
    case 1: // a fragment: MF flag or an offset
        Store16(&p[6], Uniform(rng, 0, 1) ? uint16_t(0x2000) : uint16_t(Uniform(rng, 1, 0x1FFF)));
        break;
    case 2: // total length shorter than the buffer, or below the headers
        Store16(&p[2], uint16_t(Uniform(rng, 0, uint32_t(p.size()) - 1)));
        break;
    case 3: // a header-only view: total length beyond the buffer
        Store16(&p[2], uint16_t(p.size() + Uniform(rng, 1, 1400)));
        break;
    case 4: // a wrong TCP data offset
        p[32] = uint8_t((Uniform(rng, 0, 15) << 4) | (p[32] & 0x0F));
        break;
    case 5: // a wrong checksum (stays wrong, the same way, on both paths)
        p[Uniform(rng, 0, 1) ? 10 : 36] ^= uint8_t(Uniform(rng, 1, 255));
        break;
    case 6: // truncated buffer
        p.resize(Uniform(rng, 0, uint32_t(p.size()) - 1));
        break;
    case 7: // FIN, RST or SYN among the flags
    {
        const uint8_t f[] = {tcpflag::kFin, tcpflag::kRst, tcpflag::kSyn};
        p[33] |= f[Uniform(rng, 0, 2)];
        break;
    }
    case 8: // another IP version
        p[0] = 0x65;
        break;
    default:
        break;
    }
}

TEST(AgentFastPath, MatchesTheGeneralPath)
{
    const uint32_t seed = TestSeed();
    std::mt19937 rng(seed);
    std::vector<AgentEvent> refEvents;
    std::vector<AgentEvent> events;
    auto ref = MakeAgent(false, &refEvents);
    auto fast = MakeAgent(true, &events);
    uint64_t now = 1000;
    auto both = [&](Direction dir, const std::vector<uint8_t>& p)
    {
        auto a = p;
        auto b = p;
        const Verdict va = ref->Process(dir, a, now);
        const Verdict vb = fast->Process(dir, b, now);
        EXPECT_EQ(va, vb);
        EXPECT_EQ(a, b);
    };
    // Chains: the SYN leaves over a subsession to the middlebox, the SYN-ACK comes back.
    std::vector<FiveTuple> subs(kSessions);
    for (uint32_t i = 0; i < kSessions; ++i)
    {
        both(Direction::kEgress, Build(Session(i), 100, 0, tcpflag::kSyn, {}, {}));
        const dysco::Session* s = ref->FindSession(Session(i));
        ASSERT_NE(s, nullptr);
        subs[i] = s->rightSub;
        both(Direction::kIngress,
             Build(subs[i].Reversed(), 500, 101, uint8_t(tcpflag::kSyn | tcpflag::kAck), {}, {}));
    }
    // Two sessions' middlebox shifts numbers: their right side is not the fast path's.
    ASSERT_TRUE(ref->SetMiddleboxDelta(Session(0), 1000, -7));
    ASSERT_TRUE(fast->SetMiddleboxDelta(Session(0), 1000, -7));
    ASSERT_TRUE(ref->SetMiddleboxDelta(Session(1), -3, 5));
    ASSERT_TRUE(fast->SetMiddleboxDelta(Session(1), -3, 5));

    const uint8_t flagChoices[] = {tcpflag::kAck, uint8_t(tcpflag::kAck | tcpflag::kPsh), 0,
                                   uint8_t(tcpflag::kAck | 0x20), // URG
                                   uint8_t(tcpflag::kAck | 0x40 | 0x80)};
    uint64_t packets = 0;
    for (int burst = 0; burst < 300; ++burst)
    {
        const Direction dir = Direction(Uniform(rng, 0, 1));
        const size_t n = Uniform(rng, 1, 40);
        std::vector<std::vector<uint8_t>> orig;
        for (size_t k = 0; k < n; ++k)
        {
            // A few packets of sessions the agent does not know.
            const uint32_t i = Uniform(rng, 0, kSessions + 2);
            const FiveTuple s = i < kSessions ? Session(i) : Session(100 + i);
            const FiveTuple from = dir == Direction::kEgress ? s
                                   : i < kSessions           ? subs[i].Reversed()
                                                             : s.Reversed();
            auto p = Build(from, rng(), rng(), flagChoices[Uniform(rng, 0, 4)], Options(rng),
                           RandomBytes(rng, Uniform(rng, 0, 3) ? Uniform(rng, 0, 60) : 0));
            if (Uniform(rng, 0, 2) == 0)
            {
                Mutate(rng, p);
            }
            orig.push_back(std::move(p));
        }
        packets += n;
        // Reference: the general path, one packet at a time. Fast: bursts in place, as the
        // DPDK binding drives them, Process() where the burst stops.
        std::vector<std::vector<uint8_t>> want = orig;
        std::vector<Verdict> wantVerdicts(n);
        for (size_t k = 0; k < n; ++k)
        {
            wantVerdicts[k] = ref->Process(dir, want[k], now);
        }
        std::vector<std::vector<uint8_t>> got = orig;
        std::vector<Agent::PacketRef> refs;
        for (auto& p : got)
        {
            refs.push_back(Agent::PacketRef{p.data(), p.size()});
        }
        std::vector<Verdict> verdicts(n);
        for (size_t i = 0; i < n;)
        {
            i += fast->ProcessInPlace(dir, refs.data() + i, n - i, verdicts.data() + i, now);
            if (i < n)
            {
                verdicts[i] = fast->Process(dir, got[i], now);
                ++i;
            }
        }
        for (size_t k = 0; k < n; ++k)
        {
            ASSERT_EQ(verdicts[k], wantVerdicts[k]) << "burst " << burst << " packet " << k;
            ASSERT_EQ(got[k], want[k]) << "burst " << burst << " packet " << k;
        }
        ASSERT_EQ(fast->Outputs(), ref->Outputs());
        ref->Outputs().clear();
        fast->Outputs().clear();
        now += 1000;
    }
    ASSERT_EQ(refEvents.size(), events.size());
    for (size_t i = 0; i < events.size(); ++i)
    {
        EXPECT_EQ(refEvents[i].kind, events[i].kind) << "event " << i;
        EXPECT_EQ(refEvents[i].session, events[i].session) << "event " << i;
        EXPECT_EQ(refEvents[i].detail, events[i].detail) << "event " << i;
    }
    const AgentCounters& a = ref->Counters();
    const AgentCounters& b = fast->Counters();
    EXPECT_EQ(a.packets, b.packets);
    EXPECT_EQ(a.rewritten, b.rewritten);
    EXPECT_EQ(a.passed, b.passed);
    EXPECT_EQ(a.dropped, b.dropped);
    EXPECT_EQ(a.malformed, b.malformed);
    EXPECT_EQ(ref->SessionCount(), fast->SessionCount());
    for (uint32_t i = 0; i < kSessions; ++i)
    {
        const SessionTrack* x = ref->FindTrack(Session(i));
        const SessionTrack* y = fast->FindTrack(Session(i));
        ASSERT_EQ(x == nullptr, y == nullptr) << "session " << i;
        if (x != nullptr)
        {
            EXPECT_EQ(x->valid, y->valid) << "session " << i;
            for (int d = 0; d < 2; ++d)
            {
                EXPECT_EQ(x->seqHigh[d], y->seqHigh[d]) << "session " << i << " stream " << d;
                EXPECT_EQ(x->ackHigh[d], y->ackHigh[d]) << "session " << i << " stream " << d;
            }
        }
    }
    // The stream exercised both sides of the boundary.
    EXPECT_EQ(ref->FastForwarded(), 0u);
    EXPECT_GE(fast->FastForwarded(), packets / 4);
    EXPECT_GE(b.rewritten - fast->FastForwarded(), packets / 20);
    EXPECT_GE(b.malformed, packets / 20);
}

} // namespace
} // namespace dysco::test
