// NAT on the wire (ns-3 line topology): inside a Dysco middlebox host the server's stack
// sees the NAT's outside header while the client keeps its own; a plain NAT on a router
// between two agents rewrites the subsession, and the next agent takes the chain over from
// the NAT's address.
#include "core/packet.h"
#include "ns3/dysco-nat.h"
#include "ns3/line_topology.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

class NatWire : public Ns3Test
{
};

TEST_F(NatWire, InsideAMiddleboxHostTheServerSeesTheOutsideHeader)
{
    LineOptions o;
    o.middleboxes = 1;
    o.monitors = false;
    LineTopology topo(o);
    Ptr<DyscoNat> nat = CreateObject<DyscoNat>();
    const Ipv4Address outside = topo.interfaces[1].GetAddress(0); // the box's right side
    nat->SetExternalAddress(outside);
    DyscoHelper::SetMiddlebox(topo.Middlebox(0), nat);
    std::vector<FiveTuple> atServer;
    topo.Agent(2)->TraceConnectWithoutContext(
        "LocalSegment",
        MakeBoundCallback(
            +[](std::vector<FiveTuple>* seen, Direction dir, const std::vector<uint8_t>& p)
            {
                std::vector<uint8_t> copy = p;
                PacketView v(copy.data(), copy.size());
                if (dir == Direction::kIngress && v.Parse() == ParseError::kOk)
                {
                    seen->push_back(v.Tuple());
                }
            },
            &atServer));
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    Ptr<DyscoStreamSender> tx = topo.AddSender(3, 200000);
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ExpectAllDelivered(rx, {3}, 200000);
    const FiveTuple session = SessionOf(tx); // the client's own header
    EXPECT_EQ(session.srcIp, topo.AgentAddress(0).Get());
    const FiveTuple expected{outside.Get(), topo.ServerAddress().Get(), 30000,
                             LineTopology::kServerPort, kProtoTcp};
    ASSERT_FALSE(atServer.empty());
    for (const auto& t : atServer)
    {
        ASSERT_EQ(t, expected);
    }
    InetSocketAddress peer = InetSocketAddress::ConvertFrom(rx->GetRecords().at(0).peer);
    EXPECT_EQ(peer.GetIpv4(), outside);
    EXPECT_EQ(peer.GetPort(), 30000);
    EXPECT_EQ(nat->GetFlowCount(), 1u);
    EXPECT_EQ(topo.Agent(1)->GetCounters().badTag, 0u);
}

TEST_F(NatWire, APlainNatOnTheRoutingPathRewritesTheSubsession)
{
    LineOptions o;
    o.middleboxes = 2; // node 1: a router with a NAT (no chain role); node 2: the chain's box
    o.monitors = false;
    o.policy = false;
    LineTopology topo(o);
    DyscoHelper::AddPolicy(topo.Client(), DyscoHelper::MakePolicy("via-mb", topo.ServerAddress(),
                                                                  LineTopology::kServerPort,
                                                                  {topo.AgentAddress(2)}));
    Ptr<DyscoNat> nat = CreateObject<DyscoNat>();
    nat->SetExternalAddress(topo.AgentAddress(1));
    nat->SetInside(Prefix{topo.AgentAddress(0).Get(), 32});
    DyscoHelper::SetMiddlebox(topo.Middlebox(0), nat);
    std::vector<FiveTuple> wireAtMb;
    topo.Agent(2)->TraceConnectWithoutContext("Rewrite",
                                              MakeBoundCallback(
                                                  +[](std::vector<FiveTuple>* seen, Direction dir,
                                                      const FiveTuple& before, const FiveTuple&)
                                                  {
                                                      if (dir == Direction::kIngress)
                                                      {
                                                          seen->push_back(before);
                                                      }
                                                  },
                                                  &wireAtMb));
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    Ptr<DyscoStreamSender> tx = topo.AddSender(4, 300000);
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ExpectAllDelivered(rx, {4}, 300000);
    // The session header is untouched end to end...
    const FiveTuple session = SessionOf(tx);
    InetSocketAddress peer = InetSocketAddress::ConvertFrom(rx->GetRecords().at(0).peer);
    EXPECT_EQ(peer.GetIpv4().Get(), session.srcIp);
    EXPECT_EQ(peer.GetPort(), session.srcPort);
    // ...while the subsession client -> mb reaches mb from the NAT's outside address.
    ASSERT_FALSE(wireAtMb.empty());
    size_t fromClientSide = 0;
    for (const auto& t : wireAtMb)
    {
        if (t.dstIp == topo.AgentAddress(2).Get() && t.srcIp != topo.ServerAddress().Get())
        {
            ++fromClientSide;
            EXPECT_EQ(t.srcIp, topo.AgentAddress(1).Get());
            EXPECT_EQ(t.srcPort, 30000);
        }
    }
    EXPECT_GT(fromClientSide, 100u);
    EXPECT_EQ(nat->GetFlowCount(), 1u);
    EXPECT_GT(nat->GetTranslatedCount(), 200u);
    EXPECT_EQ(topo.Agent(1)->GetSessionCount(), 0u); // the NAT router has no Dysco state
}

} // namespace
} // namespace test
} // namespace dysco
