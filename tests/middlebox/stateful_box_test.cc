// The stateful packet middleboxes on raw packets: firewall rules and connection tracking,
// NAT and CGNAT translation, and state export / import (a refused import installs nothing).
#include "core/packet.h"
#include "core/packet_edit.h"
#include "ns3/dysco-cgnat.h"
#include "ns3/dysco-firewall.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ns3;
using dysco::FiveTuple;
namespace tcpflag = dysco::tcpflag;

namespace
{

constexpr uint32_t kClient = 0x0A000001; // 10.0.0.1
constexpr uint32_t kClient2 = 0x0A000002;
constexpr uint32_t kServer = 0x0A000302; // 10.0.3.2
constexpr uint32_t kOutside = 0x0A000101;

const FiveTuple kWeb{kClient, kServer, 49153, 80, dysco::kProtoTcp};

std::vector<uint8_t>
Raw(const FiveTuple& t, uint8_t flags, uint32_t len = 0)
{
    std::vector<uint8_t> data(len, 0x5A);
    return dysco::BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, 1000, 2000, flags, 65535,
                                 nullptr, 0, data.data(), data.size());
}

FiveTuple
TupleOf(std::vector<uint8_t>& p)
{
    dysco::PacketView v(p.data(), p.size());
    EXPECT_EQ(v.Parse(), dysco::ParseError::kOk);
    EXPECT_TRUE(v.ChecksumsValid());
    return v.Tuple();
}

Ptr<DyscoFirewall>
WebOnlyFirewall()
{
    Ptr<DyscoFirewall> fw = CreateObject<DyscoFirewall>();
    DyscoFirewallRule allow;
    allow.match.dstPorts = dysco::PortRange{80, 80};
    fw->AddRule(allow);
    fw->SetDefaultAllow(false);
    return fw;
}

/// Opens kWeb through `box` (SYN, SYN-ACK) and returns whether both passed.
bool
Open(Ptr<DyscoMiddlebox> box, const FiveTuple& t = kWeb)
{
    auto syn = Raw(t, tcpflag::kSyn);
    auto synAck = Raw(t.Reversed(), tcpflag::kSyn | tcpflag::kAck);
    return box->Process(syn, nullptr) && box->Process(synAck, nullptr);
}

} // namespace

TEST(Firewall, RulesDecideAtTheFirstSynAndUnknownSessionsAreDropped)
{
    Ptr<DyscoFirewall> fw = WebOnlyFirewall();
    std::vector<std::pair<FiveTuple, int>> drops;
    fw->TraceConnectWithoutContext(
        "Drop", MakeBoundCallback(
                    +[](std::vector<std::pair<FiveTuple, int>>* d, const FiveTuple& t,
                        DyscoFirewall::DropReason r) { d->emplace_back(t, int(r)); },
                    &drops));
    ASSERT_TRUE(Open(fw));
    auto data = Raw(kWeb, tcpflag::kAck, 100);
    EXPECT_TRUE(fw->Process(data, nullptr));
    DyscoFirewallConn c;
    ASSERT_TRUE(fw->GetConn(kWeb.Reversed(), &c));
    EXPECT_EQ(c.state, DyscoFirewallConn::ESTABLISHED);
    EXPECT_EQ(c.packets[0], 2u);
    EXPECT_EQ(c.packets[1], 1u);

    // Port 8080 is denied at its SYN; data of a session never opened has no state.
    FiveTuple other = kWeb;
    other.dstPort = 8080;
    auto syn = Raw(other, tcpflag::kSyn);
    EXPECT_FALSE(fw->Process(syn, nullptr));
    FiveTuple unknown = kWeb;
    unknown.srcPort = 50000;
    auto midstream = Raw(unknown, tcpflag::kAck, 10);
    EXPECT_FALSE(fw->Process(midstream, nullptr));
    EXPECT_EQ(fw->GetDeniedCount(), 1u);
    EXPECT_EQ(fw->GetNoStateCount(), 1u);
    ASSERT_EQ(drops.size(), 2u);
    EXPECT_EQ(drops[0].first, other);
    EXPECT_EQ(drops[0].second, int(DyscoFirewall::DENIED));
    EXPECT_EQ(drops[1].first, unknown);
    EXPECT_EQ(drops[1].second, int(DyscoFirewall::NO_STATE));

    // FIN both ways closes the connection.
    auto fin1 = Raw(kWeb, tcpflag::kFin | tcpflag::kAck);
    auto fin2 = Raw(kWeb.Reversed(), tcpflag::kFin | tcpflag::kAck);
    EXPECT_TRUE(fw->Process(fin1, nullptr) && fw->Process(fin2, nullptr));
    ASSERT_TRUE(fw->GetConn(kWeb, &c));
    EXPECT_EQ(c.state, DyscoFirewallConn::CLOSED);
}

