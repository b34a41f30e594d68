// `dyscosim reproduce FIG --quick` for each figure this branch reproduces: exit 0, a PNG, a
// comparison.md with our numbers beside the paper's, and the figure's headline holding.
// These are the CI presets (label figures); each takes seconds on 2 cores.
#include "scenarios/dyscosim_process.h"

#include <cmath>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace dyscosim::test
{
namespace
{

using nlohmann::json;

/// Runs the quick preset into a scratch directory; returns its merged.json.
json
Reproduce(const std::string& fig, std::string* dirOut = nullptr)
{
    const std::string dir = ScratchDir(fig);
    ProcessResult r = RunDyscosim({"reproduce", fig, "--quick", "--out", dir});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("results: " + dir + "/comparison.md"), std::string::npos) << r.out;
    const std::string png = ReadFile(dir + "/" + fig + ".png");
    EXPECT_EQ(png.substr(0, 4), "\x89PNG") << "no plot in " << dir;
    const std::string md = ReadFile(dir + "/comparison.md");
    EXPECT_NE(md.find("## Beside the paper"), std::string::npos) << md;
    EXPECT_EQ(md.find("no data"), std::string::npos) << md;
    if (dirOut)
    {
        *dirOut = dir;
    }
    return json::parse(ReadFile(dir + "/merged.json"));
}

double
Mean(const json& merged, const std::string& series, double x, const std::string& metric)
{
    for (const auto& p : merged["points"])
    {
        if (p["series"] == series && p["x"].get<double>() == x)
        {
            EXPECT_EQ(p["failed_checks"], 0) << series << " " << x;
            return p["metrics"][metric]["mean"].get<double>();
        }
    }
    ADD_FAILURE() << "no point " << series << " x=" << x;
    return NAN;
}

TEST(ReproduceQuick, Fig7SetupLatency)
{
    json m = Reproduce("fig7");
    for (double mb : {1.0, 4.0})
    {
        const double dysco = Mean(m, "dysco", mb, "connect_ms");
        const double routing = Mean(m, "routing", mb, "connect_ms");
        // The SYN's address list costs serialisation only: more than nothing, under 1 us.
        EXPECT_GT(dysco, routing);
        EXPECT_LT(dysco - routing, 0.001);
    }
    EXPECT_GT(Mean(m, "routing", 4, "connect_ms"), Mean(m, "routing", 1, "connect_ms"));
}

TEST(ReproduceQuick, Fig8GoodputDyscoRoutingNsh)
{
    json m = Reproduce("fig8");
    for (double n : {1.0, 25.0, 250.0})
    {
        const double dysco = Mean(m, "dysco", n, "goodput_pct");
        const double routing = Mean(m, "routing", n, "goodput_pct");
        const double nsh = Mean(m, "nsh", n, "goodput_pct");
        EXPECT_LT(std::fabs(dysco - routing), 1.5) << n; // the paper's bound
        EXPECT_LT(nsh, routing) << n;                    // 38 bytes per packet cost something
        EXPECT_GT(routing, 50) << n;
    }
}

TEST(ReproduceQuick, Fig9RequestRate)
{
    json m = Reproduce("fig9");
    for (double mb : {1.0, 4.0})
    {
        const double dysco = Mean(m, "dysco", mb, "requests_per_s");
        const double routing = Mean(m, "routing", mb, "requests_per_s");
        EXPECT_GT(routing, 1000);
        EXPECT_LT(std::fabs(dysco - routing) / routing * 100, 1.8) << mb;
    }
}

TEST(ReproduceQuick, Fig12ControlLossMakesTheTail)
{
    std::string dir;
    json m = Reproduce("fig12", &dir);
    const double calm = Mean(m, "no-loss", 1, "reconfig_max_ms");
    const double lossy = Mean(m, "control-loss", 1, "reconfig_max_ms");
    EXPECT_GT(Mean(m, "control-loss", 1, "control_dropped"), 0);
    EXPECT_LT(calm, 20);
    EXPECT_GT(lossy, 150); // at least one control retransmission (200 ms)
    EXPECT_EQ(m["cdf_samples"]["no-loss"], Mean(m, "no-loss", 1, "succeeded"));
    EXPECT_NE(ReadFile(dir + "/cdf_control-loss.csv").find("value,fraction\n"), std::string::npos);
}

TEST(ReproduceQuick, Fig14StateMigrationMovesABundleToTheIdleFirewall)
{
    std::string dir;
    json m = Reproduce("fig14", &dir);
    // Every session of bundle 1 moved with its state: fw2 dropped none of their packets.
    EXPECT_EQ(Mean(m, "dysco", 10, "migrated"), 10);
    EXPECT_EQ(Mean(m, "dysco", 10, "fw2_dropped_no_state"), 0);
    EXPECT_EQ(m["cdf_samples"]["dysco"], 10);
    // fw1's CPU is the bottleneck and marks instead of dropping, so no migration waits for a
    // retransmission timeout: every one is within the paper's 100 ms.
    EXPECT_EQ(Mean(m, "dysco", 10, "fw1_cpu_dropped"), 0);
    EXPECT_GT(Mean(m, "dysco", 10, "fw1_ecn_marked"), 0);
    EXPECT_LT(Mean(m, "dysco", 10, "migration_max_ms"), 100);
    // Before the move the three bundles share fw1's 50 Mbps; after it the moved bundle has
    // fw2 to itself and the other two split fw1: about twice a staying bundle's goodput.
    double before = 0;
    for (const char* b : {"bundle0", "bundle1", "bundle2"})
    {
        before += Mean(m, "dysco", 10, std::string(b) + "_before_mbps");
        EXPECT_GT(Mean(m, "dysco", 10, std::string(b) + "_before_mbps"), 5) << b;
    }
    EXPECT_LT(before, 55);
    EXPECT_LT(Mean(m, "dysco", 10, "bundle0_after_mbps"), 52);
    EXPECT_GT(Mean(m, "dysco", 10, "moved_vs_stayed"), 1.5);
    const auto& mbps = m["bundles"]["dysco"]["mbps"];
    ASSERT_EQ(mbps.size(), 3u);
    EXPECT_EQ(m["bundles"]["dysco"]["time_s"].size(), mbps[0].size());
    EXPECT_EQ(ReadFile(dir + "/goodput_dysco.csv")
                  .rfind("time_s,bundle0_mbps,bundle1_mbps,"
                         "bundle2_mbps\n",
                         0),
              0u);
    EXPECT_NE(ReadFile(dir + "/comparison.md").find("| dysco | 10 | 1 (moved) |"),
              std::string::npos);
}

TEST(ReproduceQuick, ContentionEveryBoxLeavesOnce)
{
    json m = Reproduce("contention");
    for (double agents : {2.0, 4.0})
    {
        // 2 sessions in the quick preset: each middlebox leaves each session exactly once.
        EXPECT_EQ(Mean(m, "dysco", agents, "succeeded"), agents * 2);
        EXPECT_GT(Mean(m, "dysco", agents, "nacked"), 0);
    }
}

TEST(ReproduceQuick, UnknownFiguresAreBadInput)
{
    ProcessResult r = RunDyscosim({"reproduce", "fig10"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("unknown figure 'fig10'"), std::string::npos) << r.err;
    r = RunDyscosim({"reproduce", "fig8", "--jobs", "0"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--jobs expects a number from 1 to 999, got '0'"), std::string::npos);
    r = RunDyscosim({"campaign", "nope.json", "--emit", "jobs"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("nope.json: cannot read the file"), std::string::npos) << r.err;
    r = RunDyscosim({"campaign", "x.json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("needs one of --emit jobs, --run, --merge"), std::string::npos);
}

} // namespace
} // namespace dyscosim::test
