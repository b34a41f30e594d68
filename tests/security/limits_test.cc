// Resource limits: the session bound and what happens beyond it, the half-open timeout,
// and a flood of one million SYNs through a first agent and a middlebox agent that keeps
// session state under its configured bound.
#include "security/secure_chain.h"

#include <chrono>
#include <sys/resource.h>

using namespace dysco;
using namespace dysco::test;

namespace
{

std::vector<uint8_t>
SynFrom(uint32_t i)
{
    // Spoofed sources: every SYN a new session.
    return BuildTcpPacket(0x64000000 + (i >> 12), kD, uint16_t(1024 + (i & 0xFFF)), 80, i, 0,
                          tcpflag::kSyn, 65535, nullptr, 0, nullptr, 0);
}

AgentConfig
FirstAgent(size_t maxSessions, bool refuse)
{
    AgentConfig cfg;
    cfg.address = kA;
    cfg.maxSessions = maxSessions;
    cfg.refuseWhenFull = refuse;
    cfg.halfOpenTimeoutNs = 1'000'000'000;
    return cfg;
}

/// What maxSessions sessions may hold at most: per session its record and track (the
/// vectors grow by doubling, so up to twice the bound), four map slots (two entries, the
/// table at most half full, doubling), its SYN options and address list.
size_t
StateBound(size_t maxSessions)
{
    return maxSessions * (2 * (sizeof(Session) + sizeof(SessionTrack) + 64 +
                               4 * kMaxChainAddresses + sizeof(uint32_t)) +
                          2 * 4 * sizeof(MapEntry) + 64);
}

long
PeakRssKb()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

} // namespace

TEST(Limits, BeyondMaxSessionsAFirstAgentPassesUnchainedOrRefuses)
{
    for (bool refuse : {false, true})
    {
        SCOPED_TRACE(refuse ? "refuse" : "pass unchained");
        Agent a(FirstAgent(3, refuse));
        a.Policies().Add(Policy{"all", Predicate{}, {kB}});
        for (uint32_t i = 0; i < 5; ++i)
        {
            auto syn = SynFrom(i);
            const auto original = syn;
            const Verdict v = a.Process(Direction::kEgress, syn, 1000);
            if (i < 3)
            {
                EXPECT_EQ(v, Verdict::kForward);
                EXPECT_NE(syn, original); // chained: new header and the address list
                continue;
            }
            EXPECT_EQ(v, refuse ? Verdict::kDrop : Verdict::kForward);
            if (!refuse)
            {
                EXPECT_EQ(syn, original); // untouched: the session runs without Dysco
            }
        }
        EXPECT_EQ(a.SessionCount(), 3u);
        EXPECT_EQ(a.Counters().tableFull, 2u);
        EXPECT_EQ(a.Counters().dropped, refuse ? 2u : 0u);
    }
}

TEST(Limits, HalfOpenSessionsExpireButEstablishedOnesStay)
{
    SecureChain c({kB}, SecureConfig(ControlProtection::kNonce));
    const uint64_t timeout = c.net[kA].Config().halfOpenTimeoutNs;
    ASSERT_GT(timeout, 0u);
    // Ten SYNs nobody answers (D is down), after the established session.
    c.net.down.insert(kD);
    for (uint16_t i = 0; i < 10; ++i)
    {
        c.net.Send(kA,
                   Tcp(FiveTuple{kA, kD, uint16_t(6000 + i), 80, kProtoTcp}, 1, 0, tcpflag::kSyn));
    }
    c.net.down.clear();
    EXPECT_EQ(c.net[kA].SessionCount(), 11u);
    EXPECT_EQ(c.net[kB].SessionCount(), 11u);
    for (uint32_t n : {kA, kB})
    {
        EXPECT_EQ(c.net[n].ExpireIdle(c.net.now + timeout - 1), 0u);
        EXPECT_EQ(c.net[n].ExpireIdle(c.net.now + timeout), 10u);
        EXPECT_EQ(c.net[n].Counters().halfOpenExpired, 10u);
        EXPECT_EQ(c.net[n].SessionCount(), 1u);
    }
    c.net.now += timeout;
    const uint32_t seq = c.sndA;
    c.DataA(200);
    EXPECT_TRUE(c.LastDeliveredToDIsExact(seq, 200));
}

