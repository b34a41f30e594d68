// Attacks on the reconfiguration protocol (§2.3) over core agents: off-path injection of
// every control message type, a forged message taking a genuine serial, forged acks, forged
// oldPathDone inside a locked segment, replays, on-path modification under HMAC, and a
// forged new-path SYN. Each is rejected and counted by reason; sessions and
// reconfigurations carry on unharmed.
#include "security/secure_chain.h"

using namespace dysco;
using namespace dysco::test;

namespace
{

const ControlType kAllTypes[] = {ControlType::kRequestLock, ControlType::kAckLock,
                                 ControlType::kNackLock,    ControlType::kCancelLock,
                                 ControlType::kAckCancel,   ControlType::kOldPathDone,
                                 ControlType::kTrigger};

/// Deletes B from A -> B -> D and checks the session still delivers byte-exact data.
void
ExpectReconfigurationWorks(SecureChain& c)
{
    c.AckD();
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    c.net.Advance(200'000'000);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(c.net[kA].Counters().reconfigAborted, 0u);
    EXPECT_EQ(c.net[kB].SessionCount(), 0u);
    const uint32_t seq = c.sndA;
    c.DataA(700);
    EXPECT_TRUE(c.LastDeliveredToDIsExact(seq, 700));
}

} // namespace

TEST(Adversary, OffPathInjectionOfEveryMessageTypeIsRejectedByNonce)
{
    for (ControlProtection p : {ControlProtection::kNonce, ControlProtection::kHmac})
    {
        SCOPED_TRACE(ToString(p));
        SecureChain c({kB}, SecureConfig(p));
        c.DataA(100);
        c.AckD();
        const FiveTuple ab = c.RightSub(kA);
        const FiveTuple bd = c.RightSub(kB);
        uint64_t injected = 0;
        // The attacker knows every address and port (it may guess them), but not the nonce;
        // it spoofs the real neighbour as source. Without a nonce, and with a wrong one.
        for (ControlType t : kAllTypes)
        {
            for (uint64_t nonce : {uint64_t(0), uint64_t(0x1234567890ABCDEFull)})
            {
                ControlMessage m = Forge(t, ab, kA, kD, 1, 1000 + uint32_t(injected));
                if (nonce != 0)
                {
                    m.protection = kProtectNonce;
                    m.nonce = nonce;
                }
                // Toward B from A (rightward types), or toward B from D (leftward types).
                const bool right = t == ControlType::kRequestLock ||
                                   t == ControlType::kCancelLock || t == ControlType::kOldPathDone;
                if (t == ControlType::kOldPathDone)
                {
                    m.flags = 1 | 2; // done, travelling right
                }
                m.subsession = right ? ab : bd;
                const uint32_t src = right ? kA : kD;
                EXPECT_EQ(c.Inject(kB, BuildControlPacket(src, kB, m)), Verdict::kDrop)
                    << ToString(t);
                ++injected;
            }
        }
        const AgentCounters& k = c.net[kB].Counters();
        EXPECT_EQ(k.controlRejected, injected);
        EXPECT_EQ(k.dropped, injected);
        EXPECT_EQ(k.controlNoNonce, injected / 2);
        EXPECT_EQ(k.controlBadNonce, injected / 2);
        EXPECT_EQ(k.controlReceived, 0u);
        EXPECT_EQ(c.At(kB).rightLock.state, LockState::kUnlocked);
        EXPECT_EQ(c.net[kB].SessionCount(), 1u);
        EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 0u);
        ExpectReconfigurationWorks(c);
    }
}

TEST(Adversary, WithoutProtectionAForgedRequestLockIsObeyedWhichIsWhyNoncesExist)
{
    // The boundary of the model: the paper's prototype trusts control messages.
    SecureChain c({kB}, SecureConfig(ControlProtection::kOff));
    ControlMessage m = Forge(ControlType::kRequestLock, c.RightSub(kA), kEve, kD, 1, 5);
    c.Inject(kB, BuildControlPacket(kA, kB, m));
    EXPECT_EQ(c.net[kB].Counters().controlRejected, 0u);
    EXPECT_EQ(c.net[kB].Counters().controlReceived, 2u);       // the forgery and D's ackLock to it
    EXPECT_NE(c.At(kB).rightLock.state, LockState::kUnlocked); // B locked for the forger
}

