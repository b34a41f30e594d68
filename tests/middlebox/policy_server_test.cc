// The policy server end to end (CTest label `middlebox`): scenarios/middlebox/policy-server.json
// runs through the `dyscosim` binary; the instance each session gets is computed here from the
// scenario's session start order (round robin) or replayed from the server's own assign/close
// log (least loaded), and the maintenance and insert triggers are judged by the sessions they
// moved, the instances' monitors and the trace checker.
#include "csv_rows.h"
#include "scenarios/dyscosim_process.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace dyscosim::test;
using json = nlohmann::json;

namespace
{

using Row = CsvRow;

struct ServerRun
{
    ProcessResult process;
    json scenario;
    json summary;
    std::vector<Row> log;       ///< policy_server.csv
    std::vector<Row> instances; ///< policy_instances.csv
};

const std::string kScenario =
    std::string(DYSCO_SOURCE_DIR) + "/scenarios/middlebox/policy-server.json";

ServerRun
RunScenario(const std::string& name, const std::string& strategy)
{
    ServerRun r;
    r.scenario = json::parse(ReadFile(kScenario));
    r.scenario["policy_server"]["strategy"] = strategy;
    const std::string dir = ScratchDir(name);
    std::ofstream(dir + "/scenario.json") << r.scenario.dump(2);
    r.process = RunDyscosim({"run", dir + "/scenario.json", "--out", dir + "/out"});
    r.summary = json::parse(ReadFile(dir + "/out/summary.json"), nullptr, false);
    r.log = ReadCsv(dir + "/out/policy_server.csv");
    r.instances = ReadCsv(dir + "/out/policy_instances.csv");
    return r;
}

void
ExpectAllPass(const ServerRun& r)
{
    EXPECT_EQ(r.process.exitCode, 0) << r.process.err;
    ASSERT_FALSE(r.summary.is_discarded());
    EXPECT_EQ(r.summary["check"]["verdict"], "pass");
    EXPECT_EQ(r.summary["sessions"]["completed"], r.summary["sessions"]["total"]);
    EXPECT_EQ(r.summary["bytes"]["delivered"], r.summary["bytes"]["written"]);
    EXPECT_EQ(r.summary["reconfigurations"]["attempted"],
              r.summary["reconfigurations"]["succeeded"]);
}

/// Stream ids (from 1, in traffic order) sorted by their start time in the scenario.
std::vector<std::string>
StreamsByStart(const json& scenario)
{
    std::vector<std::pair<double, uint64_t>> starts;
    uint64_t id = 1;
    for (const auto& t : scenario["traffic"])
    {
        for (int k = 0; k < t["sessions"].get<int>(); ++k)
        {
            starts.emplace_back(t["start_s"].get<double>() + k * t.value("interval_s", 0.0), id++);
        }
    }
    std::sort(starts.begin(), starts.end());
    std::vector<std::string> out;
    for (const auto& s : starts)
    {
        out.push_back(std::to_string(s.second));
    }
    return out;
}

std::vector<Row>
Events(const ServerRun& r, const std::string& event)
{
    std::vector<Row> out;
    std::copy_if(r.log.begin(), r.log.end(), std::back_inserter(out),
                 [&](const Row& row) { return row.at("event") == event; });
    return out;
}

const Row&
Instance(const ServerRun& r, const std::string& name)
{
    static const Row none;
    for (const auto& row : r.instances)
    {
        if (row.at("instance") == name)
        {
            return row;
        }
    }
    ADD_FAILURE() << "no instance row for " << name;
    return none;
}

uint64_t
MonitorSessions(const ServerRun& r, const std::string& node)
{
    const json& m = r.summary["middleboxes"];
    if (!m.contains(node))
    {
        ADD_FAILURE() << "no middlebox " << node << " in summary.json";
        return 0;
    }
    return m[node]["sessions"].get<uint64_t>();
}

/// The shipped scenario's run, shared by the tests that read it (run by the first of them).
const ServerRun&
RoundRobin()
{
    static const ServerRun run = RunScenario("rr", "round_robin");
    return run;
}

} // namespace

TEST(PolicyServer, RoundRobinSpreadsSessionsInStartOrderAndSkipsTheDrainedInstance)
{
    const ServerRun& r = RoundRobin();
    ExpectAllPass(r);
    const auto order = StreamsByStart(r.scenario);
    const auto assigned = Events(r, "assign");
    ASSERT_EQ(assigned.size(), order.size());
    std::vector<std::string> ring{"m1", "m2"};
    size_t next = 0;
    for (size_t i = 0; i < order.size(); ++i)
    {
        const double at = std::stod(assigned[i].at("time_s"));
        // From 1.0 s (the maintenance trigger) m1 is out of the ring.
        std::vector<std::string> live = at >= 1.0 ? std::vector<std::string>{"m2"} : ring;
        std::string expect;
        for (size_t k = 0; k < ring.size(); ++k)
        {
            const std::string& cand = ring[(next + k) % ring.size()];
            if (std::find(live.begin(), live.end(), cand) != live.end())
            {
                expect = cand;
                next = (next + k + 1) % ring.size();
                break;
            }
        }
        EXPECT_EQ(assigned[i].at("stream"), order[i]) << "assignment " << i;
        EXPECT_EQ(assigned[i].at("chain"), expect) << "stream " << order[i];
        EXPECT_EQ(assigned[i].at("policy"), "monitored");
    }
    EXPECT_EQ(Instance(r, "m1").at("assigned"), "5");
    EXPECT_EQ(Instance(r, "m2").at("assigned"), "7");
}