TEST(Limits, AMillionSynsKeepAFirstAgentUnderItsBound)
{
    constexpr uint32_t kSyns = 1'000'000;
    constexpr size_t kMax = 20'000;
    Agent a(FirstAgent(kMax, false));
    a.Policies().Add(Policy{"all", Predicate{}, {kB, kC}});
    // 10 us apart: the flood lasts 10 s of agent time, the half-open timeout is 1 s.
    const auto start = std::chrono::steady_clock::now();
    size_t peakBytes = 0;
    size_t peakSessions = 0;
    size_t bytesAtFull = 0;
    std::vector<uint8_t> syn;
    for (uint32_t i = 0; i < kSyns; ++i)
    {
        syn = SynFrom(i);
        const uint64_t now = 1000 + uint64_t(i) * 10'000;
        a.Process(Direction::kEgress, syn, now);
        if (i % 4096 == 0)
        {
            a.ExpireIdle(now);
            peakBytes = std::max(peakBytes, a.StateBytes());
        }
        peakSessions = std::max(peakSessions, a.SessionCount());
        if (bytesAtFull == 0 && a.SessionCount() == kMax)
        {
            bytesAtFull = a.StateBytes();
        }
    }
    peakBytes = std::max(peakBytes, a.StateBytes());
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "flood: " << kSyns << " SYNs in " << secs << " s; peak sessions " << peakSessions
              << ", state when full " << bytesAtFull << " bytes, peak " << peakBytes << " (bound "
              << StateBound(kMax) << "), peak RSS " << PeakRssKb() << " kB; half-open freed "
              << a.Counters().halfOpenExpired << ", unchained " << a.Counters().tableFull << "\n";
    EXPECT_LE(peakSessions, kMax);
    EXPECT_LE(peakBytes, StateBound(kMax));
    // The flood's million SYNs add nothing once the table is full: state stays flat.
    ASSERT_GT(bytesAtFull, 0u);
    EXPECT_LE(peakBytes, bytesAtFull + bytesAtFull / 20);
    EXPECT_EQ(a.Counters().sessionsCreated,
              a.Counters().halfOpenExpired + a.SessionCount()); // nothing else freed them
    EXPECT_EQ(a.Counters().sessionsCreated + a.Counters().tableFull, kSyns);
    EXPECT_GT(a.Counters().halfOpenExpired, 0u);
}

TEST(Limits, AMillionChainSynsKeepAMiddleboxAgentUnderItsBound)
{
    constexpr uint32_t kSyns = 1'000'000;
    constexpr size_t kMax = 20'000;
    AgentConfig cfg;
    cfg.address = kB;
    cfg.maxSessions = kMax;
    cfg.halfOpenTimeoutNs = 1'000'000'000;
    Agent b(cfg);
    size_t peakBytes = 0;
    size_t peakSessions = 0;
    std::vector<uint8_t> payload;
    for (uint32_t i = 0; i < kSyns; ++i)
    {
        const FiveTuple session{0x64000000 + (i >> 12), kD, uint16_t(1024 + (i & 0xFFF)), 80,
                                kProtoTcp};
        payload.clear();
        EncodeSynPayload(SynPayload{session, {kB, kC, kD}, 0, 0, uint64_t(i) + 1, 0}, payload);
        auto syn = BuildTcpPacket(session.srcIp, kB, uint16_t(20000 + (i & 0x3FFF)),
                                  uint16_t(20000 + (i >> 14)), i, 0, tcpflag::kSyn, 65535, nullptr,
                                  0, payload.data(), payload.size());
        const uint64_t now = 1000 + uint64_t(i) * 10'000;
        b.Process(Direction::kIngress, syn, now);
        if (i % 4096 == 0)
        {
            b.ExpireIdle(now);
            peakBytes = std::max(peakBytes, b.StateBytes());
        }
        peakSessions = std::max(peakSessions, b.SessionCount());
    }
    std::cout << "middlebox flood: peak sessions " << peakSessions << ", peak state " << peakBytes
              << " bytes (bound " << StateBound(kMax) << "), refused " << b.Counters().tableFull
              << ", half-open freed " << b.Counters().halfOpenExpired << ", peak RSS "
              << PeakRssKb() << " kB\n";
    EXPECT_LE(peakSessions, kMax);
    EXPECT_LE(peakBytes, StateBound(kMax));
    EXPECT_GT(b.Counters().halfOpenExpired, 0u);
    EXPECT_EQ(b.Counters().sessionsCreated + b.Counters().tableFull, kSyns);
    EXPECT_EQ(b.Counters().dropped, b.Counters().tableFull); // beyond the bound: refused
}
