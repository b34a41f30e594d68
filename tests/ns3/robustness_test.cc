// The chain under conditions the happy path does not show: packet loss (retransmitted SYNs
// and data through every agent), ARP-based links (CSMA), and sessions that never close
// (freed by the idle timeout, without keeping the simulation alive).
#include "line_topology.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

class RobustnessTest : public Ns3Test
{
};

TEST_F(RobustnessTest, LossyLinksStillDeliverByteExact)
{
    LineOptions o;
    o.middleboxes = 2;
    o.lossRate = 0.01;
    LineTopology topo(o);
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    for (uint64_t id = 1; id <= 5; ++id)
    {
        topo.AddSender(id, 300000, 0.1 + 0.01 * id);
    }
    Simulator::Stop(Seconds(60));
    Simulator::Run();

    ExpectAllDelivered(rx, {1, 2, 3, 4, 5}, 300000);
    for (uint32_t n = 0; n < topo.nodes.GetN(); ++n)
    {
        EXPECT_EQ(topo.Agent(n)->GetDropCount(), 0u) << "node " << n;
        EXPECT_EQ(topo.Agent(n)->GetSessionCount(), 0u) << "node " << n;
    }
}

TEST_F(RobustnessTest, CsmaLinksWithArpWork)
{
    LineOptions o;
    o.middleboxes = 2;
    o.csma = true;
    o.rate = "100Mbps";
    o.delay = "100us";
    LineTopology topo(o);
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    Ptr<DyscoStreamSender> tx = topo.AddSender(4, 1000000);
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    ExpectAllDelivered(rx, {4}, 1000000);
    const FiveTuple session = SessionOf(tx);
    for (const auto& m : topo.monitors)
    {
        DyscoMonitorStats s;
        ASSERT_TRUE(m->GetStats(session, &s));
        EXPECT_EQ(s.bytesForward, 1000000u + kStreamIdHeaderSize);
    }
    for (uint32_t n = 0; n < topo.nodes.GetN(); ++n)
    {
        EXPECT_GT(topo.Agent(n)->GetCounters().rewritten, 0u) << "node " << n;
        EXPECT_EQ(topo.Agent(n)->GetDropCount(), 0u) << "node " << n;
    }
}

TEST_F(RobustnessTest, IdleSessionsAreFreedAndTheSimulationEnds)
{
    LineOptions o;
    o.middleboxes = 2;
    LineTopology topo(o);
    for (uint32_t n = 0; n < topo.nodes.GetN(); ++n)
    {
        // The client's core already exists (it holds the policy): this rebuilds it.
        topo.Agent(n)->SetAttribute("IdleTimeout", TimeValue(Seconds(1)));
    }
    EXPECT_EQ(topo.Agent(0)->GetCore().Policies().Size(), 1u);
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    // A connection that sends a little and then stays open, silent.
    Ptr<Socket> socket = Socket::CreateSocket(topo.Client(), TcpSocketFactory::GetTypeId());
    Simulator::Schedule(Seconds(0.1),
                        [&]()
                        {
                            socket->Bind();
                            socket->Connect(
                                InetSocketAddress(topo.ServerAddress(), LineTopology::kServerPort));
                        });
    Simulator::Schedule(Seconds(0.5),
                        [&]()
                        {
                            uint8_t id[8] = {0, 0, 0, 0, 0, 0, 0, 42};
                            socket->Send(Create<Packet>(id, sizeof(id)));
                        });
    size_t during = 0;
    Simulator::Schedule(Seconds(0.6), [&]() { during = topo.Agent(1)->GetSessionCount(); });
    Simulator::Run(); // no Stop: idle agents must not keep the simulation alive

    EXPECT_EQ(during, 1u);
    ASSERT_EQ(rx->GetRecords().size(), 1u);
    EXPECT_EQ(rx->GetRecords()[0].streamId, 42u);
    EXPECT_FALSE(rx->GetRecords()[0].closed);
    for (uint32_t n = 0; n < topo.nodes.GetN(); ++n)
    {
        EXPECT_EQ(topo.Agent(n)->GetSessionCount(), 0u) << "node " << n;
        EXPECT_EQ(topo.Agent(n)->GetCounters().sessionsFreed, 1u) << "node " << n;
    }
    EXPECT_LT(Simulator::Now(), Seconds(10));
}

} // namespace
} // namespace test
} // namespace dysco
