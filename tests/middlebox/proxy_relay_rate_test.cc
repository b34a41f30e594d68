// The proxy's relay cost (relay_rate, the bottleneck of Figure 11) and its scheduled splices
// (splice_at): each session's bytes cost the proxy exactly bytes / rate of CPU time, which
// bounds the session's goodput while it goes through the proxy; at a splice_at time the proxy
// leaves every session to that port and no other.
#include "proxy_test_util.h"

#include <sstream>

namespace dyscosim::test
{
namespace
{

TEST(ProxyRelayRate, EachRelayedByteCostsOneOverTheRate)
{
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    doc["nodes"][2]["proxy"]["splice_after_bytes"] = 0; // it stays: every byte is relayed
    doc["nodes"][2]["proxy"]["relay_rate"] = "2Mbps";   // 4 us per byte
    doc["traffic"][0]["bytes"] = 100000;
    doc["traffic"][0]["reverse_bytes"] = 20000;
    ProxyRun r = RunScenarioDoc(doc, "relay-rate");
    ExpectAllChecksPass(r, false);
    const nlohmann::json& p = r.Box("proxy");
    const uint64_t relayed =
        uint64_t(p["relayed_client_to_server"]) + uint64_t(p["relayed_server_to_client"]);
    // Every segment that reaches the proxy costs its payload / rate, retransmissions too.
    EXPECT_GE(uint64_t(p["relay_busy_us"]), relayed * 4);
    EXPECT_LT(uint64_t(p["relay_busy_us"]), relayed * 5);
    // Each session moved ~100 kB through a 2 Mbps relay: at least 0.4 s from start to done.
    std::istringstream timings(ReadFile(r.dir + "/out/timings.csv"));
    std::string line;
    std::getline(timings, line);
    int sessions = 0;
    while (std::getline(timings, line))
    {
        double start = 0;
        double connect = 0;
        double done = 0;
        int id = 0;
        ASSERT_EQ(std::sscanf(line.c_str(), "%d,%lf,%lf,%lf", &id, &start, &connect, &done), 4);
        EXPECT_GE(done - start, 0.4) << line;
        ++sessions;
    }
    EXPECT_EQ(sessions, 3); // the quick preset
}

TEST(ProxyRelayRate, SpliceAtLeavesTheSessionsToOnePortAtItsTime)
{
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    doc["nodes"][2]["proxy"]["splice_after_bytes"] = 0;
    doc["nodes"][2]["proxy"]["splice_at"] = {{{"at_s", 0.13}, {"dst_port", 81}}};
    doc["traffic"][0]["sessions"] = 2;
    nlohmann::json other = doc["traffic"][0];
    other["port"] = 81;
    doc["traffic"].push_back(other);
    doc["policies"][0]["match"]["dst_ports"] = "80-81";
    ProxyRun r = RunScenarioDoc(doc, "splice-at");
    ExpectAllChecksPass(r);
    const nlohmann::json& p = r.Box("proxy");
    EXPECT_EQ(p["sessions"], 4u);
    EXPECT_EQ(p["splice_requested"], 2u); // port 81's only
    EXPECT_EQ(p["spliced_out"], 2u);
    EXPECT_EQ(r.summary["reconfigurations"]["succeeded"], 2u);
    std::istringstream csv(ReadFile(r.dir + "/out/reconfigurations.csv"));
    std::string header;
    std::getline(csv, header);
    EXPECT_NE(header.find("start_s"), std::string::npos) << header;
}

TEST(ProxyRelayRate, BadValuesNameTheirPath)
{
    nlohmann::json doc = ShippedScenario("middlebox/proxy-splice.json");
    nlohmann::json rate = doc;
    rate["nodes"][2]["proxy"]["relay_rate"] = "fast";
    EXPECT_EQ(LoadError(rate), "bad.json: $.nodes[2].proxy.relay_rate: expected a rate such as "
                               "\"2Mbps\", got \"fast\"");
    nlohmann::json port = doc;
    port["nodes"][2]["proxy"]["splice_at"] = {{{"at_s", 1}, {"dst_port", 0}}};
    EXPECT_NE(LoadError(port).find("$.nodes[2].proxy.splice_at[0].dst_port: expected a TCP port"),
              std::string::npos)
        << LoadError(port);
    nlohmann::json key = doc;
    key["nodes"][2]["proxy"]["splice_at"] = {{{"at", 1}, {"dst_port", 80}}};
    EXPECT_NE(LoadError(key).find("$.nodes[2].proxy.splice_at[0].at: unknown key"),
              std::string::npos)
        << LoadError(key);
}

} // namespace
} // namespace dyscosim::test
