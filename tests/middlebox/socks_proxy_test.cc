// The SOCKS-like explicit proxy (scenarios/middlebox/socks-proxy.json): clients connect to
// proxy:1080 and ask for server:80; the proxy joins its onward connection to the client's
// session, replies and leaves at once. Both streams arrive byte-exact (trace check), the
// proxy relays nothing after it left, the wire between the anchors carries their own
// subsession tuples, and refused or malformed requests get their failure status, no splice.
#include "proxy_test_util.h"

#include <cstring>
#include <fstream>
#include <vector>

namespace dyscosim::test
{
namespace
{

constexpr uint32_t kMb1 = 0x0A000002;   // 10.0.0.2, mb1 on its link to rt
constexpr uint32_t kProxy = 0x0A000202; // 10.0.2.2
constexpr uint32_t kMb2 = 0x0A000302;   // 10.0.3.2

nlohmann::json
Doc()
{
    return ShippedScenario("middlebox/socks-proxy.json");
}

/// A TCP segment of a pcap (PPP link type, as ns-3 point-to-point links write).
struct WireSegment
{
    double t;
    uint32_t src;
    uint32_t dst;
    uint16_t srcPort;
    uint16_t dstPort;
    uint32_t payload;
};

uint32_t
Be32(const uint8_t* p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

std::vector<WireSegment>
ReadPcap(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<WireSegment> out;
    EXPECT_GE(b.size(), 24u) << file;
    if (b.size() < 24)
    {
        return out;
    }
    uint32_t linkType = 0;
    std::memcpy(&linkType, &b[20], 4);
    EXPECT_EQ(linkType, 9u) << "PPP";
    for (size_t at = 24; at + 16 <= b.size();)
    {
        uint32_t sec, usec, len;
        std::memcpy(&sec, &b[at], 4);
        std::memcpy(&usec, &b[at + 4], 4);
        std::memcpy(&len, &b[at + 8], 4);
        const uint8_t* ip = &b[at + 16 + 2]; // after the 2-byte PPP header
        at += 16 + len;
        if (len < 2 + 40 || ip[9] != 6)
        {
            continue;
        }
        const size_t ihl = size_t(ip[0] & 0x0f) * 4;
        const uint8_t* tcp = ip + ihl;
        const uint32_t total = uint32_t(ip[2]) << 8 | ip[3];
        const uint32_t doff = uint32_t(tcp[12] >> 4) * 4;
        out.push_back(WireSegment{sec + usec * 1e-6, Be32(ip + 12), Be32(ip + 16),
                                  uint16_t(tcp[0] << 8 | tcp[1]), uint16_t(tcp[2] << 8 | tcp[3]),
                                  uint32_t(total - ihl - doff)});
    }
    return out;
}

/// A --quick run of (a variant of) the shipped scenario: the first traffic entry's sessions
/// were spliced and arrived byte-exact, the three failing requests got their statuses.
void
ExpectSocksRun(const ProxyRun& r)
{
    const uint64_t n = 3; // the quick preset's max_sessions, for the first traffic entry
    // The failing requests are sessions too (not completed, judged by their reply status).
    EXPECT_EQ(r.process.exitCode, 0) << r.process.err;
    ASSERT_TRUE(r.summary.is_object()) << r.process.err;
    EXPECT_EQ(r.summary["check"]["verdict"], "pass") << r.summary["check"].dump(1);
    for (const char* p : {"no_data_loss", "seq_ack_correct", "lock_exclusive",
                          "reconfig_terminates", "clean_termination"})
    {
        EXPECT_EQ(r.summary["check"]["properties"][p], "pass") << p;
    }
    EXPECT_EQ(r.summary["sessions"]["total"], n + 3);
    EXPECT_EQ(r.summary["sessions"]["completed"], n);
    EXPECT_EQ(r.summary["bytes"]["delivered"], r.summary["bytes"]["written"]);
    EXPECT_EQ(r.summary["bytes"]["reverse_delivered"], r.summary["bytes"]["reverse_written"]);
    EXPECT_EQ(r.summary["bytes"]["reverse_delivered"], n * 200000u);

    const nlohmann::json& p = r.Box("proxy");
    ASSERT_TRUE(p.is_object()) << r.summary["middleboxes"].dump(1);
    EXPECT_EQ(p["kind"], "socks");
    EXPECT_EQ(p["socks_connected"], n);
    EXPECT_EQ(p["socks_refused"], 1u);
    EXPECT_EQ(p["socks_malformed"], 2u);
    EXPECT_EQ(p["splice_requested"], n);
    EXPECT_EQ(p["spliced_out"], n);
    EXPECT_EQ(p["relayed_after_splice"], 0u);
    EXPECT_EQ(p["relay_ops_after_splice"], 0u);
    // It left while the streams were young: most of each went around it.
    EXPECT_LT(p["relayed_client_to_server"].get<uint64_t>(), n * 400000u / 2);
    EXPECT_EQ(r.summary["reconfigurations"]["attempted"], n);
    EXPECT_EQ(r.summary["reconfigurations"]["succeeded"], n);
    EXPECT_EQ(r.summary["agent_state_left"]["total"], 0u);
}

TEST(SocksProxy, SplicesOutAfterTheHandshakeAndTheAnchorsCarryTheStreams)
{
    const nlohmann::json doc = Doc();
    ASSERT_EQ(doc["quick"]["max_sessions"], 3u);
    ExpectSocksRun(RunScenarioDoc(doc, "socks"));
}

TEST(SocksProxy, SackOff)
{
    // As for the transparent proxy: without SACK ns-3.37 crashes in TcpRateLinux::SkbSent
    // when a peer's window closes, so the endpoints get 1 MB buffers and the proxy ns-3's.
    nlohmann::json doc = Doc();
    doc["tcp"]["sack"] = false;
    doc["tcp"]["rcv_buf"] = 1048576;
    doc["tcp"]["snd_buf"] = 1048576;
    doc["nodes"][3]["socks"] = {{"port", 1080}};
    ExpectSocksRun(RunScenarioDoc(doc, "socks-nosack"));
}

TEST(SocksProxy, NoTimestampsAndTheServerAsRightAnchor)
{
    // No middlebox on the onward side: the server's agent is the right anchor; without
    // timestamps ns-3's own socket sees the refusing RST too.
    nlohmann::json doc = Doc();
    doc["tcp"]["timestamps"] = false;
    doc["policies"][1]["chain"] = nlohmann::json::array();
    ExpectSocksRun(RunScenarioDoc(doc, "socks-nots"));
}

TEST(SocksProxy, AfterTheSpliceTheWireCarriesTheAnchorsTuples)
{
    nlohmann::json doc = Doc();
    doc["traffic"] = nlohmann::json::array({doc["traffic"][0]}); // the spliced sessions only
    ProxyRun r = RunScenarioDoc(doc, "socks-wire");
    r.process = RunDyscosim({"run", r.dir + "/scenario.json", "--pcap", "--out", r.dir + "/out"});
    ASSERT_EQ(r.process.exitCode, 0) << r.process.err;
    // When the last splice ended (reconfigurations.csv: end_s is the 10th column).
    std::ifstream csv(r.dir + "/out/reconfigurations.csv");
    std::string line;
    std::getline(csv, line);
    double lastEnd = 0;
    int rows = 0;
    while (std::getline(csv, line))
    {
        std::stringstream ss(line);
        std::string cell;
        for (int i = 0; i < 10 && std::getline(ss, cell, ','); ++i)
        {
        }
        lastEnd = std::max(lastEnd, std::stod(cell));
        ++rows;
    }
    ASSERT_EQ(rows, 4);
    // mb1's link to rt: before, the data went to the proxy; after, mb1 and mb2 talk on
    // their own subsessions (agent ports), in both directions, and never with the proxy.
    size_t before = 0, toMb2 = 0, fromMb2 = 0;
    for (const WireSegment& s : ReadPcap(r.dir + "/out/pcap/socks-proxy-mb1-2.pcap"))
    {
        if (s.payload == 0)
        {
            continue;
        }
        if (s.t < lastEnd)
        {
            before += s.dst == kProxy || s.src == kProxy;
            continue;
        }
        EXPECT_TRUE(s.src != kProxy && s.dst != kProxy) << "data at " << s.t << " s";
        EXPECT_TRUE((s.src == kMb1 && s.dst == kMb2) || (s.src == kMb2 && s.dst == kMb1));
        for (uint16_t port : {s.srcPort, s.dstPort})
        {
            EXPECT_TRUE(port >= 20000 && port <= 48999) << port << ": not a subsession port";
        }
        toMb2 += s.dst == kMb2;
        fromMb2 += s.src == kMb2;
    }
    EXPECT_GT(before, 0u);
    EXPECT_GT(toMb2, 100u);
    EXPECT_GT(fromMb2, 50u);
    // The proxy's link carries no data once it left every session.
    for (const WireSegment& s : ReadPcap(r.dir + "/out/pcap/socks-proxy-proxy-1.pcap"))
    {
        EXPECT_FALSE(s.t > lastEnd && s.payload > 0) << "data at " << s.t << " s";
    }
}

TEST(SocksProxy, BadKeysNameTheirPath)
{
    nlohmann::json typo = Doc();
    typo["nodes"][3]["socks"]["prot"] = 1080;
    EXPECT_EQ(LoadError(typo), "bad.json: $.nodes[3].socks.prot: unknown key (did you mean "
                               "\"port\"?); expected one of: port, isn, rcv_buf, snd_buf");
    nlohmann::json wrongNode = Doc();
    wrongNode["nodes"][1]["socks"] = nlohmann::json::object();
    EXPECT_EQ(LoadError(wrongNode), "bad.json: $.nodes[1].socks: only nodes with middlebox "
                                    "\"socks\" take this object; node \"mb1\" runs "
                                    "\"seq_offset\"");
    nlohmann::json noProxy = Doc();
    noProxy["traffic"][0]["via_socks"] = "ghost";
    EXPECT_EQ(LoadError(noProxy), "bad.json: $.traffic[0].via_socks: no node is named \"ghost\"");
    nlohmann::json notSocks = Doc();
    notSocks["traffic"][0]["via_socks"] = "mb2";
    EXPECT_EQ(LoadError(notSocks), "bad.json: $.traffic[0].via_socks: node \"mb2\" runs "
                                   "\"seq_offset\", not a \"socks\" proxy");
    nlohmann::json badKind = Doc();
    badKind["traffic"][1]["socks_request"] = "garbage";
    EXPECT_EQ(LoadError(badKind), "bad.json: $.traffic[1].socks_request: expected \"connect\", "
                                  "\"bad_version\", \"truncated\" or \"refused\", got "
                                  "string \"garbage\"");
    nlohmann::json orphan = Doc();
    orphan["traffic"][0].erase("via_socks");
    EXPECT_EQ(LoadError(orphan), "no error");
    orphan["traffic"][1].erase("via_socks");
    EXPECT_EQ(LoadError(orphan), "bad.json: $.traffic[1].socks_request: only traffic with "
                                 "\"via_socks\" sends a request");
    nlohmann::json port = Doc();
    port["nodes"][3]["socks"]["port"] = 0;
    EXPECT_NE(LoadError(port).find("$.nodes[3].socks.port: expected a TCP port 1..65535"),
              std::string::npos)
        << LoadError(port);
}

TEST(SocksProxy, BadJsonExitsTwoNamingThePath)
{
    nlohmann::json doc = Doc();
    doc["traffic"][0]["via_socks"] = 7;
    const std::string dir = ScratchDir("socks-bad");
    std::ofstream(dir + "/s.json") << doc.dump(2);
    const ProcessResult p = RunDyscosim({"run", dir + "/s.json", "--out", dir + "/out"});
    EXPECT_EQ(p.exitCode, 2);
    EXPECT_NE(p.err.find("$.traffic[0].via_socks"), std::string::npos) << p.err;
}

TEST(SocksProxy, LoadsTheDefaults)
{
    nlohmann::json doc = Doc();
    doc["nodes"][3].erase("socks");
    const Scenario s = LoadScenarioText(doc.dump(), "s.json");
    EXPECT_EQ(s.nodes[3].middlebox, MiddleboxKind::kSocks);
    EXPECT_EQ(s.nodes[3].proxy.port, 1080u);
    EXPECT_EQ(s.traffic[0].viaSocks, std::optional<size_t>(3));
    EXPECT_EQ(s.traffic[0].socksRequest, SocksRequestKind::kConnect);
    EXPECT_EQ(s.traffic[1].socksRequest, SocksRequestKind::kRefused);
    EXPECT_EQ(s.traffic[2].socksRequest, SocksRequestKind::kBadVersion);
    EXPECT_EQ(s.traffic[3].socksRequest, SocksRequestKind::kTruncated);
}

} // namespace
} // namespace dyscosim::test
