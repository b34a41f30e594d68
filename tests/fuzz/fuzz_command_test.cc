// `dyscosim fuzz`: the fixed CI seeds pass on the correct build (no false alarm), protocol
// mutants are caught with a replay command that reproduces the failure, bad output is exit 2.
#include "command_process.h"

#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace dyscosim::test
{
namespace
{

bool
Exists(const std::string& path)
{
    struct stat st;
    return stat(path.c_str(), &st) == 0;
}

// The CI set: seeds 1..200, two at a time (about 70 s on a 2-core machine).
TEST(FuzzCommand, FixedSeedsPassOnTheCorrectBuild)
{
    std::string out = ScratchDir("out");
    std::printf("dyscosim fuzz --runs 200 --seed 1 --jobs 2 --out %s\n", out.c_str());
    ProcessResult r =
        RunCommand({"fuzz", "--runs", "200", "--seed", "1", "--jobs", "2", "--out", out});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(r.out.rfind("fuzz: 200 runs, 200 passed, 0 failed, ", 0), 0u) << r.out;
    EXPECT_NE(r.err.find("fuzz [200/200] seed "), std::string::npos);
    std::ifstream in(out + "/fuzz-summary.json");
    nlohmann::json summary = nlohmann::json::parse(in);
    EXPECT_EQ(summary["runs"], 200);
    EXPECT_EQ(summary["passed"], 200);
    EXPECT_EQ(summary["failed_seeds"], nlohmann::json::array());
    // Every scenario stays next to the results, passing runs' outputs are cleaned up.
    for (int seed : {1, 100, 200})
    {
        EXPECT_TRUE(Exists(out + "/fuzz-" + std::to_string(seed) + ".json")) << seed;
        EXPECT_FALSE(Exists(out + "/fuzz-" + std::to_string(seed))) << seed;
    }
}

struct MutantFuzz
{
    const char* mutant;
    uint32_t seed; ///< first of kRuns seeds, one of which exposes the mutant
    const char* property;
};

void
PrintTo(const MutantFuzz& m, std::ostream* os)
{
    *os << m.mutant << " from seed " << m.seed;
}

constexpr int kRuns = 4;

// Seeds found by running the mutant build over the CI seeds: a deletion of a seq_offset box
// exposes a skipped lock delta; a new path through a middlebox that is down exposes a left
// anchor that gives up without cancelLock.
const MutantFuzz kMutants[] = {
    {"skip_lock_delta", 12, "seq_ack_correct"},
    {"abort_without_cancel", 71, "reconfig_terminates"},
};

class FuzzCatchesMutant : public ::testing::TestWithParam<MutantFuzz>
{
};

TEST_P(FuzzCatchesMutant, WithAReplayThatReproducesIt)
{
    const MutantFuzz& m = GetParam();
    std::string out = ScratchDir("out");
    const std::vector<std::string> args = {
        "fuzz",  "--runs", std::to_string(kRuns), "--seed", std::to_string(m.seed), "--jobs", "2",
        "--out", out};
    // The correct build passes these seeds ...
    ProcessResult good = RunCommand(args);
    EXPECT_EQ(good.exitCode, 0) << good.out << good.err;

    // ... the mutant fails one, names the property and how to replay it.
    ProcessResult bad = RunCommand(args, m.mutant);
    EXPECT_EQ(bad.exitCode, 1) << bad.out << bad.err;
    std::ifstream in(out + "/fuzz-summary.json");
    nlohmann::json summary = nlohmann::json::parse(in);
    ASSERT_GE(summary["failures"].size(), 1u) << bad.err;
    const auto& f = summary["failures"][0];
    const std::string seed = std::to_string(f["seed"].get<uint32_t>());
    EXPECT_NE(f["properties"].get<std::string>().find(m.property), std::string::npos) << f.dump();
    const std::string replay =
        std::string("DYSCO_MUTANT=") + m.mutant + " dyscosim-mutants fuzz --runs 1 --seed " + seed;
    EXPECT_EQ(f["replay"], replay);
    EXPECT_NE(bad.err.find("seed " + seed + ": FAIL "), std::string::npos) << bad.err;
    EXPECT_NE(bad.err.find("  replay: " + replay + "\n"), std::string::npos) << bad.err;
    EXPECT_NE(bad.out.find("FAIL seed " + seed + ": "), std::string::npos) << bad.out;
    EXPECT_TRUE(Exists(out + "/fuzz-" + seed + "/trace.txt")); // kept for the failure

    // The replay command reproduces the failure, and so does running the saved scenario.
    std::string again = ScratchDir("again");
    ProcessResult replayed =
        RunCommand({"fuzz", "--runs", "1", "--seed", seed, "--out", again}, m.mutant);
    EXPECT_EQ(replayed.exitCode, 1) << replayed.out << replayed.err;
    EXPECT_NE(replayed.out.find("FAIL seed " + seed + ": " + f["properties"].get<std::string>()),
              std::string::npos)
        << replayed.out;
    ProcessResult run =
        RunCommand({"run", out + "/fuzz-" + seed + ".json", "--out", again + "/run"}, m.mutant);
    EXPECT_EQ(run.exitCode, 1) << run.out;
}

INSTANTIATE_TEST_SUITE_P(Mutants, FuzzCatchesMutant, ::testing::ValuesIn(kMutants),
                         [](const auto& info) { return std::string(info.param.mutant); });

TEST(FuzzCommand, UnusableOutputIsTwo)
{
    std::string dir = ScratchDir("file");
    std::ofstream(dir + "/plain") << "x";
    ProcessResult r = RunCommand({"fuzz", "--runs", "1", "--out", dir + "/plain"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(
        r.err.rfind("dyscosim fuzz: error: cannot create output directory " + dir + "/plain: ", 0),
        0u)
        << r.err;
}

} // namespace
} // namespace dyscosim::test
