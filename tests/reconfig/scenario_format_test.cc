// The scenario keys of the reconfiguration features (traffic reverse_bytes and rate, node
// seq_offset and down, link control_loss and data_loss, dysco, reconfigurations,
// injections): bad values are refused with the file, the JSON path and what was expected
// (exit code 2 from `dyscosim run`, nothing runs); and the files a run writes about
// reconfigurations.
#include "scenarios/dyscosim_process.h"
#include "scenarios/scenario_fixture.h"
#include "summary.h"

#include <fstream>
#include <gtest/gtest.h>

namespace dyscosim::test
{
namespace
{

using nlohmann::json;

/// ValidScenario() with mb1 as a seq_offset box, a reverse stream and one deletion.
json
ReconfigScenario()
{
    json doc = ValidScenario();
    doc["nodes"][1]["middlebox"] = "seq_offset";
    doc["traffic"][0]["reverse_bytes"] = 1000;
    doc["reconfigurations"] = json::array({{{"at_s", 0.5}, {"delete", "mb1"}}});
    return doc;
}

TEST(ReconfigFormat, AValidScenarioLoads)
{
    json doc = ReconfigScenario();
    doc["nodes"][1]["seq_offset"] = {{"client_to_server", 4294000000u},
                                     {"server_to_client", "random"}};
    doc["nodes"][2]["down"] = {{"from_s", 0.1}, {"until_s", 0.4}};
    doc["links"][0]["control_loss"] = 0.1;
    doc["links"][1]["data_loss"] = {{"rate", 0.05}, {"during", "two_paths"}, {"from_s", 0.2}};
    doc["traffic"][0]["rate"] = "10Mbps";
    doc["dysco"] = {{"control_rto_s", 0.02}, {"control_retries", 9},  {"syn_rto_s", 0.1},
                    {"syn_retries", 2},      {"close_linger_s", 0.5}, {"idle_timeout_s", 5}};
    doc["reconfigurations"].push_back({{"at_s", 0.6},
                                       {"left_anchor", "client"},
                                       {"right_anchor", "server"},
                                       {"middleboxes", {"mb2"}},
                                       {"sessions", 2},
                                       {"traffic", 0},
                                       {"jitter_s", 0.01},
                                       {"retry_after_s", 0.2},
                                       {"retries", 3}});
    doc["injections"] = json::array(
        {{{"action", "rst_server"}, {"on", "two_paths"}, {"at", "mb2"}, {"delay_s", 0.001}}});
    doc["policies"].push_back({{"at", "client"}, {"chain", json::array()}});
    ASSERT_EQ(ErrorOf(doc), "no error");
    Scenario s = LoadScenarioText(doc.dump(), "ok.json");
    EXPECT_EQ(s.nodes[1].middlebox, MiddleboxKind::kSeqOffset);
    EXPECT_FALSE(s.nodes[1].seqOffset[0].random);
    EXPECT_EQ(s.nodes[1].seqOffset[0].value, 4294000000u);
    EXPECT_TRUE(s.nodes[1].seqOffset[1].random);
    ASSERT_TRUE(s.nodes[2].down);
    EXPECT_EQ(s.nodes[2].down->untilS, 0.4);
    EXPECT_EQ(s.links[0].controlLoss, 0.1);
    EXPECT_TRUE(s.links[1].dataLossInTwoPaths);
    EXPECT_EQ(s.traffic[0].reverseBytes, 1000u);
    EXPECT_EQ(s.traffic[0].rateBps, 10000000u);
    EXPECT_EQ(*s.agents.controlRetries, 9u);
    ASSERT_EQ(s.reconfigurations.size(), 2u);
    EXPECT_EQ(*s.reconfigurations[0].deleteNode, 1u);
    EXPECT_EQ(s.reconfigurations[1].middleboxes, std::vector<size_t>{2});
    EXPECT_EQ(*s.reconfigurations[1].sessions.count, 2u);
    EXPECT_EQ(s.reconfigurations[1].retries, 3u);
    ASSERT_EQ(s.injections.size(), 1u);
    EXPECT_EQ(s.injections[0].action, InjectAction::kRstServer);
    EXPECT_EQ(s.injections[0].phase, ProtocolPhase::kTwoPaths);
    EXPECT_TRUE(s.policies[1].chain.empty());
    // --quick caps the reverse stream like the forward one.
    doc["quick"] = {{"max_bytes", 500}};
    EXPECT_EQ(LoadScenarioText(doc.dump(), "ok.json", LoadOptions{true}).traffic[0].reverseBytes,
              500u);
}

struct BadCase
{
    std::function<void(json&)> edit;
    std::string error;
};

TEST(ReconfigFormat, BadValuesNameThePathAndTheExpectation)
{
    const std::vector<BadCase> cases = {
        {[](json& d) { d["reconfigurations"][0].erase("at_s"); },
         "$.reconfigurations[0].at_s: missing; expected a trigger time in seconds"},
        {[](json& d) { d["reconfigurations"][0]["at_s"] = 5; },
         "$.reconfigurations[0].at_s: triggers at 5 s, not before the stop time duration_s = "
         "2 s"},
        {[](json& d) { d["reconfigurations"][0]["delete"] = "client"; },
         "$.reconfigurations[0].delete: node \"client\" is a host; only a middlebox can ask to "
         "leave a chain"},
        {[](json& d) { d["reconfigurations"][0]["left_anchor"] = "client"; },
         "$.reconfigurations[0].left_anchor: \"delete\" names the middlebox that leaves the "
         "chain; its neighbours are the anchors, so \"left_anchor\" cannot be given with it"},
        {[](json& d) {
             d["reconfigurations"][0] = {
                 {"at_s", 0.5}, {"left_anchor", "mb1"}, {"right_anchor", "mb1"}};
         },
         "$.reconfigurations[0].right_anchor: the anchors are two different nodes; both are "
         "\"mb1\""},
        {[](json& d)
         {
             d["reconfigurations"][0] = {{"at_s", 0.5},
                                         {"left_anchor", "client"},
                                         {"right_anchor", "server"},
                                         {"middleboxes", {"mb1", "mb1"}}};
         },
         "$.reconfigurations[0].middleboxes[1]: middlebox \"mb1\" is already an anchor or on the "
         "new path; a path visits each node once"},
        {[](json& d)
         {
             d["reconfigurations"][0] = {{"at_s", 0.5},
                                         {"left_anchor", "client"},
                                         {"right_anchor", "server"},
                                         {"middleboxes", {"server"}}};
         },
         "$.reconfigurations[0].middleboxes[0]: node \"server\" is a host; a new path lists "
         "nodes with role \"middlebox\""},
        {[](json& d) { d["reconfigurations"][0]["retries"] = 2; },
         "$.reconfigurations[0].retries: retries need \"retry_after_s\" (the delay before "
         "each)"},
        {[](json& d) { d["reconfigurations"][0]["sessions"] = "some"; },
         "$.reconfigurations[0].sessions: expected \"all\" or a session count, got string "
         "\"some\""},
        {[](json& d) { d["reconfigurations"][0]["traffic"] = 1; },
         "$.reconfigurations[0].traffic: expected an index into $.traffic (0 to 0), got number 1"},
        {[](json& d) { d["reconfigurations"][0]["jitter"] = 0.1; },
         "$.reconfigurations[0].jitter: unknown key (did you mean \"jitter_s\"?); expected one "
         "of: at_s, jitter_s, sessions, traffic, delete, left_anchor, right_anchor, "
         "middleboxes, retry_after_s, retries, migrate_state"},
        {[](json& d) {
             d["injections"] = json::array({{{"action", "fin"}, {"on", "locking"}}});
         },
         "$.injections[0].action: expected one of \"fin_client\", \"fin_server\", "
         "\"rst_client\", \"rst_server\", got string \"fin\""},
        {[](json& d) {
             d["injections"] = json::array({{{"action", "fin_client"}, {"on", "two_path"}}});
         },
         "$.injections[0].on: expected one of \"locking\", \"locked\", \"new_path_syn\", "
         "\"two_paths\", \"cancelling\", \"succeeded\", \"aborted\", got string \"two_path\""},
        {[](json& d) {
             d["nodes"][2]["seq_offset"] = {{"client_to_server", 5}};
         },
         "$.nodes[2].seq_offset: only nodes with middlebox \"seq_offset\" take offsets; node "
         "\"mb2\" runs \"none\""},
        {[](json& d) {
             d["nodes"][1]["seq_offset"] = {{"client_to_server", "big"}};
         },
         "$.nodes[1].seq_offset.client_to_server: expected \"random\" or an offset 0 to "
         "4294967295, got string \"big\""},
        {[](json& d) {
             d["nodes"][2]["down"] = {{"from_s", 1}, {"until_s", 0.5}};
         },
         "$.nodes[2].down.until_s: expected an end time after from_s = 1 s, got 0.5 s"},
        {[](json& d) { d["links"][0]["control_loss"] = 1.5; },
         "$.links[0].control_loss: expected a control-message loss rate (at least 0 and below "
         "1), got number 1.5"},
        {[](json& d) {
             d["links"][0]["data_loss"] = {{"rate", 0.1}, {"during", "locking"}};
         },
         "$.links[0].data_loss.during: expected \"two_paths\" (loss only while some "
         "reconfiguration is in its two-path phase), got string \"locking\""},
        {[](json& d) { d["traffic"][0]["reverse_bytes"] = -1; },
         "$.traffic[0].reverse_bytes: expected a byte count the server sends back per session, "
         "got negative number -1"},
        {[](json& d) { d["traffic"][0]["rate"] = "fast"; },
         "$.traffic[0].rate: expected a data rate like \"100Mbps\" (a number followed by bps, "
         "kbps, Mbps or Gbps) between 1bps and 1000Gbps, got string \"fast\""},
        {[](json& d) {
             d["dysco"] = {{"control_rto_s", 0}};
         },
         "$.dysco.control_rto_s: expected a control-message timeout (above 0), got 0"},
        {[](json& d) {
             d["dysco"] = {{"linger_s", 1}};
         },
         "$.dysco.linger_s: unknown key; expected one of: control_rto_s, control_retries, "
         "syn_rto_s, syn_retries, close_linger_s, idle_timeout_s, control_protection, "
         "half_open_timeout_s, max_chain_addresses, chain_allow, refuse_when_full, max_sessions"},
    };
    for (size_t i = 0; i < cases.size(); ++i)
    {
        json doc = ReconfigScenario();
        cases[i].edit(doc);
        EXPECT_EQ(ErrorOf(doc), "bad.json: " + cases[i].error) << "case " << i;
    }
}

TEST(ReconfigFormat, DyscosimRunRefusesABadReconfigurationWithExitCodeTwo)
{
    std::string dir = ScratchDir("bad");
    json doc = ReconfigScenario();
    doc["reconfigurations"][0]["delete"] = "mb9";
    std::string file = dir + "/bad.json";
    std::ofstream(file) << doc.dump(2);
    ProcessResult r = RunDyscosim({"run", file, "--out", dir + "/out"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "dyscosim: error: " + file +
                         ": $.reconfigurations[0].delete: unknown node \"mb9\" (did you mean "
                         "\"mb1\"?); nodes are: client, mb1, mb2, server\n");
    EXPECT_EQ(r.out, "");
}

TEST(ReconfigFormat, ReconfigurationsCsvAndSummary)
{
    RunResult r;
    r.scenario = "t";
    r.simTimeS = 2;
    ReconfigRecord ok;
    ok.leftAnchor = "client";
    ok.requestId = 3;
    ok.streamId = 7;
    ok.rightAnchor = "server";
    ok.middleboxes = {"mb2", "mb3"};
    ok.entry = 0;
    ok.attempt = 2;
    ok.triggerS = 0.5;
    ok.startS = 0.5;
    ok.endS = 0.525;
    ok.outcome = "succeeded";
    ok.hasSeq = true;
    ok.seqAtStart[0] = 4294967000u;
    ok.seqAtStart[1] = 12;
    ReconfigRecord nacked = ok;
    nacked.requestId = 4;
    nacked.middleboxes.clear();
    nacked.attempt = 1;
    nacked.endS = 0.504;
    nacked.outcome = "aborted";
    nacked.reason = "nacked";
    nacked.hasSeq = false;
    ReconfigRecord open = ok;
    open.requestId = 5;
    open.endS = -1;
    open.outcome = "unfinished";
    r.reconfigurations = {ok, nacked, open};
    r.agents = {AgentResult{"client",
                            0,
                            {{"reconfig_attempted", 3},
                             {"reconfig_succeeded", 1},
                             {"reconfig_aborted", 1},
                             {"reconfig_nacked", 1},
                             {"control_sent", 12},
                             {"control_received", 11},
                             {"control_dropped", 1}}}};
    EXPECT_EQ(ReconfigurationsCsv(r),
              "left_anchor,request_id,stream_id,right_anchor,middleboxes,entry,attempt,"
              "trigger_s,start_s,end_s,duration_ms,outcome,reason,c2s_seq_at_start,"
              "s2c_seq_at_start\n"
              "client,3,7,server,mb2;mb3,0,2,0.500000,0.500000,0.525000,25.000,succeeded,,"
              "4294967000,12\n"
              "client,4,7,server,,0,1,0.500000,0.500000,0.504000,4.000,aborted,nacked,,\n"
              "client,5,7,server,mb2;mb3,0,2,0.500000,0.500000,,,unfinished,,4294967000,12\n");
    CheckOutcome check = CheckDelivery(r);
    EXPECT_FALSE(check.pass);
    EXPECT_EQ(check.properties[3],
              (std::pair<std::string, std::string>("reconfig_terminates", "fail")));
    auto j = MakeSummary(r, check, "v");
    EXPECT_EQ(j["reconfigurations"]["attempted"], 3);
    EXPECT_EQ(j["reconfigurations"]["succeeded"], 1);
    EXPECT_EQ(j["reconfigurations"]["aborted"], 1);
    EXPECT_EQ(j["reconfigurations"]["nacked"], 1);
    EXPECT_EQ(j["reconfigurations"]["unfinished"], 1);
    EXPECT_EQ(j["reconfigurations"]["duration_ms"]["count"], 1);
    EXPECT_EQ(j["reconfigurations"]["duration_ms"]["median"], 25.0);
    EXPECT_EQ(j["control"]["sent"], 12);
    EXPECT_EQ(j["control"]["dropped"], 1);
}

SessionResult
TwoWay(uint64_t id)
{
    SessionResult s;
    s.streamId = id;
    s.from = "client";
    s.to = "server";
    s.bytesRequested = s.bytesWritten = s.bytesDelivered = 100;
    s.reverseRequested = s.reverseWritten = s.reverseDelivered = 50;
    s.accepted = s.closed = s.clientClosed = true;
    s.closeTimeS = 1;
    return s;
}

TEST(ReconfigFormat, DeliveryCheckJudgesBothDirectionsAndEarlyEnds)
{
    RunResult r;
    r.simTimeS = 2;
    r.sessions = {TwoWay(1), TwoWay(2), TwoWay(3), TwoWay(4), TwoWay(5), TwoWay(6)};
    r.sessions[1].reverseMismatch = 7;
    r.sessions[2].reverseDelivered = 40; // the client saw the close after 40 of 50
    // Closed early by the client (FIN): a prefix of the forward stream, all of the reverse.
    r.sessions[3].injected = "fin_client";
    r.sessions[3].injectedAtS = 0.5;
    r.sessions[3].cutShort = true;
    r.sessions[3].bytesWritten = r.sessions[3].bytesDelivered = 60;
    // The same, but 10 written bytes never arrived although the FIN did.
    r.sessions[4] = r.sessions[3];
    r.sessions[4].streamId = 5;
    r.sessions[4].bytesDelivered = 50;
    // A reset may lose what was in flight both ways.
    r.sessions[5].injected = "rst_server";
    r.sessions[5].injectedAtS = 0.5;
    r.sessions[5].cutShort = true;
    r.sessions[5].bytesDelivered = 80;
    r.sessions[5].reverseWritten = 30;
    r.sessions[5].reverseDelivered = 20;
    r.sessions[5].reset = true;
    r.sessions[5].closed = false;
    CheckOutcome c = CheckDelivery(r);
    ASSERT_EQ(c.violations.size(), 3u);
    EXPECT_EQ(c.violations[0], "no_data_loss: session 2 (client -> server): first wrong reverse "
                               "byte at stream offset 7 (50 requested, 50 written, 50 "
                               "delivered)");
    EXPECT_EQ(c.violations[1], "no_data_loss: session 3 (client -> server): reverse stream "
                               "closed at offset 40 (50 requested, 50 written, 40 delivered)");
    EXPECT_EQ(c.violations[2], "no_data_loss: session 5 (client -> server): stream closed at "
                               "offset 50 after fin_client at 0.5 s (100 requested, 60 written, "
                               "50 delivered)");
    EXPECT_FALSE(r.sessions[3].Completed()); // ended early: not a complete session
    EXPECT_TRUE(r.sessions[0].Completed());
}

} // namespace
} // namespace dyscosim::test