TEST(Adversary, AForgedMessageTakingTheNextGenuineSerialDoesNotSwallowTheRealOne)
{
    SecureChain c({kB}, SecureConfig(ControlProtection::kNonce));
    c.DataA(100);
    c.AckD();
    // A's next serial is predictable (one counter per agent): the attacker sends it first.
    for (uint32_t serial = 1; serial < 20; ++serial)
    {
        ControlMessage m = Forge(ControlType::kCancelLock, c.RightSub(kA), kA, kD, 1, serial);
        m.protection = kProtectNonce;
        m.nonce = 99;
        c.Inject(kB, BuildControlPacket(kA, kB, m));
    }
    EXPECT_EQ(c.net[kB].Counters().controlBadNonce, 19u);
    ExpectReconfigurationWorks(c);
    EXPECT_EQ(c.net[kA].Counters().controlForgedAck, 0u);
}

TEST(Adversary, AForgedAckDoesNotCancelTheResendsOfALostMessage)
{
    SecureChain c({kB}, SecureConfig(ControlProtection::kNonce));
    c.DataA(100);
    c.AckD();
    // A's requestLock to B is lost once; the attacker acks its serial in B's name.
    bool lost = false;
    c.net.lose = [&](const WirePacket& w)
    {
        if (!lost && w.from == kA && w.to == kB && w.bytes[9] == kProtoUdp)
        {
            lost = true;
            return true;
        }
        return false;
    };
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    ASSERT_TRUE(lost);
    for (uint64_t nonce : {uint64_t(0), uint64_t(777)})
    {
        ControlMessage ack = Forge(ControlType::kAck, c.RightSub(kA), 0, 0, 0, 1);
        if (nonce != 0)
        {
            ack.protection = kProtectNonce;
            ack.nonce = nonce;
        }
        c.Inject(kA, BuildControlPacket(kB, kA, ack));
    }
    EXPECT_EQ(c.net[kA].Counters().controlForgedAck, 2u);
    c.net.Advance(300'000'000);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
}

TEST(Adversary, AForgedOldPathDoneCannotFreeTheStateOfALockedSegment)
{
    // Protection off, so the nonce does not stop it: the lock rule alone must.
    for (ControlProtection p : {ControlProtection::kOff, ControlProtection::kNonce})
    {
        SCOPED_TRACE(ToString(p));
        SecureChain c({kB, kC}, SecureConfig(p));
        c.DataA(100);
        c.AckD();
        const Session& b = c.At(kB);
        ControlMessage m = Forge(ControlType::kOldPathDone, c.RightSub(kA), kA, kD, 1, 500);
        m.flags = 1 | 2;
        m.protection = b.nonce != 0 ? kProtectNonce : 0;
        m.nonce = b.nonce; // an on-path attacker read it in the SYN
        c.Inject(kB, BuildControlPacket(kA, kB, m));
        m = Forge(ControlType::kOldPathDone, c.RightSub(kB), kA, kD, 1, 501);
        m.flags = 2; // travelling left, from C
        m.protection = b.nonce != 0 ? kProtectNonce : 0;
        m.nonce = b.nonce;
        c.Inject(kB, BuildControlPacket(kC, kB, m));
        EXPECT_EQ(c.net[kB].Counters().controlBadState, 2u);
        EXPECT_EQ(c.net[kB].SessionCount(), 1u);
        const uint32_t seq = c.sndA;
        c.DataA(300);
        EXPECT_TRUE(c.LastDeliveredToDIsExact(seq, 300));
    }
}

