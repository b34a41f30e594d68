// Figures 11 and 13 on the session-terminating proxy (label figures): the time-series
// binning of goodput.csv (exact, on a hand-made file), then the quick presets of
// `dyscosim reproduce fig11` (goodput doubles as the bundles leave the proxy, its work goes
// to zero) and `reproduce fig13` (the splice does not disrupt the session).
#include "figure_timeseries.h"
#include "scenarios/dyscosim_process.h"

#include <cmath>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace dyscosim::test
{
namespace
{

using nlohmann::json;

TEST(FigureTimeseries, BinsCumulativeBytesIntoMbpsPerBundle)
{
    // Two bundles sampled every 0.5 s; bins of 1 s. Bundle 0 moves 125 kB/s (1 Mbps), then
    // 250 kB/s; bundle 1 stays at 125 kB/s. The proxy relayed bundle 0's first second.
    const std::string csv = "time_s,bundle0,bundle1,proxy0_busy_s,proxy0_relayed\n"
                            "0.5,62500,62500,0.25,62500\n"
                            "1.0,125000,125000,0.5,125000\n"
                            "1.5,250000,187500,0.5,125000\n"
                            "2.0,375000,250000,0.5,125000\n";
    BinnedRun r = BinGoodput(csv, 1.0, "test.csv");
    ASSERT_EQ(r.total.size(), 2u);
    EXPECT_DOUBLE_EQ(r.bundles[0][0], 1.0);
    EXPECT_DOUBLE_EQ(r.bundles[0][1], 2.0);
    EXPECT_DOUBLE_EQ(r.bundles[1][1], 1.0);
    EXPECT_DOUBLE_EQ(r.total[1], 3.0);
    EXPECT_DOUBLE_EQ(r.proxyCpu[0], 0.5);
    EXPECT_DOUBLE_EQ(r.proxyMbps[0], 1.0);
    EXPECT_DOUBLE_EQ(r.proxyMbps[1], 0.0);
    // Half-second bins, a splice at 1 s: before = [0, 1), after = [1.25, 2) -> the 1.5 bin.
    r = BinGoodput(csv, 0.5, "test.csv");
    ASSERT_EQ(r.total.size(), 4u);
    r.marks = {1.0};
    const auto w = WindowMetrics(r, 1.0);
    EXPECT_DOUBLE_EQ(w.at("total_after_mbps"), 3.0);
    EXPECT_DOUBLE_EQ(w.at("proxy_mbps_before"), 1.0);
    EXPECT_DOUBLE_EQ(w.at("proxy_mbps_after"), 0.0);
    EXPECT_DOUBLE_EQ(w.at("total_before_mbps"), 2.0);
    EXPECT_DOUBLE_EQ(w.at("gain"), 1.5);
    EXPECT_DOUBLE_EQ(w.at("dip_pct"), 150.0);
    EXPECT_THROW(BinGoodput("t,b\n", 1.0, "bad.csv"), MergeError);
    EXPECT_THROW(BinGoodput("time_s,bundle0\n0.5,1,2\n", 1.0, "bad.csv"), MergeError);
}

json
ReproduceQuick(const std::string& fig, std::string* dir)
{
    *dir = ScratchDir(fig);
    ProcessResult r = RunDyscosim({"reproduce", fig, "--quick", "--out", *dir});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(ReadFile(*dir + "/" + fig + ".png").substr(0, 4), "\x89PNG");
    EXPECT_NE(ReadFile(*dir + "/comparison.md").find("## Beside the paper"), std::string::npos);
    return json::parse(ReadFile(*dir + "/merged.json"));
}

double
Metric(const json& merged, const std::string& series, const std::string& metric)
{
    for (const auto& p : merged["points"])
    {
        if (p["series"] == series)
        {
            EXPECT_EQ(p["failed_checks"], 0) << series;
            if (p["metrics"].contains(metric))
            {
                return p["metrics"][metric]["mean"].get<double>();
            }
        }
    }
    ADD_FAILURE() << "no " << metric << " for " << series;
    return NAN;
}

TEST(ReproduceProxy, Fig11GoodputDoublesAsTheBundlesLeaveTheProxy)
{
    std::string dir;
    json m = ReproduceQuick("fig11", &dir);
    EXPECT_EQ(Metric(m, "proxy", "spliced_out"), 40); // 4 bundles of 10 in the quick preset
    const double gain = Metric(m, "proxy", "gain");
    EXPECT_GT(gain, 1.7);
    EXPECT_LT(gain, 2.3);
    EXPECT_GT(Metric(m, "proxy", "min_bundle_gain"), 1.5); // each bundle at its own splice
    EXPECT_GT(Metric(m, "proxy", "proxy_cpu_before"), 0);
    EXPECT_EQ(Metric(m, "proxy", "proxy_mbps_after"), 0); // no work once all left
    const std::string csv = ReadFile(dir + "/timeseries_proxy.csv");
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "time_s,bundle0_mbps,bundle1_mbps,bundle2_mbps,bundle3_mbps,total_mbps,proxy_cpu,"
              "proxy_relay_mbps");
}

TEST(ReproduceProxy, Fig13TheSpliceDoesNotDisruptTheSession)
{
    std::string dir;
    json m = ReproduceQuick("fig13", &dir);
    for (const char* s : {"2ms-sack", "2ms-nosack", "20ms-sack", "20ms-nosack"})
    {
        EXPECT_EQ(Metric(m, s, "spliced_out"), 1) << s;
        EXPECT_GT(Metric(m, s, "total_after_mbps"), 0.9 * Metric(m, s, "total_before_mbps")) << s;
    }
    // With SACK no bin around the splice falls much below the goodput before it; without,
    // the reordering at the splice costs more (2 ms links, at the link rate).
    EXPECT_GT(Metric(m, "2ms-sack", "dip_pct"), 90);
    EXPECT_LT(Metric(m, "2ms-nosack", "dip_pct"), Metric(m, "2ms-sack", "dip_pct"));
}

} // namespace
} // namespace dyscosim::test
