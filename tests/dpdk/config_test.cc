// The dyscosim-dpdk configuration: scenario-style nodes and policies plus ports; every error
// names the file and JSON path, and the CLI exits 2 on it before DPDK starts.
#include "app_config.h"
#include "scenario_error.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace dysco::dpdk::test
{
namespace
{

nlohmann::json
ValidConfig()
{
    return nlohmann::json::parse(R"({
      "name": "chain",
      "nodes": [
        {"name": "client", "role": "host", "address": "10.77.0.1",
         "host_port": "net_tap0", "network_port": "fabric"},
        {"name": "mb", "role": "middlebox", "address": "10.77.0.2",
         "host_port": "net_tap1", "network_port": "fabric"},
        {"name": "server", "role": "host", "address": "10.77.0.3",
         "host_port": "net_tap2", "network_port": "net_ring0",
         "host_mac": "02:00:00:00:00:03", "network_peer_mac": "02:00:00:00:00:99"}
      ],
      "policies": [
        {"name": "web", "at": "client",
         "match": {"dst": "server", "dst_ports": "8000-8080", "protocol": "tcp"},
         "chain": ["mb"]}
      ],
      "reconfigurations": [
        {"at_s": 1.5, "agent": "client", "right_anchor": "server", "middleboxes": []}
      ],
      "agent": {"control_rto_ms": 50, "syn_retries": 5, "first_port": 30000, "last_port": 30999}
    })");
}

AppConfig
Load(const nlohmann::json& doc)
{
    return LoadAppConfigText(doc.dump(), "cfg.json");
}

/// The error text for `doc`, or "" if it loads.
std::string
ErrorOf(const nlohmann::json& doc)
{
    try
    {
        Load(doc);
    }
    catch (const dyscosim::ScenarioError& e)
    {
        return e.what();
    }
    return "";
}

TEST(DpdkConfig, LoadsNodesPoliciesScheduleAndTimers)
{
    AppConfig c = Load(ValidConfig());
    ASSERT_EQ(c.nodes.size(), 3u);
    EXPECT_EQ(c.name, "chain");
    EXPECT_EQ(c.nodes[0].address, 0x0A4D0001u);
    EXPECT_FALSE(c.nodes[0].middlebox);
    EXPECT_TRUE(c.nodes[1].middlebox);
    EXPECT_EQ(c.nodes[0].networkPort, kFabricPort);
    EXPECT_FALSE(c.nodes[0].hostMac.has_value());
    ASSERT_TRUE(c.nodes[2].hostMac.has_value());
    EXPECT_EQ(FormatMac(*c.nodes[2].hostMac), "02:00:00:00:00:03");
    EXPECT_EQ(FormatMac(c.nodes[2].networkPeerMac), "02:00:00:00:00:99");
    EXPECT_EQ(FormatMac(c.nodes[0].networkPeerMac), "ff:ff:ff:ff:ff:ff");

    ASSERT_EQ(c.policies.size(), 3u);
    ASSERT_EQ(c.policies[0].size(), 1u);
    EXPECT_TRUE(c.policies[1].empty());
    const dysco::Policy& p = c.policies[0][0];
    EXPECT_EQ(p.name, "web");
    EXPECT_EQ(p.chain, std::vector<uint32_t>{0x0A4D0002u});
    EXPECT_TRUE(p.predicate.Matches({0x0A4D0001u, 0x0A4D0003u, 40000, 8080, 6}));
    EXPECT_FALSE(p.predicate.Matches({0x0A4D0001u, 0x0A4D0003u, 40000, 8081, 6}));
    EXPECT_FALSE(p.predicate.Matches({0x0A4D0001u, 0x0A4D0004u, 40000, 8080, 6}));
    EXPECT_FALSE(p.predicate.Matches({0x0A4D0001u, 0x0A4D0003u, 40000, 8080, 17}));

    ASSERT_EQ(c.reconfigurations.size(), 1u);
    EXPECT_DOUBLE_EQ(c.reconfigurations[0].atS, 1.5);
    EXPECT_EQ(c.reconfigurations[0].node, 0u);
    EXPECT_EQ(c.reconfigurations[0].rightAnchor, 0x0A4D0003u);
    EXPECT_TRUE(c.reconfigurations[0].middleboxes.empty());

    EXPECT_EQ(c.agent.control.rtoNs, 50'000'000u);
    EXPECT_EQ(c.agent.synRetries, 5u);
    EXPECT_EQ(c.agent.firstPort, 30000);
    EXPECT_EQ(c.agent.lastPort, 30999);
    EXPECT_EQ(c.agent.idleTimeoutNs, dysco::AgentConfig{}.idleTimeoutNs);
}

struct BadCase
{
    const char* what;
    std::function<void(nlohmann::json&)> mutate;
    const char* expected; ///< the whole message after "cfg.json: "
};

TEST(DpdkConfig, ErrorsNameTheFileThePathAndWhatWasExpected)
{
    const std::vector<BadCase> cases = {
        {"unknown top-level key", [](auto& d) { d["node"] = 1; },
         "$.node: unknown key (did you mean \"nodes\"?); expected one of: name, description, "
         "nodes, policies, reconfigurations, agent"},
        {"misspelt node key", [](auto& d) { d["nodes"][1]["adress"] = "10.0.0.9"; },
         "$.nodes[1].adress: unknown key (did you mean \"address\"?); expected one of: name, "
         "role, address, host_port, network_port, host_mac, network_peer_mac"},
        {"bad role", [](auto& d) { d["nodes"][0]["role"] = "router"; },
         "$.nodes[0].role: expected \"host\" or \"middlebox\", got string \"router\""},
        {"bad address", [](auto& d) { d["nodes"][2]["address"] = "10.0.0.300"; },
         "$.nodes[2].address: expected a host's IPv4 address like \"10.0.0.1\", got string "
         "\"10.0.0.300\""},
        {"duplicate address", [](auto& d) { d["nodes"][2]["address"] = "10.77.0.1"; },
         "$.nodes[2].address: address 10.77.0.1 is already used by node \"client\""},
        {"device used twice", [](auto& d) { d["nodes"][1]["host_port"] = "net_tap0"; },
         "$.nodes[1].host_port: device \"net_tap0\" is already used at $.nodes[0].host_port"},
        {"fabric as host side", [](auto& d) { d["nodes"][1]["host_port"] = "fabric"; },
         "$.nodes[1].host_port: \"fabric\" (the in-process network) is a network side; the "
         "host side needs a DPDK device"},
        {"bad MAC", [](auto& d) { d["nodes"][2]["host_mac"] = "02:00:00:00:00"; },
         "$.nodes[2].host_mac: expected a MAC address like \"02:00:00:00:00:01\", got string "
         "\"02:00:00:00:00\""},
        {"unknown chain node", [](auto& d) { d["policies"][0]["chain"][0] = "mb1"; },
         "$.policies[0].chain[0]: unknown node \"mb1\" (did you mean \"mb\"?); nodes are: "
         "client, mb, server"},
        {"host in chain", [](auto& d) { d["policies"][0]["chain"][0] = "server"; },
         "$.policies[0].chain[0]: node \"server\" is a host; a chain lists nodes with role "
         "\"middlebox\""},
        {"empty chain", [](auto& d) { d["policies"][0]["chain"] = nlohmann::json::array(); },
         "$.policies[0].chain: expected at least one middlebox node name"},
        {"bad ports", [](auto& d) { d["policies"][0]["match"]["dst_ports"] = "9000-8000"; },
         "$.policies[0].match.dst_ports: expected a port like 80 or \"80\", or an inclusive "
         "range like \"1000-2000\" with ports 0 to 65535 and low <= high, got string "
         "\"9000-8000\""},
        {"anchor is the agent",
         [](auto& d) { d["reconfigurations"][0]["right_anchor"] = "client"; },
         "$.reconfigurations[0].right_anchor: the right anchor must differ from the agent (the "
         "left anchor) \"client\""},
        {"missing middleboxes", [](auto& d) { d["reconfigurations"][0].erase("middleboxes"); },
         "$.reconfigurations[0].middleboxes: missing; expected an array of middlebox node names "
         "([] deletes the middleboxes in between)"},
        {"port range reversed", [](auto& d) { d["agent"]["last_port"] = 20000; },
         "$.agent.last_port: expected a port >= first_port (30000), got 20000"},
        {"no nodes", [](auto& d) { d["nodes"] = nlohmann::json::array(); },
         "$.nodes: expected at least one node"},
    };
    for (const auto& c : cases)
    {
        nlohmann::json doc = ValidConfig();
        c.mutate(doc);
        EXPECT_EQ(ErrorOf(doc), std::string("cfg.json: ") + c.expected) << c.what;
    }
    EXPECT_EQ(ErrorOf(ValidConfig()), "");
}

TEST(DpdkCli, BadConfigurationExitsTwoBeforeDpdkStarts)
{
    const std::string dir = ScratchDir("cli");
    const std::string exe = BinaryDir() + "/dyscosim-dpdk";
    nlohmann::json doc = ValidConfig();
    doc["policies"][0]["at"] = "clinet";
    WriteFile(dir + "/bad.json", doc.dump(2));
    CommandResult r = RunCommand({exe, "--", "--config", dir + "/bad.json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim-dpdk: error: " + dir +
                         "/bad.json: $.policies[0].at: unknown node \"clinet\" (did you mean "
                         "\"client\"?); nodes are: client, mb, server\n");
    EXPECT_EQ(r.out, "");

    WriteFile(dir + "/syntax.json", "{\"nodes\": [,]}");
    r = RunCommand({exe, "--", "--config", dir + "/syntax.json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim-dpdk: error: " + dir + "/syntax.json: ", 0), 0u) << r.err;

    r = RunCommand({exe, "--", "--config", dir + "/missing.json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim-dpdk: error: " + dir +
                         "/missing.json: cannot open: No such file or directory\n");
}

TEST(DpdkCli, UsageErrorsExitTwoAndHelpZero)
{
    const std::string exe = BinaryDir() + "/dyscosim-dpdk";
    CommandResult r = RunCommand({exe, "-l", "0"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim-dpdk: missing '--' and the application options", 0), 0u)
        << r.err;
    r = RunCommand({exe, "--", "--config", "x.json", "--fast"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim-dpdk: unknown option '--fast'\nusage: ", 0), 0u) << r.err;
    r = RunCommand({exe, "--", "--config", "x.json", "--run-for", "soon"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("dyscosim-dpdk: option '--run-for' expects seconds", 0), 0u) << r.err;
    r = RunCommand({exe, "--", "--help"});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.out.rfind("usage: dyscosim-dpdk [EAL options] -- --config FILE", 0), 0u);
}

TEST(DpdkCli, UnknownDeviceExitsTwoNamingTheJsonPath)
{
    const std::string dir = ScratchDir("dev");
    nlohmann::json doc = ValidConfig();
    doc["nodes"] = nlohmann::json::array({doc["nodes"][0]});
    doc["policies"] = nlohmann::json::array();
    doc["reconfigurations"] = nlohmann::json::array();
    doc["nodes"][0]["host_port"] = "net_tap7";
    WriteFile(dir + "/cfg.json", doc.dump(2));
    std::vector<std::string> argv = {BinaryDir() + "/dyscosim-dpdk"};
    for (const auto& a : EalArgs({"net_null0,no-rx=1"}))
    {
        argv.push_back(a);
    }
    for (const char* a : {"--", "--config"})
    {
        argv.push_back(a);
    }
    argv.push_back(dir + "/cfg.json");
    CommandResult r = RunCommand(argv);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("dyscosim-dpdk: error: " + dir +
                         "/cfg.json: $.nodes[0].host_port: no DPDK port \"net_tap7\"; ports "
                         "are: net_null0\n"),
              std::string::npos)
        << r.err;
}

} // namespace
} // namespace dysco::dpdk::test
