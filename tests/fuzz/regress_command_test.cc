// `dyscosim regress`: a subset of the suite against the committed baseline
// (verification/regress-baseline), a behaviour change that violates no property still shows
// as a diff naming the case and metric, a mutant build shows as a diff, bad baselines exit 2.
#include "command_process.h"

#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <regex>

namespace dyscosim::test
{
namespace
{

std::string
CommittedBaseline()
{
    return SourceDir() + "/verification/regress-baseline";
}

// A cross-section of the committed baseline (about 5 s of CPU): no reconfiguration, a
// deletion of a shifting box, contention, a middlebox that is down, RSTs at every phase, and
// three fuzz seeds. The whole suite (36 cases) is measured in verification/README.md.
const char* kSubset = "chain-4,reconfig/delete-1,reconfig/contention-2,reconfig/middlebox-down,"
                      "reconfig/inject-rst,fuzz-1,fuzz-2,fuzz-3";

TEST(RegressCommand, SubsetMatchesTheCommittedBaseline)
{
    std::string out = ScratchDir("out");
    ProcessResult r = RunCommand({"regress", "--baseline", CommittedBaseline(), "--only", kSubset,
                                  "--out", out, "--jobs", "2"});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("regress: 8 cases, 8 identical within tolerance, 0 changed"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.err.find("regress [8/8]"), std::string::npos) << r.err;
}

TEST(RegressCommand, MutantBuildShowsAsADiff)
{
    // The deltas of the deleted seq_offset box are not accumulated in requestLock/ackLock:
    // reconfig/delete-1's endpoints see foreign sequence numbers and its sessions stall.
    std::string out = ScratchDir("out");
    ProcessResult r = RunCommand(
        {"regress", "--baseline", CommittedBaseline(), "--only", "reconfig/delete-1", "--out", out},
        "skip_lock_delta");
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("reconfig/delete-1: check.verdict: \"pass\" -> \"fail\" (exact)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("reconfig/delete-1: check.properties.seq_ack_correct: \"pass\" -> "
                         "\"fail\" (exact)"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("1 changed (reconfig/delete-1;"), std::string::npos) << r.out;
}

/// A one-scenario suite in a scratch directory, from the shipped reconfig/delete-1.json with
/// `edit` applied.
std::string
OneScenarioSuite(const std::string& dir, const std::function<void(nlohmann::json&)>& edit)
{
    std::ifstream in(SourceDir() + "/scenarios/reconfig/delete-1.json");
    nlohmann::json doc = nlohmann::json::parse(in);
    edit(doc);
    std::system(("mkdir -p " + ShellQuote(dir)).c_str());
    std::ofstream(dir + "/delete-1.json") << doc.dump(2);
    return dir;
}

TEST(RegressCommand, BehaviourChangeWithoutViolationIsADiff)
{
    std::string root = ScratchDir("suite");
    std::string suite = OneScenarioSuite(root + "/scenarios", [](nlohmann::json&) {});
    std::string baseline = root + "/baseline";
    std::vector<std::string> common = {"--scenarios", suite,   "--fuzz-seeds",
                                       "0",           "--out", root + "/out"};
    auto with = [&](std::vector<std::string> args)
    {
        args.insert(args.end(), common.begin(), common.end());
        return RunCommand(args);
    };
    ProcessResult r = with({"regress", "--baseline", baseline, "--update"});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("regress: wrote 1 cases to " + baseline + "/baseline.json"),
              std::string::npos)
        << r.out;
    // Same build, same seed: identical.
    r = with({"regress", "--baseline", baseline});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;

    // Slower links delay the reconfigurations; every property still holds.
    OneScenarioSuite(suite,
                     [](nlohmann::json& doc)
                     {
                         for (auto& l : doc["links"])
                         {
                             l["delay"] = "3ms";
                         }
                     });
    r = with({"regress", "--baseline", baseline});
    EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
    EXPECT_EQ(r.out.find("check.verdict"), std::string::npos) << r.out;
    std::regex duration(
        R"(delete-1: reconfigurations\.duration_ms\.mean: [0-9.]+ -> [0-9.]+ \(1 %\))");
    EXPECT_TRUE(std::regex_search(r.out, duration)) << r.out;

    // A tolerance file can accept it; the other changed metrics still show.
    std::ofstream(baseline + "/tolerances.json")
        << R"({"relative": {"reconfigurations.duration_ms.*": 10}})";
    r = with({"regress", "--baseline", baseline});
    EXPECT_FALSE(std::regex_search(r.out, duration)) << r.out;
}

TEST(RegressCommand, BadBaselineIsTwoAndNamesTheFile)
{
    std::string dir = ScratchDir("bad");
    ProcessResult r = RunCommand({"regress", "--baseline", dir + "/missing"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim regress: error: " + dir +
                         "/missing: no such baseline directory (--update writes one)\n");

    r = RunCommand({"regress", "--baseline", dir});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim regress: error: " + dir +
                         "/baseline.json: cannot open (run with --update to write a baseline)\n");

    std::ofstream(dir + "/baseline.json") << "{\"format\": \"dyscosim-regress-baseline\",";
    r = RunCommand({"regress", "--baseline", dir});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(
        r.err.rfind("dyscosim regress: error: " + dir + "/baseline.json: not valid JSON: ", 0), 0u)
        << r.err;

    std::ofstream(dir + "/baseline.json") << "{\"format\": \"other\", \"version\": 1}";
    r = RunCommand({"regress", "--baseline", dir});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find(dir + "/baseline.json: not a regress baseline"), std::string::npos)
        << r.err;

    std::ofstream(dir + "/baseline.json")
        << "{\"format\": \"dyscosim-regress-baseline\", \"version\": 1, \"cases\": {}}";
    std::ofstream(dir + "/tolerances.json") << "{\"relative\": 3}";
    r = RunCommand({"regress", "--baseline", dir});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim regress: error: " + dir +
                         "/tolerances.json: $.relative: expected an object of pattern: relative "
                         "tolerance\n");

    std::remove((dir + "/tolerances.json").c_str());
    r = RunCommand({"regress", "--baseline", dir, "--only", "nope"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("--only: no case named 'nope'"), std::string::npos) << r.err;
}

} // namespace
} // namespace dyscosim::test
