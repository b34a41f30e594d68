// Reconfiguration (§3) end to end over core agents: delete, insert, contention (Figure 5),
// deltas (§3.3), two paths with splitting (§3.4), aborts and lost control messages (§3.5).
#include "core/bytes.h"
#include "core/control.h"
#include "core/options.h"
#include "core/syn_payload.h"
#include "net_test_bed.h"

using namespace dysco;
using namespace dysco::test;

namespace
{

constexpr uint32_t kA = 0x0A000001;
constexpr uint32_t kB = 0x0A000101;
constexpr uint32_t kC = 0x0A000201;
constexpr uint32_t kD = 0x0A000301;
constexpr uint32_t kE = 0x0A000401;

const std::vector<uint8_t> kSynOptions = {8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 3, 3, 7, 4, 2, 0};

std::vector<uint8_t>
Payload(uint32_t len, uint32_t seed)
{
    std::vector<uint8_t> p(len);
    for (uint32_t i = 0; i < len; ++i)
    {
        p[i] = uint8_t(seed * 31 + i * 7);
    }
    return p;
}

std::vector<uint8_t>
Tcp(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len = 0,
    const std::vector<uint8_t>& options = {})
{
    auto data = Payload(len, seq);
    return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 65535,
                          options.data(), options.size(), data.data(), data.size());
}

struct View
{
    explicit View(const std::vector<uint8_t>& p)
        : bytes(p)
        , v(bytes.data(), bytes.size())
    {
        EXPECT_EQ(v.Parse(), ParseError::kOk);
    }
    std::vector<uint8_t> bytes;
    PacketView v;
};

/// A chain from A to D through `middleboxes`, with one session established.
struct Chain
{
    NetBed net;
    FiveTuple session{kA, kD, 5000, 80, kProtoTcp};
    uint32_t isnA;
    uint32_t isnD;
    uint32_t sndA; ///< next sequence number of A's stack
    uint32_t sndD;

    SeqDelta up = 0;   ///< what a middlebox adds to A's sequence numbers on the way to D
    SeqDelta down = 0; ///< and to D's on the way to A

    /// `declareAt`: the node whose middlebox declares (up, down) when the SYN passes it, as
    /// a sequence-shifting middlebox does.
    Chain(std::vector<uint32_t> middleboxes, uint32_t isnA_ = 1000, uint32_t isnD_ = 9000,
          std::vector<uint32_t> extra = {},
          std::function<void(uint32_t, std::vector<uint8_t>&)> mb = nullptr, SeqDelta up_ = 0,
          SeqDelta down_ = 0, uint32_t declareAt = 0)
        : isnA(isnA_)
        , isnD(isnD_)
        , up(up_)
        , down(down_)
    {
        net.middlebox = mb;
        if (declareAt != 0)
        {
            net.middlebox = [this, mb, declareAt](uint32_t node, std::vector<uint8_t>& pkt)
            {
                if (node == declareAt && pkt[9] == kProtoTcp &&
                    View(pkt).v.Flags() == tcpflag::kSyn)
                {
                    net[node].SetMiddleboxDelta(session, up, down);
                }
                mb(node, pkt);
            };
        }
        for (uint32_t n : {kA, kD})
        {
            net.Add(n);
        }
        for (uint32_t n : middleboxes)
        {
            net.Add(n);
        }
        for (uint32_t n : extra)
        {
            net.Add(n);
        }
        net[kA].Policies().Add(Policy{"p", Predicate{}, middleboxes});
        net.Send(kA, Tcp(session, isnA, 0, tcpflag::kSyn, 0, kSynOptions));
        net.Send(kD, Tcp(session.Reversed(), isnD, isnA + 1 + uint32_t(up),
                         tcpflag::kSyn | tcpflag::kAck, 0, kSynOptions));
        net.Send(kA, Tcp(session, isnA + 1, isnD + 1 + uint32_t(down), tcpflag::kAck));
        sndA = isnA + 1;
        sndD = isnD + 1;
    }

    /// A's stack sends `len` new bytes, acking everything D sent.
    // Each end acks in its own numbers: D's bytes as A sees them are shifted by `down`.
    uint32_t AckOfA() const { return sndD + uint32_t(down); }
    uint32_t AckOfD() const { return sndA + uint32_t(up); }
    void DataA(uint32_t len)
    {
        net.Send(kA, Tcp(session, sndA, AckOfA(), tcpflag::kAck | tcpflag::kPsh, len));
        sndA += len;
    }
    void DataD(uint32_t len)
    {
        net.Send(kD, Tcp(session.Reversed(), sndD, AckOfD(), tcpflag::kAck | tcpflag::kPsh, len));
        sndD += len;
    }
    void AckA() { net.Send(kA, Tcp(session, sndA, AckOfA(), tcpflag::kAck)); }
    void AckD() { net.Send(kD, Tcp(session.Reversed(), sndD, AckOfD(), tcpflag::kAck)); }

    /// Wire packets since index `from` that carry TCP from `src` to `dst`.
    std::vector<View> Tcps(size_t from, uint32_t src, uint32_t dst)
    {
        std::vector<View> out;
        for (size_t i = from; i < net.wire.size(); ++i)
        {
            const auto& w = net.wire[i];
            if (w.from == src && w.to == dst && w.bytes[9] == kProtoTcp)
            {
                out.emplace_back(w.bytes);
            }
        }
        return out;
    }
};

} // namespace

