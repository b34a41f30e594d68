// End to end through the `dyscosim` binary: the quickstart delivers every byte, a run is a
// function of scenario and seed, and with loss the seed matters.
#include "dyscosim_process.h"
#include "scenario_fixture.h"

#include <dirent.h>
#include <gtest/gtest.h>

namespace dyscosim::test
{
namespace
{

using nlohmann::json;

json
Summary(const std::string& dir)
{
    return json::parse(ReadFile(dir + "/summary.json"));
}

/// summary.json without what legitimately varies between equal runs.
json
Comparable(json summary)
{
    summary.erase("wall_time_s");
    return summary;
}

std::vector<std::string>
Lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
    {
        lines.push_back(line);
    }
    return lines;
}

TEST(RunScenario, QuickstartDeliversEverySessionByteExact)
{
    std::string out = ScratchDir("qs");
    ProcessResult r =
        RunDyscosim({"run", SourceDir() + "/scenarios/quickstart.json", "--out", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("sessions: 20 of 20 completed"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("reconfigurations: 20 attempted, 20 succeeded, 0 aborted"),
              std::string::npos)
        << r.out;
    json s = Summary(out);
    EXPECT_EQ(s["scenario"], "quickstart");
    EXPECT_EQ(s["seed"], 1);
    EXPECT_EQ(s["quick"], false);
    EXPECT_TRUE(s["git_describe"].is_string());
    EXPECT_EQ(s["sim_time_s"], 3.0);
    EXPECT_EQ(s["sessions"]["total"], 20);
    EXPECT_EQ(s["sessions"]["completed"], 20);
    // 1 MB each way per session.
    EXPECT_EQ(s["bytes"]["written"], 40000000);
    EXPECT_EQ(s["bytes"]["delivered"], 40000000);
    EXPECT_EQ(s["bytes"]["reverse_delivered"], 20000000);
    EXPECT_EQ(s["check"]["verdict"], "pass");
    EXPECT_EQ(s["check"]["properties"]["no_data_loss"], "pass");
    EXPECT_EQ(s["check"]["properties"]["reconfig_terminates"], "pass");
    // mb1 left every session mid-transfer.
    EXPECT_EQ(s["reconfigurations"]["attempted"], 20);
    EXPECT_EQ(s["reconfigurations"]["succeeded"], 20);
    EXPECT_EQ(s["reconfigurations"]["aborted"], 0);
    EXPECT_EQ(s["reconfigurations"]["duration_ms"]["count"], 20);
    // Sessions closed long before the stop time: every agent released their state.
    EXPECT_EQ(s["agent_state_left"]["total"], 0);
    EXPECT_EQ(s["agent_counters"]["dropped"], 0);
    // mb1 shifted every session's numbers; the mb2 monitor saw every session, with the
    // session's own header, before and after mb1 left.
    EXPECT_EQ(s["middleboxes"]["mb1"]["kind"], "seq_offset");
    EXPECT_EQ(s["middleboxes"]["mb1"]["sessions"], 20);
    EXPECT_EQ(s["middleboxes"]["mb2"]["sessions"], 20);
    EXPECT_GE(s["middleboxes"]["mb2"]["payload_bytes"].get<uint64_t>(), 40000000u);
    auto rows = Lines(ReadFile(out + "/sessions.csv"));
    ASSERT_EQ(rows.size(), 21u);
    EXPECT_EQ(rows[0], "stream_id,from,to,bytes_written,bytes_delivered,first_mismatch,"
                       "completed,close_time_s,reverse_written,reverse_delivered,"
                       "reverse_first_mismatch,injected");
    for (size_t i = 1; i < rows.size(); ++i)
    {
        EXPECT_EQ(rows[i].rfind(std::to_string(i) + ",client,server,1000000,1000000,-1,1,", 0), 0u)
            << rows[i];
        EXPECT_NE(rows[i].find(",1000000,1000000,-1,"), std::string::npos) << rows[i];
    }
    auto reconfigs = Lines(ReadFile(out + "/reconfigurations.csv"));
    ASSERT_EQ(reconfigs.size(), 21u);
    for (size_t i = 1; i < reconfigs.size(); ++i)
    {
        EXPECT_EQ(reconfigs[i].rfind("client,", 0), 0u) << reconfigs[i];
        EXPECT_NE(reconfigs[i].find(",mb2,,0,1,0.150000,"), std::string::npos) << reconfigs[i];
        EXPECT_NE(reconfigs[i].find(",succeeded,"), std::string::npos) << reconfigs[i];
    }
}

TEST(RunScenario, SameScenarioAndSeedGiveTheSameSummary)
{
    std::string a = ScratchDir("a");
    std::string b = ScratchDir("b");
    std::string file = SourceDir() + "/scenarios/chain-4.json";
    ASSERT_EQ(RunDyscosim({"run", file, "--quick", "--seed", "5", "--out", a}).exitCode, 0);
    ASSERT_EQ(RunDyscosim({"run", file, "--quick", "--seed", "5", "--out", b}).exitCode, 0);
    EXPECT_EQ(Comparable(Summary(a)), Comparable(Summary(b)));
    EXPECT_EQ(ReadFile(a + "/sessions.csv"), ReadFile(b + "/sessions.csv"));
    EXPECT_EQ(Summary(a)["seed"], 5);
    EXPECT_EQ(Summary(a)["quick"], true);
}

TEST(RunScenario, DifferentSeedsWithLossDiffer)
{
    std::string dir = ScratchDir("loss");
    json doc = ValidScenario();
    doc["name"] = "lossy";
    doc["links"][0]["loss"] = 0.01;
    doc["traffic"][0]["bytes"] = 300000;
    std::string file = dir + "/lossy.json";
    std::ofstream(file) << doc.dump(2);
    ProcessResult one = RunDyscosim({"run", file, "--seed", "1", "--out", dir + "/1"});
    ProcessResult two = RunDyscosim({"run", file, "--seed", "2", "--out", dir + "/2"});
    ASSERT_EQ(one.exitCode, 0) << one.err;
    ASSERT_EQ(two.exitCode, 0) << two.err;
    json s1 = Comparable(Summary(dir + "/1"));
    json s2 = Comparable(Summary(dir + "/2"));
    EXPECT_EQ(s1["sessions"]["completed"], 3);
    EXPECT_EQ(s2["sessions"]["completed"], 3);
    s1.erase("seed");
    s2.erase("seed");
    EXPECT_NE(s1, s2);
    EXPECT_NE(ReadFile(dir + "/1/sessions.csv"), ReadFile(dir + "/2/sessions.csv"));
}

TEST(RunScenario, ShippedScenariosPassQuick)
{
    for (const char* name : {"quickstart", "chain-4", "no-chain"})
    {
        std::string out = ScratchDir(name);
        ProcessResult r = RunDyscosim(
            {"run", SourceDir() + "/scenarios/" + name + ".json", "--quick", "--out", out});
        EXPECT_EQ(r.exitCode, 0) << name << "\n" << r.err;
        json s = Summary(out);
        EXPECT_EQ(s["sessions"]["completed"], s["sessions"]["total"]) << name;
        EXPECT_EQ(s["check"]["verdict"], "pass") << name;
    }
}

TEST(RunScenario, UnfinishedSessionIsAViolation)
{
    std::string dir = ScratchDir("slow");
    json doc = ValidScenario();
    doc["name"] = "slow";
    doc["duration_s"] = 0.5;
    doc["links"][2]["loss"] = 0;
    doc["traffic"][0]["sessions"] = 1;
    doc["traffic"][0]["bytes"] = 50000000; // 4 s at 100 Mbps
    std::string file = dir + "/slow.json";
    std::ofstream(file) << doc.dump(2);
    ProcessResult r = RunDyscosim({"run", file, "--out", dir + "/out"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("dyscosim: property violated: no_data_loss: session 1 (client -> "
                         "server): not completed by the stop time 0.5 s: stream ends at offset "),
              std::string::npos)
        << r.err;
    json s = Summary(dir + "/out");
    EXPECT_EQ(s["check"]["verdict"], "fail");
    EXPECT_EQ(s["check"]["properties"]["no_data_loss"], "fail");
    EXPECT_EQ(s["sessions"]["completed"], 0);
    // The run's own delivery check says it first; the trace checker adds that neither end
    // closed the session (clean_termination).
    ASSERT_GE(s["check"]["violations"].size(), 1u);
    EXPECT_EQ(s["check"]["violations"][0].get<std::string>().rfind("no_data_loss: session 1", 0),
              0u);
    EXPECT_EQ(s["check"]["properties"]["clean_termination"], "fail");
    EXPECT_EQ(s["check"]["properties"]["seq_ack_correct"], "pass");
}

// Middleboxes behind a router: the chain SYN transits r1, whose agent is not the addressee.
// Disabled while the core drops such a SYN as bad_syn_payload (detail 100, "not for us")
// instead of forwarding it; enable once transit Dysco SYNs pass untouched.
TEST(RunScenario, OneArmMiddleboxesBehindARouter)
{
    std::string out = ScratchDir("one-arm");
    ProcessResult r =
        RunDyscosim({"run", SourceDir() + "/scenarios/one-arm.json", "--quick", "--out", out});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    json s = Summary(out);
    EXPECT_EQ(s["sessions"]["completed"], s["sessions"]["total"]);
    EXPECT_EQ(s["middleboxes"]["mb4"]["sessions"], s["sessions"]["total"]);
}

TEST(RunScenario, PcapAndTrace)
{
    std::string out = ScratchDir("pcap");
    ProcessResult r = RunDyscosim({"run", SourceDir() + "/scenarios/quickstart.json", "--quick",
                                   "--pcap", "--trace", "--out", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    size_t pcaps = 0;
    if (DIR* d = opendir((out + "/pcap").c_str()))
    {
        while (dirent* e = readdir(d))
        {
            std::string n = e->d_name;
            pcaps += n.size() > 5 && n.substr(n.size() - 5) == ".pcap" ? 1 : 0;
        }
        closedir(d);
    }
    EXPECT_EQ(pcaps, 6u); // three links, two devices each
    EXPECT_GT(ReadFile(out + "/pcap/quickstart-client-1.pcap").size(), 24u);
    auto trace = Lines(ReadFile(out + "/trace.txt"));
    ASSERT_GT(trace.size(), 1u);
    EXPECT_EQ(trace[0].rfind("{\"format\":\"dyscosim-trace\",\"version\":1,", 0), 0u) << trace[0];
    EXPECT_EQ(trace.back().rfind("end\t", 0), 0u) << trace.back();
    auto nodes = Lines(ReadFile(out + "/nodes.csv"));
    ASSERT_EQ(nodes.size(), 5u);
    EXPECT_EQ(nodes[1], "client,host,none,10.0.0.1");
}

} // namespace
} // namespace dyscosim::test
