// Traces recorded by real runs: `dyscosim run` records DIR/trace.txt by default and checks it
// (summary.json "check" holds the checker's verdict and counts); the recorded trace has the
// records each part of the simulator owes (verification/README.md); `dyscosim check` reads
// it; --no-trace records and checks nothing.
#include "scenarios/dyscosim_process.h"
#include "trace_reader.h"

#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>

namespace dyscosim::test
{
namespace
{

namespace v = dysco::verify;

std::string
SourceDir()
{
    return DYSCO_SOURCE_DIR;
}

std::map<char, size_t>
KindCounts(const v::Trace& t)
{
    std::map<char, size_t> n;
    for (const auto& e : t.events)
    {
        ++n[char(e.kind)];
    }
    return n;
}

TEST(RecordedRun, TraceIsCompleteAndPasses)
{
    std::string out = ScratchDir("two");
    ProcessResult r = RunDyscosim(
        {"run", SourceDir() + "/tests/trace/scenarios/two-monitors.json", "--out", out});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    v::Trace trace;
    std::string error;
    ASSERT_TRUE(v::TraceReader::ReadFile(out + "/trace.txt", &trace, &error)) << error;
    EXPECT_EQ(trace.nodes, (std::vector<std::string>{"client", "mb1", "mb2", "server"}));
    auto n = KindCounts(trace);
    EXPECT_EQ(n['S'], 4u);
    EXPECT_EQ(n['C'], 8u);  // both ends of every session
    EXPECT_EQ(n['A'], 16u); // four agents per session
    EXPECT_EQ(n['F'], 16u);
    for (char k : {'W', 'R', 'T', 'G'})
    {
        EXPECT_GT(n[k], 100u) << k;
    }
    EXPECT_EQ(n['L'] + n['P'] + n['M'], 0u); // no reconfiguration
    nlohmann::json s = nlohmann::json::parse(ReadFile(out + "/summary.json"));
    EXPECT_EQ(s["check"]["verdict"], "pass");
    EXPECT_EQ(s["check"]["properties"]["seq_ack_correct"], "pass");
    EXPECT_EQ(s["check"]["properties"]["clean_termination"], "pass");
    EXPECT_EQ(s["check"]["properties"]["lock_exclusive"], "not_applicable");
    EXPECT_EQ(s["check"]["trace"]["events"], trace.events.size());

    ProcessResult c = RunDyscosim({"check", out + "/trace.txt"});
    EXPECT_EQ(c.exitCode, 0) << c.out << c.err;
    EXPECT_NE(c.out.find("verdict: pass"), std::string::npos) << c.out;
}

TEST(RecordedRun, ReconfigurationRecordsAndPasses)
{
    std::string out = ScratchDir("rc");
    ProcessResult r =
        RunDyscosim({"run", SourceDir() + "/tests/mutant/scenarios/contention.json", "--out", out});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    v::Trace trace;
    std::string error;
    ASSERT_TRUE(v::TraceReader::ReadFile(out + "/trace.txt", &trace, &error)) << error;
    auto n = KindCounts(trace);
    for (char k : {'L', 'P', 'M'})
    {
        EXPECT_GT(n[k], 0u) << k;
    }
    nlohmann::json s = nlohmann::json::parse(ReadFile(out + "/summary.json"));
    EXPECT_EQ(s["check"]["verdict"], "pass") << s["check"].dump(2);
    for (const char* p : {"no_data_loss", "seq_ack_correct", "lock_exclusive",
                          "reconfig_terminates", "clean_termination"})
    {
        EXPECT_EQ(s["check"]["properties"][p], "pass") << p;
    }
}

TEST(RecordedRun, TheReadmeScenarioChecksClean)
{
    std::string out = ScratchDir("qs");
    ProcessResult r =
        RunDyscosim({"run", SourceDir() + "/scenarios/quickstart.json", "--quick", "--out", out});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
    nlohmann::json s = nlohmann::json::parse(ReadFile(out + "/summary.json"));
    EXPECT_EQ(s["check"]["verdict"], "pass") << s["check"].dump(2);
    EXPECT_TRUE(s["check"].contains("trace"));
}

TEST(RecordedRun, NoTraceRecordsAndChecksNothing)
{
    std::string out = ScratchDir("none");
    ProcessResult r = RunDyscosim({"run", SourceDir() + "/tests/trace/scenarios/two-monitors.json",
                                   "--no-trace", "--out", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(ReadFile(out + "/trace.txt").empty());
    nlohmann::json s = nlohmann::json::parse(ReadFile(out + "/summary.json"));
    EXPECT_EQ(s["check"]["verdict"], "pass");
    EXPECT_FALSE(s["check"].contains("trace"));
}

TEST(CheckCommand, ExitCodesThroughDyscosim)
{
    const std::string golden = SourceDir() + "/verification/golden/";
    ProcessResult good = RunDyscosim({"check", golden + "lock_exclusive_good.trace"});
    EXPECT_EQ(good.exitCode, 0) << good.out << good.err;
    ProcessResult bad = RunDyscosim({"check", golden + "lock_exclusive_bad.trace"});
    EXPECT_EQ(bad.exitCode, 1) << bad.out << bad.err;
    EXPECT_NE(bad.out.find("VIOLATION of lock_exclusive"), std::string::npos) << bad.out;
    ProcessResult missing = RunDyscosim({"check", golden + "no-such.trace"});
    EXPECT_EQ(missing.exitCode, 2);
    ProcessResult help = RunDyscosim({"check", "--help"});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_NE(help.out.find("usage: dyscosim check"), std::string::npos) << help.out;
}

} // namespace
} // namespace dyscosim::test