TEST(AgentReconfig, DeletingTheMiddleboxMovesTrafficToADirectSubsession)
{
    Chain c({kB});
    c.DataA(1000);
    c.AckD();
    ASSERT_EQ(c.net[kB].SessionCount(), 1u);
    const size_t mark = c.net.wire.size();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();

    EXPECT_EQ(c.net[kA].Counters().reconfigAttempted, 1u);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 0u);
    EXPECT_EQ(c.net[kD].ActiveReconfigurations(), 0u);
    // B relayed both anchors' oldPathDone and freed the session.
    EXPECT_EQ(c.net[kB].SessionCount(), 0u);
    // The new path's handshake went directly A <-> D and never reached D's stack.
    auto syns = c.Tcps(mark, kA, kD);
    ASSERT_GE(syns.size(), 2u);
    EXPECT_TRUE(syns[0].v.HasFlag(tcpflag::kSyn));
    SynPayload p;
    ASSERT_EQ(DecodeSynPayload(syns[0].v.Payload(), syns[0].v.PayloadLength(), &p),
              SynPayloadError::kOk);
    EXPECT_EQ(p.addresses, std::vector<uint32_t>{kD});
    EXPECT_EQ(p.markerLeftAnchor, kA);
    EXPECT_EQ(c.net.delivered[kD].size(), 3u); // SYN, ACK, data: nothing of the new path

    // Data now flows A -> D directly, both ways, with the session's own header at the ends.
    const size_t after = c.net.wire.size();
    c.DataA(500);
    c.DataD(700);
    EXPECT_TRUE(c.Tcps(after, kA, kB).empty());
    EXPECT_TRUE(c.Tcps(after, kD, kB).empty());
    ASSERT_EQ(c.Tcps(after, kA, kD).size(), 1u);
    ASSERT_EQ(c.Tcps(after, kD, kA).size(), 1u);
    View atD(c.net.delivered[kD].back());
    EXPECT_EQ(atD.v.Tuple(), c.session);
    EXPECT_EQ(atD.v.SeqNumber(), c.isnA + 1 + 1000);
    EXPECT_EQ(atD.v.PayloadLength(), 500u);
    EXPECT_TRUE(atD.v.ChecksumsValid());
    View atA(c.net.delivered[kA].back());
    EXPECT_EQ(atA.v.Tuple(), c.session.Reversed());
    EXPECT_EQ(atA.v.SeqNumber(), c.isnD + 1);
    EXPECT_TRUE(atA.v.ChecksumsValid());
}

TEST(AgentReconfig, InsertingAMiddleboxIntoADirectSubsession)
{
    Chain c({}, 1000, 9000, {kE});
    c.DataA(100);
    c.AckD();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kE}, c.net.now), 0u);
    c.net.Run();
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kE].SessionCount(), 1u);
    const size_t after = c.net.wire.size();
    c.DataA(300);
    c.DataD(200);
    EXPECT_EQ(c.Tcps(after, kA, kE).size(), 1u);
    EXPECT_EQ(c.Tcps(after, kE, kD).size(), 1u);
    EXPECT_EQ(c.Tcps(after, kD, kE).size(), 1u);
    EXPECT_EQ(c.Tcps(after, kE, kA).size(), 1u);
    EXPECT_TRUE(c.Tcps(after, kA, kD).empty());
    View atD(c.net.delivered[kD].back());
    EXPECT_EQ(atD.v.Tuple(), c.session);
    EXPECT_EQ(atD.v.SeqNumber(), c.isnA + 1 + 100);
}

TEST(AgentReconfig, ReplacingOneMiddleboxByTwo)
{
    Chain c({kB}, 1000, 9000, {kC, kE});
    c.DataA(100);
    c.AckD();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kC, kE}, c.net.now), 0u);
    c.net.Run();
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kB].SessionCount(), 0u);
    const size_t after = c.net.wire.size();
    c.DataA(10);
    EXPECT_EQ(c.Tcps(after, kA, kC).size(), 1u);
    EXPECT_EQ(c.Tcps(after, kC, kE).size(), 1u);
    EXPECT_EQ(c.Tcps(after, kE, kD).size(), 1u);
}

