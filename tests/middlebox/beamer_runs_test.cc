// The Beamer-style load balancer in scenario runs (scenarios/middlebox/beamer-lb.json): every
// session survives the bucket move thanks to daisy chaining and not otherwise, the mux's
// state is its table only, and bad `beamer` settings exit 2 naming their JSON path.
#include "scenarios/dyscosim_process.h"

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

using namespace dyscosim::test;
using json = nlohmann::json;

namespace
{

json
Shipped()
{
    return json::parse(
        ReadFile(std::string(DYSCO_SOURCE_DIR) + "/scenarios/middlebox/beamer-lb.json"));
}

/// Runs `scenario` with --quick; returns the exit status and the summary.
std::pair<ProcessResult, json>
RunBeamer(const json& scenario, const std::string& name)
{
    const std::string dir = ScratchDir(name);
    std::ofstream(dir + "/s.json") << scenario.dump();
    ProcessResult r = RunDyscosim({"run", dir + "/s.json", "--quick", "--out", dir + "/out"});
    return {r, json::parse(ReadFile(dir + "/out/summary.json"), nullptr, false)};
}

json&
Lb(json& s)
{
    return s["nodes"][2]["beamer"];
}

} // namespace

TEST(BeamerRuns, EverySessionCompletesByteExactAcrossTheBucketMove)
{
    auto [r, summary] = RunBeamer(Shipped(), "beamer-lb");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(summary["check"]["verdict"], "pass");
    EXPECT_EQ(summary["sessions"]["completed"], summary["sessions"]["total"]);
    EXPECT_EQ(summary["sessions"]["total"], 12);
    EXPECT_EQ(summary["bytes"]["delivered"], summary["bytes"]["written"]);
    EXPECT_EQ(summary["bytes"]["reverse_delivered"], summary["bytes"]["reverse_written"]);
    const json& lb = summary["middleboxes"]["lb"];
    EXPECT_EQ(lb["buckets_moved"], 6);
    EXPECT_GT(lb["daisy_forwarded"].get<uint64_t>(), 0u); // old sessions of moved buckets
    EXPECT_EQ(lb["state_bytes"], 12 * 2 * sizeof(int) + 3 * sizeof(uint32_t));
    EXPECT_EQ(lb["sessions_at_s1"].get<uint64_t>() + lb["sessions_at_s2"].get<uint64_t>() +
                  lb["sessions_at_s3"].get<uint64_t>(),
              12u);
}

TEST(BeamerRuns, WithoutDaisyChainingOldSessionsOfMovedBucketsBreak)
{
    json s = Shipped();
    Lb(s)["daisy_chaining"] = false;
    s["duration_s"] = 1.5; // the intact sessions are over by then; the broken ones hang
    auto [r, summary] = RunBeamer(s, "beamer-nodaisy");
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_LT(summary["sessions"]["completed"].get<int>(), 12);
    EXPECT_EQ(summary["middleboxes"]["lb"]["daisy_forwarded"], 0);
}

TEST(BeamerRuns, AClientsDyscoChainEndsAtTheVip)
{
    // c1, c2 -> mon (a chain hop: the policy sends sessions to the VIP through it) -> lb.
    json s = Shipped();
    s["nodes"].push_back({{"name", "mon"}, {"role", "middlebox"}, {"middlebox", "monitor"}});
    for (json& l : s["links"])
    {
        if (l["a"] == "c1" || l["a"] == "c2")
        {
            l["b"] = "mon";
        }
    }
    s["links"].push_back({{"a", "mon"}, {"b", "lb"}, {"rate", "1Gbps"}, {"delay", "1ms"}});
    for (const char* client : {"c1", "c2"})
    {
        s["policies"].push_back(
            {{"at", client}, {"match", {{"dst", "lb"}}}, {"chain", json::array({"mon"})}});
    }
    auto [r, summary] = RunBeamer(s, "beamer-chain");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(summary["check"]["verdict"], "pass");
    EXPECT_EQ(summary["sessions"]["completed"], 12);
    EXPECT_EQ(summary["bytes"]["delivered"], summary["bytes"]["written"]);
    EXPECT_EQ(summary["middleboxes"]["mon"]["sessions"], 12); // every session took the chain
    EXPECT_GT(summary["middleboxes"]["lb"]["daisy_forwarded"].get<uint64_t>(), 0u);
}

TEST(BeamerRuns, BadSettingsExitTwoNamingTheirPath)
{
    struct Case
    {
        std::function<void(json&)> edit;
        std::string message;
    };
    const std::vector<Case> cases{
        {[](json& s) { Lb(s)["buckets"] = 0; },
         "$.nodes[2].beamer.buckets: expected a bucket count 1 to 65536"},
        {[](json& s) {
             Lb(s)["backends"] = json::array({"s1", "s9"});
         },
         "$.nodes[2].beamer.backends[1]: unknown node \"s9\""},
        {[](json& s) { Lb(s)["backends"] = json::array(); },
         "$.nodes[2].beamer.backends: expected at least one backend node"},
        {[](json& s) {
             Lb(s)["backends"] = json::array({"s1", "lb"});
         },
         "$.nodes[2].beamer.backends[1]: expected a host node, got \"lb\""},
        {[](json& s) { Lb(s)["moves"][0]["to"] = "c2"; },
         "$.nodes[2].beamer.moves[0].to: \"c2\" is not one of this load balancer's backends"},
        {[](json& s) { Lb(s)["moves"][0]["buckets"][1] = 12; },
         "$.nodes[2].beamer.moves[0].buckets[1]: expected a bucket number 0 to 11"},
        {[](json& s) {
             Lb(s)["backends"] = json::array({"s1", "s1"});
         },
         "$.nodes[2].beamer.backends[1]: backend \"s1\" is listed twice"},
        {[](json& s) { s["nodes"][2].erase("beamer"); }, "$.nodes[2].beamer: missing"},
        {[](json& s) { s["nodes"][3]["beamer"] = Lb(s); },
         "$.nodes[3].beamer: only nodes with middlebox \"beamer\" take this object"},
    };
    for (size_t i = 0; i < cases.size(); ++i)
    {
        json s = Shipped();
        cases[i].edit(s);
        const std::string dir = ScratchDir("beamer-bad-" + std::to_string(i));
        std::ofstream(dir + "/s.json") << s.dump();
        ProcessResult r = RunDyscosim({"run", dir + "/s.json", "--out", dir + "/out"});
        EXPECT_EQ(r.exitCode, 2) << "case " << i << ": " << r.err;
        EXPECT_NE(r.err.find(cases[i].message), std::string::npos) << "case " << i << ": " << r.err;
    }
}
