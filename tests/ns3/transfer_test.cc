// Byte-exact transfers through chains of 0, 1, 2 and 4 middleboxes.
#include "line_topology.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

struct TransferCase
{
    uint32_t middleboxes;
    uint64_t bytes;
};

class TransferTest : public Ns3Test, public ::testing::WithParamInterface<TransferCase>
{
};

TEST_P(TransferTest, ArrivesByteExactAndMonitorsCountTheSession)
{
    const TransferCase c = GetParam();
    LineOptions o;
    o.middleboxes = c.middleboxes;
    LineTopology topo(o);
    uint64_t rewrites = 0;
    for (uint32_t i = 0; i < topo.nodes.GetN(); ++i)
    {
        topo.Agent(i)->TraceConnectWithoutContext(
            "Rewrite",
            MakeBoundCallback(
                +[](uint64_t* n, Direction, const FiveTuple&, const FiveTuple&) { ++*n; },
                &rewrites));
    }
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    Ptr<DyscoStreamSender> tx = topo.AddSender(7, c.bytes);
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    EXPECT_TRUE(tx->IsDone());
    EXPECT_EQ(tx->GetBytesWritten(), c.bytes);
    ExpectAllDelivered(rx, {7}, c.bytes);
    const FiveTuple session = SessionOf(tx);
    ASSERT_EQ(rx->GetRecords().size(), 1u);
    // The server's socket sees the session's own tuple, whatever the chain.
    InetSocketAddress peer = InetSocketAddress::ConvertFrom(rx->GetRecords()[0].peer);
    EXPECT_EQ(peer.GetIpv4().Get(), session.srcIp);
    EXPECT_EQ(peer.GetPort(), session.srcPort);

    for (uint32_t i = 0; i < topo.nodes.GetN(); ++i)
    {
        const AgentCounters k = topo.Agent(i)->GetCounters();
        EXPECT_GT(k.packets, 0u) << "node " << i;
        EXPECT_EQ(k.dropped, 0u) << "node " << i;
        EXPECT_EQ(topo.Agent(i)->GetDropCount(), 0u) << "node " << i;
        EXPECT_EQ(topo.Agent(i)->GetSessionCount(), 0u) << "node " << i; // after the linger
        if (c.middleboxes == 0)
        {
            // No policy: the agent only looks.
            EXPECT_EQ(k.rewritten, 0u) << "node " << i;
            EXPECT_EQ(k.passed, k.packets) << "node " << i;
        }
        else
        {
            EXPECT_EQ(k.sessionsCreated, 1u) << "node " << i;
            EXPECT_EQ(k.sessionsFreed, 1u) << "node " << i;
        }
    }
    if (c.middleboxes == 0)
    {
        EXPECT_EQ(rewrites, 0u);
    }
    else
    {
        EXPECT_GT(rewrites, 0u);
    }
    // Each monitor saw the session under its own header: the id and every content byte
    // once toward the server, no payload back.
    ASSERT_EQ(topo.monitors.size(), c.middleboxes);
    for (uint32_t m = 0; m < c.middleboxes; ++m)
    {
        DyscoMonitorStats s;
        ASSERT_TRUE(topo.monitors[m]->GetStats(session, &s)) << "monitor " << m;
        EXPECT_EQ(s.session, session);
        EXPECT_EQ(s.bytesForward, c.bytes + ns3::kStreamIdHeaderSize) << "monitor " << m;
        EXPECT_EQ(s.bytesReverse, 0u) << "monitor " << m;
        EXPECT_GT(s.packetsForward, c.bytes / 1448) << "monitor " << m;
        EXPECT_GT(s.packetsReverse, 0u) << "monitor " << m;
        EXPECT_EQ(topo.monitors[m]->GetSessionCount(), 1u) << "monitor " << m;
    }
}

INSTANTIATE_TEST_SUITE_P(Chains, TransferTest,
                         ::testing::Values(TransferCase{0, 1000000}, TransferCase{1, 1000000},
                                           TransferCase{2, 1000000}, TransferCase{4, 1000000},
                                           TransferCase{0, 10000000}, TransferCase{1, 10000000},
                                           TransferCase{2, 10000000}, TransferCase{4, 10000000}),
                         [](const ::testing::TestParamInfo<TransferCase>& info)
                         {
                             return std::to_string(info.param.middleboxes) + "mb_" +
                                    std::to_string(info.param.bytes / 1000000) + "MB";
                         });

} // namespace
} // namespace test
} // namespace dysco
