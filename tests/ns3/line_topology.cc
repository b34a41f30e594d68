#include "line_topology.h"

#include <map>

using namespace ns3;

namespace dysco
{
namespace test
{

void
ConfigureNs3Defaults()
{
    GlobalValue::Bind("ChecksumEnabled", BooleanValue(true));
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
}

LineTopology::LineTopology(const LineOptions& o)
{
    const uint32_t n = o.middleboxes + 2;
    nodes.Create(n);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue(o.rate));
    p2p.SetChannelAttribute("Delay", StringValue(o.delay));
    CsmaHelper csma;
    csma.SetChannelAttribute("DataRate", StringValue(o.rate));
    csma.SetChannelAttribute("Delay", StringValue(o.delay));
    for (uint32_t i = 0; i + 1 < n; ++i)
    {
        NodeContainer pair(nodes.Get(i), nodes.Get(i + 1));
        links.push_back(o.csma ? csma.Install(pair) : p2p.Install(pair));
        if (o.lossRate > 0)
        {
            for (uint32_t side = 0; side < 2; ++side)
            {
                Ptr<RateErrorModel> em = CreateObject<RateErrorModel>();
                em->SetAttribute("ErrorRate", DoubleValue(o.lossRate));
                em->SetAttribute("ErrorUnit", StringValue("ERROR_UNIT_PACKET"));
                em->AssignStreams(1000 + 2 * i + side);
                links.back().Get(side)->SetAttribute("ReceiveErrorModel", PointerValue(em));
            }
        }
    }
    DyscoHelper dysco;
    dysco.InstallStack(nodes);
    // Link i is 10.0.i.0/24; assigning in link order makes each node's first interface its
    // left side, so a middlebox's agent address is 10.0.(i-1).2.
    Ipv4AddressHelper address;
    for (uint32_t i = 0; i < links.size(); ++i)
    {
        std::string base = "10.0." + std::to_string(i) + ".0";
        address.SetBase(base.c_str(), "255.255.255.0");
        interfaces.push_back(address.Assign(links[i]));
    }
    Ipv4GlobalRoutingHelper::PopulateRoutingTables();

    std::vector<Ipv4Address> chain;
    for (uint32_t i = 0; i < o.middleboxes; ++i)
    {
        chain.push_back(AgentAddress(1 + i));
        if (o.monitors)
        {
            Ptr<DyscoMonitor> m = CreateObject<DyscoMonitor>();
            DyscoHelper::SetMiddlebox(Middlebox(i), m);
            monitors.push_back(m);
        }
    }
    if (o.policy && o.middleboxes > 0)
    {
        DyscoHelper::AddPolicy(
            Client(), DyscoHelper::MakePolicy("line", ServerAddress(), kServerPort, chain));
    }
    if (!o.pcapPrefix.empty())
    {
        o.csma ? csma.EnablePcapAll(o.pcapPrefix) : p2p.EnablePcapAll(o.pcapPrefix);
    }
}

Ipv4Address
LineTopology::AgentAddress(uint32_t node) const
{
    // Node 0 is 10.0.0.1 on link 0; node i > 0 is 10.0.(i-1).2 on its left link.
    return node == 0 ? interfaces[0].GetAddress(0) : interfaces[node - 1].GetAddress(1);
}

Ptr<DyscoAgent>
LineTopology::Agent(uint32_t node) const
{
    return DyscoHelper::GetAgent(nodes.Get(node));
}

Ptr<DyscoStreamReceiver>
LineTopology::AddReceiver(double startS)
{
    Ptr<DyscoStreamReceiver> r = CreateObject<DyscoStreamReceiver>();
    r->SetAttribute("Local", AddressValue(InetSocketAddress(Ipv4Address::GetAny(), kServerPort)));
    r->SetStartTime(Seconds(startS));
    Server()->AddApplication(r);
    return r;
}

Ptr<DyscoStreamSender>
LineTopology::AddSender(uint64_t streamId, uint64_t bytes, double startS)
{
    Ptr<DyscoStreamSender> s = CreateObject<DyscoStreamSender>();
    s->SetAttribute("Remote", AddressValue(InetSocketAddress(ServerAddress(), kServerPort)));
    s->SetAttribute("TotalBytes", UintegerValue(bytes));
    s->SetAttribute("StreamId", UintegerValue(streamId));
    s->SetStartTime(Seconds(startS));
    Client()->AddApplication(s);
    return s;
}

FiveTuple
SessionOf(Ptr<DyscoStreamSender> sender)
{
    Address local;
    Address peer;
    sender->GetSocket()->GetSockName(local);
    sender->GetSocket()->GetPeerName(peer);
    InetSocketAddress l = InetSocketAddress::ConvertFrom(local);
    InetSocketAddress p = InetSocketAddress::ConvertFrom(peer);
    return FiveTuple{l.GetIpv4().Get(), p.GetIpv4().Get(), l.GetPort(), p.GetPort(), kProtoTcp};
}

void
ExpectAllDelivered(Ptr<DyscoStreamReceiver> receiver, const std::vector<uint64_t>& ids,
                   uint64_t bytes)
{
    std::map<uint64_t, int> seen;
    for (const DyscoStreamRecord& r : receiver->GetRecords())
    {
        ASSERT_TRUE(r.idComplete);
        ++seen[r.streamId];
        EXPECT_EQ(r.bytesReceived, bytes) << "stream " << r.streamId;
        EXPECT_EQ(r.firstMismatchOffset, -1) << "stream " << r.streamId;
        EXPECT_TRUE(r.closed) << "stream " << r.streamId;
        EXPECT_FALSE(r.error) << "stream " << r.streamId;
    }
    EXPECT_EQ(seen.size(), ids.size());
    for (uint64_t id : ids)
    {
        EXPECT_EQ(seen[id], 1) << "stream " << id;
    }
}

} // namespace test
} // namespace dysco
