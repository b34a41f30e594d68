// Figure 14's "bundles" plot kind: goodput.csv cut into bins with exact rates, the before /
// after / dip metrics, the mean over seeds, the spec's validation, and its scenarios load.
#include "campaign_merge.h"
#include "campaign_spec.h"
#include "figure_fig14.h"
#include "scenario_error.h"
#include "scenario_loader.h"
#include "scenarios/dyscosim_process.h"
#include "summary.h"

#include <gtest/gtest.h>

namespace dyscosim::test
{
namespace
{

using nlohmann::json;

const char* const kSpec = R"({"name": "t", "metrics": [{"name": "m", "path": "p"}],
    "series": [{"name": "a", "scenario": "x.json"}], "points": [{"x": 1}], "seeds": [1],
    "plot": "bundles", "bundles": {"bin_s": 0.5, "migration_s": 1.0, "before_s": [0, 1],
    "after_s": [1.5, 2], "dip_s": [1, 1.5], "moved": 0}})";

/// A goodput.csv sampled every 10 ms: bundle 0 at 10 Mbps, paused in [1, 1.5), then 20 Mbps;
/// bundle 1 at 10 Mbps throughout (`scale` multiplies both).
std::string
GoodputCsv(double scale, int rows)
{
    std::string csv = "time_s,bundle0,bundle1\n";
    double b0 = 0;
    double b1 = 0;
    for (int k = 1; k <= rows; ++k)
    {
        const double t = k * 0.01;
        b0 += t <= 1.0 + 1e-9 ? 12500 * scale : t <= 1.5 + 1e-9 ? 0 : 25000 * scale;
        b1 += 12500 * scale;
        csv += std::to_string(t) + "," + std::to_string(b0) + "," + std::to_string(b1) + "\n";
    }
    return csv;
}

CampaignSpec
Spec(const std::string& dir)
{
    WriteTextFile(dir + "/spec.json", kSpec);
    return LoadCampaignSpec(dir + "/spec.json", false);
}

TEST(Fig14Bundles, BinsGiveExactRatesAndTheDip)
{
    const std::string dir = ScratchDir("fig14-bins");
    CampaignSpec spec = Spec(dir);
    JobSpec job;
    job.series = "a";
    job.dir = dir;
    WriteTextFile(dir + "/goodput.csv", GoodputCsv(1, 200));
    std::map<std::string, std::vector<double>> values;
    std::map<std::string, std::vector<std::vector<std::vector<double>>>> bins;
    ReadBundleGoodput(spec, job, &values, &bins);
    ASSERT_EQ(bins["a"].size(), 1u);
    const auto& run = bins["a"][0];
    ASSERT_EQ(run.size(), 2u);
    ASSERT_EQ(run[0].size(), 4u);
    const double b0[] = {10, 10, 0, 20};
    for (size_t i = 0; i < 4; ++i)
    {
        EXPECT_NEAR(run[0][i], b0[i], 1e-9) << i;
        EXPECT_NEAR(run[1][i], 10, 1e-9) << i;
    }
    EXPECT_NEAR(values["bundle0_before_mbps"][0], 10, 1e-9);
    EXPECT_NEAR(values["bundle0_after_mbps"][0], 20, 1e-9);
    EXPECT_NEAR(values["bundle0_dip_pct"][0], 100, 1e-9);
    EXPECT_NEAR(values["bundle1_dip_pct"][0], 0, 1e-9);
    EXPECT_NEAR(values["moved_vs_stayed"][0], 2, 1e-9);

    // A second seed at twice the rate whose file ends a bin early: its last bin counts 0.
    const std::string dir2 = ScratchDir("fig14-bins2");
    job.dir = dir2;
    WriteTextFile(dir2 + "/goodput.csv", GoodputCsv(2, 150));
    ReadBundleGoodput(spec, job, &values, &bins);
    json mean = MeanBundleGoodput(spec, bins);
    EXPECT_EQ(mean["a"]["runs"], 2);
    EXPECT_EQ(mean["a"]["time_s"], json({0.0, 0.5, 1.0, 1.5}));
    EXPECT_NEAR(mean["a"]["mbps"][0][0].get<double>(), 15, 1e-9);
    EXPECT_NEAR(mean["a"]["mbps"][0][3].get<double>(), 10, 1e-9);
    EXPECT_NEAR(mean["a"]["mbps"][1][3].get<double>(), 5, 1e-9);
}