TEST(PolicyServer, MaintenanceMovesEveryLiveSessionOffTheDrainedInstance)
{
    const ServerRun& r = RoundRobin();
    // Live on m1 at 1.0 s: the long sessions (streams 1-6) round robin gave it; the short
    // ones (7-10) closed within milliseconds.
    std::set<std::string> expected;
    for (const auto& a : Events(r, "assign"))
    {
        if (a.at("chain") == "m1" && std::stoi(a.at("stream")) <= 6)
        {
            expected.insert(a.at("stream"));
        }
    }
    EXPECT_EQ(expected, (std::set<std::string>{"1", "4", "5"}));
    std::set<std::string> moved;
    for (const auto& e : Events(r, "replace"))
    {
        EXPECT_EQ(e.at("time_s"), "1");
        EXPECT_EQ(e.at("chain"), "m2");
        moved.insert(e.at("stream"));
    }
    EXPECT_EQ(moved, expected);
    // m1's counters stop right after the trigger (the sessions run on to about 3 s).
    const double lastM1 = std::stod(Instance(r, "m1").at("last_packet_s"));
    EXPECT_GT(lastM1, 0.9);
    EXPECT_LT(lastM1, 1.1);
    EXPECT_GT(std::stod(Instance(r, "m2").at("last_packet_s")), 2.5);
    EXPECT_EQ(Instance(r, "m1").at("drained"), "1");
    EXPECT_EQ(Instance(r, "m1").at("load"), "0");
    EXPECT_EQ(Instance(r, "m2").at("load"), "0"); // everything closed by the end
}

TEST(PolicyServer, InsertedScrubberSeesExactlyTheMatchingClass)
{
    const ServerRun& r = RoundRobin();
    std::set<std::string> inserted;
    for (const auto& e : Events(r, "insert"))
    {
        EXPECT_EQ(e.at("chain"), "m2;scrub");
        inserted.insert(e.at("stream"));
    }
    // Live at 1.5 s: the long web (port 80) streams 1-4 and bulk (8080) 5-6.
    EXPECT_EQ(inserted, (std::set<std::string>{"1", "2", "3", "4"}));
    EXPECT_EQ(MonitorSessions(r, "scrub"), 4u);
    EXPECT_EQ(MonitorSessions(r, "m1"), 5u);
    EXPECT_EQ(MonitorSessions(r, "m2"), 10u); // 7 assigned + 3 moved
    // 3 replacements + 4 insertions, all through the reconfiguration machinery.
    EXPECT_EQ(r.summary["reconfigurations"]["attempted"], 7);
}

TEST(PolicyServerLeastLoaded, EachSessionGetsTheInstanceWithFewestLiveSessions)
{
    const ServerRun r = RunScenario("ll", "least_loaded");
    ExpectAllPass(r);
    // Replay the server's log: load = sessions assigned (or moved) there and not yet closed;
    // ties go to the instance listed first.
    std::map<std::string, int> load{{"m1", 0}, {"m2", 0}, {"scrub", 0}};
    std::map<std::string, std::string> chainOf;
    bool drained = false;
    size_t assigns = 0;
    for (const auto& e : r.log)
    {
        const std::string& ev = e.at("event");
        const std::string& stream = e.at("stream");
        if (ev == "assign")
        {
            ++assigns;
            std::string expect = drained || load["m2"] < load["m1"] ? "m2" : "m1";
            EXPECT_EQ(e.at("chain"), expect) << "stream " << stream << " at " << e.at("time_s")
                                             << ": m1 " << load["m1"] << ", m2 " << load["m2"];
        }
        else if (ev == "replace")
        {
            drained = true;
        }
        if (ev == "close")
        {
            for (const char* i : {"m1", "m2", "scrub"})
            {
                load[i] -= chainOf[stream].find(i) != std::string::npos;
            }
        }
        else
        {
            for (const char* i : {"m1", "m2", "scrub"})
            {
                load[i] += (e.at("chain").find(i) != std::string::npos) -
                           (chainOf[stream].find(i) != std::string::npos);
            }
            chainOf[stream] = e.at("chain");
        }
    }
    EXPECT_EQ(assigns, 12u);
    // Short sessions close in between, so least loaded differs from round robin: with both
    // idle the first instance wins again.
    std::vector<std::string> chains;
    for (const auto& a : Events(r, "assign"))
    {
        chains.push_back(a.at("chain"));
    }
    EXPECT_NE(chains, (std::vector<std::string>{"m1", "m2", "m1", "m2", "m1", "m2", "m1", "m2",
                                                "m1", "m2", "m2", "m2"}));
}
