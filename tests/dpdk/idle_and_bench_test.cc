// The application backs off when idle (tests and CI share two cores with builds), and the
// benchmark runs and verifies that every frame was rewritten.
#include "test_support.h"

#include <gtest/gtest.h>

namespace dysco::dpdk::test
{
namespace
{

double
CpuSeconds(const rusage& ru)
{
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

TEST(DpdkIdle, IdleApplicationSleepsInsteadOfSpinning)
{
    const std::string dir = ScratchDir("idle");
    nlohmann::json cfg = {{"nodes",
                           {{{"name", "a"},
                             {"role", "host"},
                             {"address", "10.0.0.1"},
                             {"host_port", "net_null0"},
                             {"network_port", "net_null1"}}}}};
    WriteFile(dir + "/cfg.json", cfg.dump());
    std::vector<std::string> argv = {BinaryDir() + "/dyscosim-dpdk"};
    for (const auto& a : EalArgs({"net_null0,no-rx=1", "net_null1,no-rx=1"}))
    {
        argv.push_back(a);
    }
    for (const std::string& a : std::vector<std::string>{
             "--", "--config", dir + "/cfg.json", "--run-for", "2", "--stats-interval", "0.5"})
    {
        argv.push_back(a);
    }
    Process app(argv, dir + "/out", dir + "/err");
    rusage ru{};
    ASSERT_EQ(app.Wait(30, &ru), 0) << ReadFile(dir + "/err");
    std::vector<nlohmann::json> lines = JsonLines(ReadFile(dir + "/out"));
    ASSERT_GE(lines.size(), 2u);
    size_t periodic = 0;
    for (const auto& j : lines)
    {
        periodic += j.value("reason", "") == "periodic";
    }
    EXPECT_GE(periodic, 2u) << "counters every 0.5 s";
    EXPECT_EQ(lines.back().value("reason", ""), "final");
    EXPECT_GT(lines.back()["idle_sleeps"].get<uint64_t>(), 100u);
    // Two seconds of wall time, EAL start-up included; a spinning loop would use all of it.
    EXPECT_LT(CpuSeconds(ru), 0.6) << "user+system CPU seconds of an idle run";
}

TEST(DpdkBench, RunsOnNetRingAndVerifiesEveryRewrite)
{
    CommandResult r = RunCommand({BinaryDir() + "/dyscosim-dpdk-bench", "--sessions", "1000",
                                  "--seconds", "0.2", "--general"},
                                 120);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::vector<nlohmann::json> lines = JsonLines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_EQ(lines[0]["mode"], "agent");
    EXPECT_EQ(lines[1]["mode"], "bare");
    EXPECT_EQ(lines[2]["mode"], "general"); // the agent without the core's fast path
    for (const auto& j : lines)
    {
        EXPECT_EQ(j["sessions"], 1000);
        EXPECT_EQ(j["frame_bytes"], 64);
        EXPECT_EQ(j["verified"], true);
        EXPECT_GT(j["packets"].get<uint64_t>(), 10000u);
        EXPECT_GT(j["mpps"].get<double>(), 0.05);
    }
    EXPECT_EQ(RunCommand({BinaryDir() + "/dyscosim-dpdk-bench", "--mode", "fast"}).exitCode, 2);
}

} // namespace
} // namespace dysco::dpdk::test
