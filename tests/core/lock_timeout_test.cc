// The left anchor's lock timeout (AgentConfig::lockRetries): with no answer to requestLock
// (a plain NAT on the path drops the ackLock) it resends requestLock end to end, then gives
// up with cancelLock, and the session stays on the old path.
#include "core/control.h"
#include "core/reconfig.h"
#include "net_test_bed.h"

using namespace dysco;
using namespace dysco::test;

namespace
{

constexpr uint32_t kA = 0x0A000001;
constexpr uint32_t kB = 0x0A000101;
constexpr uint32_t kC = 0x0A000201;
constexpr uint32_t kD = 0x0A000301;
constexpr uint64_t kControlRto = 10'000'000; // the test bed's
constexpr uint64_t kLockRto = 70'000'000;    // its default: rto x (6 retries + 1)
constexpr size_t kIpUdp = 28;

std::vector<uint8_t>
Tcp(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags,
    const std::vector<uint8_t>& data = {})
{
    return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 65535, nullptr,
                          0, data.data(), data.size());
}

/// The control message a wire packet carries, if it carries one.
bool
ControlOf(const WirePacket& w, ControlMessage* m)
{
    return w.bytes.size() > kIpUdp && w.bytes[9] == kProtoUdp &&
           DecodeControl(w.bytes.data() + kIpUdp, w.bytes.size() - kIpUdp, m) == ControlError::kOk;
}

size_t
CountSent(const NetBed& net, uint32_t from, ControlType type)
{
    size_t n = 0;
    for (const auto& w : net.wire)
    {
        ControlMessage m;
        n += w.from == from && ControlOf(w, &m) && m.type == type ? 1 : 0;
    }
    return n;
}

/// A -> B -> C -> D with one session and 100 bytes delivered; A asks to delete B and C.
struct Bed
{
    NetBed net;
    FiveTuple session{kA, kD, 5000, 80, kProtoTcp};
    uint32_t sndA = 1001;
    std::vector<uint64_t> abortTimes;
    std::vector<uint32_t> abortReasons;
    std::vector<std::pair<uint32_t, LockState>> lockChanges; ///< (node, state)

    Bed()
    {
        for (uint32_t n : {kA, kB, kC, kD})
        {
            net.Add(n).SetEventSink([this, n](const AgentEvent& e) { Note(n, e); });
        }
        net[kA].Policies().Add(Policy{"p", Predicate{}, {kB, kC}});
        net.Send(kA, Tcp(session, 1000, 0, tcpflag::kSyn));
        net.Send(kD, Tcp(session.Reversed(), 9000, 1001, tcpflag::kSyn | tcpflag::kAck));
        net.Send(kA, Tcp(session, 1001, 9001, tcpflag::kAck));
        Data(100);
        net.Send(kD, Tcp(session.Reversed(), 9001, sndA, tcpflag::kAck));
    }

    void Note(uint32_t node, const AgentEvent& e)
    {
        if (e.kind == AgentEventKind::kReconfigAborted)
        {
            abortTimes.push_back(e.timeNs);
            abortReasons.push_back(e.detail);
        }
        if (e.kind == AgentEventKind::kLockChanged)
        {
            lockChanges.emplace_back(node, LockState(e.detail));
        }
    }

    void Data(uint32_t len)
    {
        std::vector<uint8_t> data(len, uint8_t(sndA));
        net.Send(kA, Tcp(session, sndA, 9001, tcpflag::kAck | tcpflag::kPsh, data));
        sndA += len;
    }

    /// As a plain NAT in front of A: answers (not transport acks) travelling to A are lost.
    void DropAnswersToA(uint64_t untilNs)
    {
        net.lose = [this, untilNs](const WirePacket& w)
        {
            ControlMessage m;
            return w.to == kA && net.now < untilNs && ControlOf(w, &m) &&
                   m.type != ControlType::kAck;
        };
    }

    size_t LocksOf(uint32_t node, LockState s) const
    {
        size_t n = 0;
        for (const auto& [who, state] : lockChanges)
        {
            n += who == node && state == s ? 1 : 0;
        }
        return n;
    }
};

} // namespace