/// A packet middlebox at B that shifts A's bytes by `up` and D's by `down` (as a proxy or
/// a sequence-randomising firewall does) and fixes the acks to match.
std::function<void(uint32_t, std::vector<uint8_t>&)>
Shifter(SeqDelta up, SeqDelta down)
{
    return [up, down](uint32_t node, std::vector<uint8_t>& pkt)
    {
        PacketView v(pkt.data(), pkt.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        if (node != kB)
        {
            return;
        }
        const bool toD = v.DstIp() == kD;
        v.SetSeqNumber(v.SeqNumber() + uint32_t(toD ? up : down));
        if (v.HasFlag(tcpflag::kAck))
        {
            v.SetAckNumber(v.AckNumber() - uint32_t(toD ? down : up));
        }
    };
}

void
CheckDeltasAfterDeletingB(uint32_t isnA, uint32_t isnD, SeqDelta up, SeqDelta down)
{
    Chain c({kB}, isnA, isnD, {}, Shifter(up, down), up, down);
    ASSERT_TRUE(c.net[kB].SetMiddleboxDelta(c.session, up, down));
    c.DataA(0x80);
    View first(c.net.delivered[kD].back());
    EXPECT_EQ(first.v.SeqNumber(), isnA + 1 + uint32_t(up));
    c.AckD();
    EXPECT_EQ(View(c.net.delivered[kA].back()).v.AckNumber(), c.sndA);

    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    ASSERT_EQ(c.net[kB].SessionCount(), 0u);

    // Without B the anchors apply the deltas: D still sees A's bytes shifted by `up`...
    const size_t mark = c.net.wire.size();
    const uint32_t aSeq = c.sndA;
    c.DataA(0x100); // crosses 2^32 when isnA is close to it
    EXPECT_TRUE(c.Tcps(mark, kA, kB).empty());
    View atD(c.net.delivered[kD].back());
    EXPECT_EQ(atD.v.SeqNumber(), aSeq + uint32_t(up));
    EXPECT_EQ(atD.v.AckNumber(), c.sndD);
    EXPECT_TRUE(atD.v.ChecksumsValid());
    // ...and A sees D's bytes shifted by `down`, its own bytes acked in its own numbers.
    const uint32_t dSeq = c.sndD;
    c.DataD(20);
    View atA(c.net.delivered[kA].back());
    EXPECT_EQ(atA.v.SeqNumber(), dSeq + uint32_t(down));
    EXPECT_EQ(atA.v.AckNumber(), aSeq + 0x100);
    EXPECT_TRUE(atA.v.ChecksumsValid());
}

TEST(AgentReconfig, MiddleboxDeltasMoveToTheAnchors)
{
    CheckDeltasAfterDeletingB(1000, 9000, 1000, -500);
}

TEST(AgentReconfig, DeltasAcrossTheSequenceWrap)
{
    // Sequence numbers close to 2^32 when the deltas are applied.
    CheckDeltasAfterDeletingB(0xFFFFFF00u, 0xFFFFFFF0u, 0x300, -0x7FFF0000);
}

/// A shifter like the one above, at `node` instead of B.
std::function<void(uint32_t, std::vector<uint8_t>&)>
ShifterAt(uint32_t at, SeqDelta up, SeqDelta down)
{
    auto shift = Shifter(up, down);
    return [at, shift](uint32_t node, std::vector<uint8_t>& pkt)
    { shift(node == at ? kB : 0, pkt); };
}

/// An anchor whose own middlebox shifts sequence numbers: its agent sees the session's
/// numbers in two spaces (before and after the shift), and must judge the old path by the
/// numbers of the side being replaced. The shifts are chosen so that the other side's
/// numbers compare higher (a tracker mixing both spaces then keeps the wrong ones).
void
CheckAnchorWithItsOwnDelta(uint32_t shifter, uint32_t leftAnchor, uint32_t rightAnchor,
                           uint32_t deleted, SeqDelta up, SeqDelta down)
{
    // The middlebox declares its deltas as the SYN passes, before any other packet.
    Chain c({kB, kC}, 1000, 9000, {}, ShifterAt(shifter, up, down), up, down, shifter);
    c.DataA(300);
    c.DataD(200);
    c.AckA();
    c.AckD();
    ASSERT_NE(c.net[leftAnchor].Reconfigure(c.session, rightAnchor, {}, c.net.now), 0u);
    c.net.Run();
    c.DataA(100);
    c.DataD(100);
    c.AckA();
    c.AckD();
    EXPECT_EQ(c.net[leftAnchor].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[leftAnchor].ActiveReconfigurations(), 0u);
    EXPECT_EQ(c.net[rightAnchor].ActiveReconfigurations(), 0u);
    EXPECT_EQ(c.net[deleted].SessionCount(), 0u);
    // Still byte-exact at both ends, in each end's own numbers.
    const size_t mark = c.net.wire.size();
    const uint32_t aSeq = c.sndA;
    c.DataA(10);
    EXPECT_TRUE(c.Tcps(mark, kA, deleted).empty());
    View atD(c.net.delivered[kD].back());
    EXPECT_EQ(atD.v.SeqNumber(), aSeq + uint32_t(up));
    EXPECT_EQ(atD.v.AckNumber(), c.sndD);
    const uint32_t dSeq = c.sndD;
    c.DataD(10);
    View atA(c.net.delivered[kA].back());
    EXPECT_EQ(atA.v.SeqNumber(), dSeq + uint32_t(down));
    EXPECT_EQ(atA.v.AckNumber(), c.sndA);
}

TEST(AgentReconfig, ARightAnchorWhoseMiddleboxShiftsSequenceNumbersTearsDown)
{
    // C shifts; A deletes B, so C is the right anchor.
    CheckAnchorWithItsOwnDelta(kC, kA, kC, kB, 0x40000000, -0x12345678);
}

TEST(AgentReconfig, ALeftAnchorWhoseMiddleboxShiftsSequenceNumbersTearsDown)
{
    // B shifts; B deletes C, so B is the left anchor.
    CheckAnchorWithItsOwnDelta(kB, kB, kD, kC, -0x40000000, 0x12345678);
}

TEST(AgentReconfig, OldBytesStayOnTheOldPathAndStraddlingSegmentsAreCut)
{
    Chain c({kB});
    // A's first 1000 bytes are lost on the old path before the reconfiguration starts.
    bool dropNext = true;
    c.net.lose = [&](const WirePacket& w)
    {
        if (dropNext && w.from == kA && w.to == kB && w.bytes[9] == kProtoTcp &&
            w.bytes.size() > 100)
        {
            dropNext = false;
            return true;
        }
        return false;
    };
    const uint32_t start = c.sndA;
    c.DataA(1000);
    ASSERT_FALSE(dropNext);
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    // D has received nothing of it: its teardown predicate cannot hold yet.
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 0u);
    EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 1u);

    // New bytes go on the new path.
    size_t mark = c.net.wire.size();
    c.DataA(500);
    EXPECT_EQ(c.Tcps(mark, kA, kD).size(), 1u);
    EXPECT_TRUE(c.Tcps(mark, kA, kB).empty());
    // D's duplicate ack (for old data) goes on the old path.
    mark = c.net.wire.size();
    c.net.Send(kD, Tcp(c.session.Reversed(), c.sndD, start, tcpflag::kAck));
    EXPECT_EQ(c.Tcps(mark, kD, kB).size(), 1u);
    // A retransmits from the start with 1200 bytes: 1000 old ones, 200 new ones. Cut.
    mark = c.net.wire.size();
    c.net.Send(kA, Tcp(c.session, start, c.sndD, tcpflag::kAck, 1200));
    auto viaB = c.Tcps(mark, kA, kB);
    auto direct = c.Tcps(mark, kA, kD);
    ASSERT_EQ(viaB.size(), 1u);
    ASSERT_EQ(direct.size(), 1u);
    EXPECT_EQ(viaB[0].v.PayloadLength(), 1000u);
    EXPECT_EQ(direct[0].v.PayloadLength(), 200u);
    EXPECT_EQ(direct[0].v.SeqNumber(), start + 1000);
    EXPECT_TRUE(viaB[0].v.ChecksumsValid());
    EXPECT_TRUE(direct[0].v.ChecksumsValid());
    EXPECT_EQ(c.net[kA].Counters().splits, 1u);
    // D's stack got every byte: the old 1000 via B, the new ones directly.
    // D now acks everything: on the new path, plus an ack of oldRcvd on the old one.
    mark = c.net.wire.size();
    c.net.Send(kD, Tcp(c.session.Reversed(), c.sndD, c.sndA, tcpflag::kAck));
    EXPECT_EQ(c.Tcps(mark, kD, kA).size(), 1u);
    EXPECT_EQ(c.Tcps(mark, kD, kB).size(), 1u);
    c.AckA();
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kB].SessionCount(), 0u);
}

