// Malformed packets reaching a middlebox agent from the wire are dropped and counted, and
// the agent keeps working.
#include "core/bytes.h"
#include "core/packet.h"
#include "core/packet_edit.h"
#include "core/syn_payload.h"
#include "line_topology.h"

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

class MalformedTest : public Ns3Test
{
};

std::vector<uint8_t>
SynWithPayload(uint32_t src, uint32_t dst, const std::vector<uint8_t>& payload)
{
    return BuildTcpPacket(src, dst, 30000, 30001, 1, 0, tcpflag::kSyn, 65535, nullptr, 0,
                          payload.data(), payload.size());
}

TEST_F(MalformedTest, BadSynPayloadsAtAMiddleboxAreDroppedAndCounted)
{
    LineOptions o;
    o.middleboxes = 1;
    LineTopology topo(o);
    const uint32_t client = topo.AgentAddress(0).Get();
    const uint32_t mb = topo.AgentAddress(1).Get();
    const uint32_t server = topo.ServerAddress().Get();

    std::vector<std::vector<uint8_t>> bad;
    SynPayload good{FiveTuple{client, server, 40000, 5001, kProtoTcp}, {mb, server}};
    std::vector<uint8_t> enc;
    ASSERT_GT(EncodeSynPayload(good, enc), 0u);
    {
        std::vector<uint8_t> p = enc;
        p[3] = 0; // address count 0
        bad.push_back(SynWithPayload(client, mb, p));
    }
    {
        std::vector<uint8_t> p = enc;
        p.resize(p.size() - 3); // truncated address list
        bad.push_back(SynWithPayload(client, mb, p));
    }
    {
        SynPayload other = good;
        other.addresses = {server, server}; // list not addressed to this middlebox
        std::vector<uint8_t> p;
        EncodeSynPayload(other, p);
        bad.push_back(SynWithPayload(client, mb, p));
    }
    {
        std::vector<uint8_t> p = SynWithPayload(client, mb, enc);
        p[0] = 0x4f; // IHL 15: the header claims more bytes than there are options
        bad.push_back(p);
    }

    std::vector<AgentEventKind> events;
    topo.Agent(1)->TraceConnectWithoutContext(
        "AgentEvent",
        MakeBoundCallback(
            +[](std::vector<AgentEventKind>* v, const AgentEvent& e) { v->push_back(e.kind); },
            &events));
    uint32_t dropTraces = 0;
    topo.Agent(1)->TraceConnectWithoutContext(
        "Drop", MakeBoundCallback(
                    +[](uint32_t* n, Ptr<const Packet>, Direction d, DyscoAgent::DropReason r)
                    {
                        EXPECT_EQ(d, Direction::kIngress);
                        EXPECT_EQ(r, DyscoAgent::DROP_AGENT);
                        ++*n;
                    },
                    &dropTraces));

    // Straight onto the client's wire, bypassing its stack and agent.
    Ptr<NetDevice> clientDev = topo.links[0].Get(0);
    Ptr<NetDevice> mbDev = topo.links[0].Get(1);
    for (size_t i = 0; i < bad.size(); ++i)
    {
        Simulator::Schedule(Seconds(0.01 * (i + 1)),
                            [&, i]() {
                                clientDev->Send(Create<Packet>(bad[i].data(), bad[i].size()),
                                                mbDev->GetAddress(), 0x0800);
                            });
    }
    // A real transfer afterwards still works.
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    topo.AddSender(1, 100000, 0.5);
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    const AgentCounters k = topo.Agent(1)->GetCounters();
    EXPECT_EQ(k.badSynPayload, 3u);
    EXPECT_EQ(k.malformed, 1u);
    EXPECT_EQ(k.dropped, 4u);
    EXPECT_EQ(topo.Agent(1)->GetDropCount(), 4u);
    EXPECT_EQ(dropTraces, 4u);
    EXPECT_EQ(std::count(events.begin(), events.end(), AgentEventKind::kBadSynPayload), 3);
    EXPECT_EQ(std::count(events.begin(), events.end(), AgentEventKind::kMalformedDrop), 1);
    // Nothing of the bad SYNs reached the server or left state behind.
    EXPECT_EQ(topo.Agent(1)->GetSessionCount(), 0u);
    EXPECT_EQ(topo.Agent(2)->GetCounters().sessionsCreated, 1u);
    ExpectAllDelivered(rx, {1}, 100000);
}

} // namespace
} // namespace test
} // namespace dysco
