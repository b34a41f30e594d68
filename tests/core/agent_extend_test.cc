// Agent::ExtendChain: an explicit proxy B joins the session A:5000 -> B:1080 (which ends at
// B) to its own connection B:6000 -> D:80, then leaves; A and D, the anchors, splice the two
// connections: addresses, ports and sequence numbers translated, B out of the path.
#include "core/bytes.h"
#include "net_test_bed.h"

using namespace dysco;
using namespace dysco::test;

namespace
{

constexpr uint32_t kA = 0x0A000001;
constexpr uint32_t kB = 0x0A000101;
constexpr uint32_t kD = 0x0A000301;

std::vector<uint8_t>
Segment(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len = 0)
{
    std::vector<uint8_t> data(len);
    for (uint32_t i = 0; i < len; ++i)
    {
        data[i] = uint8_t(seq + i);
    }
    return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 65535, nullptr,
                          0, data.data(), data.size());
}

struct Seen
{
    explicit Seen(const std::vector<uint8_t>& p)
        : bytes(p)
        , v(bytes.data(), bytes.size())
    {
        EXPECT_EQ(v.Parse(), ParseError::kOk);
    }
    std::vector<uint8_t> bytes;
    PacketView v;
};

constexpr uint8_t kAckPsh = tcpflag::kAck | tcpflag::kPsh;

} // namespace

