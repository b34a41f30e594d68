// The byte-exact applications on their own, over the stock ns-3 internet stack: they must
// agree with each other before they judge Dysco.
#include "line_topology.h"
#include "ns3/applications-module.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

class StreamAppsTest : public Ns3Test
{
};

TEST(StreamPatternTest, DependsOnStreamAndOffset)
{
    int sameOffsetDiffers = 0;
    int shiftedDiffers = 0;
    for (uint64_t off = 0; off < 4096; ++off)
    {
        sameOffsetDiffers += StreamPatternByte(1, off) != StreamPatternByte(2, off);
        shiftedDiffers += StreamPatternByte(1, off) != StreamPatternByte(1, off + 1448);
    }
    EXPECT_GT(sameOffsetDiffers, 4000);
    EXPECT_GT(shiftedDiffers, 4000);
    uint8_t buf[16];
    FillStreamPattern(5, 100, buf, sizeof(buf));
    EXPECT_EQ(buf[3], StreamPatternByte(5, 103));
}

TEST_F(StreamAppsTest, SeveralStreamsOverThePlainStackArriveIntact)
{
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer devs = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper address;
    address.SetBase("10.9.0.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = address.Assign(devs);

    Ptr<DyscoStreamReceiver> rx = CreateObject<DyscoStreamReceiver>();
    rx->SetAttribute("Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), 7000)));
    nodes.Get(1)->AddApplication(rx);
    std::vector<Ptr<DyscoStreamSender>> senders;
    const std::vector<uint64_t> sizes = {0, 1, 7, 1448, 300000};
    std::vector<uint64_t> ids;
    std::vector<DyscoStreamRecord> closed;
    rx->TraceConnectWithoutContext(
        "StreamClosed",
        MakeBoundCallback(
            +[](std::vector<DyscoStreamRecord>* v, const DyscoStreamRecord& r) { v->push_back(r); },
            &closed));
    for (size_t i = 0; i < sizes.size(); ++i)
    {
        Ptr<DyscoStreamSender> s = CreateObject<DyscoStreamSender>();
        s->SetAttribute("Remote", AddressValue(InetSocketAddress(ifs.GetAddress(1), 7000)));
        s->SetAttribute("TotalBytes", UintegerValue(sizes[i]));
        s->SetAttribute("StreamId", UintegerValue(0x0102030405060700ull + i));
        s->SetAttribute("SendSize", UintegerValue(1000));
        s->SetStartTime(Seconds(0.1));
        nodes.Get(0)->AddApplication(s);
        senders.push_back(s);
        ids.push_back(0x0102030405060700ull + i);
    }
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ASSERT_EQ(rx->GetRecords().size(), sizes.size());
    EXPECT_EQ(closed.size(), sizes.size());
    for (size_t i = 0; i < sizes.size(); ++i)
    {
        EXPECT_EQ(senders[i]->GetBytesWritten(), sizes[i]);
        EXPECT_TRUE(senders[i]->IsDone());
        for (const DyscoStreamRecord& r : rx->GetRecords())
        {
            if (r.streamId == ids[i])
            {
                EXPECT_EQ(r.bytesReceived, sizes[i]);
                EXPECT_EQ(r.firstMismatchOffset, -1);
                EXPECT_TRUE(r.closed);
                EXPECT_GE(r.closeTime, r.acceptTime);
            }
        }
    }
}

TEST_F(StreamAppsTest, ReceiverReportsTheFirstWrongByte)
{
    // A stream that is not the pattern (BulkSend writes zero bytes): the receiver reads
    // id 0 and must report the first offset where stream 0's pattern is not zero.
    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    NetDeviceContainer devs = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper address;
    address.SetBase("10.9.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = address.Assign(devs);
    Ptr<DyscoStreamReceiver> rx = CreateObject<DyscoStreamReceiver>();
    rx->SetAttribute("Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), 7000)));
    nodes.Get(1)->AddApplication(rx);
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(ifs.GetAddress(1), 7000));
    bulk.SetAttribute("MaxBytes", UintegerValue(5000));
    ApplicationContainer apps = bulk.Install(nodes.Get(0));
    apps.Start(Seconds(0.1));
    Simulator::Stop(Seconds(5));
    Simulator::Run();

    ASSERT_EQ(rx->GetRecords().size(), 1u);
    const DyscoStreamRecord& r = rx->GetRecords()[0];
    EXPECT_EQ(r.streamId, 0u); // eight zero bytes
    EXPECT_EQ(r.bytesReceived, 5000u - 8);
    // Stream 0's pattern is not all zeros: the first offset where it is non-zero.
    int64_t expected = 0;
    while (StreamPatternByte(0, expected) == 0)
    {
        ++expected;
    }
    EXPECT_EQ(r.firstMismatchOffset, expected);
    EXPECT_TRUE(r.closed);
}

} // namespace
} // namespace test
} // namespace dysco
