// Policy distribution over the simulated network (CTest label `middlebox`):
// scenarios/middlebox/policy-distribution{,-lossy}.json run through the `dyscosim` binary
// with --trace. Every agent must end on the last version (policy_distribution.csv, the
// server's counters), and every session must carry the chain of the version its client's
// agent had applied when the SYN left: judged from the trace (which agents allocated state
// for the session during its setup), not from the server's own log.
#include "csv_rows.h"
#include "scenarios/dyscosim_process.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace dyscosim::test;
using json = nlohmann::json;

namespace
{

const std::vector<std::string> kAgents{"c1", "c2", "c3", "web"};
const std::set<std::string> kMiddleboxes{"a1", "a2", "b1"};
constexpr uint32_t kVersions = 3;

struct Session
{
    double synS = 0;
    std::string client;
    std::vector<std::string> chain; ///< middleboxes that allocated state, in time order
};

struct DistributionRun
{
    ProcessResult process;
    json summary;
    std::vector<CsvRow> deliveries;          ///< policy_distribution.csv
    std::vector<CsvRow> log;                 ///< policy_server.csv
    std::map<std::string, Session> sessions; ///< by stream id
};

/// S (session seen at its client) and A (an agent allocated state) records of trace.txt.
std::map<std::string, Session>
SessionsOfTrace(const std::string& path)
{
    std::istringstream in(ReadFile(path));
    std::string line;
    std::getline(in, line); // the JSON header
    std::map<std::string, Session> out;
    while (std::getline(in, line))
    {
        std::vector<std::string> f;
        std::stringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, '\t'))
        {
            f.push_back(cell);
        }
        if (f.size() >= 4 && f[1] == "S")
        {
            out[f[2]].synS = std::stod(f[0]) / 1e9;
            out[f[2]].client = f[3];
        }
        else if (f.size() >= 4 && f[1] == "A" && kMiddleboxes.count(f[3]) != 0)
        {
            out[f[2]].chain.push_back(f[3]);
        }
    }
    return out;
}

DistributionRun
Run(const std::string& name)
{
    DistributionRun r;
    const std::string dir = ScratchDir(name);
    r.process = RunDyscosim(
        {"run", std::string(DYSCO_SOURCE_DIR) + "/scenarios/middlebox/" + name + ".json", "--trace",
         "--out", dir});
    r.summary = json::parse(ReadFile(dir + "/summary.json"), nullptr, false);
    r.deliveries = ReadCsv(dir + "/policy_distribution.csv");
    r.log = ReadCsv(dir + "/policy_server.csv");
    r.sessions = SessionsOfTrace(dir + "/trace.txt");
    return r;
}

const DistributionRun&
Lossless()
{
    static const DistributionRun run = Run("policy-distribution");
    return run;
}

const DistributionRun&
Lossy()
{
    static const DistributionRun run = Run("policy-distribution-lossy");
    return run;
}

/// Per agent and version, when the agent applied it (if it did).
std::map<std::pair<std::string, uint32_t>, double>
AppliedAt(const DistributionRun& r)
{
    std::map<std::pair<std::string, uint32_t>, double> out;
    for (const auto& d : r.deliveries)
    {
        if (!d.at("applied_s").empty())
        {
            out[{d.at("agent"), uint32_t(std::stoul(d.at("version")))}] =
                std::stod(d.at("applied_s"));
        }
    }
    return out;
}

