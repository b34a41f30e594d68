// Bad `policy_server` settings: exit 2 with the JSON path and what was expected, nothing runs.
#include "scenarios/dyscosim_process.h"

#include <fstream>

using namespace dyscosim::test;

namespace
{

/// A scenario with a router, two monitors and a scrubber, and `server` as its policy_server.
ProcessResult
RunWith(const std::string& server)
{
    const std::string dir = ScratchDir("bad");
    const std::string file = dir + "/bad.json";
    std::ofstream(file) << R"({"name": "bad", "duration_s": 2, "nodes": [
        {"name": "c", "role": "host"}, {"name": "r", "role": "router"},
        {"name": "s", "role": "host"},
        {"name": "m1", "role": "middlebox", "middlebox": "monitor"},
        {"name": "m2", "role": "middlebox", "middlebox": "monitor"},
        {"name": "x", "role": "middlebox", "middlebox": "monitor"}],
      "links": [{"a": "c", "b": "r", "rate": "1Gbps", "delay": "1ms"},
                {"a": "r", "b": "s", "rate": "1Gbps", "delay": "1ms"},
                {"a": "r", "b": "m1", "rate": "1Gbps", "delay": "1ms"},
                {"a": "r", "b": "m2", "rate": "1Gbps", "delay": "1ms"},
                {"a": "r", "b": "x", "rate": "1Gbps", "delay": "1ms"}],
      "traffic": [{"from": "c", "to": "s", "sessions": 1, "bytes": 1000, "start_s": 0.1}],
      "policy_server": )"
                        << server << "}";
    return RunDyscosim({"run", file, "--out", dir + "/out"});
}

void
ExpectError(const std::string& server, const std::string& text)
{
    const ProcessResult r = RunWith(server);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
}

const char* kInstances = R"("instances": {"monitor": ["m1", "m2"], "scrubber": ["x"]})";

std::string
Server(const std::string& policies, const std::string& rest = "")
{
    return std::string(R"({"node": "r", )") + kInstances + R"(, "policies": )" + policies + rest +
           "}";
}

const char* kPolicy = R"([{"match": {"dst": "s"}, "types": ["monitor"]}])";

} // namespace

TEST(PolicyServerInput, ValidSettingsRun)
{
    const ProcessResult r = RunWith(Server(kPolicy, R"(, "strategy": "least_loaded")"));
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST(PolicyServerInput, UnknownTypeAndKeyNameTheirPath)
{
    ExpectError(Server(R"([{"types": ["monitr"]}])"),
                "$.policy_server.policies[0].types[0]: unknown middlebox type \"monitr\" (did "
                "you mean \"monitor\"?)");
    ExpectError(Server(R"([{"types": ["monitor", "monitor"]}])"),
                "$.policy_server.policies[0].types[1]: type \"monitor\" is already");
    ExpectError(Server(R"([{"match": {"dst_prt": 80}, "types": []}])"),
                "$.policy_server.policies[0].match");
    ExpectError(Server(kPolicy, R"(, "strategy": "random")"),
                "$.policy_server.strategy: expected \"round_robin\" or \"least_loaded\"");
    ExpectError(Server(kPolicy, R"(, "polices": [])"), "$.policy_server");
}

TEST(PolicyServerInput, InstancesMustBeMiddleboxesOfOneType)
{
    ExpectError(R"({"node": "r", "instances": {"monitor": ["m1", "s"]}, "policies": []})",
                "$.policy_server.instances.monitor[1]: node \"s\" is a host; instances are nodes "
                "with role \"middlebox\"");
    ExpectError(R"({"node": "r", "instances": {"a": ["m1"], "b": ["m1"]}, "policies": []})",
                "$.policy_server.instances.b[0]: middlebox \"m1\" is already an instance");
    ExpectError(R"({"node": "nowhere", "instances": {"a": ["m1"]}, "policies": []})",
                "$.policy_server.node: unknown node \"nowhere\"");
}

TEST(PolicyServerInput, TriggersAreCheckedAgainstTypesInstancesAndTheRun)
{
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 5, "action": "delete",
        "type": "monitor"}])"),
                "$.policy_server.triggers[0].at_s: triggers at 5 s, not before the stop time");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "drop"}])"),
                "$.policy_server.triggers[0].action: expected \"insert\", \"replace\", "
                "\"delete\" or \"update\"");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "replace",
        "instance": "x"}])"),
                "$.policy_server.triggers[0].instance: type \"scrubber\" has no other instance");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "replace",
        "instance": "c"}])"),
                "$.policy_server.triggers[0].instance: node \"c\" is not an instance");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "insert",
        "type": "proxy"}])"),
                "$.policy_server.triggers[0].type: unknown middlebox type \"proxy\"");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "delete",
        "type": "monitor", "position": 0}])"),
                "$.policy_server.triggers[0].position: only \"insert\" takes a position");
}

TEST(PolicyServerInput, DistributionSettingsAndUpdatesNameTheirPath)
{
    ExpectError(Server(kPolicy, R"(, "rto_s": 0)"), "$.policy_server.rto_s");
    ExpectError(Server(kPolicy, R"(, "retries": 31)"), "$.policy_server.retries");
    ExpectError(Server(kPolicy, R"(, "retries": "many")"), "$.policy_server.retries");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "update"}])"),
                "$.policy_server.triggers[0].policies: missing");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "update",
        "policies": [{"types": ["scrubbr"]}]}])"),
                "$.policy_server.triggers[0].policies[0].types[0]: unknown middlebox type "
                "\"scrubbr\"");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "update",
        "match": {"dst_ports": 80}, "policies": []}])"),
                "$.policy_server.triggers[0].match: update replaces the policy set");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "insert",
        "type": "monitor", "policies": []}])"),
                "$.policy_server.triggers[0].policies: only \"update\" takes a policy set");
    // 40 policies with long names do not fit one policy message (1400 bytes).
    std::string many = "[";
    for (int i = 0; i < 40; ++i)
    {
        many += std::string(i ? "," : "") + R"({"name": ")" + std::string(40, 'a' + i % 26) +
                std::to_string(i) + R"(", "types": ["monitor", "scrubber"]})";
    }
    many += "]";
    ExpectError(Server(many), "$.policy_server.policies: the set takes");
    ExpectError(Server(kPolicy, R"(, "triggers": [{"at_s": 1, "action": "update", "policies": )" +
                                    many + "}]"),
                "$.policy_server.triggers[0].policies: the set takes");
}
