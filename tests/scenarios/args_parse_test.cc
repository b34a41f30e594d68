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

TEST(ArgsParse, HelpVersionAndPlannedSubcommands)
{
    EXPECT_EQ(ParseCommandLine({"--help"}).kind, CliCommand::Kind::kHelp);
    EXPECT_EQ(ParseCommandLine({"run", "-h"}).kind, CliCommand::Kind::kHelp);
    EXPECT_EQ(ParseCommandLine({"help"}).kind, CliCommand::Kind::kHelp);
    EXPECT_EQ(ParseCommandLine({"--version"}).kind, CliCommand::Kind::kVersion);
    for (const char* sub : {"fuzz", "regress"})
    {
        CliCommand c = ParseCommandLine({sub, "whatever"});
        EXPECT_EQ(c.kind, CliCommand::Kind::kNotImplemented) << sub;
        EXPECT_EQ(c.subcommand, sub);
    }
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

} // namespace
} // namespace dyscosim
