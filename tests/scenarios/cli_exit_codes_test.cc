// The CLI contract of DESIGN.md: exit 2 with one clear line on bad input (nothing runs),
// 0 for --help, "not implemented yet" for planned subcommands (fuzz and regress: tests/fuzz).
#include "dyscosim_process.h"
#include "scenario_fixture.h"

#include <gtest/gtest.h>
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

TEST(CliExitCodes, HelpIsZero)
{
    ProcessResult r = RunDyscosim({"--help"});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.out.rfind("usage: dyscosim run SCENARIO.json", 0), 0u) << r.out;
    EXPECT_EQ(RunDyscosim({"run", "--help"}).exitCode, 0);
    ProcessResult v = RunDyscosim({"--version"});
    EXPECT_EQ(v.exitCode, 0);
    EXPECT_EQ(v.out.rfind("dyscosim ", 0), 0u);
}

TEST(CliExitCodes, UsageErrorsAreTwo)
{
    ProcessResult r = RunDyscosim({});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim: missing subcommand\nusage: ", 0), 0u) << r.err;
    r = RunDyscosim({"simulate"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim: unknown subcommand 'simulate'\n", 0), 0u) << r.err;
    r = RunDyscosim({"run", "x.json", "--fast"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim: unknown option '--fast' for 'run'\n", 0), 0u) << r.err;
    r = RunDyscosim({"run", "x.json", "--seed"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim: option '--seed' needs a value\n", 0), 0u) << r.err;
    r = RunDyscosim({"run"});
    EXPECT_EQ(r.exitCode, 2);
}

TEST(CliExitCodes, BadScenarioIsTwoAndNothingRuns)
{
    std::string dir = ScratchDir("bad");
    nlohmann::json doc = ValidScenario();
    doc["links"][0]["latency"] = "1ms";
    std::string file = dir + "/bad.json";
    std::ofstream(file) << doc.dump(2);
    ProcessResult r = RunDyscosim({"run", file, "--out", dir + "/out"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim: error: " + file +
                         ": $.links[0].latency: unknown key; expected one of: a, b, rate, "
                         "delay, loss, control_loss, data_loss\n");
    EXPECT_EQ(r.out, "");
    EXPECT_FALSE(Exists(dir + "/out"));

    r = RunDyscosim({"run", dir + "/missing.json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim: error: " + dir +
                         "/missing.json: cannot open: No such file or directory\n");

    std::ofstream(dir + "/syntax.json") << "{\"name\": \"x\",,}";
    r = RunDyscosim({"run", dir + "/syntax.json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("syntax.json: JSON line 1, column 14: syntax error"), std::string::npos)
        << r.err;
}

TEST(CliExitCodes, UnusableOutputDirectoryIsTwo)
{
    std::string dir = ScratchDir("out");
    std::ofstream(dir + "/file") << "x";
    ProcessResult r = RunDyscosim(
        {"run", SourceDir() + "/scenarios/quickstart.json", "--quick", "--out", dir + "/file"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim: error: cannot create output directory " + dir + "/file: ", 0),
              0u)
        << r.err;
}

} // namespace
} // namespace dyscosim::test
