// The in-place burst data path (Agent::ProcessInPlace, as the DPDK binding drives it, and
// ProcessBurst) against Process() one packet at a time: a seeded random stream mixing chain
// SYNs, data both ways, SYN-ACKs, FIN/RST, unknown sessions, UDP and malformed packets, cut
// into random bursts, must give the same bytes, verdicts, counters and events. The reference
// runs without the fast path (AgentConfig::fastPath), so this also checks Agent::FastForward.
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

std::unique_ptr<Agent>
MakeAgent(std::vector<AgentEvent>* events, bool fastPath = true)
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
    return FiveTuple{kClient, kServer, uint16_t(1000 + i), 80, kProtoTcp};
}

/// Random traffic of 40 sessions. The subsession of session i is what the reference agent
/// gave its SYN (all agents allocate ports the same way), filled in once it exists.
class Stream
{
public:
    explicit Stream(uint32_t seed)
        : m_rng(seed)
    {
    }

    std::vector<uint8_t> Next(Direction dir, const std::vector<FiveTuple>& subs)
    {
        const uint32_t i = Uniform(m_rng, 0, 39);
        const FiveTuple s = Session(i);
        // Packets arriving from the network come over the subsession once there is one.
        const FiveTuple from = dir == Direction::kEgress ? s
                               : subs[i].srcIp != 0      ? subs[i].Reversed()
                                                         : s.Reversed();
        const uint8_t ack = tcpflag::kAck;
        const auto payload = RandomBytes(m_rng, Uniform(m_rng, 0, 2) == 0 ? 0 : 30);
        const std::vector<uint8_t> ts = {1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 9};
        switch (Uniform(m_rng, 0, 9))
        {
        case 0: // a chain SYN (a retransmission once the session exists), or a SYN-ACK
            return dir == Direction::kEgress
                       ? Build(from, 100, 0, tcpflag::kSyn, {}, ts)
                       : Build(from, 500, 101, uint8_t(tcpflag::kSyn | ack), {}, ts);
        case 1: // FIN or RST
            return Build(from, m_rng(), m_rng(),
                         uint8_t(ack | (Uniform(m_rng, 0, 1) ? tcpflag::kFin : tcpflag::kRst)), {},
                         {});
        case 2: // not TCP
        {
            auto p = Build(from, 1, 1, ack, payload, {});
            p[9] = kProtoUdp;
            return p;
        }
        case 3: // malformed: TCP data offset below 5, or an option overrunning the header
        {
            auto p = Build(from, 1, 1, ack, {}, ts);
            if (Uniform(m_rng, 0, 1))
            {
                p[20 + 12] = 0x40;
            }
            else
            {
                p[20 + 20 + 3] = 40;
            }
            return p;
        }
        case 4: // some other host's packet
            return RandomPacket(m_rng, 40);
        case 5: // the headers of a large segment only (as the ns-3 binding passes them)
        {
            auto p = Build(from, m_rng(), m_rng(), ack, payload, ts);
            Store16(&p[2], uint16_t(1400));
            PacketView(p.data(), p.size()).RecomputeChecksums();
            p.resize(52);
            return p;
        }
        default: // data (a session not chained yet passes untouched)
            return Build(from, m_rng(), m_rng(), ack, payload, Uniform(m_rng, 0, 1) ? ts : payload);
        }
    }

    uint32_t Draw(uint32_t lo, uint32_t hi) { return Uniform(m_rng, lo, hi); }

private:
    static std::vector<uint8_t> Build(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags,
                                      const std::vector<uint8_t>& payload,
                                      const std::vector<uint8_t>& options)
    {
        return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 65535,
                              options.data(), options.size(), payload.data(), payload.size());
    }

    std::mt19937 m_rng;
};

/// True for the packets ProcessInPlace() leaves to Process(): not TCP, malformed, plain SYN.
bool
NeedsProcess(std::vector<uint8_t> p)
{
    PacketView v(p.data(), p.size());
    return p.size() < 20 || p[9] != kProtoTcp || v.Parse() != ParseError::kOk ||
           (v.Flags() & (tcpflag::kSyn | tcpflag::kAck)) == tcpflag::kSyn;
}

void
ExpectSameEvents(const std::vector<AgentEvent>& a, const std::vector<AgentEvent>& b)
{
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
    {
        EXPECT_EQ(a[i].kind, b[i].kind) << "event " << i;
        EXPECT_EQ(a[i].session, b[i].session) << "event " << i;
        EXPECT_EQ(a[i].subsession, b[i].subsession) << "event " << i;
        EXPECT_EQ(a[i].detail, b[i].detail) << "event " << i;
    }
}

