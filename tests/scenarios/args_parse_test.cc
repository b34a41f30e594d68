// Command-line parsing of `dyscosim`, without running anything.
#include "cli_args.h"

#include <gtest/gtest.h>

namespace dyscosim
{
namespace
{

std::string
UsageErrorOf(const std::vector<std::string>& args)
{
    try
    {
        ParseCommandLine(args);
    }
    catch (const UsageError& e)
    {
        return e.what();
    }
    return "no error";
}

TEST(ArgsParse, RunWithEveryFlag)
{
    CliCommand c = ParseCommandLine(
        {"run", "s.json", "--quick", "--seed", "42", "--out", "res", "--pcap", "--trace"});
    EXPECT_EQ(c.kind, CliCommand::Kind::kRun);
    EXPECT_EQ(c.run.scenario, "s.json");
    EXPECT_TRUE(c.run.quick);
    EXPECT_EQ(c.run.seed, std::optional<uint32_t>(42));
    EXPECT_EQ(c.run.outDir, "res");
    EXPECT_TRUE(c.run.pcap);
    EXPECT_TRUE(c.run.trace);
    c = ParseCommandLine({"run", "--seed=7", "--out=x", "s.json"});
    EXPECT_EQ(c.run.seed, std::optional<uint32_t>(7));
    EXPECT_EQ(c.run.outDir, "x");
    EXPECT_FALSE(c.run.quick);
}

TEST(ArgsParse, Errors)
{
    EXPECT_EQ(UsageErrorOf({}), "missing subcommand");
    EXPECT_EQ(UsageErrorOf({"frobnicate"}), "unknown subcommand 'frobnicate'");
    EXPECT_EQ(UsageErrorOf({"run"}),
              "'run' needs a scenario file, e.g. dyscosim run scenarios/quickstart.json");
    EXPECT_EQ(UsageErrorOf({"run", "s.json", "--fast"}), "unknown option '--fast' for 'run'");
    EXPECT_EQ(UsageErrorOf({"run", "s.json", "--seed"}), "option '--seed' needs a value");
    EXPECT_EQ(UsageErrorOf({"run", "s.json", "--out"}), "option '--out' needs a value");
    EXPECT_EQ(UsageErrorOf({"run", "s.json", "--seed", "0"}),
              "--seed expects an integer from 1 to 4294967295, got '0'");
    EXPECT_EQ(UsageErrorOf({"run", "s.json", "--seed", "-3"}),
              "--seed expects an integer from 1 to 4294967295, got '-3'");
    EXPECT_EQ(UsageErrorOf({"run", "s.json", "--seed", "4294967296"}),
              "--seed expects an integer from 1 to 4294967295, got '4294967296'");
    EXPECT_EQ(UsageErrorOf({"run", "s.json", "--quick=yes"}), "option '--quick' takes no value");
    EXPECT_EQ(UsageErrorOf({"run", "a.json", "b.json"}),
              "unexpected argument 'b.json' (the scenario is 'a.json')");
}

TEST(ArgsParse, HelpVersionAndOwnParsers)
{
    EXPECT_EQ(ParseCommandLine({"--help"}).kind, CliCommand::Kind::kHelp);
    EXPECT_EQ(ParseCommandLine({"run", "-h"}).kind, CliCommand::Kind::kHelp);
    EXPECT_EQ(ParseCommandLine({"help"}).kind, CliCommand::Kind::kHelp);
    EXPECT_EQ(ParseCommandLine({"--version"}).kind, CliCommand::Kind::kVersion);
    // reproduce and campaign parse their own arguments (their --help included).
    CliCommand r = ParseCommandLine({"reproduce", "fig8", "--help"});
    EXPECT_EQ(r.kind, CliCommand::Kind::kReproduce);
    EXPECT_EQ(r.checkArgs, (std::vector<std::string>{"fig8", "--help"}));
    EXPECT_EQ(ParseCommandLine({"campaign", "s.json"}).kind, CliCommand::Kind::kCampaign);
    EXPECT_THROW(ParseCommandLine({"frobnicate"}), UsageError);
}

TEST(ArgsParse, ReproduceAndCampaignPassTheirArgumentsThrough)
{
    CliCommand c = ParseCommandLine({"reproduce", "fig8", "--quick", "--help"});
    EXPECT_EQ(c.kind, CliCommand::Kind::kReproduce);
    EXPECT_EQ(c.checkArgs, (std::vector<std::string>{"fig8", "--quick", "--help"}));
    c = ParseCommandLine({"campaign", "s.json", "--emit", "jobs"});
    EXPECT_EQ(c.kind, CliCommand::Kind::kCampaign);
    EXPECT_EQ(c.checkArgs, (std::vector<std::string>{"s.json", "--emit", "jobs"}));
}

TEST(ArgsParse, CheckPassesItsArgumentsThrough)
{
    CliCommand c = ParseCommandLine({"check", "t.trace", "--help", "--json"});
    EXPECT_EQ(c.kind, CliCommand::Kind::kCheck);
    EXPECT_EQ(c.checkArgs, (std::vector<std::string>{"t.trace", "--help", "--json"}));
}

TEST(ArgsParse, DiagramPassesItsArgumentsThrough)
{
    CliCommand c = ParseCommandLine({"diagram", "t.trace", "--session", "3"});
    EXPECT_EQ(c.kind, CliCommand::Kind::kDiagram);
    EXPECT_EQ(c.subcommand, "diagram");
}

TEST(ArgsParse, TraceIsOnUnlessNoTrace)
{
    EXPECT_TRUE(ParseCommandLine({"run", "s.json"}).run.trace);
    EXPECT_TRUE(ParseCommandLine({"run", "s.json", "--trace"}).run.trace);
    EXPECT_FALSE(ParseCommandLine({"run", "s.json", "--no-trace"}).run.trace);
}

TEST(ArgsParse, Fuzz)
{
    CliCommand c = ParseCommandLine(
        {"fuzz", "--runs", "200", "--seed=7", "--jobs", "2", "--out", "f", "--keep"});
    EXPECT_EQ(c.kind, CliCommand::Kind::kFuzz);
    EXPECT_EQ(c.fuzz.runs, 200u);
    EXPECT_EQ(c.fuzz.seed, 7u);
    EXPECT_EQ(c.fuzz.jobs, 2u);
    EXPECT_EQ(c.fuzz.outDir, "f");
    EXPECT_TRUE(c.fuzz.keep);
    c = ParseCommandLine({"fuzz", "--runs=3"});
    EXPECT_EQ(c.fuzz.seed, 1u);
    EXPECT_EQ(c.fuzz.jobs, 1u);
    EXPECT_EQ(c.fuzz.outDir, "results/fuzz");
    EXPECT_FALSE(c.fuzz.keep);
    EXPECT_EQ(UsageErrorOf({"fuzz"}),
              "'fuzz' needs --runs N, e.g. dyscosim fuzz --runs 20 --seed 1");
    EXPECT_EQ(UsageErrorOf({"fuzz", "--runs", "0"}),
              "--runs expects an integer from 1 to 1000000, got '0'");
    EXPECT_EQ(UsageErrorOf({"fuzz", "--runs", "2", "--seed", "0"}),
              "--seed expects an integer from 1 to 4294967295, got '0'");
    EXPECT_EQ(UsageErrorOf({"fuzz", "--runs", "2", "--jobs", "x"}),
              "--jobs expects an integer from 1 to 256, got 'x'");
    EXPECT_EQ(UsageErrorOf({"fuzz", "--runs", "2", "--fast"}),
              "unknown option '--fast' for 'fuzz'");
    EXPECT_EQ(UsageErrorOf({"fuzz", "--runs", "2", "extra"}),
              "unexpected argument 'extra' for 'fuzz'");
    EXPECT_EQ(UsageErrorOf({"fuzz", "--runs", "2", "--keep=1"}), "option '--keep' takes no value");
}

TEST(ArgsParse, Regress)
{
    CliCommand c =
        ParseCommandLine({"regress", "--baseline", "b", "--update", "--jobs=2", "--out", "o",
                          "--only", "quickstart,fuzz-3", "--scenarios", "sc", "--fuzz-seeds", "0"});
    EXPECT_EQ(c.kind, CliCommand::Kind::kRegress);
    EXPECT_EQ(c.regress.baseline, "b");
    EXPECT_TRUE(c.regress.update);
    EXPECT_EQ(c.regress.jobs, 2u);
    EXPECT_EQ(c.regress.outDir, "o");
    EXPECT_EQ(c.regress.only, (std::vector<std::string>{"quickstart", "fuzz-3"}));
    EXPECT_EQ(c.regress.scenariosDir, "sc");
    EXPECT_EQ(c.regress.fuzzSeeds, 0u);
    c = ParseCommandLine({"regress", "--baseline=b"});
    EXPECT_FALSE(c.regress.update);
    EXPECT_EQ(c.regress.jobs, 1u);
    EXPECT_EQ(c.regress.fuzzSeeds, 8u);
    EXPECT_TRUE(c.regress.only.empty());
    EXPECT_EQ(UsageErrorOf({"regress"}), "'regress' needs --baseline DIR, e.g. dyscosim regress "
                                         "--baseline verification/regress-baseline");
    EXPECT_EQ(UsageErrorOf({"regress", "--baseline", "b", "--only", "a,,b"}),
              "--only expects case names separated by commas, got 'a,,b'");
    EXPECT_EQ(UsageErrorOf({"regress", "--baseline", ""}),
              "option '--baseline' needs a directory, got ''");
    EXPECT_EQ(UsageErrorOf({"regress", "--baseline"}), "option '--baseline' needs a value");
}

} // namespace
} // namespace dyscosim
