// The stateful middleboxes end to end (CTest label `middlebox`): each scenario in
// scenarios/middlebox/ runs through the `dyscosim` binary with --quick, so delivery and the
// trace checker are judged as a user's run is, and the outputs (summary.json,
// migrations.csv) are read back.
#include "scenarios/dyscosim_process.h"

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace dyscosim::test;
using json = nlohmann::json;

namespace
{

struct QuickRun
{
    ProcessResult process;
    json summary;
    std::vector<std::map<std::string, std::string>> migrations; ///< migrations.csv rows
    std::string outDir;
};

QuickRun
RunQuick(const std::string& name)
{
    QuickRun r;
    const std::string out = ScratchDir(name);
    r.outDir = out;
    r.process = RunDyscosim(
        {"run", std::string(DYSCO_SOURCE_DIR) + "/scenarios/middlebox/" + name + ".json", "--quick",
         "--out", out});
    r.summary = json::parse(ReadFile(out + "/summary.json"), nullptr, false);
    std::istringstream csv(ReadFile(out + "/migrations.csv"));
    std::string line;
    std::vector<std::string> header;
    while (std::getline(csv, line))
    {
        std::vector<std::string> cells;
        std::stringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, ','))
        {
            cells.push_back(cell);
        }
        if (line.back() == ',')
        {
            cells.emplace_back();
        }
        if (header.empty())
        {
            header = cells;
            continue;
        }
        std::map<std::string, std::string> row;
        for (size_t i = 0; i < header.size() && i < cells.size(); ++i)
        {
            row[header[i]] = cells[i];
        }
        r.migrations.push_back(row);
    }
    return r;
}

void
ExpectAllPass(const QuickRun& r)
{
    EXPECT_EQ(r.process.exitCode, 0) << r.process.err;
    ASSERT_FALSE(r.summary.is_discarded());
    EXPECT_EQ(r.summary["check"]["verdict"], "pass");
    EXPECT_EQ(r.summary["sessions"]["completed"], r.summary["sessions"]["total"]);
    EXPECT_EQ(r.summary["bytes"]["delivered"], r.summary["bytes"]["written"]);
    EXPECT_EQ(r.summary["agent_state_left"]["total"], 0); // cancelled new paths included
    for (const auto& [property, verdict] : r.summary["check"]["properties"].items())
    {
        EXPECT_TRUE(verdict == "pass" || verdict == "not_applicable") << property << " " << verdict;
    }
}

uint64_t
Box(const QuickRun& r, const std::string& node, const std::string& counter)
{
    return r.summary["middleboxes"][node][counter].get<uint64_t>();
}

} // namespace

TEST(MiddleboxRuns, Figure14FirewallMigrationDropsNothingAndRecordsEachPhase)
{
    QuickRun r = RunQuick("fig14-firewall");
    ExpectAllPass(r);
    EXPECT_EQ(Box(r, "fw1", "allowed"), 6u); // 3 bundles x 2 sessions (--quick)
    EXPECT_EQ(Box(r, "fw2", "imported"), 2u);
    EXPECT_EQ(Box(r, "fw2", "dropped_no_state"), 0u);
    EXPECT_EQ(Box(r, "fw2", "allowed"), 0u); // fw2 knows the sessions only by migration
    ASSERT_EQ(r.migrations.size(), 2u);
    for (const auto& m : r.migrations)
    {
        EXPECT_EQ(m.at("outcome"), "migrated");
        EXPECT_EQ(m.at("mode"), "buffered");
        // trigger <= new path up <= export < install <= end; no reordering when buffered
        const double t = std::stod(m.at("trigger_s"));
        const double up = std::stod(m.at("new_path_up_s"));
        const double ex = std::stod(m.at("exported_s"));
        const double in = std::stod(m.at("installed_s"));
        const double end = std::stod(m.at("ended_s"));
        EXPECT_LE(t, up);
        EXPECT_EQ(up, ex);                   // the old instance exports once the new path is up
        EXPECT_NEAR(in - ex, 0.002, 0.0001); // transfer_s plus serialization
        EXPECT_LT(in, end);
        EXPECT_GT(std::stod(m.at("duration_ms")), 0);
        EXPECT_EQ(m.at("reordered"), "0");
    }
    EXPECT_EQ(r.summary["migrations"]["migrated"], 2);
}