TEST(AgentReconfig, Figure5ContentionExactlyOneWinsAndTheLoserRetries)
{
    // A wants to delete B ([A..C]) while B wants to delete C ([B..D]).
    Chain c({kB, kC});
    c.DataA(100);
    c.AckD();
    // B's request is out first; A's arrives at B while B's lock is pending.
    const uint32_t reqB = c.net[kB].Reconfigure(c.session, kD, {}, c.net.now);
    const uint32_t reqA = c.net[kA].Reconfigure(c.session, kC, {}, c.net.now);
    ASSERT_NE(reqB, 0u);
    ASSERT_NE(reqA, 0u);
    c.net.Run();
    EXPECT_EQ(c.net[kB].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 0u);
    EXPECT_EQ(c.net[kA].Counters().reconfigNacked, 1u);
    EXPECT_EQ(c.net[kA].Counters().reconfigAborted, 1u);
    EXPECT_EQ(c.net[kC].SessionCount(), 0u);
    // The loser tries again, now deleting B from A-B-D.
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kB].SessionCount(), 0u);
    const size_t after = c.net.wire.size();
    c.DataA(10);
    EXPECT_EQ(c.Tcps(after, kA, kD).size(), 1u);
}

TEST(AgentReconfig, ALockHeldForAnotherRequestRefusesAtOnce)
{
    Chain c({kB, kC});
    c.net.lose = [](const WirePacket& w) { return w.to == kD && w.bytes[9] == kProtoUdp; };
    ASSERT_NE(c.net[kB].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    // B's request is stuck in front of D; B's own subsession is pending, so a second
    // request of B itself is refused locally.
    EXPECT_EQ(c.net[kB].Reconfigure(c.session, kD, {}, c.net.now), 0u);
}

TEST(AgentReconfig, ANewMiddleboxThatIsDownAbortsAndUnlocks)
{
    Chain c({kB}, 1000, 9000, {kE});
    c.net.down.insert(kE);
    c.DataA(100);
    c.AckD();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kE}, c.net.now), 0u);
    c.net.Run();
    c.net.Advance(1'000'000'000);
    EXPECT_EQ(c.net[kA].Counters().reconfigAborted, 1u);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 0u);
    EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 0u);
    EXPECT_EQ(c.net[kD].ActiveReconfigurations(), 0u);
    const Session* sb = c.net[kB].FindSession(c.session);
    ASSERT_NE(sb, nullptr);
    EXPECT_EQ(sb->rightLock.state, LockState::kUnlocked);
    // The session is unharmed on the old path...
    size_t mark = c.net.wire.size();
    c.DataA(10);
    EXPECT_EQ(c.Tcps(mark, kA, kB).size(), 1u);
    // ...and once E is up, the same reconfiguration succeeds.
    c.net.down.clear();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kE}, c.net.now), 0u);
    c.net.Run();
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 0u); // A's last 10 bytes are unacked
    c.AckD();
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    mark = c.net.wire.size();
    c.DataA(10);
    EXPECT_EQ(c.Tcps(mark, kA, kE).size(), 1u);
}

TEST(AgentReconfig, LostControlMessagesAreRetransmitted)
{
    Chain c({kB});
    int dropped = 0;
    c.net.lose = [&](const WirePacket& w)
    {
        // Lose the first copy of every control message type once.
        if (w.bytes[9] == kProtoUdp && dropped < 6 && (w.bytes.size() % 2 == 0 || dropped < 3))
        {
            ++dropped;
            return true;
        }
        return false;
    };
    c.DataA(100);
    c.AckD();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    for (int i = 0; i < 20 && c.net[kA].Counters().reconfigSucceeded == 0; ++i)
    {
        c.net.Advance(20'000'000);
        c.AckA();
        c.AckD();
    }
    EXPECT_GT(dropped, 0);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kB].SessionCount(), 0u);
}

TEST(AgentReconfig, OldPathDataOvertakenByTheNewPathNeverCarriesAnAckGoingBackwards)
{
    // The new path is shorter, so D's data sent on it can reach A before D's older data on
    // the old path. That older data carries an older ack. Stacks that drop a segment whose
    // ack is below SND.UNA (ns-3's TcpSocketBase discards its data too) would lose those
    // bytes until a timeout; the anchor passes such data on with the highest ack it has
    // already delivered.
    Chain c({kB});
    c.DataA(100);
    c.AckD();
    std::vector<uint8_t> held;
    c.net.lose = [&](const WirePacket& w)
    {
        if (held.empty() && w.from == kD && w.to == kB && w.bytes[9] == kProtoTcp &&
            View(w.bytes).v.PayloadLength() > 0)
        {
            held = w.bytes;
            return true;
        }
        return false;
    };
    c.DataD(300); // held back on the old path, with an ack of A's first 100 bytes
    ASSERT_FALSE(held.empty());
    const uint32_t staleAck = View(held).v.AckNumber();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kA].ActiveReconfigurations(), 1u); // D's old bytes keep both paths open
    c.DataA(50);
    c.DataD(20); // on the new path: acks A's 150 bytes and reaches A first
    EXPECT_EQ(View(c.net.delivered[kA].back()).v.AckNumber(), c.sndA);
    EXPECT_NE(staleAck, c.sndA);

    // The held packet now arrives through B, the old path.
    ASSERT_EQ(c.net[kB].Process(Direction::kIngress, held, c.net.now), Verdict::kForward);
    ASSERT_EQ(c.net[kB].Process(Direction::kEgress, held, c.net.now), Verdict::kForward);
    ASSERT_EQ(c.net[kA].Process(Direction::kIngress, held, c.net.now), Verdict::kForward);
    View atA(held);
    EXPECT_EQ(atA.v.PayloadLength(), 300u);
    EXPECT_EQ(atA.v.AckNumber(), c.sndA);
    EXPECT_TRUE(atA.v.ChecksumsValid());
}

