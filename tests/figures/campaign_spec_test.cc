// Campaign specs: settings paths, job expansion with readable names, every shipped figure's
// generated scenarios load, statistics, merging (version mixing refused), comparisons.
#include "campaign_merge.h"
#include "campaign_spec.h"
#include "reproduce_report.h"
#include "scenario_error.h"
#include "scenario_loader.h"
#include "scenarios/dyscosim_process.h"
#include "summary.h"

#include <cmath>
#include <filesystem>
#include <gtest/gtest.h>

namespace dyscosim::test
{
namespace
{

using nlohmann::json;

std::string
FiguresDir()
{
    return std::string(DYSCO_SOURCE_DIR) + "/scenarios/figures/";
}

TEST(CampaignSpec, SettingsReachArraysFieldsAndIndices)
{
    json doc =
        json::parse(R"({"traffic": [{"bytes": 1}, {"bytes": 2}], "links": [{"rate": "1Gbps"}],
                               "duration_s": 1})");
    ApplySetting(&doc, "traffic[*].bytes", 7);
    ApplySetting(&doc, "links[0].rate", "10Gbps");
    ApplySetting(&doc, "duration_s", 3.5);
    EXPECT_EQ(doc["traffic"][0]["bytes"], 7);
    EXPECT_EQ(doc["traffic"][1]["bytes"], 7);
    EXPECT_EQ(doc["links"][0]["rate"], "10Gbps");
    EXPECT_EQ(doc["duration_s"], 3.5);
    EXPECT_THROW(ApplySetting(&doc, "links[3].rate", "1Gbps"), std::invalid_argument);
    EXPECT_THROW(ApplySetting(&doc, "nodes[*].name", "x"), std::invalid_argument);
    EXPECT_THROW(ApplySetting(&doc, "duration_s[0]", 1), std::invalid_argument);
}

TEST(CampaignSpec, EveryShippedFigureExpandsIntoLoadableScenarios)
{
    for (const char* fig : {"fig7", "fig8", "fig9", "fig12", "contention"})
    {
        for (bool quick : {true, false})
        {
            CampaignSpec spec = LoadCampaignSpec(FiguresDir() + fig + ".json", quick);
            const std::string dir = ScratchDir(std::string(fig) + (quick ? "-q" : "-f"));
            auto jobs = ExpandJobs(spec, dir);
            ASSERT_EQ(jobs.size(), spec.series.size() * spec.points.size() * spec.seeds.size());
            WriteJobScenarios(spec, jobs);
            for (const auto& j : jobs)
            {
                EXPECT_NO_THROW(LoadScenarioFile(j.scenario, LoadOptions{false}))
                    << fig << " " << j.scenario;
                EXPECT_NE(
                    JobCommand(spec, j, "/x/dyscosim").find("--seed " + std::to_string(j.seed)),
                    std::string::npos);
            }
        }
    }
}

TEST(CampaignSpec, RunDirectoriesAreReadable)
{
    CampaignSpec spec = LoadCampaignSpec(FiguresDir() + "fig8.json", true);
    auto jobs = ExpandJobs(spec, "/tmp/c");
    ASSERT_FALSE(jobs.empty());
    EXPECT_EQ(jobs.front().dir, "/tmp/c/runs/dysco_sessions1_seed1");
    EXPECT_EQ(jobs.back().dir, "/tmp/c/runs/nsh_sessions250_seed1");
    // The point's settings reach the generated scenario.
    const std::string dir = ScratchDir("gen");
    jobs = ExpandJobs(spec, dir);
    WriteJobScenarios(spec, jobs);
    Scenario s = LoadScenarioFile(jobs[1].scenario, LoadOptions{false});
    EXPECT_EQ(s.name, "dysco_sessions25_seed1");
    EXPECT_EQ(s.traffic.size(), 4u);
    EXPECT_EQ(s.traffic[3].sessions, 25u);
    EXPECT_EQ(s.traffic[3].bytes, 100000u);
}

TEST(CampaignSpec, BadSpecsNameFileAndPath)
{
    const std::string dir = ScratchDir("bad");
    auto errorOf = [&](const std::string& text)
    {
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
    const std::string ok = R"("metrics": [{"name": "m", "path": "timing.goodput_bps"}],
        "series": [{"name": "a", "scenario": "x.json"}], "points": [{"x": 1}], "seeds": [1])";
    EXPECT_EQ(errorOf("{" + ok + "}"), "no error");
    EXPECT_NE(errorOf("{" + ok + R"(, "pionts": []})").find("$.pionts: unknown key"),
              std::string::npos);
    EXPECT_NE(errorOf("{" + ok + R"(, "plot": "cdf"})").find("$.cdf"), std::string::npos);
    EXPECT_NE(errorOf("{" + ok + R"(, "y": "nope"})").find("$.y"), std::string::npos);
    EXPECT_NE(
        errorOf(
            R"({"metrics": [{"name": "m", "path": "p"}], "series": [{"name": "a b", "scenario": "x"}],
                          "points": [{"x": 1}], "seeds": [1]})")
            .find("$.series[0].name"),
        std::string::npos);
    EXPECT_NE(
        errorOf(
            R"({"metrics": [{"name": "m", "path": "p"}], "series": [{"name": "a", "scenario": "x"}],
                          "points": [{"x": 1}], "seeds": [0]})")
            .find("$.seeds[0]"),
        std::string::npos);
}

