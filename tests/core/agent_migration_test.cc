// State migration at the anchors (§3.4, Figure 14): while a stateful middlebox B is
// replaced by C, new data waits at the anchors until the state is installed and the old
// path is empty; a refused state import cancels the new path and keeps the old one.
#include "net_test_bed.h"

using namespace dysco;
using namespace dysco::test;

namespace
{

constexpr uint32_t kA = 0x0A000001;
constexpr uint32_t kB = 0x0A000101;
constexpr uint32_t kC = 0x0A000201;
constexpr uint32_t kD = 0x0A000301;

const std::vector<uint8_t> kSynOptions = {8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 3, 3, 7, 4, 2, 0};

std::vector<uint8_t>
Tcp(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len = 0)
{
    std::vector<uint8_t> data(len);
    for (uint32_t i = 0; i < len; ++i)
    {
        data[i] = uint8_t(seq + i * 13);
    }
    const bool syn = (flags & tcpflag::kSyn) != 0;
    return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 65535,
                          syn ? kSynOptions.data() : nullptr, syn ? kSynOptions.size() : 0,
                          data.data(), data.size());
}

/// A -> B -> D with one session; C is the replacement for B.
struct Bed
{
    NetBed net;
    FiveTuple session{kA, kD, 5000, 80, kProtoTcp};
    uint32_t sndA = 1001;
    uint32_t sndD = 9001;

    Bed()
    {
        for (uint32_t n : {kA, kB, kC, kD})
        {
            net.Add(n);
        }
        net[kA].Policies().Add(Policy{"p", Predicate{}, {kB}});
        net.Send(kA, Tcp(session, 1000, 0, tcpflag::kSyn));
        net.Send(kD, Tcp(session.Reversed(), 9000, 1001, tcpflag::kSyn | tcpflag::kAck));
        net.Send(kA, Tcp(session, 1001, 9001, tcpflag::kAck));
    }

    void DataA(uint32_t len)
    {
        net.Send(kA, Tcp(session, sndA, sndD, tcpflag::kAck | tcpflag::kPsh, len));
        sndA += len;
    }
    void DataD(uint32_t len)
    {
        net.Send(kD, Tcp(session.Reversed(), sndD, sndA, tcpflag::kAck | tcpflag::kPsh, len));
        sndD += len;
    }
    void AckA() { net.Send(kA, Tcp(session, sndA, sndD, tcpflag::kAck)); }
    void AckD() { net.Send(kD, Tcp(session.Reversed(), sndD, sndA, tcpflag::kAck)); }

    /// Starts replacing B by C with both anchors holding; runs until both are in two paths.
    void StartMigration()
    {
        ASSERT_TRUE(net[kA].HoldForMigration(session));
        ASSERT_TRUE(net[kD].HoldForMigration(session));
        ASSERT_NE(net[kA].Reconfigure(session, kD, {kC}, net.now), 0u);
        net.Run();
    }

    size_t DataFrom(size_t mark, uint32_t from, uint32_t to) const
    {
        size_t n = 0;
        for (size_t i = mark; i < net.wire.size(); ++i)
        {
            const auto& w = net.wire[i];
            if (w.from == from && w.to == to && w.bytes[9] == kProtoTcp && w.bytes.size() > 80)
            {
                ++n;
            }
        }
        return n;
    }

    /// Payload bytes D's stack got, in arrival order.
    std::vector<uint32_t> SeqsAtD() const
    {
        std::vector<uint32_t> out;
        for (const auto& p : net.delivered.at(kD))
        {
            std::vector<uint8_t> b = p;
            PacketView v(b.data(), b.size());
            EXPECT_EQ(v.Parse(), ParseError::kOk);
            if (v.PayloadLength() > 0)
            {
                out.push_back(v.SeqNumber());
            }
        }
        return out;
    }
};

} // namespace