TEST(Firewall, ExportedStateLetsAnotherInstancePassTheSession)
{
    Ptr<DyscoFirewall> fw1 = WebOnlyFirewall();
    Ptr<DyscoFirewall> fw2 = WebOnlyFirewall();
    ASSERT_TRUE(Open(fw1));
    auto data = Raw(kWeb, tcpflag::kAck, 100);
    EXPECT_FALSE(fw2->Process(data, nullptr)); // no state at the new instance
    const std::string state = fw1->ExportState(kWeb);
    const auto doc = nlohmann::json::parse(state);
    EXPECT_EQ(doc["kind"], "firewall");
    ASSERT_EQ(doc["connections"].size(), 1u);
    EXPECT_EQ(doc["connections"][0]["client"], "10.0.0.1:49153");
    EXPECT_EQ(doc["connections"][0]["state"], "established");
    std::string error;
    ASSERT_TRUE(fw2->ImportState(state, &error)) << error;
    EXPECT_TRUE(fw2->Process(data, nullptr));
    DyscoFirewallConn c;
    ASSERT_TRUE(fw2->GetConn(kWeb, &c));
    EXPECT_EQ(c.state, DyscoFirewallConn::ESTABLISHED);
    EXPECT_EQ(fw2->GetImportedCount(), 1u);
    // An unknown session exports an empty document.
    FiveTuple other = kWeb;
    other.srcPort = 1;
    EXPECT_EQ(nlohmann::json::parse(fw1->ExportState(other))["connections"].size(), 0u);
}

TEST(Firewall, CorruptOrWrongStateIsRefusedWithItsPathAndInstallsNothing)
{
    Ptr<DyscoFirewall> fw1 = WebOnlyFirewall();
    ASSERT_TRUE(Open(fw1));
    const std::string good = fw1->ExportState(kWeb);
    auto bad = nlohmann::json::parse(good);
    bad["connections"][0]["state"] = "listening";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {good.substr(0, good.size() / 2), "$: expected a JSON object"},
        {R"({"kind":"nat","version":1,"flows":[]})", "$.kind: expected \"firewall\""},
        {R"({"kind":"firewall","version":2,"connections":[]})", "$.version: expected 1"},
        {bad.dump(), "$.connections[0].state: expected"},
        {R"({"kind":"firewall","version":1,"connections":[{"client":"10.0.0.1","server":"10.0.3.2:80"}]})",
         "$.connections[0].client: expected \"a.b.c.d:port\""},
    };
    for (const auto& [text, message] : cases)
    {
        Ptr<DyscoFirewall> fw2 = WebOnlyFirewall();
        std::string error;
        EXPECT_FALSE(fw2->ImportState(text, &error)) << text;
        EXPECT_EQ(error.rfind(message, 0), 0u) << error;
        EXPECT_EQ(fw2->GetConnCount(), 0u);
    }
}

TEST(Nat, TranslatesTheSessionBothWaysAndMigratesItsFlow)
{
    Ptr<DyscoNat> nat = CreateObject<DyscoNat>();
    nat->SetExternalAddress(Ipv4Address(kOutside));
    nat->SetInside(dysco::Prefix{0x0A000000, 24});
    std::vector<std::pair<FiveTuple, FiveTuple>> rewrites;
    nat->TraceConnectWithoutContext(
        "Rewrite", MakeBoundCallback(
                       +[](std::vector<std::pair<FiveTuple, FiveTuple>>* r, const FiveTuple& a,
                           const FiveTuple& b) { r->emplace_back(a, b); },
                       &rewrites));
    auto syn = Raw(kWeb, tcpflag::kSyn);
    ASSERT_TRUE(nat->Process(syn, nullptr));
    const FiveTuple outside{kOutside, kServer, 30000, 80, dysco::kProtoTcp};
    EXPECT_EQ(TupleOf(syn), outside);
    auto reply = Raw(outside.Reversed(), tcpflag::kSyn | tcpflag::kAck, 20);
    ASSERT_TRUE(nat->Process(reply, nullptr));
    EXPECT_EQ(TupleOf(reply), kWeb.Reversed());
    ASSERT_EQ(rewrites.size(), 2u);
    EXPECT_EQ(rewrites[0], std::make_pair(kWeb, outside));
    EXPECT_EQ(nat->Translate(kWeb), outside);
    // A client outside the inside prefix passes untouched.
    FiveTuple foreign{0x0B000001, kServer, 1234, 80, dysco::kProtoTcp};
    auto fsyn = Raw(foreign, tcpflag::kSyn);
    EXPECT_TRUE(nat->Process(fsyn, nullptr));
    EXPECT_EQ(TupleOf(fsyn), foreign);

    Ptr<DyscoNat> next = CreateObject<DyscoNat>();
    std::string error;
    ASSERT_TRUE(next->ImportState(nat->ExportState(kWeb), &error)) << error;
    auto data = Raw(kWeb, tcpflag::kAck, 50);
    ASSERT_TRUE(next->Process(data, nullptr));
    EXPECT_EQ(TupleOf(data), outside); // the same outside header at the new instance
    // A flow whose outside port is taken by another session is refused.
    Ptr<DyscoNat> busy = CreateObject<DyscoNat>();
    busy->SetExternalAddress(Ipv4Address(kOutside));
    FiveTuple other = kWeb;
    other.srcIp = kClient2;
    auto osyn = Raw(other, tcpflag::kSyn);
    ASSERT_TRUE(busy->Process(osyn, nullptr));
    EXPECT_FALSE(busy->ImportState(nat->ExportState(kWeb), &error));
    EXPECT_EQ(error, "$.flows[0].outside: 10.0.1.1:30000 is in use by another session");
    EXPECT_EQ(busy->GetFlowCount(), 1u);
}

