// What crosses each link: subsession headers, the address list in the first SYN of each
// subsession, never an option-253 tag; the server's socket still sees the session tuple.
// Captured at the point-to-point devices (MacTx: frames as transmitted) and, to show
// pcap keeps working, read back from EnablePcapAll files.
#include "core/packet.h"
#include "core/syn_payload.h"
#include "line_topology.h"
#include "ns3/pcap-file.h"

#include <cstdio>
#include <dirent.h>
#include <map>
#include <unistd.h>

using namespace ns3;

namespace dysco
{
namespace test
{
namespace
{

struct WirePacket
{
    uint32_t link;
    bool rightward; ///< sent by the link's left node (client side)
    std::vector<uint8_t> bytes;
};

/// One per device: MacTx hands over the frame as it goes on the wire (PPP header first).
struct Tap
{
    std::vector<WirePacket>* out;
    uint32_t link;
    bool rightward;

    void MacTx(Ptr<const Packet> p)
    {
        std::vector<uint8_t> frame(p->GetSize());
        p->CopyData(frame.data(), p->GetSize());
        if (frame.size() > 2 && frame[0] == 0x00 && frame[1] == 0x21) // PPP: IPv4
        {
            out->push_back(WirePacket{link, rightward, {frame.begin() + 2, frame.end()}});
        }
    }
};

void
CollectEvent(std::map<uint32_t, AgentEvent>* subs, uint32_t node, const AgentEvent& e)
{
    if (e.kind == AgentEventKind::kChainStart || e.kind == AgentEventKind::kChainHop)
    {
        (*subs)[node] = e; // the subsession this node opened to its right
    }
}

class WireTest : public Ns3Test
{
};

TEST_F(WireTest, LinksCarrySubsessionHeadersAndTheServerSeesTheSession)
{
    const uint32_t k = 2;
    const uint64_t bytes = 100000;
    char dirTemplate[] = "/tmp/dysco-wire-XXXXXX";
    ASSERT_NE(mkdtemp(dirTemplate), nullptr);
    const std::string prefix = std::string(dirTemplate) + "/line";

    LineOptions o;
    o.middleboxes = k;
    o.pcapPrefix = prefix;
    LineTopology topo(o);
    std::vector<WirePacket> wire;
    std::vector<Tap> taps;
    for (uint32_t l = 0; l < topo.links.size(); ++l)
    {
        taps.push_back(Tap{&wire, l, true});
        taps.push_back(Tap{&wire, l, false});
    }
    for (uint32_t l = 0; l < topo.links.size(); ++l)
    {
        for (uint32_t side = 0; side < 2; ++side)
        {
            ASSERT_TRUE(topo.links[l].Get(side)->TraceConnectWithoutContext(
                "MacTx", MakeCallback(&Tap::MacTx, &taps[2 * l + side])));
        }
    }
    std::map<uint32_t, AgentEvent> subs;
    for (uint32_t i = 0; i < topo.nodes.GetN(); ++i)
    {
        topo.Agent(i)->TraceConnectWithoutContext("AgentEvent",
                                                  MakeBoundCallback(&CollectEvent, &subs, i));
    }
    Ptr<DyscoStreamReceiver> rx = topo.AddReceiver();
    Ptr<DyscoStreamSender> tx = topo.AddSender(3, bytes);
    Simulator::Stop(Seconds(10));
    Simulator::Run();

    ExpectAllDelivered(rx, {3}, bytes);
    const FiveTuple session = SessionOf(tx);
    InetSocketAddress peer = InetSocketAddress::ConvertFrom(rx->GetRecords().at(0).peer);
    EXPECT_EQ(peer.GetIpv4().Get(), session.srcIp);
    EXPECT_EQ(peer.GetPort(), session.srcPort);

    // Node l opened the subsession of link l: from its agent address to the next node's.
    ASSERT_EQ(subs.size(), k + 1);
    std::vector<FiveTuple> sub(k + 1);
    for (uint32_t l = 0; l <= k; ++l)
    {
        ASSERT_TRUE(subs.count(l));
        sub[l] = subs[l].subsession;
        EXPECT_EQ(subs[l].session, session);
        EXPECT_EQ(sub[l].srcIp, topo.AgentAddress(l).Get());
        EXPECT_EQ(sub[l].dstIp, topo.AgentAddress(l + 1).Get());
        EXPECT_NE(sub[l], session);
        EXPECT_NE(sub[l].srcPort, session.srcPort);
        EXPECT_NE(sub[l].dstPort, session.dstPort);
        EXPECT_GE(sub[l].srcPort, 20000);
        EXPECT_LE(sub[l].dstPort, 48999);
    }

    std::vector<uint32_t> synsPerLink(k + 1, 0);
    std::vector<uint32_t> tcpPerLink(k + 1, 0);
    for (const WirePacket& w : wire)
    {
        std::vector<uint8_t> b = w.bytes;
        if (b.size() < 20 || b[9] != kProtoTcp)
        {
            continue;
        }
        PacketView v(b.data(), b.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        ++tcpPerLink[w.link];
        EXPECT_TRUE(v.ChecksumsValid());
        const FiveTuple expected = w.rightward ? sub[w.link] : sub[w.link].Reversed();
        EXPECT_EQ(v.Tuple(), expected) << "link " << w.link << ": " << v.Tuple().ToString();
        TcpOptionRef tag;
        EXPECT_FALSE(v.FindOption(tcpopt::kDyscoTag, &tag)) << "option 253 on link " << w.link;
        if (v.HasFlag(tcpflag::kSyn) && !v.HasFlag(tcpflag::kAck))
        {
            ++synsPerLink[w.link];
            SynPayload payload;
            ASSERT_EQ(DecodeSynPayload(v.Payload(), v.PayloadLength(), &payload),
                      SynPayloadError::kOk);
            EXPECT_EQ(payload.session, session);
            // The list starts with the receiving node and ends with the server.
            std::vector<uint32_t> list;
            for (uint32_t n = w.link + 1; n < topo.nodes.GetN(); ++n)
            {
                list.push_back(topo.AgentAddress(n).Get());
            }
            EXPECT_EQ(payload.addresses, list) << "link " << w.link;
        }
        else if (v.HasFlag(tcpflag::kSyn))
        {
            EXPECT_EQ(v.PayloadLength(), 0u); // the SYN-ACK carries no list
        }
    }
    for (uint32_t l = 0; l <= k; ++l)
    {
        EXPECT_EQ(synsPerLink[l], 1u) << "link " << l;
        EXPECT_GT(tcpPerLink[l], bytes / 1448) << "link " << l;
    }

    // pcap shows the same wire view: the client's first frame toward mb1 is the chain SYN.
    Ptr<NetDevice> clientDev = topo.links[0].Get(0);
    const std::string file = prefix + "-" + std::to_string(topo.Client()->GetId()) + "-" +
                             std::to_string(clientDev->GetIfIndex()) + ".pcap";
    Simulator::Destroy(); // flushes and closes the pcap files
    PcapFile pcap;
    pcap.Open(file, std::ios::in);
    ASSERT_FALSE(pcap.Fail()) << file;
    bool sawSyn = false;
    uint32_t frames = 0;
    std::vector<uint8_t> frame(2000);
    for (;;)
    {
        uint32_t sec, usec, incl, orig, read;
        pcap.Read(frame.data(), frame.size(), sec, usec, incl, orig, read);
        if (pcap.Eof() || pcap.Fail())
        {
            break;
        }
        ++frames;
        // PPP framing: 2 bytes of protocol (0x0021 = IPv4) before the IPv4 header.
        if (read < 22 || frame[0] != 0x00 || frame[1] != 0x21 || frame[2 + 9] != kProtoTcp)
        {
            continue;
        }
        PacketView v(frame.data() + 2, read - 2);
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        EXPECT_NE(v.Tuple(), session);
        EXPECT_NE(v.Tuple(), session.Reversed());
        if (v.HasFlag(tcpflag::kSyn) && !v.HasFlag(tcpflag::kAck))
        {
            sawSyn = true;
            EXPECT_EQ(v.Tuple(), sub[0]);
            EXPECT_GT(v.PayloadLength(), 0u);
        }
    }
    pcap.Close();
    EXPECT_TRUE(sawSyn);
    EXPECT_GT(frames, bytes / 1448);
    if (DIR* d = opendir(dirTemplate))
    {
        while (dirent* e = readdir(d))
        {
            if (e->d_name[0] != '.')
            {
                std::remove((std::string(dirTemplate) + "/" + e->d_name).c_str());
            }
        }
        closedir(d);
    }
    rmdir(dirTemplate);
}

} // namespace
} // namespace test
} // namespace dysco
