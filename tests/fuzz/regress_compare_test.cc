// The comparison behind `dyscosim regress`: flattening, ignored metrics, exact and relative
// tolerances, and tolerances.json.
#include "regress_compare.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>

namespace dyscosim
{
namespace
{

using nlohmann::json;
using nlohmann::ordered_json;

const json kSummary = json::parse(R"({
  "scenario": "x", "seed": 1, "sim_time_s": 2.5, "wall_time_s": 0.83,
  "git_describe": "v1-3-gabc",
  "sessions": {"total": 4, "completed": 4},
  "reconfigurations": {"attempted": 2, "succeeded": 2, "duration_ms": {"count": 2, "mean": 50.0}},
  "middleboxes": {},
  "check": {"verdict": "pass", "violations": [], "trace": {"records": 100, "seconds": 0.2}}})");

TEST(RegressCompare, Patterns)
{
    EXPECT_TRUE(MatchesPattern("wall_time_s", "wall_time_s"));
    EXPECT_FALSE(MatchesPattern("wall_time_s", "wall_time_sx"));
    EXPECT_TRUE(
        MatchesPattern("reconfigurations.duration_ms.*", "reconfigurations.duration_ms.mean"));
    EXPECT_FALSE(MatchesPattern("reconfigurations.duration_ms.*", "reconfigurations.attempted"));
    EXPECT_TRUE(MatchesPattern("check.trace.*seconds*", "check.trace.seconds"));
    EXPECT_TRUE(MatchesPattern("*", ""));
    EXPECT_TRUE(MatchesPattern("a*b*c", "aXXbYYc"));
    EXPECT_FALSE(MatchesPattern("a*b*c", "aXXbYY"));
}

TEST(RegressCompare, FlattenLeavesOutMachineDependentMetrics)
{
    ordered_json m = FlattenSummary(kSummary, DefaultTolerances());
    EXPECT_FALSE(m.contains("wall_time_s"));
    EXPECT_FALSE(m.contains("git_describe"));
    EXPECT_FALSE(m.contains("check.trace.seconds"));
    EXPECT_EQ(m["check.trace.records"], 100);
    EXPECT_EQ(m["sessions.completed"], 4);
    EXPECT_EQ(m["reconfigurations.duration_ms.mean"], 50.0);
    EXPECT_EQ(m["check.verdict"], "pass");
    EXPECT_EQ(m["middleboxes"], ordered_json::object()); // an empty object is a value
    EXPECT_EQ(m["check.violations"], ordered_json::array());
    // Name order, so baselines diff well.
    std::string last;
    for (const auto& [name, v] : m.items())
    {
        EXPECT_LT(last, name);
        last = name;
    }
}

TEST(RegressCompare, IdenticalSummariesHaveNoDiff)
{
    const Tolerances t = DefaultTolerances();
    json other = kSummary;
    other["wall_time_s"] = 99.0; // ignored
    EXPECT_TRUE(CompareMetrics(FlattenSummary(kSummary, t), FlattenSummary(other, t), t).empty());
}

TEST(RegressCompare, CountsAndVerdictsAreExact)
{
    const Tolerances t = DefaultTolerances();
    json other = kSummary;
    other["sessions"]["completed"] = 3;
    other["check"]["verdict"] = "fail";
    other["check"]["violations"] = {"no_data_loss: session 4 ..."};
    auto diffs = CompareMetrics(FlattenSummary(kSummary, t), FlattenSummary(other, t), t);
    ASSERT_EQ(diffs.size(), 4u);
    EXPECT_EQ(diffs[0].metric, "check.verdict");
    EXPECT_EQ(diffs[0].oldValue, "\"pass\"");
    EXPECT_EQ(diffs[0].newValue, "\"fail\"");
    EXPECT_EQ(diffs[0].tolerance, "exact");
    EXPECT_EQ(diffs[1].metric, "check.violations");
    EXPECT_EQ(diffs[1].oldValue, "[]");
    EXPECT_EQ(diffs[1].newValue, "(absent)");
    EXPECT_EQ(diffs[2].metric, "check.violations.0");
    EXPECT_EQ(diffs[2].oldValue, "(absent)");
    EXPECT_EQ(diffs[2].newValue, "\"no_data_loss: session 4 ...\"");
    EXPECT_EQ(diffs[3].metric, "sessions.completed");
    EXPECT_EQ(diffs[3].oldValue, "4");
    EXPECT_EQ(diffs[3].newValue, "3");
}

TEST(RegressCompare, DurationsHaveARelativeTolerance)
{
    const Tolerances t = DefaultTolerances();
    json within = kSummary;
    within["reconfigurations"]["duration_ms"]["mean"] = 50.4; // 0.8 %
    EXPECT_TRUE(CompareMetrics(FlattenSummary(kSummary, t), FlattenSummary(within, t), t).empty());
    json beyond = kSummary;
    beyond["reconfigurations"]["duration_ms"]["mean"] = 50.6; // 1.2 %
    auto diffs = CompareMetrics(FlattenSummary(kSummary, t), FlattenSummary(beyond, t), t);
    ASSERT_EQ(diffs.size(), 1u);
    EXPECT_EQ(diffs[0].metric, "reconfigurations.duration_ms.mean");
    EXPECT_EQ(diffs[0].oldValue, "50.0");
    EXPECT_EQ(diffs[0].newValue, "50.6");
    EXPECT_EQ(diffs[0].tolerance, "1 %");
    // The count next to it stays exact.
    beyond["reconfigurations"]["duration_ms"]["count"] = 3;
    EXPECT_EQ(CompareMetrics(FlattenSummary(kSummary, t), FlattenSummary(beyond, t), t).size(), 2u);
}

std::string
WriteTemp(const std::string& name, const std::string& text)
{
    std::string path = ::testing::TempDir() + name;
    std::ofstream(path) << text;
    return path;
}

TEST(RegressCompare, TolerancesFileOverridesAndAdds)
{
    std::string path = WriteTemp("regress-tolerances.json",
                                 R"({"comment": "looser durations",
                                     "relative": {"reconfigurations.duration_ms.mean": 0.1,
                                                  "sim_time_s": 0.5},
                                     "ignore": ["check.trace.*"]})");
    Tolerances t = LoadTolerances(path);
    json other = kSummary;
    other["reconfigurations"]["duration_ms"]["mean"] = 54.0; // 8 % < 10 %
    other["check"]["trace"]["records"] = 101;
    other["sim_time_s"] = 3.0; // 20 % < 50 %
    EXPECT_TRUE(CompareMetrics(FlattenSummary(kSummary, t), FlattenSummary(other, t), t).empty());
    EXPECT_EQ(LoadTolerances("/nonexistent/tolerances.json").relative.size(),
              DefaultTolerances().relative.size());
    std::remove(path.c_str());
}

std::string
LoadError(const std::string& text)
{
    std::string path = WriteTemp("regress-bad-tolerances.json", text);
    try
    {
        LoadTolerances(path);
    }
    catch (const RegressInputError& e)
    {
        std::string m = e.what();
        std::remove(path.c_str());
        return m.substr(path.size());
    }
    std::remove(path.c_str());
    return "no error";
}

TEST(RegressCompare, BadTolerancesFileNamesItAndThePath)
{
    EXPECT_EQ(LoadError("{\"relative\": {\"x\": -1}}"),
              ": $.relative.x: expected a number >= 0 (0.05 = 5 %), got -1");
    EXPECT_EQ(LoadError("{\"relativ\": {}}"),
              ": $.relativ: unknown key; expected relative, ignore or comment");
    EXPECT_EQ(LoadError("{\"ignore\": [1]}"), ": $.ignore: expected pattern strings, got 1");
    EXPECT_EQ(LoadError("[]"), ": expected an object {\"relative\": {...}, \"ignore\": [...]}");
    EXPECT_EQ(LoadError("{").rfind(": not valid JSON: ", 0), 0u);
}

} // namespace
} // namespace dyscosim
