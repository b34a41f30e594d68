// Malformed and unexpected control messages reaching a middlebox's agent from the wire
// (truncated, bad version, unknown subsession, wrong lock state, an ackCancel nobody waits
// for) are dropped and counted; the agent keeps working: the session's bytes arrive both
// ways and the middlebox can still leave the chain afterwards.
#include "core/bytes.h"
#include "core/control.h"
#include "ns3/core-module.h"
#include "ns3/dysco-helper.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/stream-receiver.h"
#include "ns3/stream-sender.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

constexpr uint16_t kPort = 5001;
constexpr uint64_t kBytes = 3000000;

/// A control message with its UDP length and both checksums as BuildControlPacket makes them.
/// Serials far above the real agents' own: receivers drop repeated serials of a sender, so a
/// forged one must not collide with a later real message.
std::vector<uint8_t>
Control(uint32_t src, uint32_t dst, dysco::ControlType type, const dysco::FiveTuple& sub,
        uint32_t serial, uint32_t leftAnchor)
{
    dysco::ControlMessage m;
    m.type = type;
    m.serial = serial;
    m.subsession = sub;
    m.leftAnchor = leftAnchor;
    m.rightAnchor = dst;
    m.requestId = 99;
    return dysco::BuildControlPacket(src, dst, m);
}

TEST(ReconfigMalformedControl, IsDroppedCountedAndHarmless)
{
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    NodeContainer nodes;
    nodes.Create(3); // client, mb, server
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("1Gbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer left = p2p.Install(nodes.Get(0), nodes.Get(1));
    NetDeviceContainer right = p2p.Install(nodes.Get(1), nodes.Get(2));
    DyscoHelper dysco;
    dysco.InstallStack(nodes);
    Ipv4AddressHelper address;
    address.SetBase("10.7.0.0", "255.255.255.0");
    Ipv4InterfaceContainer l = address.Assign(left);
    address.SetBase("10.7.1.0", "255.255.255.0");
    Ipv4InterfaceContainer r = address.Assign(right);
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();
    const Ipv4Address mbAddr = l.GetAddress(1);
    const Ipv4Address serverAddr = r.GetAddress(1);
    DyscoHelper::AddPolicy(nodes.Get(0), DyscoHelper::MakePolicy("p", serverAddr, kPort, {mbAddr}));

    Ptr<DyscoStreamReceiver> rx = CreateObject<DyscoStreamReceiver>();
    rx->SetAttribute("Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), kPort)));
    rx->SetAttribute("ReverseBytes", UintegerValue(kBytes));
    nodes.Get(2)->AddApplication(rx);
    Ptr<DyscoStreamSender> tx = CreateObject<DyscoStreamSender>();
    tx->SetAttribute("Remote", AddressValue(InetSocketAddress(serverAddr, kPort)));
    tx->SetAttribute("TotalBytes", UintegerValue(kBytes));
    tx->SetAttribute("ReverseBytes", UintegerValue(kBytes));
    tx->SetAttribute("StreamId", UintegerValue(5));
    tx->SetStartTime(Seconds(0.1));
    nodes.Get(0)->AddApplication(tx);

    Ptr<DyscoAgent> mb = DyscoHelper::GetAgent(nodes.Get(1));
    uint64_t packetDrops = 0;
    // Mid-transfer, straight onto the wire toward mb (bypassing the senders' agents).
    Simulator::Schedule(
        Seconds(0.15),
        [&]()
        {
            dysco::FiveTuple leftSub;
            dysco::FiveTuple rightSub;
            mb->GetCore().ForEachSession(
                [&](const dysco::Session& s)
                {
                    leftSub = s.leftSub;
                    rightSub = s.rightSub;
                });
            ASSERT_NE(rightSub.srcIp, 0u);
            const uint32_t c = l.GetAddress(0).Get();
            const uint32_t m = mbAddr.Get();
            const uint32_t sv = serverAddr.Get();
            using T = dysco::ControlType;
            std::vector<std::pair<Ptr<NetDevice>, std::vector<uint8_t>>> bad;
            auto truncated = Control(c, m, T::kRequestLock, leftSub, 1001, c);
            truncated.resize(20 + 8 + 30); // IPv4 + UDP + 30 of the 44 header bytes
            dysco::Store16(&truncated[2], uint16_t(truncated.size()));
            dysco::Store16(&truncated[24], uint16_t(truncated.size() - 20));
            bad.emplace_back(left.Get(0), truncated);
            auto version = Control(c, m, T::kRequestLock, leftSub, 1002, c);
            version[20 + 8 + 2] = 9; // unknown version
            bad.emplace_back(left.Get(0), version);
            dysco::FiveTuple unknown = leftSub;
            unknown.srcPort ^= 0x5555; // no such subsession
            bad.emplace_back(left.Get(0), Control(c, m, T::kRequestLock, unknown, 1003, c));
            // From the right: lock answers while nothing is locked, and an ackCancel with mb as
            // left anchor although mb never cancelled anything.
            bad.emplace_back(right.Get(1), Control(sv, m, T::kAckLock, rightSub, 1004, c));
            bad.emplace_back(right.Get(1), Control(sv, m, T::kNackLock, rightSub, 1005, c));
            bad.emplace_back(right.Get(1), Control(sv, m, T::kAckCancel, rightSub, 1006, m));
            for (auto& [dev, bytes] : bad)
            {
                Ptr<NetDevice> peer = dev == left.Get(0) ? left.Get(1) : right.Get(0);
                dev->Send(Create<Packet>(bytes.data(), bytes.size()), peer->GetAddress(), 0x0800);
            }
        });
    Simulator::Schedule(Seconds(0.3),
                        [&]()
                        {
                            packetDrops = mb->GetCounters().dropped;
                            dysco::FiveTuple session;
                            mb->GetCore().ForEachSession([&](const dysco::Session& s)
                                                         { session = s.leftSession; });
                            EXPECT_TRUE(mb->RequestDeletion(session)); // mb still leaves cleanly
                        });
    Simulator::Stop(Seconds(4));
    Simulator::Run();

    const dysco::AgentCounters k = mb->GetCounters();
    EXPECT_EQ(k.controlDropped, 6u);
    EXPECT_EQ(packetDrops, 2u); // the two that did not decode; the others were consumed
    EXPECT_EQ(DyscoHelper::GetAgent(nodes.Get(0))->GetCounters().reconfigSucceeded, 1u);
    ASSERT_EQ(rx->GetRecords().size(), 1u);
    const DyscoStreamRecord& rec = rx->GetRecords()[0];
    EXPECT_EQ(rec.bytesReceived, kBytes);
    EXPECT_EQ(rec.firstMismatchOffset, -1);
    EXPECT_TRUE(rec.closed);
    EXPECT_EQ(tx->GetReverseBytesReceived(), kBytes);
    EXPECT_EQ(tx->GetReverseFirstMismatch(), -1);
    EXPECT_TRUE(tx->IsPeerClosed());
    for (uint32_t n = 0; n < 3; ++n)
    {
        EXPECT_EQ(DyscoHelper::GetAgent(nodes.Get(n))->GetSessionCount(), 0u) << "node " << n;
    }
    Simulator::Destroy();
}

} // namespace