TEST(AgentReconfig, AfterTheTeardownAStaleAckIsRaisedAndTheWindowKeepsItsRightEdge)
{
    // After the teardown the new path can still deliver segments that shorter-path traffic
    // overtook. D's segment is held back on the new path while D's next one, acking more of
    // A's bytes, arrives first.
    Chain c({kB});
    c.DataA(100);
    c.AckD();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    std::vector<uint8_t> held;
    c.net.lose = [&](const WirePacket& w)
    {
        if (held.empty() && w.from == kD && w.to == kA && w.bytes[9] == kProtoTcp &&
            View(w.bytes).v.PayloadLength() > 0)
        {
            held = w.bytes;
            return true;
        }
        return false;
    };
    c.DataD(50); // held: acks A's first 100 bytes
    ASSERT_FALSE(held.empty());
    const uint16_t window = View(held).v.Window();
    c.DataA(300);
    c.DataD(20); // acks all 400 of A's bytes, arrives first
    ASSERT_EQ(c.net[kA].Process(Direction::kIngress, held, c.net.now), Verdict::kForward);
    View atA(held);
    EXPECT_EQ(atA.v.AckNumber(), c.sndA);
    // 300 bytes more acked: the window (scale 7 in kSynOptions) shrinks by ceil(300 / 128).
    EXPECT_EQ(atA.v.Window(), window - 3);
    EXPECT_TRUE(atA.v.ChecksumsValid());
}

TEST(AgentReconfig, FinDuringTheTwoPathPhaseClosesCleanly)
{
    Chain c({kB});
    bool dropNext = true;
    c.net.lose = [&](const WirePacket& w)
    {
        if (dropNext && w.from == kA && w.to == kB && w.bytes.size() > 100 &&
            w.bytes[9] == kProtoTcp)
        {
            dropNext = false;
            return true;
        }
        return false;
    };
    const uint32_t start = c.sndA;
    c.DataA(300); // lost: keeps the two-path phase open
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kA].ActiveReconfigurations(), 1u);
    // A closes with a FIN on the new path while the old bytes are still missing.
    size_t mark = c.net.wire.size();
    c.net.Send(kA, Tcp(c.session, c.sndA, c.sndD, tcpflag::kAck | tcpflag::kFin));
    EXPECT_EQ(c.Tcps(mark, kA, kD).size(), 1u);
    // Retransmission on the old path, then D acks everything including the FIN and closes.
    c.net.Send(kA, Tcp(c.session, start, c.sndD, tcpflag::kAck, 300));
    c.net.Send(kD, Tcp(c.session.Reversed(), c.sndD, c.sndA + 1, tcpflag::kAck | tcpflag::kFin));
    c.net.Send(kA, Tcp(c.session, c.sndA + 1, c.sndD + 1, tcpflag::kAck));
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    for (uint32_t n : {kA, kB, kD})
    {
        c.net[n].ExpireIdle(c.net.now + c.net[n].Config().closeLingerNs);
        EXPECT_EQ(c.net[n].SessionCount(), 0u) << std::hex << n;
    }
}

// Found by `dyscosim fuzz` (verification/fuzz-findings/stale-reset-old-path.json): the agent
// inside the old segment frees the old path once both anchors' oldPathDone went through it; a
// late segment then reaches its host's stack, which answers with a reset on the old
// subsession. The anchor still waiting for the other done must not end the session for it.
TEST(AgentReconfig, AResetFromAFreedOldPathDoesNotEndTheSession)
{
    Chain c({kB});
    c.DataA(1000);
    c.AckD();
    const FiveTuple oldSub = c.net[kA].FindSession(c.session)->rightSub; // A -> B
    auto isDoneFromD = [](const WirePacket& w)
    {
        ControlMessage m;
        return w.from == kB && w.to == kA && w.bytes[9] == 17 &&
               DecodeControl(w.bytes.data() + 28, w.bytes.size() - 28, &m) == ControlError::kOk &&
               m.type == ControlType::kOldPathDone && (m.flags & 2) != 0;
    };
    c.net.lose = isDoneFromD;
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    // D's done is lost on its way to A: B saw both dones and freed the old path, A waits.
    ASSERT_EQ(c.net[kB].SessionCount(), 0u);
    ASSERT_EQ(c.net[kA].ActiveReconfigurations(), 1u);

    const size_t before = c.net.delivered[kA].size();
    c.net.Send(kB, Tcp(oldSub.Reversed(), 777, 0, tcpflag::kRst));
    EXPECT_EQ(c.net.delivered[kA].size(), before) << "the reset reached A's stack";
    EXPECT_EQ(c.net[kA].Counters().staleResets, 1u);
    EXPECT_EQ(c.net[kA].Counters().dropped, 1u);

    // The session lives on over the new path, and the retransmitted done ends the phase.
    c.net.lose = nullptr;
    c.DataA(500);
    View atD(c.net.delivered[kD].back());
    EXPECT_EQ(atD.v.PayloadLength(), 500u);
    EXPECT_FALSE(atD.v.HasFlag(tcpflag::kRst));
    c.net.Advance(200'000'000);
    EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 0u);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
}

TEST(AgentReconfig, MalformedAndUnknownControlMessagesAreDroppedAndCounted)
{
    Chain c({kB});
    ControlMessage m;
    m.type = ControlType::kRequestLock;
    m.subsession = FiveTuple{kA, kB, 1, 2, kProtoTcp}; // no such subsession
    m.leftAnchor = kA;
    m.rightAnchor = kD;
    auto pkt = BuildControlPacket(kA, kB, m);
    EXPECT_EQ(c.net[kB].Process(Direction::kIngress, pkt, c.net.now), Verdict::kConsume);
    EXPECT_EQ(c.net[kB].Counters().controlDropped, 1u);
    auto truncated = BuildControlPacket(kA, kB, m);
    truncated.resize(40);
    Store16(&truncated[2], 40);
    EXPECT_EQ(c.net[kB].Process(Direction::kIngress, truncated, c.net.now), Verdict::kDrop);
    EXPECT_EQ(c.net[kB].Counters().controlDropped, 2u);
    // An ackLock nobody asked for.
    const Session* s = c.net[kA].FindSession(c.session);
    ASSERT_NE(s, nullptr);
    m.type = ControlType::kAckLock;
    m.subsession = s->rightSub;
    auto stray = BuildControlPacket(kB, kA, m);
    EXPECT_EQ(c.net[kA].Process(Direction::kIngress, stray, c.net.now), Verdict::kConsume);
    EXPECT_EQ(c.net[kA].Counters().controlDropped, 1u);
    EXPECT_EQ(s->rightLock.state, LockState::kUnlocked);
    // An ackCancel for a cancel this left anchor never sent.
    m.type = ControlType::kAckCancel;
    m.serial = 7;
    auto strayCancel = BuildControlPacket(kB, kA, m);
    EXPECT_EQ(c.net[kA].Process(Direction::kIngress, strayCancel, c.net.now), Verdict::kConsume);
    EXPECT_EQ(c.net[kA].Counters().controlDropped, 2u);
    EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 0u);
}

