// 100 concurrent sessions through 4 middleboxes: all byte-exact, and every agent frees all
// state after the close linger.
#include "line_topology.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

class ConcurrentTest : public Ns3Test
{
};

TEST_F(ConcurrentTest, HundredSessionsThroughFourMiddleboxesCompleteAndLeaveNoState)
{
    const uint32_t sessions = 100;
    const uint64_t bytes = 100000;
    LineOptions o;
    o.middleboxes = 4;
    LineTopology topo(o);
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    std::vector<uint64_t> ids;
    std::vector<Ptr<DyscoStreamSender>> senders;
    for (uint32_t i = 0; i < sessions; ++i)
    {
        ids.push_back(1000 + i);
        senders.push_back(topo.AddSender(1000 + i, bytes, 0.1 + 0.001 * i));
    }
    size_t peakSessions = 0;
    Simulator::Schedule(Seconds(0.3), [&]() { peakSessions = topo.Agent(0)->GetSessionCount(); });
    Simulator::Stop(Seconds(20));
    Simulator::Run();

    ExpectAllDelivered(rx, ids, bytes);
    for (auto& s : senders)
    {
        EXPECT_TRUE(s->IsDone());
    }
    EXPECT_GT(peakSessions, 1u); // they did overlap
    for (uint32_t n = 0; n < topo.nodes.GetN(); ++n)
    {
        Ptr<DyscoAgent> a = topo.Agent(n);
        EXPECT_EQ(a->GetSessionCount(), 0u) << "node " << n;
        EXPECT_EQ(a->GetCounters().sessionsCreated, sessions) << "node " << n;
        EXPECT_EQ(a->GetCounters().sessionsFreed, sessions) << "node " << n;
        EXPECT_EQ(a->GetDropCount(), 0u) << "node " << n;
    }
    for (const auto& m : topo.monitors)
    {
        EXPECT_EQ(m->GetSessionCount(), sessions);
        for (const DyscoMonitorStats& s : m->GetAllStats())
        {
            EXPECT_EQ(s.bytesForward, bytes + kStreamIdHeaderSize);
            EXPECT_EQ(s.bytesReverse, 0u);
        }
    }
}

} // namespace
} // namespace test
} // namespace dysco