TEST(MiddleboxRuns, WithoutMigrationTheNewFirewallDropsTheMovedSessions)
{
    QuickRun r = RunQuick("firewall-no-migration");
    EXPECT_EQ(r.process.exitCode, 1);
    EXPECT_GT(Box(r, "fw2", "dropped_no_state"), 0u);
    EXPECT_EQ(r.summary["sessions"]["completed"], 4); // bundles 2 and 3 only
    EXPECT_EQ(r.summary["check"]["properties"]["no_data_loss"], "fail");
    // The counterexample comes with its diagram: the session's chart, offending events marked.
    const std::string prefix = "counterexample diagram: " + r.outDir + "/counterexample-s";
    const size_t at = r.process.out.find(prefix);
    ASSERT_NE(at, std::string::npos) << r.process.out;
    const std::string file =
        r.process.out.substr(at + 24, r.process.out.find('\n', at) - at - 24); // after the label
    const std::string svg = ReadFile(file);
    EXPECT_NE(svg.find("<svg"), std::string::npos) << file;
    EXPECT_NE(svg.find("class=\"caption marked\""), std::string::npos) << file;
}

TEST(MiddleboxRuns, CgnatBufferedAndUnbufferedMigrationCompared)
{
    QuickRun r = RunQuick("cgnat-migration");
    ExpectAllPass(r);
    EXPECT_EQ(Box(r, "nat1", "subscribers"), 2u);
    EXPECT_EQ(Box(r, "nat2", "imported"), 4u);
    EXPECT_EQ(Box(r, "nat2", "exhausted"), 0u);
    ASSERT_EQ(r.migrations.size(), 4u);
    uint64_t reordered[2] = {0, 0};
    for (const auto& m : r.migrations)
    {
        EXPECT_EQ(m.at("outcome"), "migrated");
        const bool buffered = m.at("mode") == "buffered";
        reordered[buffered ? 0 : 1] += std::stoull(m.at("reordered"));
        // NAT state is copied before the new path exists (its SYN must be translated).
        EXPECT_LE(std::stod(m.at("installed_s")), std::stod(m.at("reconfigured_s")));
    }
    EXPECT_EQ(reordered[0], 0u);
    EXPECT_GT(reordered[1], 0u); // the shorter new path overtakes the old one
    EXPECT_EQ(r.summary["migrations"]["unbuffered"]["max_gap_ms"], 0.0);
    EXPECT_GT(r.summary["migrations"]["buffered"]["max_gap_ms"].get<double>(), 1.0);
}

TEST(MiddleboxRuns, ACorruptStateImportIsRefusedAndTheOldPathKept)
{
    QuickRun r = RunQuick("corrupt-state");
    ExpectAllPass(r);
    ASSERT_EQ(r.migrations.size(), 4u);
    for (const auto& m : r.migrations)
    {
        EXPECT_EQ(m.at("outcome"), "state_refused");
        EXPECT_NE(m.at("error").find("state import refused: $: expected a JSON object"),
                  std::string::npos);
    }
    EXPECT_EQ(Box(r, "fw2", "connections"), 0u);
    EXPECT_EQ(Box(r, "nat2", "flows"), 0u);
    // The firewall's new path was up: cancelled like a failed new path (§3.5).
    EXPECT_EQ(r.summary["reconfigurations"]["aborted"], 2);
    EXPECT_EQ(r.summary["reconfigurations"]["succeeded"], 0);
    EXPECT_GT(Box(r, "fw1", "allowed"), 0u);
}

TEST(MiddleboxRuns, NatInAChainTranslatesEverySessionByteExact)
{
    QuickRun r = RunQuick("nat-chain");
    ExpectAllPass(r);
    EXPECT_EQ(Box(r, "nat", "flows"), 3u);
    EXPECT_EQ(Box(r, "nat", "exhausted"), 0u);
    // Every packet of every session passed the NAT translated (the monitor saw them all).
    EXPECT_EQ(Box(r, "nat", "translated"), Box(r, "mon", "packets"));
}

TEST(MiddleboxRuns, APlainNatBetweenTwoAgentsCarriesTheChainButNotItsControlMessages)
{
    // Reconfiguration across an agent-less NAT: no answer to requestLock comes back through
    // it, so the left anchor resends requestLock (AgentConfig::lockRetries), gives up with
    // cancelLock and reports the reconfiguration aborted (lock_timeout); the data stays on
    // the old path and every byte arrives.
    QuickRun r = RunQuick("nat-on-path");
    EXPECT_EQ(r.process.exitCode, 0);
    EXPECT_EQ(r.summary["sessions"]["completed"], 2);
    EXPECT_EQ(r.summary["bytes"]["delivered"], r.summary["bytes"]["written"]);
    EXPECT_EQ(Box(r, "rnat", "flows"), 2u);
    EXPECT_GT(Box(r, "rnat", "translated"), 0u);
    EXPECT_EQ(r.summary["reconfigurations"]["aborted"], 2);
    EXPECT_EQ(r.summary["reconfigurations"]["unfinished"], 0);
    EXPECT_GT(r.summary["agent_counters"]["control_dropped"].get<uint64_t>(), 0u);
    ExpectAllPass(r);
}