TEST(LockTimeout, GivesUpAfterTheResendsWithCancelLockAndKeepsTheOldPath)
{
    Bed bed;
    bed.DropAnswersToA(UINT64_MAX);
    const uint64_t start = bed.net.now;
    ASSERT_NE(bed.net[kA].Reconfigure(bed.session, kD, {}, bed.net.now), 0u);
    bed.net.Run();
    bed.net.Advance(kLockRto - 1);
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kRequestLock), 1u);
    bed.net.Advance(1);
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kRequestLock), 2u); // first resend
    bed.net.Advance(10 * kLockRto);
    // Two resends (the default lockRetries), then the abort after one more lock rto.
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kRequestLock), 3u);
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kCancelLock), 1u);
    EXPECT_EQ(bed.abortTimes, std::vector<uint64_t>{start + 3 * kLockRto});
    EXPECT_EQ(bed.abortReasons, std::vector<uint32_t>{kAbortLockTimeout});
    EXPECT_EQ(bed.net[kA].Counters().reconfigAborted, 1u);
    // B and C had granted the lock (D answered every copy); the cancel released both.
    EXPECT_EQ(bed.LocksOf(kB, LockState::kLocked), 1u);
    EXPECT_EQ(bed.LocksOf(kC, LockState::kLocked), 1u);
    for (uint32_t n : {kA, kB, kC})
    {
        const Session* s = bed.net[n].FindSession(bed.session);
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(s->rightLock.state, LockState::kUnlocked) << std::hex << n;
        EXPECT_EQ(bed.net[n].ActiveReconfigurations(), 0u) << std::hex << n;
    }
    EXPECT_EQ(bed.net[kD].ActiveReconfigurations(), 0u); // the right anchor's state went too
    // The session keeps the old path: the next bytes reach D through B and C, unchanged.
    const size_t mark = bed.net.delivered[kD].size();
    bed.Data(10);
    ASSERT_EQ(bed.net.delivered[kD].size(), mark + 1);
    PacketView v(bed.net.delivered[kD].back().data(), bed.net.delivered[kD].back().size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.Tuple(), bed.session);
    EXPECT_EQ(v.SeqNumber(), bed.sndA - 10);
    EXPECT_EQ(v.PayloadLength(), 10u);
}

TEST(LockTimeout, ARetriesSettingOfZeroGivesUpAfterOneLockRto)
{
    Bed bed;
    bed.net[kA].SetLockRetransmission(5'000'000, 0);
    bed.DropAnswersToA(UINT64_MAX);
    const uint64_t start = bed.net.now;
    ASSERT_NE(bed.net[kA].Reconfigure(bed.session, kD, {}, bed.net.now), 0u);
    bed.net.Run();
    bed.net.Advance(kLockRto);
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kRequestLock), 1u);
    EXPECT_EQ(bed.abortTimes, std::vector<uint64_t>{start + 5'000'000});
}

TEST(LockTimeout, AnAnswerToAResentRequestCompletesTheReconfiguration)
{
    Bed bed;
    // The first answers are lost (B's control channel gives up on them), the resend's arrive.
    bed.DropAnswersToA(bed.net.now + kLockRto - 1);
    ASSERT_NE(bed.net[kA].Reconfigure(bed.session, kD, {}, bed.net.now), 0u);
    bed.net.Run();
    bed.net.Advance(kLockRto + kControlRto);
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kRequestLock), 2u);
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kCancelLock), 0u);
    EXPECT_TRUE(bed.abortTimes.empty());
    // Each agent reports its lock granted once, although it passed two ackLocks.
    EXPECT_EQ(bed.LocksOf(kB, LockState::kLocked), 1u);
    EXPECT_EQ(bed.LocksOf(kC, LockState::kLocked), 1u);
    EXPECT_EQ(bed.LocksOf(kA, LockState::kLocked), 1u);
    bed.net.Send(kD, Tcp(bed.session.Reversed(), 9001, bed.sndA, tcpflag::kAck));
    bed.net.Advance(kLockRto);
    EXPECT_EQ(bed.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(bed.net[kA].Counters().reconfigAborted, 0u);
}