TEST(AgentMigration, NewDataWaitsForTheStateThenTakesTheNewPath)
{
    Bed b;
    b.DataA(100);
    b.AckD();
    b.StartMigration();
    // Both anchors are in two paths, the old path is empty, but the teardown waits.
    EXPECT_EQ(b.net[kA].Counters().reconfigSucceeded, 0u);
    EXPECT_EQ(b.net[kB].SessionCount(), 1u);

    // New data from either end is held: nothing reaches C, B or the peer.
    const size_t mark = b.net.wire.size();
    const uint32_t firstNew = b.sndA;
    b.DataA(300);
    b.DataD(200);
    EXPECT_EQ(b.DataFrom(mark, kA, kC), 0u);
    EXPECT_EQ(b.DataFrom(mark, kA, kB), 0u);
    EXPECT_EQ(b.DataFrom(mark, kD, kC), 0u);
    EXPECT_EQ(b.DataFrom(mark, kD, kB), 0u);
    EXPECT_EQ(b.net[kA].HeldPackets(), 1u);
    EXPECT_EQ(b.net[kD].HeldPackets(), 1u);
    EXPECT_EQ(b.net[kA].Counters().held, 1u);

    // The state arrives at both anchors: teardown, then the held data goes via C.
    const size_t before = b.net.delivered[kD].size();
    ASSERT_TRUE(b.net[kA].StateInstalled(b.session, b.net.now));
    ASSERT_TRUE(b.net[kD].StateInstalled(b.session, b.net.now));
    b.net.Run();
    EXPECT_EQ(b.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(b.net[kB].SessionCount(), 0u);
    EXPECT_EQ(b.net[kA].HeldPackets(), 0u);
    EXPECT_EQ(b.net[kD].HeldPackets(), 0u);
    EXPECT_EQ(b.DataFrom(mark, kA, kC), 1u);
    EXPECT_EQ(b.DataFrom(mark, kC, kD), 1u);
    EXPECT_EQ(b.DataFrom(mark, kD, kC), 1u);
    ASSERT_GT(b.net.delivered[kD].size(), before);
    std::vector<uint8_t> got = b.net.delivered[kD].back();
    PacketView v(got.data(), got.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.Tuple(), b.session);
    EXPECT_EQ(v.SeqNumber(), firstNew);
    EXPECT_EQ(v.PayloadLength(), 300u);
    EXPECT_EQ(v.Payload()[7], uint8_t(firstNew + 7 * 13));
    EXPECT_TRUE(v.ChecksumsValid());
}

TEST(AgentMigration, ASegmentStraddlingOldSentSendsItsOldPartAndHoldsTheRest)
{
    Bed b;
    // 500 bytes lost before the reconfiguration: the old path still owes them.
    bool dropNext = true;
    b.net.lose = [&](const WirePacket& w)
    {
        const bool hit = dropNext && w.from == kA && w.to == kB && w.bytes.size() > 500;
        dropNext = dropNext && !hit;
        return hit;
    };
    const uint32_t start = b.sndA;
    b.DataA(500);
    ASSERT_FALSE(dropNext);
    b.StartMigration();
    // A retransmits 800 bytes: 500 old ones go via B now, 300 new ones wait.
    const size_t mark = b.net.wire.size();
    b.net.Send(kA, Tcp(b.session, start, b.sndD, tcpflag::kAck, 800));
    b.sndA = start + 800;
    EXPECT_EQ(b.DataFrom(mark, kA, kB), 1u);
    EXPECT_EQ(b.DataFrom(mark, kA, kC), 0u);
    EXPECT_EQ(b.net[kA].HeldPackets(), 1u);
    b.AckD(); // D acks the 500 old bytes (its ack of the rest is beyond oldRcvd)
    b.net[kA].StateInstalled(b.session, b.net.now);
    b.net[kD].StateInstalled(b.session, b.net.now);
    b.net.Run();
    b.AckA();
    EXPECT_EQ(b.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(b.SeqsAtD(), (std::vector<uint32_t>{start, start + 500}));
}

TEST(AgentMigration, ARefusedStateImportCancelsTheNewPathAndKeepsTheOldOne)
{
    Bed b;
    b.DataA(100);
    b.AckD();
    b.StartMigration();
    const size_t mark = b.net.wire.size();
    const uint32_t held = b.sndA;
    b.DataA(200);
    EXPECT_EQ(b.net[kA].HeldPackets(), 1u);
    EXPECT_FALSE(b.net[kD].AbortMigration(b.session, b.net.now)); // only the left anchor
    ASSERT_TRUE(b.net[kA].AbortMigration(b.session, b.net.now));
    b.net.Run();
    EXPECT_EQ(b.net[kA].Counters().reconfigAborted, 1u);
    EXPECT_EQ(b.net[kA].ActiveReconfigurations(), 0u);
    EXPECT_EQ(b.net[kD].ActiveReconfigurations(), 0u);
    EXPECT_EQ(b.net[kA].HeldPackets(), 0u);
    // The held bytes and everything after them take the old path through B.
    b.DataA(50);
    b.DataD(70);
    EXPECT_EQ(b.DataFrom(mark, kA, kB), 2u);
    EXPECT_EQ(b.DataFrom(mark, kB, kD), 2u);
    EXPECT_EQ(b.DataFrom(mark, kD, kB), 1u);
    EXPECT_EQ(b.DataFrom(mark, kA, kC), 0u);
    EXPECT_EQ(b.SeqsAtD(), (std::vector<uint32_t>{1001, held, held + 200}));
    EXPECT_EQ(b.net[kB].SessionCount(), 1u);
    // C's state for the cancelled new path is reset (freed after its close linger).
    size_t resets = 0;
    for (size_t i = mark; i < b.net.wire.size(); ++i)
    {
        const auto& w = b.net.wire[i];
        if (w.from == kA && w.to == kC && w.bytes[9] == kProtoTcp)
        {
            std::vector<uint8_t> p = w.bytes;
            PacketView v(p.data(), p.size());
            ASSERT_EQ(v.Parse(), ParseError::kOk);
            resets += v.HasFlag(tcpflag::kRst) ? 1 : 0;
        }
    }
    EXPECT_EQ(resets, 1u);
    EXPECT_EQ(b.net[kC].SessionCount(), 1u);
    b.net.Advance(3'000'000'000ull);
    b.net[kC].ExpireIdle(b.net.now);
    EXPECT_EQ(b.net[kC].SessionCount(), 0u);
    EXPECT_EQ(b.net[kD].Counters().dropped, 0u);
}

TEST(AgentMigration, HoldingIsBoundedAndStateInstalledNeedsAHold)
{
    Bed b;
    EXPECT_FALSE(b.net[kA].StateInstalled(b.session, b.net.now)); // nothing armed
    b.StartMigration();
    // maxHeldBytes defaults to 4 MiB: 3000 segments of 1448 bytes exceed it.
    for (int i = 0; i < 3000; ++i)
    {
        b.DataA(1448);
    }
    const AgentCounters& c = b.net[kA].Counters();
    EXPECT_GT(c.heldDropped, 0u);
    EXPECT_EQ(c.held + c.heldDropped, 3000u);
    EXPECT_LE(c.held * (1448 + 40), size_t(4u << 20)); // IPv4 + TCP headers, no options
    EXPECT_GT((c.held + 1) * (1448 + 40), size_t(4u << 20));
}