TEST(AgentReconfig, ASessionThatClosesWhileLockingAbortsAndLeavesNoState)
{
    Chain c({kB});
    bool held = true;
    // The first requestLock toward D is lost, so the lock is still pending when A resets.
    c.net.lose = [&](const WirePacket& w)
    {
        if (held && w.to == kD && w.bytes[9] == kProtoUdp)
        {
            held = false;
            return true;
        }
        return false;
    };
    std::vector<uint32_t> reasons;
    c.net[kA].SetEventSink(
        [&](const AgentEvent& e)
        {
            if (e.kind == AgentEventKind::kReconfigAborted)
            {
                reasons.push_back(e.detail);
            }
        });
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    c.net.Send(kA, Tcp(c.session, c.sndA, c.AckOfA(), tcpflag::kRst | tcpflag::kAck));
    c.net.Advance(500'000'000);
    EXPECT_EQ(c.net[kA].Counters().reconfigAborted, 1u);
    // Reported as closed (4), not as a failed new path (2); cancelLock went out, and the
    // abort did not wait for its ackCancel.
    EXPECT_EQ(reasons, std::vector<uint32_t>{4});
    EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 0u);
    // B's resend of the lost request stopped at the cancel: D never locked for it, even
    // while the closed session lingers (found by the full Figure 12 campaign).
    EXPECT_EQ(c.net[kD].ActiveReconfigurations(), 0u);
    for (uint32_t n : {kA, kB, kD})
    {
        c.net[n].ExpireIdle(c.net.now + c.net[n].Config().closeLingerNs);
        EXPECT_EQ(c.net[n].SessionCount(), 0u) << std::hex << n;
        EXPECT_EQ(c.net[n].ActiveReconfigurations(), 0u) << std::hex << n;
    }
}

// Found by the full Figure 12 campaign (1 % control loss): a session closed while its
// requestLock was being resent; the cancel went through, then a resent copy locked the segment
// again for a request that had ended. Neither a resent nor a reordered copy may leave a lock.
struct StaleRequestLock
{
    Chain c{{kB}};
    std::vector<uint8_t> firstCopy; // the lost requestLock A -> B
    std::vector<std::pair<uint32_t, LockState>> locksAtB;

    static bool IsRequestLock(const WirePacket& w)
    {
        ControlMessage m;
        return w.bytes[9] == kProtoUdp &&
               DecodeControl(w.bytes.data() + 28, w.bytes.size() - 28, &m) == ControlError::kOk &&
               m.type == ControlType::kRequestLock;
    }

    /// A asks to remove B; the first requestLock is lost; A's session resets before the resend.
    void CloseWhileLocking()
    {
        c.net.lose = [this](const WirePacket& w)
        {
            if (firstCopy.empty() && w.from == kA && w.to == kB && IsRequestLock(w))
            {
                firstCopy = w.bytes;
                return true;
            }
            return false;
        };
        c.net[kB].SetEventSink(
            [this](const AgentEvent& e)
            {
                if (e.kind == AgentEventKind::kLockChanged)
                {
                    locksAtB.emplace_back(e.requestId, LockState(e.detail));
                }
            });
        ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
        c.net.Run();
        ASSERT_FALSE(firstCopy.empty());
        c.net.Send(kA, Tcp(c.session, c.sndA, c.AckOfA(), tcpflag::kRst | tcpflag::kAck));
        c.net.Run();
        ASSERT_EQ(c.net[kA].ActiveReconfigurations(), 0u); // cancel and ackCancel went through
    }

    /// No agent holds a reconfiguration, and B's lock ended unlocked (or was never taken).
    void ExpectNoLockLeft()
    {
        for (uint32_t n : {kA, kB, kD})
        {
            EXPECT_EQ(c.net[n].ActiveReconfigurations(), 0u) << std::hex << n;
        }
        if (!locksAtB.empty())
        {
            EXPECT_EQ(locksAtB.back().second, LockState::kUnlocked);
        }
    }
};