TEST(Fig14Bundles, MalformedFilesAndSpecsAreNamed)
{
    const std::string dir = ScratchDir("fig14-bad");
    CampaignSpec spec = Spec(dir);
    JobSpec job;
    job.series = "a";
    job.dir = dir;
    std::map<std::string, std::vector<double>> values;
    std::map<std::string, std::vector<std::vector<std::vector<double>>>> bins;
    ReadBundleGoodput(spec, job, &values, &bins); // no goodput.csv: nothing to add
    EXPECT_TRUE(values.empty());
    auto mergeError = [&](const std::string& text)
    {
        WriteTextFile(dir + "/goodput.csv", text);
        try
        {
            ReadBundleGoodput(spec, job, &values, &bins);
        }
        catch (const MergeError& e)
        {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(mergeError("t,b0\n").find("goodput.csv: expected a header time_s,bundle0"),
              std::string::npos);
    EXPECT_NE(mergeError("time_s,bundle0\n0.01,x\n").find("line 2: not a number: \"x\""),
              std::string::npos);
    EXPECT_NE(mergeError("time_s,bundle0\n0.01\n").find("line 2: expected 2 cells"),
              std::string::npos);

    auto specError = [&](const std::string& bundles)
    {
        std::string text = kSpec;
        text = text.substr(0, text.find("\"bundles\":")) + bundles + "}";
        WriteTextFile(dir + "/s.json", text);
        try
        {
            LoadCampaignSpec(dir + "/s.json", false);
        }
        catch (const ScenarioError& e)
        {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(specError(R"("cdf": {"file": "m.csv", "column": "c"})").find("$.bundles: "),
              std::string::npos);
    EXPECT_NE(specError(R"("bundles": {"bin_s": 0.5, "migration_s": 1, "before_s": [1, 0],
              "after_s": [1, 2], "dip_s": [1, 2]})")
                  .find("$.bundles.before_s: expected [from_s, to_s]"),
              std::string::npos);
    EXPECT_NE(specError(R"("bundles": {"bin_s": 0.5, "migration_s": 1, "before_s": [0, 1],
              "after_s": [1, 2], "dip_s": [1, 2], "movd": 0})")
                  .find("$.bundles.movd: unknown key"),
              std::string::npos);
}

TEST(Fig14Bundles, ShippedSpecExpandsIntoLoadableScenarios)
{
    for (bool quick : {true, false})
    {
        CampaignSpec spec = LoadCampaignSpec(
            std::string(DYSCO_SOURCE_DIR) + "/scenarios/figures/fig14.json", quick);
        EXPECT_EQ(spec.plot, "bundles");
        const std::string dir = ScratchDir(quick ? "fig14-q" : "fig14-f");
        auto jobs = ExpandJobs(spec, dir);
        ASSERT_EQ(jobs.size(), quick ? 1u : 3u);
        WriteJobScenarios(spec, jobs);
        const json doc = json::parse(ReadFile(jobs[0].scenario));
        EXPECT_EQ(doc["traffic"][2]["sessions"], quick ? 10 : 100);
        EXPECT_EQ(doc["nodes"][4]["cpu"]["rate"], quick ? "50Mbps" : "500Mbps");
        EXPECT_EQ(doc["nodes"][5]["cpu"]["rate"], quick ? "50Mbps" : "500Mbps");
        EXPECT_NO_THROW(LoadScenarioFile(jobs[0].scenario, LoadOptions{false}));
    }
}

} // namespace
} // namespace dyscosim::test