TEST(Cgnat, SubscribersGetPortBlocksSpreadOverTheOutsidePool)
{
    Ptr<DyscoCgnat> cg = CreateObject<DyscoCgnat>();
    cg->SetAttribute("BlockSize", UintegerValue(4));
    cg->SetAttribute("FirstPort", UintegerValue(1024));
    cg->SetAttribute("LastPort", UintegerValue(1031)); // two blocks per address
    cg->AddOutsideAddress(Ipv4Address(kOutside));
    cg->AddOutsideAddress(Ipv4Address(kOutside + 1));
    std::vector<FiveTuple> out;
    for (uint16_t port = 5000; port < 5006; ++port)
    {
        FiveTuple t{port < 5005 ? kClient : kClient2, kServer, port, 80, dysco::kProtoTcp};
        auto syn = Raw(t, tcpflag::kSyn);
        const bool passed = cg->Process(syn, nullptr);
        EXPECT_EQ(passed, port != 5004) << port; // the fifth session overflows the block
        if (passed)
        {
            out.push_back(TupleOf(syn));
        }
    }
    ASSERT_EQ(out.size(), 5u);
    for (int i = 0; i < 4; ++i)
    {
        EXPECT_EQ(out[i].srcIp, kOutside);
        EXPECT_EQ(out[i].srcPort, 1024 + i);
    }
    // The second subscriber goes to the less used address.
    EXPECT_EQ(out[4].srcIp, kOutside + 1);
    EXPECT_EQ(out[4].srcPort, 1024);
    EXPECT_EQ(cg->GetExhaustedCount(), 1u);
    EXPECT_EQ(cg->GetBlocksOn(Ipv4Address(kOutside)), 1u);
    EXPECT_EQ(cg->GetBlocksOn(Ipv4Address(kOutside + 1)), 1u);
}

TEST(Cgnat, AMigratedSessionKeepsItsBlockAndOutsidePortAtTheNewInstance)
{
    Ptr<DyscoCgnat> a = CreateObject<DyscoCgnat>();
    a->AddOutsideAddress(Ipv4Address(kOutside));
    Ptr<DyscoCgnat> b = CreateObject<DyscoCgnat>();
    b->AddOutsideAddress(Ipv4Address(kOutside + 7));
    auto syn = Raw(kWeb, tcpflag::kSyn);
    ASSERT_TRUE(a->Process(syn, nullptr));
    const FiveTuple outside = TupleOf(syn);
    const std::string state = a->ExportState(kWeb);
    const auto doc = nlohmann::json::parse(state);
    ASSERT_EQ(doc["blocks"].size(), 1u);
    EXPECT_EQ(doc["blocks"][0]["subscriber"], "10.0.0.1");
    EXPECT_EQ(doc["blocks"][0]["size"], 64);
    std::string error;
    ASSERT_TRUE(b->ImportState(state, &error)) << error;
    auto data = Raw(kWeb, tcpflag::kAck, 10);
    ASSERT_TRUE(b->Process(data, nullptr));
    EXPECT_EQ(TupleOf(data), outside);
    // The subscriber's next session at b takes the next port of the adopted block.
    FiveTuple second = kWeb;
    second.srcPort = 49154;
    auto syn2 = Raw(second, tcpflag::kSyn);
    ASSERT_TRUE(b->Process(syn2, nullptr));
    EXPECT_EQ(TupleOf(syn2).srcIp, outside.srcIp);
    EXPECT_EQ(TupleOf(syn2).srcPort, outside.srcPort + 1);
    EXPECT_EQ(b->GetBlocksOn(Ipv4Address(outside.srcIp)), 1u);

    // A flow outside its subscriber's block, or a block overlapping another subscriber's,
    // is refused and nothing is installed.
    auto wrong = doc;
    wrong["flows"][0]["outside"] = "10.0.1.1:9";
    Ptr<DyscoCgnat> c = CreateObject<DyscoCgnat>();
    EXPECT_FALSE(c->ImportState(wrong.dump(), &error));
    EXPECT_EQ(error, "$.flows[0].outside: not in a block of its subscriber in this document");
    EXPECT_EQ(c->GetSubscriberCount(), 0u);
    EXPECT_EQ(c->GetFlowCount(), 0u);
    auto clash = doc;
    clash["blocks"][0]["subscriber"] = "10.0.0.9";
    clash["flows"] = nlohmann::json::array();
    EXPECT_FALSE(b->ImportState(clash.dump(), &error));
    EXPECT_EQ(error, "$.blocks[0]: ports overlap the block of subscriber 10.0.0.1");
}