void
ExpectSameCounters(const AgentCounters& a, const AgentCounters& b)
{
    EXPECT_EQ(a.packets, b.packets);
    EXPECT_EQ(a.rewritten, b.rewritten);
    EXPECT_EQ(a.passed, b.passed);
    EXPECT_EQ(a.dropped, b.dropped);
    EXPECT_EQ(a.malformed, b.malformed);
    EXPECT_EQ(a.sessionsCreated, b.sessionsCreated);
}

enum class Mode
{
    kInPlace, ///< ProcessInPlace on raw buffers, Process() where it stops (the DPDK binding)
    kBurst,   ///< ProcessBurst on vectors
};

TEST(AgentInPlace, BurstsMatchOnePacketAtATime)
{
    const uint32_t seed = TestSeed();
    for (Mode mode : {Mode::kInPlace, Mode::kBurst})
    {
        SCOPED_TRACE(mode == Mode::kInPlace ? "ProcessInPlace" : "ProcessBurst");
        Stream stream(seed);
        std::vector<AgentEvent> refEvents;
        std::vector<AgentEvent> events;
        auto ref = MakeAgent(&refEvents, false); // the general path only
        auto agent = MakeAgent(&events);
        std::vector<FiveTuple> subs(40);
        size_t inPlace = 0;
        size_t handedOver = 0;
        uint64_t now = 1000;
        for (int burst = 0; burst < 400; ++burst)
        {
            // A burst comes from one port: one direction.
            const Direction dir = Direction(stream.Draw(0, 1));
            const size_t n = stream.Draw(1, 48); // above 32 too: the core's inner chunking
            std::vector<std::vector<uint8_t>> orig;
            for (size_t k = 0; k < n; ++k)
            {
                orig.push_back(stream.Next(dir, subs));
            }
            std::vector<std::vector<uint8_t>> want = orig;
            std::vector<Verdict> wantVerdicts(n);
            for (size_t k = 0; k < n; ++k)
            {
                wantVerdicts[k] = ref->Process(dir, want[k], now);
            }

            std::vector<std::vector<uint8_t>> got = orig;
            std::vector<Verdict> verdicts(n);
            if (mode == Mode::kBurst)
            {
                std::vector<std::vector<uint8_t>*> ptrs;
                for (auto& p : got)
                {
                    ptrs.push_back(&p);
                }
                agent->ProcessBurst(dir, ptrs.data(), n, verdicts.data(), now);
            }
            else
            {
                std::vector<Agent::PacketRef> refs;
                for (auto& p : got)
                {
                    refs.push_back(Agent::PacketRef{p.data(), p.size()});
                }
                for (size_t i = 0; i < n;)
                {
                    const size_t done = agent->ProcessInPlace(dir, refs.data() + i, n - i,
                                                              verdicts.data() + i, now);
                    for (size_t k = i; k < i + done; ++k)
                    {
                        EXPECT_FALSE(NeedsProcess(orig[k])) << "packet " << k << " of " << n;
                    }
                    inPlace += done;
                    i += done;
                    if (i < n)
                    {
                        EXPECT_TRUE(NeedsProcess(orig[i])) << "stopped at " << i;
                        EXPECT_EQ(got[i], orig[i]) << "a handed-over packet was changed";
                        verdicts[i] = agent->Process(dir, got[i], now);
                        ++handedOver;
                        ++i;
                    }
                }
            }
            for (size_t k = 0; k < n; ++k)
            {
                ASSERT_EQ(verdicts[k], wantVerdicts[k]) << "burst " << burst << " packet " << k;
                ASSERT_EQ(got[k], want[k]) << "burst " << burst << " packet " << k;
            }
            ASSERT_EQ(agent->Outputs(), ref->Outputs());
            ref->Outputs().clear();
            agent->Outputs().clear();
            for (uint32_t i = 0; i < 40; ++i)
            {
                if (const auto* s = ref->FindSession(Session(i)))
                {
                    subs[i] = s->rightSub;
                }
            }
            now += 1000;
        }
        ExpectSameEvents(refEvents, events);
        ExpectSameCounters(ref->Counters(), agent->Counters());
        EXPECT_EQ(ref->SessionCount(), agent->SessionCount());
        // The stream exercised what it is meant to: chains set up and data translated both
        // ways, in place and handed over.
        EXPECT_GE(ref->SessionCount(), 30u);
        EXPECT_GE(ref->Counters().rewritten, 2000u);
        EXPECT_GE(ref->Counters().malformed, 100u);
        if (mode == Mode::kInPlace)
        {
            EXPECT_GE(inPlace, 4000u);
            EXPECT_GE(handedOver, 1000u);
        }
    }
}

} // namespace
} // namespace dysco::test