void
ExpectEveryAgentOnTheLastVersion(const DistributionRun& r)
{
    EXPECT_EQ(r.process.exitCode, 0) << r.process.err;
    ASSERT_FALSE(r.summary.is_discarded());
    EXPECT_EQ(r.summary["check"]["verdict"], "pass");
    EXPECT_EQ(r.summary["sessions"]["completed"], 162);
    EXPECT_EQ(r.summary["bytes"]["delivered"], r.summary["bytes"]["written"]);
    const json& ps = r.summary["middleboxes"]["ps"];
    EXPECT_EQ(ps["kind"], "policy_server");
    EXPECT_EQ(ps["versions"], kVersions);
    EXPECT_EQ(ps["agents"], kAgents.size());
    EXPECT_EQ(ps["agents_on_latest"], kAgents.size());
    EXPECT_EQ(ps["acks"], kVersions * kAgents.size());
    EXPECT_EQ(ps["give_ups"], 0);
    EXPECT_EQ(ps["malformed_dropped"], 0);
    ASSERT_EQ(r.deliveries.size(), kVersions * kAgents.size());
    uint64_t transmissions = 0;
    for (const auto& d : r.deliveries)
    {
        const std::string what = d.at("agent") + " v" + d.at("version");
        ASSERT_FALSE(d.at("acked_s").empty()) << what;
        const double sent = std::stod(d.at("sent_s"));
        const double acked = std::stod(d.at("acked_s"));
        EXPECT_GT(acked, sent) << what;
        if (!d.at("applied_s").empty())
        {
            EXPECT_GT(std::stod(d.at("applied_s")), sent) << what;
            EXPECT_LT(std::stod(d.at("applied_s")), acked) << what;
        }
        EXPECT_EQ(d.at("gave_up"), "0") << what;
        EXPECT_EQ(d.at("superseded"), "0") << what;
        transmissions += std::stoul(d.at("transmissions"));
    }
    EXPECT_EQ(ps["messages_sent"], transmissions);
    EXPECT_EQ(ps["retransmissions"], transmissions - kVersions * kAgents.size());
    const auto applied = AppliedAt(r);
    for (const auto& agent : kAgents)
    {
        for (uint32_t v = 1; v <= kVersions; ++v)
        {
            EXPECT_EQ(applied.count({agent, v}), 1u) << agent << " v" << v;
        }
    }
}

struct VersionUse
{
    std::map<uint32_t, int> sessions; ///< per version (0: none applied yet, unchained)
    int late = 0; ///< sessions that left after a newer version was published, before it arrived
};

/// Checks every session's chain against its client's version at SYN time.
VersionUse
ExpectSessionsUseTheirAgentsVersion(const DistributionRun& r)
{
    const auto applied = AppliedAt(r);
    std::map<std::string, const CsvRow*> assigned;
    for (const auto& row : r.log)
    {
        if (row.at("event") == "assign")
        {
            assigned[row.at("stream")] = &row;
        }
    }
    EXPECT_EQ(r.sessions.size(), 162u);
    const double published[kVersions + 1] = {0, 0.01, 1.0, 2.0};
    VersionUse use;
    // per client and version: the next instance of type a in round robin
    std::map<std::pair<std::string, uint32_t>, int> nextA;
    std::vector<std::pair<std::string, Session>> byTime(r.sessions.begin(), r.sessions.end());
    std::sort(byTime.begin(), byTime.end(),
              [](const auto& x, const auto& y) { return x.second.synS < y.second.synS; });
    for (const auto& [stream, s] : byTime) // round robin goes in SYN order
    {
        uint32_t version = 0;
        for (uint32_t v = 1; v <= kVersions; ++v)
        {
            auto it = applied.find({s.client, v});
            if (it != applied.end() && it->second <= s.synS)
            {
                version = v;
            }
        }
        ++use.sessions[version];
        use.late += version < kVersions && s.synS >= published[version + 1];
        const std::string a = nextA[{s.client, version}]++ % 2 == 0 ? "a1" : "a2";
        const std::vector<std::string> expect = version == 0   ? std::vector<std::string>{}
                                                : version == 1 ? std::vector<std::string>{a}
                                                : version == 2 ? std::vector<std::string>{"b1"}
                                                               : std::vector<std::string>{a, "b1"};
        EXPECT_EQ(s.chain, expect) << "stream " << stream << " from " << s.client << " at "
                                   << s.synS << " (version " << version << ")";
        // The server's record agrees with what the SYN carried.
        auto row = assigned.find(stream);
        if (version == 0)
        {
            EXPECT_EQ(row, assigned.end()) << "stream " << stream << " is unchained";
            continue;
        }
        if (row == assigned.end())
        {
            ADD_FAILURE() << "no assign row for stream " << stream;
            continue;
        }
        EXPECT_EQ(row->second->at("version"), std::to_string(version)) << "stream " << stream;
    }
    return use;
}