TEST(CampaignMerge, StatisticsUseStudentsT)
{
    Stat s = MakeStat({1, 2, 3});
    EXPECT_EQ(s.n, 3u);
    EXPECT_DOUBLE_EQ(s.mean, 2);
    EXPECT_DOUBLE_EQ(s.sd, 1);
    EXPECT_NEAR(s.ci95, 4.303 / std::sqrt(3.0), 1e-9);
    EXPECT_EQ(MakeStat({5}).ci95, 0);
}

/// A two-series campaign whose runs are hand-written summaries.
struct FakeCampaign
{
    CampaignSpec spec;
    std::vector<JobSpec> jobs;

    explicit FakeCampaign(const std::string& dir)
    {
        WriteTextFile(dir + "/spec.json", R"({"name": "t", "metrics": [
            {"name": "g", "path": "timing.goodput_bps", "scale": 1e-6}],
            "series": [{"name": "a", "scenario": "x.json"}, {"name": "b", "scenario": "x.json"}],
            "points": [{"x": 1}, {"x": 2}], "seeds": [1, 2]})");
        spec = LoadCampaignSpec(dir + "/spec.json", false);
        jobs = ExpandJobs(spec, dir);
        for (const auto& j : jobs)
        {
            std::filesystem::create_directories(j.dir);
            double g = (j.series == "a" ? 100 : 90) + j.point.x * 10 + j.seed; // Mbps
            nlohmann::ordered_json s = {{"git_describe", "v1"},
                                        {"timing", {{"goodput_bps", g * 1e6}}},
                                        {"check", {{"verdict", "pass"}}}};
            WriteSummary(j.dir + "/summary.json", s);
        }
    }
};

TEST(CampaignMerge, MeansPerPointAndRefusesMixedVersions)
{
    const std::string dir = ScratchDir("merge");
    FakeCampaign c(dir);
    MergeResult m = MergeRuns(c.spec, c.jobs, false);
    ASSERT_EQ(m.points.size(), 4u);
    const MergedPoint* a2 = FindPoint(m, "a", 2);
    ASSERT_NE(a2, nullptr);
    EXPECT_DOUBLE_EQ(a2->metrics.at("g").mean, 121.5); // 100 + 20 + (1, 2)
    EXPECT_EQ(a2->metrics.at("g").n, 2u);
    EXPECT_EQ(m.gitDescribes, std::vector<std::string>{"v1"});

    nlohmann::ordered_json other = {{"git_describe", "v2-dirty"},
                                    {"timing", {{"goodput_bps", 1e6}}}};
    WriteSummary(c.jobs[3].dir + "/summary.json", other);
    try
    {
        MergeRuns(c.spec, c.jobs, false);
        FAIL() << "mixed versions merged";
    }
    catch (const MergeError& e)
    {
        EXPECT_NE(std::string(e.what()).find("v1 (7 runs), v2-dirty (1 runs)"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(MergeRuns(c.spec, c.jobs, true).gitDescribes.size(), 2u);

    std::filesystem::remove(c.jobs[0].dir + "/summary.json");
    m = MergeRuns(c.spec, c.jobs, true);
    EXPECT_EQ(m.missing, std::vector<std::string>{c.jobs[0].dir});
}

TEST(CampaignMerge, ComparisonsComputeWhatTheySay)
{
    const std::string dir = ScratchDir("compare");
    FakeCampaign c(dir);
    c.spec.paper = json::parse(R"({"comparisons": [
        {"kind": "diff", "metric": "g", "a": "a", "b": "b", "x": 1, "paper": 5},
        {"kind": "max_abs_rel_pct", "metric": "g", "a": "a", "b": "b"},
        {"kind": "value", "metric": "g", "a": "b", "x": 2},
        {"kind": "ratio", "metric": "g", "a": "a", "b": "b", "x": 1},
        {"kind": "value", "metric": "g", "a": "nobody", "x": 2}]})");
    MergeResult m = MergeRuns(c.spec, c.jobs, false);
    auto rows = Compare(c.spec, m);
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_DOUBLE_EQ(rows[0].ours, 10); // 111.5 - 101.5
    EXPECT_DOUBLE_EQ(rows[0].paper, 5);
    EXPECT_NEAR(rows[1].ours, 100 * 10 / 101.5, 1e-9); // the larger gap relative to b
    EXPECT_DOUBLE_EQ(rows[2].ours, 111.5);
    EXPECT_NEAR(rows[3].ours, 111.5 / 101.5, 1e-12);
    EXPECT_FALSE(rows[4].hasOurs);

    m.cdf["a"] = {1, 2, 3, 4};
    c.spec.paper = json::parse(
        R"({"comparisons": [{"kind": "cdf_at", "a": "a", "threshold": 2.5, "paper": 0.8}]})");
    rows = Compare(c.spec, m);
    EXPECT_DOUBLE_EQ(rows[0].ours, 0.5);
}

} // namespace
} // namespace dyscosim::test