TEST(LockTimeout, ALateAckLockAfterTheAbortIsHarmless)
{
    Bed bed;
    bed.DropAnswersToA(UINT64_MAX);
    ASSERT_NE(bed.net[kA].Reconfigure(bed.session, kD, {}, bed.net.now), 0u);
    bed.net.Run();
    bed.net.Advance(10 * kLockRto);
    ASSERT_EQ(bed.abortReasons, std::vector<uint32_t>{kAbortLockTimeout});
    // One of the ackLocks the "NAT" dropped arrives after all.
    std::vector<uint8_t> late;
    for (const auto& w : bed.net.wire)
    {
        ControlMessage m;
        if (w.to == kA && ControlOf(w, &m) && m.type == ControlType::kAckLock)
        {
            late = w.bytes;
        }
    }
    ASSERT_FALSE(late.empty());
    bed.net.lose = nullptr;
    const size_t locksBefore = bed.lockChanges.size();
    const uint64_t droppedBefore = bed.net[kA].Counters().controlDropped;
    EXPECT_EQ(bed.net[kA].Process(Direction::kIngress, late, bed.net.now), Verdict::kConsume);
    bed.net.Run();
    bed.net.Advance(10 * kLockRto);
    // Dropped (and counted) with the ackCancel that answers the cancelLock A sends for it;
    // no lock changes anywhere, no second abort, no reconfiguration left.
    EXPECT_EQ(CountSent(bed.net, kA, ControlType::kCancelLock), 2u);
    EXPECT_EQ(bed.net[kA].Counters().controlDropped, droppedBefore + 2);
    EXPECT_EQ(bed.lockChanges.size(), locksBefore);
    EXPECT_EQ(bed.abortReasons.size(), 1u);
    for (uint32_t n : {kA, kB, kC, kD})
    {
        EXPECT_EQ(bed.net[n].ActiveReconfigurations(), 0u) << std::hex << n;
    }
    // A new reconfiguration of the session runs normally.
    ASSERT_NE(bed.net[kA].Reconfigure(bed.session, kD, {}, bed.net.now), 0u);
    bed.net.Run();
    bed.net.Advance(kLockRto / 2);
    bed.net.Send(kD, Tcp(bed.session.Reversed(), 9001, bed.sndA, tcpflag::kAck));
    bed.net.Advance(kLockRto);
    EXPECT_EQ(bed.net[kA].Counters().reconfigSucceeded, 1u);
}

TEST(LockTimeout, AResendThatLocksAgainAfterTheAnswerIsCancelled)
{
    // The abort came first; a resent requestLock still on its way locks B and C again for
    // the dead request. Their ackLock reaches A, which cancels it.
    Bed bed;
    bed.DropAnswersToA(UINT64_MAX);
    ASSERT_NE(bed.net[kA].Reconfigure(bed.session, kD, {}, bed.net.now), 0u);
    bed.net.Run();
    bed.net.Advance(10 * kLockRto);
    ASSERT_EQ(bed.abortReasons.size(), 1u);
    std::vector<uint8_t> stale;
    for (const auto& w : bed.net.wire)
    {
        ControlMessage m;
        if (w.from == kA && w.to == kB && ControlOf(w, &m) && m.type == ControlType::kRequestLock)
        {
            stale = w.bytes;
        }
    }
    ASSERT_FALSE(stale.empty());
    // Re-serialised as B would see a fresh copy: the same request under a new serial.
    ControlMessage m;
    ASSERT_EQ(DecodeControl(stale.data() + kIpUdp, stale.size() - kIpUdp, &m), ControlError::kOk);
    m.serial += 1000;
    std::vector<uint8_t> copy = BuildControlPacket(kA, kB, m);
    bed.net.lose = nullptr;
    EXPECT_EQ(bed.net[kB].Process(Direction::kIngress, copy, bed.net.now), Verdict::kConsume);
    bed.net.Run();
    bed.net.Advance(10 * kLockRto);
    EXPECT_EQ(bed.LocksOf(kB, LockState::kLocked), 2u);
    for (uint32_t n : {kB, kC})
    {
        const Session* s = bed.net[n].FindSession(bed.session);
        ASSERT_NE(s, nullptr);
        EXPECT_EQ(s->rightLock.state, LockState::kUnlocked) << std::hex << n;
    }
    EXPECT_EQ(bed.abortReasons.size(), 1u);
}