TEST(AgentReconfig, ARequestLockIsNotResentAfterItsCancel)
{
    StaleRequestLock t;
    t.CloseWhileLocking();
    const size_t mark = t.c.net.wire.size();
    t.c.net.Advance(1'500'000'000); // past every retransmission of the request
    for (size_t i = mark; i < t.c.net.wire.size(); ++i)
    {
        EXPECT_FALSE(StaleRequestLock::IsRequestLock(t.c.net.wire[i])) << "resent at " << i;
    }
    EXPECT_TRUE(t.locksAtB.empty());
    t.ExpectNoLockLeft();
}

TEST(AgentReconfig, AnAckLockForAnEndedRequestIsAnsweredWithACancel)
{
    StaleRequestLock t;
    t.CloseWhileLocking();
    t.c.net.lose = nullptr;
    // The lost copy arrives after all (reordered): B and D lock for it and ack to A, which no
    // longer has the request and releases the segment.
    t.c.net.Inject(kA, t.firstCopy);
    ASSERT_GE(t.locksAtB.size(), 2u);
    EXPECT_EQ(t.locksAtB[t.locksAtB.size() - 2].second, LockState::kLocked);
    EXPECT_EQ(t.c.net[kA].Counters().staleLocksReleased, 1u);
    t.ExpectNoLockLeft();
}

TEST(AgentReconfig, ChainSynsForOtherHostsPassARouterUntouched)
{
    NetBed net;
    Agent& router = net.Add(0x0A000901);
    std::vector<uint8_t> payload;
    EncodeSynPayload(SynPayload{FiveTuple{kA, kD, 5000, 80, kProtoTcp}, {kB, kD}}, payload);
    auto syn = BuildTcpPacket(kA, kB, 20000, 20000, 1, 0, tcpflag::kSyn, 65535, nullptr, 0,
                              payload.data(), payload.size());
    auto copy = syn;
    EXPECT_EQ(router.Process(Direction::kIngress, syn, 0), Verdict::kForward);
    EXPECT_EQ(syn, copy);
    EXPECT_EQ(router.SessionCount(), 0u);
    EXPECT_EQ(router.Counters().dropped, 0u);
}

namespace
{

/// What the trace recorder needs from the events of one agent.
struct EventLog
{
    std::vector<LockState> locks; ///< kLockChanged states, in order
    std::vector<FiveTuple> controlSessions;
    std::vector<AgentEvent> teardowns;

    void Attach(Agent& a)
    {
        a.SetEventSink(
            [this](const AgentEvent& e)
            {
                if (e.kind == AgentEventKind::kLockChanged)
                {
                    locks.push_back(LockState(e.detail));
                }
                else if (e.kind == AgentEventKind::kControlSent)
                {
                    controlSessions.push_back(e.session);
                }
                else if (e.kind == AgentEventKind::kTeardown)
                {
                    teardowns.push_back(e);
                }
            });
    }
};

} // namespace

TEST(AgentReconfig, TraceEventsEndEveryLockHoldAndNameTheSession)
{
    Chain c({kB});
    c.DataA(1000);
    c.AckD();
    EventLog a;
    EventLog b;
    EventLog d;
    a.Attach(c.net[kA]);
    b.Attach(c.net[kB]);
    d.Attach(c.net[kD]);
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    // The left anchor's hold on A -> B ends with the subsession it replaced.
    EXPECT_EQ(a.locks, (std::vector<LockState>{LockState::kLockPending, LockState::kLocked,
                                               LockState::kUnlocked}));
    // Every control message an agent sends names the session (the recorder's key).
    for (const EventLog* log : {&a, &b, &d})
    {
        ASSERT_FALSE(log->controlSessions.empty());
        for (const FiveTuple& t : log->controlSessions)
        {
            EXPECT_EQ(t, c.session);
        }
    }
    // Both anchors report where the new path begins: its first byte, or the announced cutoff.
    ASSERT_EQ(a.teardowns.size(), 1u);
    ASSERT_EQ(d.teardowns.size(), 1u);
    for (const AgentEvent& t : {a.teardowns[0], d.teardowns[0]})
    {
        EXPECT_TRUE(t.hasCutoff);
        EXPECT_EQ(t.vars[2], t.hasFirstNew && t.vars[4] == t.vars[2] ? t.vars[4] : t.cutoff);
    }
}

TEST(AgentReconfig, AnAbortedReconfigurationReportsItsUnlock)
{
    Chain c({kB}, 1000, 9000, {kE});
    c.net.down.insert(kE);
    c.DataA(100);
    c.AckD();
    EventLog a;
    a.Attach(c.net[kA]);
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kE}, c.net.now), 0u);
    c.net.Run();
    c.net.Advance(1'000'000'000);
    ASSERT_EQ(c.net[kA].Counters().reconfigAborted, 1u);
    EXPECT_EQ(a.locks, (std::vector<LockState>{LockState::kLockPending, LockState::kLocked,
                                               LockState::kUnlocked}));
}

TEST(AgentReconfig, AStreamThatEndedOnAnEarlierOldPathEndsTheNextOneWhereItWasAcked)
{
    // The fuzzer's two-reconfigs-early-fin-cutoff: A inserts B in front of C; A's SYN to B is
    // lost, so A sends 200 more bytes and its FIN on the old path A-C before the two-path
    // phase. B learnt the stream's position from that SYN and from D's acks passing it. Then
    // B deletes C (anchors B and D): B's old path must end where D's did, after the FIN, not
    // at the SYN's number (else D's teardown waits for bytes B never sends).
    Chain c({kC}, 1000, 9000, {kB});
    c.DataA(100);
    c.AckD();
    bool held = true;
    c.net.lose = [&](const WirePacket& w) { return held && w.to == kB && w.bytes[9] == kProtoTcp; };
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kC, {kB}, c.net.now), 0u);
    c.net.Run();
    c.DataA(200);
    c.net.Send(kA, Tcp(c.session, c.sndA, c.AckOfA(), tcpflag::kFin | tcpflag::kAck));
    c.sndA += 1;
    held = false;
    c.net.Advance(30'000'000); // the SYN is resent; the new path comes up
    c.AckD();
    c.AckA();
    c.net.Advance(30'000'000);
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    // D's next data passes B with D's ack of the FIN: B's only sight of the stream's end.
    c.DataD(10);
    c.AckA();
    EventLog b;
    EventLog d;
    b.Attach(c.net[kB]);
    d.Attach(c.net[kD]);
    ASSERT_NE(c.net[kB].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    c.net.Advance(30'000'000);
    c.DataD(10);
    c.AckA();
    c.net.Advance(30'000'000);
    EXPECT_EQ(c.net[kB].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kD].Counters().reconfigSucceeded, 0u); // counted at the left anchor only
    ASSERT_EQ(b.teardowns.size(), 1u);
    ASSERT_EQ(d.teardowns.size(), 1u);
    // vars: oldSent, oldSentAcked, oldRcvd, ...; no deltas on this chain.
    EXPECT_EQ(b.teardowns[0].vars[0], c.sndA);
    EXPECT_EQ(d.teardowns[0].vars[2], b.teardowns[0].vars[0]);
    EXPECT_EQ(b.teardowns[0].vars[2], d.teardowns[0].vars[0]);
}

