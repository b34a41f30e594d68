// Chain setup as in §2.3: address list in the SYN, per-hop subsessions, option-253 tags
// that never leave a middlebox host, rewriting of data and ACKs in both directions.
#include "chain_test_bed.h"
#include "core/bytes.h"
#include "core/syn_payload.h"

using namespace dysco;
using namespace dysco::test;

namespace
{

SynPayload
DecodeWirePayload(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    SynPayload p;
    EXPECT_EQ(DecodeSynPayload(v.Payload(), v.PayloadLength(), &p), SynPayloadError::kOk);
    return p;
}

bool
HasTag(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    TcpOptionRef ref;
    return v.Parse() == ParseError::kOk && v.FindOption(tcpopt::kDyscoTag, &ref);
}

bool
ChecksumsOk(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    return v.Parse() == ParseError::kOk && v.ChecksumsValid();
}

} // namespace

TEST(AgentSetup, SynCarriesAddressListAndSubsessionHeadersOnEveryLink)
{
    ChainBed bed;
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    ASSERT_EQ(bed.wire.size(), 3u);

    // Link A-B: subsession A -> B with allocated ports, payload = session + [B, C, D].
    FiveTuple w1 = TupleOf(bed.wire[0]);
    EXPECT_EQ(w1.srcIp, kA);
    EXPECT_EQ(w1.dstIp, kB);
    EXPECT_EQ(w1.srcPort, 20000);
    EXPECT_EQ(w1.dstPort, 20000);
    SynPayload p1 = DecodeWirePayload(bed.wire[0]);
    EXPECT_EQ(p1.session, bed.session);
    EXPECT_EQ(p1.addresses, (std::vector<uint32_t>{kB, kC, kD}));
    EXPECT_FALSE(HasTag(bed.wire[0]));
    EXPECT_TRUE(ChecksumsOk(bed.wire[0]));

    // Link B-C: B's own subsession, list without B.
    FiveTuple w2 = TupleOf(bed.wire[1]);
    EXPECT_EQ(w2.srcIp, kB);
    EXPECT_EQ(w2.dstIp, kC);
    SynPayload p2 = DecodeWirePayload(bed.wire[1]);
    EXPECT_EQ(p2.session, bed.session);
    EXPECT_EQ(p2.addresses, (std::vector<uint32_t>{kC, kD}));
    EXPECT_FALSE(HasTag(bed.wire[1]));

    // Link C-D.
    FiveTuple w3 = TupleOf(bed.wire[2]);
    EXPECT_EQ(w3.srcIp, kC);
    EXPECT_EQ(w3.dstIp, kD);
    EXPECT_EQ(DecodeWirePayload(bed.wire[2]).addresses, (std::vector<uint32_t>{kD}));

    // D's stack gets the original SYN back: header, seq, options, no payload.
    PacketView v(syn.data(), syn.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.Tuple(), bed.session);
    EXPECT_EQ(v.SeqNumber(), 100u);
    EXPECT_EQ(v.PayloadLength(), 0u);
    EXPECT_EQ(v.TcpHeaderLength(), 20u + SynOptions().size());
    EXPECT_TRUE(v.ChecksumsValid());
    TcpOptionRef ref;
    EXPECT_TRUE(v.FindOption(tcpopt::kTimestamp, &ref));
    EXPECT_TRUE(v.FindOption(tcpopt::kWindowScale, &ref));
    EXPECT_TRUE(v.FindOption(tcpopt::kSackPermitted, &ref));
    EXPECT_FALSE(v.FindOption(tcpopt::kDyscoTag, &ref));

    EXPECT_EQ(bed.a.SessionCount(), 1u);
    EXPECT_EQ(bed.b.SessionCount(), 1u);
    EXPECT_EQ(bed.c.SessionCount(), 1u);
    EXPECT_EQ(bed.d.SessionCount(), 1u);
}

