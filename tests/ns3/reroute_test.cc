// A rewrite that changes the outgoing device: client, middlebox and server in a triangle,
// so the client routes the session (to the server's direct-link address) over the direct
// link, but its subsession goes to the middlebox over another link. The egress hook must
// re-send such packets through Ipv4 on the new route.
#include "core/packet.h"
#include "line_topology.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

class RerouteTest : public Ns3Test
{
};

struct Tap
{
    const FiveTuple* session;
    uint32_t* sessionHeadersOnWire;

    void MacTx(Ptr<const Packet> p)
    {
        std::vector<uint8_t> f(p->GetSize());
        p->CopyData(f.data(), f.size());
        if (f.size() < 22 || f[2 + 9] != kProtoTcp)
        {
            return;
        }
        PacketView v(f.data() + 2, f.size() - 2);
        if (v.Parse() == ParseError::kOk &&
            (v.Tuple() == *session || v.Tuple() == session->Reversed()))
        {
            ++*sessionHeadersOnWire;
        }
    }
};

TEST_F(RerouteTest, SubsessionLeavesOnTheLinkOfItsNewDestination)
{
    NodeContainer nodes;
    nodes.Create(3); // client, mb, server
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer clientMb = p2p.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer mbServer = p2p.Install(nodes.Get(1), nodes.Get(2));
    NetDeviceContainer clientServer = p2p.Install(nodes.Get(0), nodes.Get(2));
    DyscoHelper dysco;
    dysco.InstallStack(nodes);
    Ipv4AddressHelper address;
    address.SetBase("10.1.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifClientMb = address.Assign(clientMb);
    address.SetBase("10.1.1.0", "255.255.255.0");
    address.Assign(mbServer);
    address.SetBase("10.1.2.0", "255.255.255.0");
    Ipv4InterfaceContainer ifClientServer = address.Assign(clientServer);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    const Ipv4Address server = ifClientServer.GetAddress(1);
    const Ipv4Address mb = ifClientMb.GetAddress(1);
    DyscoHelper::AddPolicy(nodes.Get(0), DyscoHelper::MakePolicy("tri", server, 5001, {mb}));
    Ptr<DyscoMonitor> monitor = CreateObject<DyscoMonitor>();
    DyscoHelper::SetMiddlebox(nodes.Get(1), monitor);

    Ptr<DyscoStreamReceiver> rx = CreateObject<DyscoStreamReceiver>();
    rx->SetAttribute("Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), 5001)));
    nodes.Get(2)->AddApplication(rx);
    Ptr<DyscoStreamSender> tx = CreateObject<DyscoStreamSender>();
    tx->SetAttribute("Remote", AddressValue(InetSocketAddress(server, 5001)));
    tx->SetAttribute("TotalBytes", UintegerValue(1000000));
    tx->SetAttribute("StreamId", UintegerValue(9));
    tx->SetStartTime(Seconds(0.1));
    nodes.Get(0)->AddApplication(tx);

    FiveTuple session;
    uint32_t sessionHeadersOnWire = 0;
    Tap tap{&session, &sessionHeadersOnWire};
    for (NetDeviceContainer* c : {&clientMb, &mbServer, &clientServer})
    {
        for (uint32_t i = 0; i < 2; ++i)
        {
            c->Get(i)->TraceConnectWithoutContext("MacTx", MakeCallback(&Tap::MacTx, &tap));
        }
    }
    Simulator::Schedule(Seconds(0.15), [&]() { session = SessionOf(tx); });
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ExpectAllDelivered(rx, {9}, 1000000);
    EXPECT_EQ(session.dstIp, server.Get());
    EXPECT_EQ(sessionHeadersOnWire, 0u);
    EXPECT_GT(DyscoHelper::GetAgent(nodes.Get(0))->GetRerouteCount(), 100u);
    DyscoMonitorStats s;
    ASSERT_TRUE(monitor->GetStats(session, &s));
    EXPECT_EQ(s.bytesForward, 1000000u + kStreamIdHeaderSize);
    for (uint32_t n = 0; n < 3; ++n)
    {
        EXPECT_EQ(DyscoHelper::GetAgent(nodes.Get(n))->GetDropCount(), 0u);
    }
}

} // namespace
} // namespace test
} // namespace dysco