namespace
{

/// The ended-streams byte of a new path's notice, or -1 if `w` is not one.
int
EndedNotice(const View& w)
{
    TcpOptionRef ref;
    if (!w.v.FindOption(tcpopt::kDyscoEnded, &ref))
    {
        return -1;
    }
    EXPECT_EQ(w.v.Flags(), tcpflag::kAck);
    EXPECT_EQ(w.v.PayloadLength(), 0u);
    EXPECT_EQ(ref.length, 12u);
    EXPECT_EQ(w.v.Tcp()[ref.offset + 3], 0u);
    EXPECT_EQ(Load32(w.v.Tcp() + ref.offset + 4), kA); // the left anchor
    EXPECT_EQ(Load32(w.v.Tcp() + ref.offset + 8), 1u); // and its first request
    EXPECT_TRUE(w.v.ChecksumsValid());
    return w.v.Tcp()[ref.offset + 2];
}

/// Timestamps option bytes (NOP, NOP, TS) for a hand-made packet.
std::vector<uint8_t>
Stamps(uint32_t tsVal, uint32_t tsEcr)
{
    std::vector<uint8_t> opts = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
    Store32(&opts[4], tsVal);
    Store32(&opts[8], tsEcr);
    return opts;
}

uint32_t
EcrOf(const View& w)
{
    uint32_t val = 0;
    uint32_t ecr = 0;
    EXPECT_TRUE(ReadTimestamps(w.v, &val, &ecr));
    return ecr;
}

} // namespace

TEST(AgentReconfig, AStreamThatEndedOnTheOldPathIsAnnouncedToTheNewPath)
{
    // D's stream ends (FIN, acked) before E is inserted: E never sees that FIN. Both anchors
    // announce it on the new path, the far anchor consumes the notice, and E frees the session
    // with the close linger once A's FIN passes, not after the idle timeout.
    Chain c({}, 1000, 9000, {kE});
    c.DataA(100);
    c.AckD();
    c.net.Send(kD, Tcp(c.session.Reversed(), c.sndD, c.AckOfD(), tcpflag::kAck | tcpflag::kFin));
    c.sndD += 1;
    c.AckA();
    const size_t deliveredA = c.net.delivered[kA].size();
    const size_t deliveredD = c.net.delivered[kD].size();
    const size_t mark = c.net.wire.size();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kE}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    for (auto hop : {std::make_pair(kA, kE), std::make_pair(kE, kD), std::make_pair(kD, kE),
                     std::make_pair(kE, kA)})
    {
        int notices = 0;
        for (const View& w : c.Tcps(mark, hop.first, hop.second))
        {
            const int ended = EndedNotice(w);
            if (ended >= 0)
            {
                EXPECT_EQ(ended, 2) << "only D -> A ended";
                ++notices;
            }
        }
        EXPECT_EQ(notices, 1) << std::hex << hop.first << " -> " << hop.second;
    }
    // The endpoints' stacks never see a notice.
    for (auto [node, from] : {std::make_pair(kA, deliveredA), std::make_pair(kD, deliveredD)})
    {
        for (size_t i = from; i < c.net.delivered[node].size(); ++i)
        {
            EXPECT_EQ(EndedNotice(View(c.net.delivered[node][i])), -1) << std::hex << node;
        }
    }

    c.net.Send(kA, Tcp(c.session, c.sndA, c.AckOfA(), tcpflag::kAck | tcpflag::kFin));
    c.sndA += 1;
    c.AckD();
    for (uint32_t n : {kA, kE, kD})
    {
        c.net[n].ExpireIdle(c.net.now + c.net[n].Config().closeLingerNs);
        EXPECT_EQ(c.net[n].SessionCount(), 0u) << std::hex << n;
    }
}

TEST(AgentReconfig, NoNoticeWhileBothStreamsRun)
{
    Chain c({}, 1000, 9000, {kE});
    c.DataA(100);
    c.AckD();
    const size_t mark = c.net.wire.size();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kE}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    for (size_t i = mark; i < c.net.wire.size(); ++i)
    {
        if (c.net.wire[i].bytes[9] == kProtoTcp)
        {
            EXPECT_EQ(EndedNotice(View(c.net.wire[i].bytes)), -1);
        }
    }
}

TEST(AgentReconfig, AfterTheReconfigurationEchoesOfTheRemovedPathsClockAreStillLowered)
{
    // B's stack stamped its own TSvals, so A may echo one of them long after B left (its
    // TS.Recent moves only when D's segments reach it). D's anchor keeps lowering such an
    // echo to D's newest TSval for the rest of the session; genuine echoes pass unchanged.
    Chain c({kB});
    bool dropNext = true;
    c.net.lose = [&](const WirePacket& w)
    {
        if (dropNext && w.from == kA && w.to == kB && w.bytes.size() > 100)
        {
            dropNext = false;
            return true;
        }
        return false;
    };
    const uint32_t start = c.sndA;
    c.DataA(300); // lost: keeps the two-path phase open while D stamps
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kD].ActiveReconfigurations(), 1u);
    c.net.Send(kD, Tcp(c.session.Reversed(), c.sndD, start, tcpflag::kAck, 0, Stamps(500, 40)));
    c.net.Send(kA, Tcp(c.session, start, c.AckOfA(), tcpflag::kAck, 300, Stamps(41, 500)));
    c.AckD();
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    ASSERT_EQ(c.net[kD].ActiveReconfigurations(), 0u);

    auto echoAtD = [&](uint32_t ecr)
    {
        c.net.Send(kA, Tcp(c.session, c.sndA, c.AckOfA(), tcpflag::kAck, 0, Stamps(42, ecr)));
        return EcrOf(View(c.net.delivered[kD].back()));
    };
    EXPECT_EQ(echoAtD(900), 500u); // B's clock: lowered
    EXPECT_EQ(echoAtD(499), 499u); // D's own: unchanged
    c.net.Send(kD,
               Tcp(c.session.Reversed(), c.sndD, c.AckOfD(), tcpflag::kAck, 0, Stamps(600, 42)));
    EXPECT_EQ(echoAtD(900), 600u);
    EXPECT_EQ(echoAtD(600), 600u);
    EXPECT_TRUE(View(c.net.delivered[kD].back()).v.ChecksumsValid());
}
