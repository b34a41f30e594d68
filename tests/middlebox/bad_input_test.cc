// Bad middlebox settings in a scenario: exit 2 with the JSON path and what was expected.
#include "scenarios/dyscosim_process.h"

#include <fstream>

using namespace dyscosim::test;

namespace
{

/// Writes a scenario with `nodes` and `extra` top-level members and runs it.
ProcessResult
RunWith(const std::string& nodes, const std::string& extra)
{
    const std::string dir = ScratchDir("bad");
    const std::string file = dir + "/bad.json";
    std::ofstream(file) << R"({"name": "bad", "duration_s": 1, "nodes": [)" << nodes
                        << R"(], "links": [{"a": "c", "b": "fw", "rate": "1Gbps", "delay": "1ms"},
                            {"a": "fw", "b": "s", "rate": "1Gbps", "delay": "1ms"},
                            {"a": "c", "b": "fw2", "rate": "1Gbps", "delay": "1ms"},
                            {"a": "fw2", "b": "s", "rate": "1Gbps", "delay": "1ms"}])"
                        << extra << "}";
    return RunDyscosim({"run", file, "--out", dir + "/out"});
}

const char* kHosts = R"({"name": "c", "role": "host"}, {"name": "s", "role": "host"},
    {"name": "fw2", "role": "middlebox", "middlebox": "firewall"})";

void
ExpectError(const ProcessResult& r, const std::string& text)
{
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
}

} // namespace

TEST(MiddleboxInput, BadFirewallRulesNameTheirPath)
{
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "firewall", "firewall": {"rules": [{"action": "permit"}]}})",
                        ""),
                "$.nodes[3].firewall.rules[0].action: expected \"allow\" or \"deny\", got "
                "string \"permit\"");
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "firewall", "firewall": {"default": "maybe"}})",
                        ""),
                "$.nodes[3].firewall.default: expected \"allow\" or \"deny\"");
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "firewall", "firewall": {"rules": [{"action": "deny", "dst_ports": "90-80"}]}})",
                        ""),
                "$.nodes[3].firewall.rules[0].dst_ports: expected");
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "monitor", "firewall": {}})",
                        ""),
                "$.nodes[3].firewall: only nodes with middlebox \"firewall\" take these settings");
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "host",
        "middlebox": "monitor"})",
                        ""),
                "$.nodes[3].middlebox: only nodes with role \"middlebox\"");
}

TEST(MiddleboxInput, BadNatAndCgnatSettingsNameTheirPath)
{
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "nat", "nat": {"outside": "10.0.0.0/8"}})",
                        ""),
                "$.nodes[3].nat.outside: expected addresses (/32), got a /8 prefix");
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "cgnat", "cgnat": {"outside": ["10.0.9.1", "nowhere"]}})",
                        ""),
                "$.nodes[3].cgnat.outside[1]: expected");
    ExpectError(
        RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "cgnat", "cgnat": {"ports": "1000-1009", "block_size": 64}})",
                ""),
        "$.nodes[3].cgnat.block_size: a block of 64 ports does not fit the 10 outside ports");
    ExpectError(RunWith(std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox",
        "middlebox": "nat", "nat": {"block_size": 4}})",
                        ""),
                "$.nodes[3].nat.block_size: unknown key");
}

TEST(MiddleboxInput, BadMigrationsNameTheirPath)
{
    const std::string nodes =
        std::string(kHosts) + R"(, {"name": "fw", "role": "middlebox", "middlebox": "firewall"})";
    auto reconf = [](const std::string& migrate, const std::string& boxes = "[\"fw2\"]")
    {
        return R"(, "reconfigurations": [{"at_s": 0.5, "left_anchor": "c", "right_anchor": "s",
            "middleboxes": )" +
               boxes + R"(, "migrate_state": )" + migrate + "}]";
    };
    ExpectError(RunWith(nodes, reconf(R"({"from": "fw", "to": "fw2", "mode": "lazy"})")),
                "$.reconfigurations[0].migrate_state.mode: expected \"buffered\" or "
                "\"unbuffered\", got \"lazy\"");
    ExpectError(RunWith(nodes, reconf(R"({"from": "fw", "to": "fw2"})", "[]")),
                "$.reconfigurations[0].migrate_state.to: \"fw2\" is not on the new path");
    ExpectError(RunWith(nodes, reconf(R"({"from": "fw", "to": "c"})")),
                "$.reconfigurations[0].migrate_state.to: node \"c\" runs \"none\"");
    ExpectError(RunWith(nodes, reconf(R"({"from": "fw", "to": "fw2", "transfer_s": -1})")),
                "$.reconfigurations[0].migrate_state.transfer_s:");
    ExpectError(RunWith(nodes, reconf(R"({"form": "fw", "to": "fw2"})")),
                "$.reconfigurations[0].migrate_state.form: unknown key");
}
