// The fuzz generator: deterministic per seed, every scenario it writes is valid, and over a
// few hundred seeds it uses every feature of the scenario format (scenarios/README.md).
#include "fuzz_generator.h"
#include "scenario_error.h"
#include "scenario_loader.h"

#include <gtest/gtest.h>
#include <map>
#include <set>
#include <string>

namespace dyscosim
{
namespace
{

using nlohmann::ordered_json;

constexpr uint32_t kSeeds = 400;

TEST(FuzzGenerator, RunSeedsFollowTheBaseAndSkipZero)
{
    EXPECT_EQ(FuzzRunSeed(1, 0), 1u);
    EXPECT_EQ(FuzzRunSeed(1, 199), 200u);
    EXPECT_EQ(FuzzRunSeed(4294967295u, 0), 4294967295u);
    EXPECT_EQ(FuzzRunSeed(4294967295u, 1), 1u);
    EXPECT_EQ(FuzzRunSeed(4294967294u, 3), 2u);
}

TEST(FuzzGenerator, SameSeedSameScenario)
{
    for (uint32_t seed : {1u, 2u, 77u, 4294967295u})
    {
        EXPECT_EQ(GenerateFuzzScenario(seed).dump(), GenerateFuzzScenario(seed).dump()) << seed;
        EXPECT_EQ(GenerateFuzzScenario(seed)["seed"], seed);
        EXPECT_EQ(GenerateFuzzScenario(seed)["name"], "fuzz-" + std::to_string(seed));
    }
    EXPECT_NE(GenerateFuzzScenario(1).dump(), GenerateFuzzScenario(2).dump());
}

TEST(FuzzGenerator, EveryScenarioIsValid)
{
    for (uint32_t seed = 1; seed <= kSeeds; ++seed)
    {
        const std::string text = GenerateFuzzScenario(seed).dump();
        try
        {
            Scenario s = LoadScenarioText(text, "fuzz-" + std::to_string(seed) + ".json");
            EXPECT_EQ(s.seed, seed);
            LoadScenarioText(text, "fuzz.json", LoadOptions{true});
        }
        catch (const ScenarioError& e)
        {
            ADD_FAILURE() << "seed " << seed << ": " << e.what() << "\n" << text;
        }
    }
}

/// The features a scenario uses, named after the format's keys and values.
std::set<std::string>
Features(const ordered_json& s)
{
    std::set<std::string> f;
    auto keys = [&](const std::string& where, const ordered_json& o)
    {
        for (const auto& [k, v] : o.items())
        {
            f.insert(where + "." + k);
        }
    };
    keys("", s);
    bool r1 = false;
    bool r2 = false;
    for (const auto& n : s["nodes"])
    {
        keys("node", n);
        r1 = r1 || n["name"] == "r1";
        r2 = r2 || n["name"] == "r2";
        f.insert("role." + n["role"].get<std::string>());
        if (n.contains("middlebox"))
        {
            f.insert("middlebox." + n["middlebox"].get<std::string>());
        }
        if (n.contains("seq_offset") && n["seq_offset"]["server_to_client"].is_string())
        {
            f.insert("seq_offset.mixed");
        }
    }
    f.insert(r2 ? "topology.tree" : r1 ? "topology.star" : "topology.line");
    for (const auto& l : s["links"])
    {
        keys("link", l);
        f.insert("rate." + l["rate"].get<std::string>());
        if (l.contains("data_loss"))
        {
            const auto& d = l["data_loss"];
            f.insert(d.is_number()          ? "data_loss.rate"
                     : d.contains("during") ? "data_loss.two_paths"
                                            : "data_loss.window");
        }
    }
    if (s.contains("tcp"))
    {
        keys("tcp", s["tcp"]);
    }
    keys("dysco", s["dysco"]);
    for (const auto& p : s["policies"])
    {
        keys("match", p["match"]);
        f.insert(p["chain"].empty() ? "chain.empty" : "chain." + std::to_string(p["chain"].size()));
    }
    for (const auto& t : s["traffic"])
    {
        keys("traffic", t);
        f.insert("from." + t["from"].get<std::string>());
        if (t["sessions"].get<int>() > 1)
        {
            f.insert("traffic.many_sessions");
        }
    }
    if (s["traffic"].size() > 1)
    {
        f.insert("traffic.two_entries");
    }
    for (const auto& r : s.value("reconfigurations", ordered_json::array()))
    {
        keys("reconfig", r);
        if (r.contains("left_anchor"))
        {
            f.insert(r.value("middleboxes", ordered_json::array()).empty()
                         ? "reconfig.remove_segment"
                         : "reconfig.new_path");
            if (r["left_anchor"] != "client" && r["left_anchor"] != "server")
            {
                f.insert("reconfig.middlebox_left_anchor");
            }
        }
    }
    for (const auto& i : s.value("injections", ordered_json::array()))
    {
        keys("inject", i);
        f.insert("action." + i["action"].get<std::string>());
        f.insert("on." + i["on"].get<std::string>());
    }
    return f;
}

TEST(FuzzGenerator, UsesEveryFeatureOfTheFormat)
{
    std::map<std::string, int> seen;
    for (uint32_t seed = 1; seed <= kSeeds; ++seed)
    {
        for (const auto& f : Features(GenerateFuzzScenario(seed)))
        {
            ++seen[f];
        }
    }
    const std::vector<std::string> expected = {
        // top level
        ".name", ".description", ".seed", ".duration_s", ".quick", ".nodes", ".links", ".tcp",
        ".policies", ".traffic", ".dysco", ".reconfigurations", ".injections",
        // nodes and topologies
        "role.host", "role.middlebox", "role.router", "middlebox.monitor", "middlebox.seq_offset",
        "middlebox.none", "node.seq_offset", "seq_offset.mixed", "node.down", "topology.line",
        "topology.star", "topology.tree",
        // links and losses
        "rate.1Gbps", "rate.100Mbps", "link.loss", "link.control_loss", "data_loss.rate",
        "data_loss.window", "data_loss.two_paths",
        // tcp and agents
        "tcp.segment_size", "tcp.sack", "tcp.timestamps", "tcp.window_scaling", "tcp.snd_buf",
        "tcp.rcv_buf", "dysco.control_rto_s", "dysco.control_retries", "dysco.syn_rto_s",
        "dysco.syn_retries", "dysco.close_linger_s", "dysco.idle_timeout_s",
        // policies and traffic
        "match.dst", "match.src", "match.dst_ports", "match.src_ports", "match.protocol",
        "chain.empty", "chain.1", "chain.2", "chain.3", "traffic.reverse_bytes",
        "traffic.send_size", "traffic.rate", "traffic.port", "traffic.interval_s",
        "traffic.many_sessions", "traffic.two_entries", "from.client", "from.server",
        // reconfigurations: delete, insert / replace, remove a segment, contention, retries
        "reconfig.delete", "reconfig.left_anchor", "reconfig.right_anchor", "reconfig.middleboxes",
        "reconfig.new_path", "reconfig.remove_segment", "reconfig.middlebox_left_anchor",
        "reconfig.jitter_s", "reconfig.retry_after_s", "reconfig.retries", "reconfig.sessions",
        "reconfig.traffic",
        // FIN / RST injection at every phase
        "action.fin_client", "action.fin_server", "action.rst_client", "action.rst_server",
        "on.locking", "on.locked", "on.new_path_syn", "on.two_paths", "on.cancelling",
        "on.succeeded", "on.aborted", "inject.at", "inject.sessions", "inject.traffic",
        "inject.delay_s"};
    for (const auto& f : expected)
    {
        EXPECT_GT(seen[f], 0) << "no scenario of seeds 1.." << kSeeds << " uses " << f;
    }
}

} // namespace
} // namespace dyscosim