TEST(AgentSetup, MiddleboxSeesSessionHeaderAndTagInsideTheHost)
{
    ChainBed bed;
    std::vector<std::vector<uint8_t>> inside;
    bed.middlebox = [&](int, std::vector<uint8_t>& p) { inside.push_back(p); };
    auto syn = Segment(bed.session, 7, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    ASSERT_EQ(inside.size(), 2u);
    for (auto& p : inside)
    {
        EXPECT_EQ(TupleOf(p), bed.session);
        EXPECT_TRUE(HasTag(p));
        EXPECT_TRUE(ChecksumsOk(p));
        PacketView v(p.data(), p.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        EXPECT_EQ(v.PayloadLength(), 0u);
    }
}

TEST(AgentSetup, DataAndAcksAreRewrittenInBothDirections)
{
    ChainBed bed;
    FiveTuple rev = bed.session.Reversed();
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    auto synAck = Segment(rev, 500, 101, tcpflag::kSyn | tcpflag::kAck, {}, SynOptions());
    ASSERT_TRUE(bed.Backward(synAck));
    EXPECT_EQ(TupleOf(synAck), rev);
    EXPECT_TRUE(ChecksumsOk(synAck));

    std::vector<uint8_t> data(1000);
    for (size_t i = 0; i < data.size(); ++i)
    {
        data[i] = uint8_t(i * 7 + 3);
    }
    bed.wire.clear();
    auto seg = Segment(bed.session, 101, 501, tcpflag::kAck | tcpflag::kPsh, data);
    ASSERT_TRUE(bed.Forward(seg));
    EXPECT_EQ(TupleOf(seg), bed.session);
    EXPECT_TRUE(ChecksumsOk(seg));
    PacketView v(seg.data(), seg.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_EQ(v.SeqNumber(), 101u);
    EXPECT_EQ(v.AckNumber(), 501u);
    EXPECT_EQ(std::vector<uint8_t>(v.Payload(), v.Payload() + v.PayloadLength()), data);
    // Every link carried a subsession tuple, never the session's.
    for (auto& w : bed.wire)
    {
        FiveTuple t = TupleOf(w);
        EXPECT_NE(t, bed.session);
        EXPECT_NE(t.srcPort, kClientPort);
        EXPECT_TRUE(ChecksumsOk(w));
    }

    auto reply = Segment(rev, 501, 1101, tcpflag::kAck, data);
    ASSERT_TRUE(bed.Backward(reply));
    EXPECT_EQ(TupleOf(reply), rev);
    EXPECT_TRUE(ChecksumsOk(reply));
}

TEST(AgentSetup, HeaderOnlyBuffersKeepChecksumsRight)
{
    ChainBed bed;
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    std::vector<uint8_t> data(600, 0x5A);
    auto full = Segment(bed.session, 101, 1, tcpflag::kAck, data);
    std::vector<uint8_t> headers(full.begin(), full.begin() + 40);
    ASSERT_EQ(bed.a.Process(Direction::kEgress, headers, bed.now), Verdict::kForward);
    // Splice the rewritten headers back onto the untouched payload: checksums must verify.
    std::copy(headers.begin(), headers.end(), full.begin());
    EXPECT_TRUE(ChecksumsOk(full));
    EXPECT_EQ(TupleOf(full).dstIp, kB);
}

TEST(AgentSetup, RetransmittedSynReusesTheChain)
{
    ChainBed bed;
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    auto again = syn;
    ASSERT_TRUE(bed.Forward(syn));
    ASSERT_TRUE(bed.Forward(again));
    ASSERT_EQ(bed.wire.size(), 6u);
    for (int link = 0; link < 3; ++link)
    {
        EXPECT_EQ(TupleOf(bed.wire[link]), TupleOf(bed.wire[link + 3]));
        EXPECT_EQ(bed.wire[link], bed.wire[link + 3]);
    }
    EXPECT_EQ(TupleOf(again), bed.session);
    EXPECT_EQ(bed.b.SessionCount(), 1u);
    EXPECT_EQ(bed.d.SessionCount(), 1u);
}

TEST(AgentSetup, UnmatchedSessionsPassUntouched)
{
    ChainBed bed;
    FiveTuple other{kA, kD, 5001, 22, kProtoTcp};
    auto syn = Segment(other, 1, 0, tcpflag::kSyn, {}, SynOptions());
    auto copy = syn;
    ASSERT_TRUE(bed.Forward(syn));
    EXPECT_EQ(syn, copy);
    EXPECT_EQ(bed.a.SessionCount(), 0u);
    EXPECT_EQ(bed.a.Counters().rewritten, 0u);
}

TEST(AgentSetup, FinBothWaysThenLingerFreesAllState)
{
    ChainBed bed;
    FiveTuple rev = bed.session.Reversed();
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    auto synAck = Segment(rev, 500, 101, tcpflag::kSyn | tcpflag::kAck);
    ASSERT_TRUE(bed.Backward(synAck));
    auto fin1 = Segment(bed.session, 101, 501, tcpflag::kFin | tcpflag::kAck);
    ASSERT_TRUE(bed.Forward(fin1));
    auto fin2 = Segment(rev, 501, 102, tcpflag::kFin | tcpflag::kAck);
    ASSERT_TRUE(bed.Backward(fin2));
    auto lastAck = Segment(bed.session, 102, 502, tcpflag::kAck);
    ASSERT_TRUE(bed.Forward(lastAck));
    EXPECT_EQ(TupleOf(lastAck), bed.session);

    for (Agent* ag : {&bed.a, &bed.b, &bed.c, &bed.d})
    {
        EXPECT_EQ(ag->ExpireIdle(bed.now + 1), 0u); // still lingering
        EXPECT_EQ(ag->SessionCount(), 1u);
        EXPECT_EQ(ag->ExpireIdle(bed.now + ag->Config().closeLingerNs), 1u);
        EXPECT_EQ(ag->SessionCount(), 0u);
        EXPECT_EQ(ag->Counters().sessionsFreed, 1u);
    }
    // Once freed, a stray packet is no longer translated.
    auto stray = Segment(bed.session, 102, 502, tcpflag::kAck);
    ASSERT_EQ(bed.a.Process(Direction::kEgress, stray, bed.now), Verdict::kForward);
    EXPECT_EQ(TupleOf(stray), bed.session);
}

TEST(AgentSetup, RstFreesStateAfterLinger)
{
    ChainBed bed;
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    auto rst = Segment(bed.session.Reversed(), 0, 101, tcpflag::kRst | tcpflag::kAck);
    ASSERT_TRUE(bed.Backward(rst));
    for (Agent* ag : {&bed.a, &bed.b, &bed.c, &bed.d})
    {
        EXPECT_EQ(ag->ExpireIdle(bed.now + ag->Config().closeLingerNs), 1u);
        EXPECT_EQ(ag->SessionCount(), 0u);
    }
}

TEST(AgentSetup, IdleSessionsExpireAfterTheTimeoutButNotBefore)
{
    ChainBed bed;
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    const uint64_t timeout = bed.a.Config().idleTimeoutNs;
    const uint64_t step = timeout / 4;
    uint64_t t = bed.now;
    // Traffic every step keeps it alive.
    for (int i = 0; i < 8; ++i)
    {
        t += step;
        bed.now = t;
        auto ack = Segment(bed.session, 101, 1, tcpflag::kAck);
        ASSERT_TRUE(bed.Forward(ack));
        EXPECT_EQ(bed.a.ExpireIdle(t), 0u);
    }
    // Silence: freed once four scans in a row saw nothing.
    size_t freed = 0;
    int scans = 0;
    while (freed == 0 && scans < 10)
    {
        t += step;
        ++scans;
        freed = bed.a.ExpireIdle(t);
    }
    EXPECT_EQ(freed, 1u);
    EXPECT_EQ(scans, 4);
    EXPECT_EQ(bed.a.SessionCount(), 0u);
}

TEST(AgentSetup, NatInsideAMiddleboxHostIsFollowedByTheTag)
{
    ChainBed bed;
    const uint32_t natAddress = 0x0A000102;
    // B's middlebox rewrites the source (a NAT): C and D see the NATed session.
    bed.middlebox = [&](int which, std::vector<uint8_t>& p)
    {
        if (which != 0)
        {
            return;
        }
        PacketView v(p.data(), p.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        if (v.SrcIp() == kA)
        {
            v.SetSrcIp(natAddress);
            v.SetSrcPort(6000);
        }
        else if (v.DstIp() == natAddress)
        {
            v.SetDstIp(kA);
            v.SetDstPort(kClientPort);
        }
    };
    auto syn = Segment(bed.session, 100, 0, tcpflag::kSyn, {}, SynOptions());
    ASSERT_TRUE(bed.Forward(syn));
    FiveTuple natted{natAddress, kD, 6000, kServerPort, kProtoTcp};
    EXPECT_EQ(TupleOf(syn), natted);
    EXPECT_EQ(DecodeWirePayload(bed.wire[1]).session, natted);
    auto synAck = Segment(natted.Reversed(), 9, 101, tcpflag::kSyn | tcpflag::kAck);
    ASSERT_TRUE(bed.Backward(synAck));
    EXPECT_EQ(TupleOf(synAck), bed.session.Reversed());
}

TEST(AgentSetup, TableBoundLeavesNewSessionsUnchained)
{
    ChainBed bed;
    AgentConfig cfg = ChainBed::Config(kA);
    cfg.maxSessions = 1;
    Agent small(cfg);
    small.Policies().Add(Policy{"all", Predicate{}, {kB}});
    auto s1 = Segment(bed.session, 1, 0, tcpflag::kSyn);
    ASSERT_EQ(small.Process(Direction::kEgress, s1, 0), Verdict::kForward);
    FiveTuple second{kA, kD, 5002, 80, kProtoTcp};
    auto s2 = Segment(second, 1, 0, tcpflag::kSyn);
    auto copy = s2;
    ASSERT_EQ(small.Process(Direction::kEgress, s2, 0), Verdict::kForward);
    EXPECT_EQ(s2, copy);
    EXPECT_EQ(small.SessionCount(), 1u);
    EXPECT_EQ(small.Counters().tableFull, 1u);
}

TEST(AgentSetup, SubsessionPortsNeverCollideWithThePeersChoice)
{
    // B first sets up a chain toward A using the pair (20000, 20000); A's own first
    // subsession toward B must then pick another pair.
    Agent a(ChainBed::Config(kA));
    a.Policies().Add(Policy{"to-b", Predicate{}, {kB}});
    SynPayload p{FiveTuple{kB, kA, 7000, 80, kProtoTcp}, {kA}};
    std::vector<uint8_t> bytes;
    EncodeSynPayload(p, bytes);
    auto fromB = Segment(FiveTuple{kB, kA, 20000, 20000, kProtoTcp}, 1, 0, tcpflag::kSyn, bytes);
    ASSERT_EQ(a.Process(Direction::kIngress, fromB, 0), Verdict::kForward);
    auto own = Segment(FiveTuple{kA, kB, 5000, 81, kProtoTcp}, 1, 0, tcpflag::kSyn);
    ASSERT_EQ(a.Process(Direction::kEgress, own, 0), Verdict::kForward);
    FiveTuple sub = TupleOf(own);
    EXPECT_EQ(sub.dstIp, kB);
    EXPECT_FALSE(sub.srcPort == 20000 && sub.dstPort == 20000);
}