TEST(AgentExtendChain, TheProxySplicesTwoConnectionsWithDifferentTuplesAndIsns)
{
    NetBed net;
    for (uint32_t n : {kA, kB, kD})
    {
        net.Add(n);
    }
    const FiveTuple left{kA, kB, 5000, 1080, kProtoTcp}; // client -> proxy
    const FiveTuple right{kB, kD, 6000, 80, kProtoTcp};  // proxy -> server
    const uint32_t isnA = 1000, isnB1 = 5000, isnB0 = 0xFFFFFFF0u, isnD = 9000;
    const uint32_t request = 10, reply = 7; // bytes the proxy consumed and wrote
    net[kA].Policies().Add(Policy{"to-proxy", Predicate{}, {}});

    // Client handshake with the proxy, and the request.
    net.Send(kA, Segment(left, isnA, 0, tcpflag::kSyn));
    ASSERT_EQ(net.delivered[kB].size(), 1u);
    EXPECT_EQ(Seen(net.delivered[kB].back()).v.Tuple(), left);
    EXPECT_EQ(net[kB].ExtendChain(right, right), 0u) << "no session named by the onward tuple";
    net.Send(kB, Segment(left.Reversed(), isnB1, isnA + 1, tcpflag::kSyn | tcpflag::kAck));
    net.Send(kA, Segment(left, isnA + 1, isnB1 + 1, kAckPsh, request));

    // The proxy connects onward, its SYN tagged.
    const uint32_t tag = net[kB].ExtendChain(left, right);
    ASSERT_NE(tag, 0u);
    EXPECT_EQ(net[kB].ExtendChain(left, right), 0u) << "extended once";
    std::vector<uint8_t> syn = Segment(right, isnB0, 0, tcpflag::kSyn);
    uint8_t t[4];
    Store32(t, tag);
    ASSERT_TRUE(AddTcpOption(syn, tcpopt::kDyscoTag, t, sizeof(t)));
    net.Send(kB, syn);
    ASSERT_EQ(net.delivered[kD].size(), 1u);
    Seen atD(net.delivered[kD].back());
    EXPECT_EQ(atD.v.Tuple(), right);
    EXPECT_EQ(atD.v.SeqNumber(), isnB0);
    TcpOptionRef none;
    EXPECT_FALSE(atD.v.FindOption(tcpopt::kDyscoTag, &none)) << "the tag never leaves B";
    net.Send(kD, Segment(right.Reversed(), isnD, isnB0 + 1, tcpflag::kSyn | tcpflag::kAck));
    net.Send(kB, Segment(right, isnB0 + 1, isnD + 1, tcpflag::kAck));

    // The deltas between B's two connections: A's byte k >= request is onward byte
    // k - request; D's byte j is the client's byte reply + j.
    const uint32_t d0 = isnB0 - isnA - request, d1 = isnB1 - isnD + reply;
    ASSERT_TRUE(net[kB].SetMiddleboxDelta(left, SeqDelta(d0), SeqDelta(d1)));
    uint32_t sndA = isnA + 1 + request, sndB1 = isnB1 + 1, sndD = isnD + 1;
    net.Send(kB, Segment(left.Reversed(), sndB1, sndA, kAckPsh, reply));
    sndB1 += reply;
    net.Send(kA, Segment(left, sndA, sndB1, tcpflag::kAck));

    // B leaves; A (left anchor) and D (right anchor) take the deltas over.
    ASSERT_TRUE(net[kB].RequestDeletion(left, net.now));
    net.Run();
    net.Advance(100'000'000);
    EXPECT_EQ(net[kA].Counters().reconfigSucceeded, 1u);
    EXPECT_EQ(net[kB].SessionCount(), 0u);

    const size_t mark = net.wire.size();
    net.Send(kA, Segment(left, sndA, sndB1, kAckPsh, 100));
    Seen c2s(net.delivered[kD].back());
    EXPECT_EQ(c2s.v.Tuple(), right) << "the server sees its own connection";
    EXPECT_EQ(c2s.v.SeqNumber(), sndA + d0);
    EXPECT_EQ(c2s.v.AckNumber(), sndD);
    EXPECT_EQ(c2s.v.PayloadLength(), 100u);
    sndA += 100;
    net.Send(kD, Segment(right.Reversed(), sndD, sndA + d0, kAckPsh, 50));
    Seen s2c(net.delivered[kA].back());
    EXPECT_EQ(s2c.v.Tuple(), left.Reversed()) << "the client sees its connection to B";
    EXPECT_EQ(s2c.v.SeqNumber(), sndD + d1);
    EXPECT_EQ(s2c.v.AckNumber(), sndA);
    // On the wire: A and D talk directly over the anchors' subsession, B sees nothing.
    size_t direct = 0;
    for (size_t i = mark; i < net.wire.size(); ++i)
    {
        const WirePacket& w = net.wire[i];
        EXPECT_TRUE(w.from != kB && w.to != kB) << "packet " << i << " touches the proxy";
        if (w.bytes[9] == kProtoTcp)
        {
            Seen s(w.bytes);
            EXPECT_NE(s.v.Tuple(), left);
            EXPECT_NE(s.v.Tuple(), right.Reversed());
            direct += (w.from == kA && w.to == kD) || (w.from == kD && w.to == kA);
        }
    }
    EXPECT_EQ(direct, 2u);
}

TEST(AgentExtendChain, RefusedForSessionsThatDoNotEndHere)
{
    NetBed net;
    for (uint32_t n : {kA, kB, kD})
    {
        net.Add(n);
    }
    net[kA].Policies().Add(Policy{"via-b", Predicate{}, {kB}});
    const FiveTuple s{kA, kD, 5000, 80, kProtoTcp};
    net.Send(kA, Segment(s, 1, 0, tcpflag::kSyn));
    // B is a middlebox of s, A its first hop: neither may extend it.
    EXPECT_EQ(net[kB].ExtendChain(s, FiveTuple{kB, kD, 6000, 81, kProtoTcp}), 0u);
    EXPECT_EQ(net[kA].ExtendChain(s, FiveTuple{kA, kD, 6000, 81, kProtoTcp}), 0u);
    EXPECT_EQ(net[kD].ExtendChain(FiveTuple{kA, kD, 5001, 80, kProtoTcp},
                                  FiveTuple{kD, kB, 6000, 81, kProtoTcp}),
              0u);
}
