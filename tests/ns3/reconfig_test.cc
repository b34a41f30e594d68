// Reconfiguration through the ns-3 binding: the agent's control messages and new-path
// handshake leave the node as packets it originates, arrive as packets the agent consumes,
// and retransmission timers run on the simulator clock. Star topology: client, server and
// two one-arm middleboxes around a router that has the Dysco stack but no agent, so the
// new path only meets the agents it names.
#include "core/control.h"
#include "line_topology.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

/// Drops the first `count` Dysco control messages a device receives (PPP frames).
class DropControl : public ErrorModel
{
public:
    uint32_t count = 1;
    uint32_t dropped = 0;

private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        uint8_t b[2 + 20 + 4];
        if (dropped >= count || p->CopyData(b, sizeof(b)) < sizeof(b) || b[2 + 9] != kProtoUdp ||
            (b[2] & 0x0f) != 5 || uint16_t(b[2 + 22] << 8 | b[2 + 23]) != kControlPort)
        {
            return false;
        }
        ++dropped;
        return true;
    }

    void DoReset() override {}
};

class ReconfigTest : public Ns3Test
{
protected:
    static constexpr uint16_t kPort = 5001;
    static constexpr uint64_t kBytes = 5000000;

    void Build()
    {
        nodes.Create(5); // client, server, mb1, mb2, router
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
        p2p.SetChannelAttribute("Delay", StringValue("1ms"));
        std::vector<NetDeviceContainer> links;
        for (uint32_t i = 0; i < 4; ++i)
        {
            links.push_back(p2p.Install(nodes.Get(i), nodes.Get(4)));
        }
        DyscoStackHelper stack;
        stack.Install(nodes);
        DyscoHelper dysco;
        for (uint32_t i = 0; i < 4; ++i)
        {
            dysco.InstallAgent(nodes.Get(i));
        }
        mb1Link = links[2];
        Ipv4AddressHelper address;
        for (uint32_t i = 0; i < 4; ++i)
        {
            address.SetBase(("10.2." + std::to_string(i) + ".0").c_str(), "255.255.255.0");
            addresses.push_back(address.Assign(links[i]).GetAddress(0));
        }
        Ipv4GlobalRoutingHelper::PopulateRoutingTables();
        for (uint32_t m = 2; m < 4; ++m)
        {
            monitors.push_back(CreateObject<DyscoMonitor>());
            DyscoHelper::SetMiddlebox(nodes.Get(m), monitors.back());
        }
        DyscoHelper::AddPolicy(nodes.Get(0),
                               DyscoHelper::MakePolicy("p", addresses[1], kPort, {addresses[2]}));
        rx = CreateObject<DyscoStreamReceiver>();
        rx->SetAttribute("Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), kPort)));
        nodes.Get(1)->AddApplication(rx);
        tx = CreateObject<DyscoStreamSender>();
        tx->SetAttribute("Remote", AddressValue(InetSocketAddress(addresses[1], kPort)));
        tx->SetAttribute("TotalBytes", UintegerValue(kBytes));
        tx->SetAttribute("StreamId", UintegerValue(77));
        tx->SetStartTime(Seconds(0.1));
        nodes.Get(0)->AddApplication(tx);
    }

    /// The client (left anchor) replaces everything up to the server by `path`, mid-transfer.
    void ReconfigureAt(double t, std::vector<Ipv4Address> path)
    {
        Simulator::ScheduleWithContext(
            nodes.Get(0)->GetId(), Seconds(t),
            [this, path]()
            { requestId = Agent(0)->Reconfigure(SessionOf(tx), addresses[1], path); });
    }

    Ptr<DyscoAgent> Agent(uint32_t i) const { return DyscoHelper::GetAgent(nodes.Get(i)); }

    uint64_t Forward(uint32_t monitor)
    {
        DyscoMonitorStats s;
        return monitors[monitor]->GetStats(SessionOf(tx), &s) ? s.bytesForward : 0;
    }

    NodeContainer nodes;
    NetDeviceContainer mb1Link; ///< mb1's device, then the router's
    std::vector<Ipv4Address> addresses;
    std::vector<Ptr<DyscoMonitor>> monitors;
    Ptr<DyscoStreamReceiver> rx;
    Ptr<DyscoStreamSender> tx;
    uint32_t requestId = 0;
};

TEST_F(ReconfigTest, ReplacingTheMiddlebox)
{
    Build();
    ReconfigureAt(0.2, {addresses[3]});
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    EXPECT_NE(requestId, 0u);
    ExpectAllDelivered(rx, {77}, kBytes);
    const AgentCounters client = Agent(0)->GetCounters();
    EXPECT_EQ(client.reconfigAttempted, 1u);
    EXPECT_EQ(client.reconfigSucceeded, 1u);
    EXPECT_GT(client.controlSent, 0u);
    EXPECT_GT(Agent(0)->GetOriginatedCount(), 0u);
    for (uint32_t n = 0; n < 4; ++n)
    {
        EXPECT_EQ(Agent(n)->GetUnsendableCount(), 0u) << "node " << n;
        EXPECT_EQ(Agent(n)->GetDropCount(), 0u) << "node " << n;
        EXPECT_EQ(Agent(n)->GetSessionCount(), 0u) << "node " << n;
        EXPECT_EQ(Agent(n)->GetCore().ActiveReconfigurations(), 0u) << "node " << n;
    }
    // Both middleboxes carried part of the stream; together at least all of it.
    const uint64_t old = Forward(0);
    const uint64_t now = Forward(1);
    EXPECT_GT(old, 0u);
    EXPECT_LT(old, kBytes);
    EXPECT_GT(now, 0u);
    EXPECT_GE(old + now, kBytes + kStreamIdHeaderSize);
}

TEST_F(ReconfigTest, LostControlMessagesAreRetransmittedOnTheSimulatorClock)
{
    Build();
    Ptr<DropControl> drop = CreateObject<DropControl>();
    drop->count = 2;
    mb1Link.Get(0)->SetAttribute("ReceiveErrorModel", PointerValue(drop));
    // Retransmit well within the transfer (hops are 2 ms round trips).
    for (uint32_t n = 0; n < 4; ++n)
    {
        Agent(n)->SetAttribute("ControlRto", TimeValue(MilliSeconds(20)));
    }
    ReconfigureAt(0.2, {addresses[3]});
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    EXPECT_EQ(drop->dropped, 2u);
    ExpectAllDelivered(rx, {77}, kBytes);
    EXPECT_GT(Forward(1), 0u); // the new path carried data: it was set up mid-transfer
    EXPECT_EQ(Agent(0)->GetCounters().reconfigSucceeded, 1u);
    for (uint32_t n = 0; n < 4; ++n)
    {
        EXPECT_EQ(Agent(n)->GetSessionCount(), 0u) << "node " << n;
        EXPECT_EQ(Agent(n)->GetCore().ActiveReconfigurations(), 0u) << "node " << n;
    }
}

TEST_F(ReconfigTest, DeletingTheMiddlebox)
{
    Build();
    ReconfigureAt(0.2, {});
    Simulator::Stop(Seconds(30));
    Simulator::Run();

    ExpectAllDelivered(rx, {77}, kBytes);
    EXPECT_EQ(Agent(0)->GetCounters().reconfigSucceeded, 1u);
    EXPECT_LT(Forward(0), kBytes);
    EXPECT_EQ(Forward(1), 0u);
    for (uint32_t n = 0; n < 4; ++n)
    {
        EXPECT_EQ(Agent(n)->GetDropCount(), 0u) << "node " << n;
        EXPECT_EQ(Agent(n)->GetSessionCount(), 0u) << "node " << n;
    }
}

} // namespace
} // namespace test
} // namespace dysco