void
ExpectEveryVersionUsed(const VersionUse& use)
{
    EXPECT_EQ(use.sessions.count(0), 0u) << "no session may leave before version 1 arrived";
    for (uint32_t v = 1; v <= kVersions; ++v)
    {
        EXPECT_GT(use.sessions.at(v), 40) << "version " << v;
    }
}

} // namespace

TEST(PolicyDistribution, EveryAgentAppliesEveryVersionOnceWithoutLoss)
{
    const DistributionRun& r = Lossless();
    ExpectEveryAgentOnTheLastVersion(r);
    EXPECT_EQ(r.summary["middleboxes"]["ps"]["retransmissions"], 0);
    EXPECT_EQ(r.summary["middleboxes"]["ps"]["agent_duplicates"], 0);
}

TEST(PolicyDistribution, SessionsCarryTheChainOfTheVersionTheirAgentHeld)
{
    const VersionUse use = ExpectSessionsUseTheirAgentsVersion(Lossless());
    ExpectEveryVersionUsed(use);
    EXPECT_EQ(use.late, 0);
}

TEST(PolicyDistributionLossy, RetransmissionsBringEveryAgentToTheLastVersion)
{
    const DistributionRun& r = Lossy();
    ExpectEveryAgentOnTheLastVersion(r);
    // 20 % loss each way: some versions and acks are lost and resent; an agent whose ack was
    // lost sees the version again and re-acks it without applying it twice.
    EXPECT_GT(r.summary["middleboxes"]["ps"]["retransmissions"], 0);
    EXPECT_GT(r.summary["middleboxes"]["ps"]["agent_duplicates"], 0);
}

TEST(PolicyDistributionLossy, SessionsBetweenAnUpdateAndItsLateApplyKeepTheOldVersion)
{
    // With this seed c1 applies version 3 at about 2.02 s (two lost transmissions): its
    // session starting at 2.01 s still takes version 2's chain.
    const VersionUse use = ExpectSessionsUseTheirAgentsVersion(Lossy());
    ExpectEveryVersionUsed(use);
    EXPECT_GT(use.late, 0);
}

TEST(PolicyDistributionGiveUp, UnackedVersionsAreGivenUpAndCountedAndTheRunGoesOn)
{
    // 90 % loss each way and one resend: most versions never arrive or are never acked.
    json scenario = json::parse(ReadFile(std::string(DYSCO_SOURCE_DIR) +
                                         "/scenarios/middlebox/policy-distribution-lossy.json"));
    scenario["links"].back()["loss"] = 0.9;
    scenario["policy_server"]["retries"] = 1;
    const std::string dir = ScratchDir("giveup");
    std::ofstream(dir + "/scenario.json") << scenario.dump(2);
    DistributionRun r;
    r.process = RunDyscosim({"run", dir + "/scenario.json", "--trace", "--out", dir + "/out"});
    r.summary = json::parse(ReadFile(dir + "/out/summary.json"), nullptr, false);
    r.deliveries = ReadCsv(dir + "/out/policy_distribution.csv");
    r.log = ReadCsv(dir + "/out/policy_server.csv");
    r.sessions = SessionsOfTrace(dir + "/out/trace.txt");
    EXPECT_EQ(r.process.exitCode, 0) << r.process.err;
    ASSERT_FALSE(r.summary.is_discarded());
    EXPECT_EQ(r.summary["check"]["verdict"], "pass");
    EXPECT_EQ(r.summary["sessions"]["completed"], 162);
    const json& ps = r.summary["middleboxes"]["ps"];
    uint64_t gaveUp = 0;
    for (const auto& d : r.deliveries)
    {
        if (d.at("gave_up") == "1")
        {
            ++gaveUp;
            EXPECT_EQ(d.at("transmissions"), "2") << d.at("agent") << " v" << d.at("version");
        }
        else
        {
            EXPECT_FALSE(d.at("acked_s").empty()) << d.at("agent") << " v" << d.at("version");
        }
    }
    EXPECT_GT(gaveUp, 0u);
    EXPECT_EQ(ps["give_ups"], gaveUp);
    EXPECT_LT(ps["agents_on_latest"], kAgents.size());
    // Whatever each agent holds, its sessions follow it (unchained before any version).
    const VersionUse use = ExpectSessionsUseTheirAgentsVersion(r);
    EXPECT_GT(use.sessions.at(0), 0);
}
