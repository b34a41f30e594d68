// The NSH encapsulation baseline in the simulator: every TCP packet between the two edges
// travels encapsulated (IP protocol 254, exactly 38 bytes longer), never outside them, each
// is processed once by the function, and the function's cost shows in connect() time.
#include "run_result.h"
#include "runner.h"
#include "scenario_loader.h"
#include "scenarios/dyscosim_process.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <vector>

namespace dyscosim::test
{
namespace
{

/// c - r1 - mb - r2 - s; with `nsh`, r1/r2 are edges and mb a function costing `costUs`.
Scenario
Line(bool nsh, double costUs)
{
    std::string text = R"({"name": "nsh", "duration_s": 2,
      "nodes": [{"name": "c", "role": "host"}, {"name": "r1", "role": "router"},
                {"name": "mb", "role": "middlebox"}, {"name": "r2", "role": "router"},
                {"name": "s", "role": "host"}],
      "links": [{"a": "c", "b": "r1", "rate": "1Gbps", "delay": "10us"},
                {"a": "r1", "b": "mb", "rate": "1Gbps", "delay": "10us"},
                {"a": "mb", "b": "r2", "rate": "1Gbps", "delay": "10us"},
                {"a": "r2", "b": "s", "rate": "1Gbps", "delay": "10us"}],
      "traffic": [{"from": "c", "to": "s", "sessions": 3, "bytes": 200000,
                   "reverse_bytes": 50000, "interval_s": 0.1}])";
    if (nsh)
    {
        text += R"(, "nsh": {"edges": ["r1", "r2"], "functions": ["mb"], "function_cost_us": )" +
                std::to_string(costUs) + "}";
    }
    return LoadScenarioText(text + "}", "nsh.json", LoadOptions{false});
}

/// IP protocol -> (frames, frames whose IP total length + 38 != ... ) of a PPP pcap file:
/// counts frames per IP protocol and records each frame's IP total length.
std::map<int, std::vector<uint32_t>>
IpLengthsByProtocol(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::map<int, std::vector<uint32_t>> out;
    size_t at = 24;
    while (at + 16 <= b.size())
    {
        uint32_t caplen =
            b[at + 8] | b[at + 9] << 8 | b[at + 10] << 16 | uint32_t(b[at + 11]) << 24;
        const uint8_t* f = &b[at + 16];
        at += 16 + caplen;
        if (caplen < 2 + 20 || f[0] != 0x00 || f[1] != 0x21) // PPP, IPv4
        {
            continue;
        }
        out[f[2 + 9]].push_back(uint32_t(f[2 + 2]) << 8 | f[2 + 3]);
    }
    return out;
}

TEST(NshChaining, EncapsulatesExactlyBetweenTheEdges)
{
    const std::string dir = ScratchDir("wire");
    std::filesystem::create_directories(dir + "/pcap");
    RunOptions o;
    o.outDir = dir;
    o.pcap = true;
    o.progress = false;
    RunResult r = RunScenario(Line(true, 16.5), o);
    for (const auto& s : r.sessions)
    {
        EXPECT_TRUE(s.Completed()) << s.streamId;
    }
    std::map<std::string, std::map<std::string, uint64_t>> boxes;
    for (const auto& m : r.middleboxes)
    {
        boxes[m.node] = m.counters;
    }
    const uint64_t in = boxes["r1"]["encapsulated"] + boxes["r2"]["encapsulated"];
    EXPECT_GT(in, 100u);
    EXPECT_EQ(boxes["mb"]["processed"], in);
    EXPECT_EQ(boxes["r1"]["decapsulated"] + boxes["r2"]["decapsulated"], in);
    EXPECT_EQ(boxes["mb"]["encapsulated"], 0u);

    // Inside (mb's devices): only encapsulated packets, and the largest is a full segment
    // (1500-byte IP packet) plus 38. Outside (the hosts): no encapsulated packet at all.
    auto inside = IpLengthsByProtocol(dir + "/pcap/nsh-mb-1.pcap");
    EXPECT_EQ(inside.count(6), 0u);
    ASSERT_EQ(inside.count(254), 1u);
    EXPECT_EQ(*std::max_element(inside[254].begin(), inside[254].end()), 1500u + 38u);
    auto outside = IpLengthsByProtocol(dir + "/pcap/nsh-c-1.pcap");
    EXPECT_EQ(outside.count(254), 0u);
    ASSERT_EQ(outside.count(6), 1u);
    EXPECT_EQ(*std::max_element(outside[6].begin(), outside[6].end()), 1500u);
}

TEST(NshChaining, FunctionCostAddsToEachRoundTrip)
{
    RunOptions o;
    o.outDir = ScratchDir("cost");
    o.progress = false;
    auto connectMs = [&](const Scenario& s)
    {
        RunResult r = RunScenario(s, o);
        EXPECT_GE(r.sessions[0].connectS, 0);
        return (r.sessions[0].connectS - r.sessions[0].startS) * 1000;
    };
    const double plain = connectMs(Line(false, 0));
    const double free = connectMs(Line(true, 0));
    const double costly = connectMs(Line(true, 100));
    // SYN and SYN-ACK each pass the function once: 2 x 100 us.
    EXPECT_NEAR(costly - free, 0.2, 1e-6);
    // Without cost only the 38 bytes' serialisation on 2 links each way (4 x 0.304 us).
    EXPECT_NEAR(free - plain, 4 * 38 * 8 / 1e9 * 1000, 1e-6);
}

} // namespace
} // namespace dyscosim::test
