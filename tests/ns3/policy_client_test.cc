// DyscoPolicyClient on the wire: a peer sends it policy datagrams over a point-to-point link;
// new versions are applied whole and acked, duplicates re-acked but applied once, older
// versions ignored, malformed datagrams dropped and counted, and the agent keeps working.
#include "core/policy_message.h"
#include "line_topology.h"
#include "ns3/dysco-policy-client.h"
#include "ns3/udp-socket-factory.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

class PolicyClientTest : public Ns3Test
{
};

/// Version `version` of a set with one policy per name, each to dst port 80 + its index.
std::vector<uint8_t>
Update(uint32_t version, const std::vector<std::string>& names)
{
    PolicyMessage m;
    m.version = version;
    for (size_t i = 0; i < names.size(); ++i)
    {
        PolicyEntry e;
        e.name = names[i];
        e.predicate.dstPorts = {uint16_t(80 + i), uint16_t(80 + i)};
        e.slots = {{0x0A000063}};
        m.policies.push_back(e);
    }
    return EncodePolicyMessage(m);
}

TEST_F(PolicyClientTest, AppliesNewVersionsOnceAcksThemAndDropsMalformedDatagrams)
{
    LineOptions o;
    o.policy = false;
    LineTopology topo(o);
    Ptr<DyscoAgent> agent = topo.Agent(1);
    Policy own; // the node's own policy stays below every applied set
    own.name = "own";
    own.predicate.dstPorts = {22, 22};
    agent->AddPolicy(own);
    auto client = CreateObject<DyscoPolicyClient>();
    client->SetAgent(agent);
    topo.Server()->AddApplication(client);

    Ptr<Socket> peer = Socket::CreateSocket(topo.Client(), UdpSocketFactory::GetTypeId());
    peer->Bind();
    std::vector<uint32_t> acks;
    std::vector<size_t> tableSizes;
    peer->SetRecvCallback(MakeBoundCallback(
        +[](std::vector<uint32_t>* acks, Ptr<Socket> s)
        {
            while (Ptr<Packet> p = s->Recv())
            {
                std::vector<uint8_t> b(p->GetSize());
                p->CopyData(b.data(), b.size());
                PolicyMessage m;
                ASSERT_EQ(DecodePolicyMessage(b.data(), b.size(), &m), PolicyDecodeError::kNone);
                ASSERT_EQ(m.type, PolicyMessageType::kAck);
                acks->push_back(m.version);
            }
        },
        &acks));
    const auto good = Update(2, {"web", "mail"});
    auto truncated = good;
    truncated.pop_back();
    auto badFormat = good;
    badFormat[0] = 9;
    PolicyMessage ackMsg;
    ackMsg.type = PolicyMessageType::kAck;
    ackMsg.version = 2;
    const std::vector<std::vector<uint8_t>> sends = {
        {0xde, 0xad},                // garbage
        truncated,                   // every field but the last byte
        badFormat,                   // unknown format
        EncodePolicyMessage(ackMsg), // an ack is not for a client
        Update(1, {"old"}),          // version 1: applied
        good,                        // version 2: applied over 1
        good,                        // duplicate: re-acked, not re-applied
        Update(1, {"old"}),          // older than applied: ignored
    };
    const InetSocketAddress to(topo.ServerAddress(), kPolicyPort);
    for (size_t i = 0; i < sends.size(); ++i)
    {
        Simulator::Schedule(MilliSeconds(10 * (i + 1)),
                            [&, i]()
                            {
                                peer->SendTo(Create<Packet>(sends[i].data(), sends[i].size()), 0,
                                             to);
                                tableSizes.push_back(agent->GetCore().Policies().Size());
                            });
    }
    Simulator::Stop(Seconds(1));
    Simulator::Run();

    EXPECT_EQ(client->GetMalformed(), 4u);
    EXPECT_EQ(client->GetDuplicates(), 1u);
    EXPECT_EQ(client->GetStale(), 1u);
    EXPECT_EQ(client->GetVersion(), 2u);
    EXPECT_EQ(acks, (std::vector<uint32_t>{1, 2, 2}));
    ASSERT_EQ(client->GetApplied().size(), 2u);
    EXPECT_EQ(client->GetApplied()[0].version, 1u);
    EXPECT_EQ(client->GetApplied()[1].version, 2u);
    // 10 ms apart, 1 ms link (plus serialization): version 1 arrives at 51 ms, 2 at 61 ms.
    EXPECT_GE(client->GetApplied()[0].at, MilliSeconds(51));
    EXPECT_LT(client->GetApplied()[0].at, MicroSeconds(51010));
    EXPECT_GE(client->GetApplied()[1].at, MilliSeconds(61));
    EXPECT_LT(client->GetApplied()[1].at, MicroSeconds(61010));
    // Sampled as each datagram leaves: the own policy, then 1 + 1, then 1 + 2 for good.
    EXPECT_EQ(tableSizes, (std::vector<size_t>{1, 1, 1, 1, 1, 2, 3, 3}));
    const PolicyTable& table = agent->GetCore().Policies();
    ASSERT_EQ(table.Size(), 3u);
    FiveTuple t{1, 2, 40000, 81, kProtoTcp};
    ASSERT_NE(table.Match(t), nullptr);
    EXPECT_EQ(table.Match(t)->name, "mail");
    t.dstPort = 22;
    EXPECT_EQ(table.Match(t)->name, "own");
    t.dstPort = 80;
    EXPECT_EQ(table.Match(t)->name, "web");
    EXPECT_EQ(table.Match(t)->ChainFor(t), (std::vector<uint32_t>{0x0A000063}));
    Simulator::Destroy();
}

} // namespace
} // namespace test
} // namespace dysco