TEST(Adversary, ReplayedControlMessagesAreNotProcessedAgain)
{
    SecureChain c({kB}, SecureConfig(ControlProtection::kNonce), {kE});
    c.DataA(100);
    c.AckD();
    const size_t mark = c.net.wire.size();
    // Replace B by E, recording the control messages of the whole reconfiguration.
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {kE}, c.net.now), 0u);
    c.net.Run();
    c.net.Advance(100'000'000);
    ASSERT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
    const auto recorded = c.ControlSince(mark);
    ASSERT_GE(recorded.size(), 6u);
    const uint64_t receivedBefore = c.net[kD].Counters().controlReceived;
    // Replay everything to its original receiver, once now and once much later (past the
    // time a duplicate filter would keep serials).
    for (uint64_t later : {uint64_t(0), uint64_t(120'000'000'000ull)})
    {
        c.net.now += later;
        for (const auto& w : recorded)
        {
            if (c.net.agents.count(w.to) != 0)
            {
                c.Inject(w.to, w.bytes);
            }
        }
    }
    EXPECT_EQ(c.net[kD].Counters().controlReceived, receivedBefore);
    EXPECT_EQ(c.net[kA].Counters().reconfigAttempted, 1u);
    EXPECT_EQ(c.net[kA].ActiveReconfigurations(), 0u);
    EXPECT_EQ(c.net[kD].ActiveReconfigurations(), 0u);
    EXPECT_EQ(c.At(kA).rightLock.state, LockState::kUnlocked);
    const uint32_t seq = c.sndA;
    c.DataA(400);
    EXPECT_TRUE(c.LastDeliveredToDIsExact(seq, 400));
}

TEST(Adversary, HmacRejectsOnPathModificationAndForgeryWithTheNonce)
{
    SecureChain c({kB}, SecureConfig(ControlProtection::kHmac));
    c.DataA(100);
    c.AckD();
    const Session& b = c.At(kB);
    ASSERT_NE(b.nonce, 0u);
    ASSERT_EQ(b.keyId, kChainKeyId);
    // An on-path attacker knows the nonce; without the key its cancelLock fails.
    ControlMessage m = Forge(ControlType::kCancelLock, c.RightSub(kA), kA, kD, 1, 900);
    m.protection = kProtectNonce;
    m.nonce = b.nonce;
    c.Inject(kB, BuildControlPacket(kA, kB, m));
    EXPECT_EQ(c.net[kB].Counters().controlNoMac, 1u);
    m.serial = 901;
    m.protection = kProtectNonce | kProtectMac;
    m.keyId = kChainKeyId;
    KeyRing wrong;
    wrong.Add(kChainKeyId, std::vector<uint8_t>(32, 1));
    c.Inject(kB, BuildControlPacket(kA, kB, m, &wrong));
    EXPECT_EQ(c.net[kB].Counters().controlBadMac, 1u);

    // Modification in flight: every requestLock from A gets its delta changed.
    size_t modified = 0;
    c.net.lose = [&](const WirePacket& w)
    {
        if (w.from == kA && w.bytes[9] == kProtoUdp && w.bytes.size() > 28 + 44 &&
            w.bytes[28 + 3] == uint8_t(ControlType::kRequestLock))
        {
            auto bytes = w.bytes;
            bytes[28 + 37] ^= 0x40;
            ++modified;
            c.net[w.to].Process(Direction::kIngress, bytes, c.net.now);
            return true; // the genuine one never arrives
        }
        return false;
    };
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    c.net.Advance(1'000'000'000);
    EXPECT_GE(modified, 2u); // sent and resent
    EXPECT_EQ(c.net[kB].Counters().controlBadMac, 1u + modified);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 0u);
    EXPECT_EQ(c.net[kA].Counters().reconfigAborted, 1u); // lost, as a cut link would be
    EXPECT_EQ(c.At(kB).rightLock.state, LockState::kUnlocked);
    // Once the attacker stops, the session still reconfigures.
    c.net.lose = nullptr;
    ASSERT_NE(c.net[kA].Reconfigure(c.session, kD, {}, c.net.now), 0u);
    c.net.Run();
    c.net.Advance(100'000'000);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
}

TEST(Adversary, ANewPathSynWithoutTheSessionNonceIsRefused)
{
    SecureChain c({kB}, SecureConfig(ControlProtection::kNonce), {kE});
    c.DataA(100);
    c.AckD();
    // Hold the new path's SYN: the right anchor now waits for request (A, 1).
    c.net.lose = [&](const WirePacket& w)
    { return w.bytes[9] == kProtoTcp && w.to == kD && w.from != kB; };
    const uint32_t rid = c.net[kA].Reconfigure(c.session, kD, {}, c.net.now);
    ASSERT_NE(rid, 0u);
    c.net.Run();
    ASSERT_EQ(c.net[kD].ActiveReconfigurations(), 1u);
    // The attacker sends its own new-path SYN naming the request, with a guessed nonce.
    SynPayload p{c.session, {kD}, kA, rid, 0xDEAD, 0};
    std::vector<uint8_t> payload;
    ASSERT_GT(EncodeSynPayload(p, payload), 0u);
    auto syn = BuildTcpPacket(kEve, kD, 30000, 30001, 5, 0, tcpflag::kSyn, 65535, nullptr, 0,
                              payload.data(), payload.size());
    EXPECT_EQ(c.Inject(kD, syn), Verdict::kDrop);
    EXPECT_EQ(c.net[kD].Counters().synBadNonce, 1u);
    EXPECT_EQ(c.net[kD].Counters().newPathHandshake, 0u);
    c.net.lose = nullptr;
    c.net.Advance(200'000'000);
    EXPECT_EQ(c.net[kA].Counters().reconfigSucceeded, 1u);
}
