// A middlebox's CPU (node key `cpu`, model/ns3/dysco-box-cpu.h): forwarded packets wait for
// the box's processing rate; with ECN the queue marks instead of dropping, so the box is the
// bottleneck without losses; without ECN a full queue drops and TCP repairs it.
#include "proxy_test_util.h"

#include <algorithm>
#include <sstream>
#include <vector>

namespace dyscosim::test
{
namespace
{

/// The firewall scenario, unpaced, every session through fw1 whose CPU runs at 40 Mbps
/// (the quick preset: ~4 MB both ways, ~0.9 s of CPU).
nlohmann::json
CpuBoundFirewall(bool ecn, uint32_t queue, uint32_t ecnAt)
{
    nlohmann::json doc = ShippedScenario("middlebox/firewall-no-migration.json");
    for (auto& t : doc["traffic"])
    {
        t.erase("rate");
    }
    doc["nodes"][4]["cpu"] = {{"rate", "40Mbps"}, {"queue", queue}, {"ecn_at", ecnAt}};
    doc["tcp"]["ecn"] = ecn;
    doc["duration_s"] = 4.0;
    doc.erase("reconfigurations"); // fw1 keeps every session
    return doc;
}

TEST(BoxCpu, WithEcnTheBoxIsTheBottleneckWithoutLosses)
{
    ProxyRun r = RunScenarioDoc(CpuBoundFirewall(true, 1000, 20), "cpu-ecn");
    ExpectAllChecksPass(r, false);
    const nlohmann::json& fw = r.Box("fw1");
    EXPECT_EQ(fw["cpu_dropped"], 0u);
    EXPECT_GT(uint64_t(fw["cpu_ecn_marked"]), 0u);
    // Marking from 20 waiting keeps the queue far below its bound.
    EXPECT_LT(uint64_t(fw["cpu_peak_queue"]), 200u);
    // Every payload byte (both ways) cost 8 / 40e6 s of CPU, headers and ACKs on top.
    const uint64_t bytes = r.summary["bytes"]["delivered"]; // both directions
    const double payloadMs = double(bytes) * 8 / 40e6 * 1000;
    EXPECT_GE(double(fw["cpu_busy_ms"]), payloadMs);
    EXPECT_LT(double(fw["cpu_busy_ms"]), payloadMs * 1.15);
    // The CPU, not the 1 Gbps links, set the pace: the last session closed after the CPU
    // time all of them needed (unlimited, they finish within ~0.2 s).
    std::istringstream csv(ReadFile(r.dir + "/out/sessions.csv"));
    std::string line;
    std::getline(csv, line);
    double lastClose = 0;
    while (std::getline(csv, line))
    {
        std::vector<std::string> f;
        std::istringstream cells(line);
        for (std::string c; std::getline(cells, c, ',');)
        {
            f.push_back(c);
        }
        ASSERT_GE(f.size(), 8u) << line;
        lastClose = std::max(lastClose, std::stod(f[7])); // close_time_s
    }
    EXPECT_GE(lastClose * 1000, payloadMs);
}

TEST(BoxCpu, WithoutEcnAFullQueueDropsAndTcpRepairs)
{
    ProxyRun r = RunScenarioDoc(CpuBoundFirewall(false, 30, 0), "cpu-drop");
    ExpectAllChecksPass(r, false);
    const nlohmann::json& fw = r.Box("fw1");
    EXPECT_GT(uint64_t(fw["cpu_dropped"]), 0u);
    EXPECT_EQ(fw["cpu_ecn_marked"], 0u);
    EXPECT_EQ(fw["cpu_peak_queue"], 30u);
}

TEST(BoxCpu, BadValuesNameTheirPath)
{
    const nlohmann::json doc = CpuBoundFirewall(true, 1000, 50);
    auto error = [&](const std::function<void(nlohmann::json&)>& edit)
    {
        nlohmann::json d = doc;
        edit(d);
        return LoadError(d);
    };
    EXPECT_EQ(error([](auto& d) { d["nodes"][4]["cpu"]["rate"] = "fast"; }),
              "bad.json: $.nodes[4].cpu.rate: expected a positive rate such as \"500Mbps\", got "
              "\"fast\"");
    EXPECT_EQ(error([](auto& d) { d["nodes"][4]["cpu"]["rate"] = "0Mbps"; }),
              "bad.json: $.nodes[4].cpu.rate: expected a positive rate such as \"500Mbps\", got "
              "\"0Mbps\"");
    EXPECT_NE(error([](auto& d) { d["nodes"][4]["cpu"]["ecn_at"] = 1001; })
                  .find("$.nodes[4].cpu.ecn_at: expected a queue length in packets at most"),
              std::string::npos);
    EXPECT_NE(error([](auto& d) { d["nodes"][4]["cpu"]["queue"] = 0; })
                  .find("$.nodes[4].cpu.queue: expected a queue length in packets"),
              std::string::npos);
    EXPECT_NE(error([](auto& d) { d["nodes"][4]["cpu"]["speed"] = 1; })
                  .find("$.nodes[4].cpu.speed: unknown key"),
              std::string::npos);
    EXPECT_NE(error(
                  [](auto& d) {
                      d["nodes"][0]["cpu"] = {{"rate", "1Mbps"}};
                  })
                  .find("$.nodes[0].cpu: only nodes that forward packets"),
              std::string::npos);
    EXPECT_NE(error([](auto& d) { d["tcp"]["delayed_ack_s"] = 0; })
                  .find("$.tcp.delayed_ack_s: expected a delayed-ACK timeout in seconds"),
              std::string::npos);
    EXPECT_NE(error([](auto& d) { d["tcp"]["delayed_ack_count"] = 0; })
                  .find("$.tcp.delayed_ack_count: expected segments per delayed ACK"),
              std::string::npos);
    EXPECT_NE(error([](auto& d) { d["tcp"]["ecn"] = "yes"; }).find("$.tcp.ecn"), std::string::npos);
}

} // namespace
} // namespace dyscosim::test
