// The delivery check, summary.json and sessions.csv from a hand-made run result.
#include "delivery_check.h"
#include "summary.h"

#include <gtest/gtest.h>

namespace dyscosim
{
namespace
{

SessionResult
Session(uint64_t id, uint64_t requested, uint64_t written, uint64_t delivered, int64_t mismatch,
        bool closed)
{
    SessionResult s;
    s.streamId = id;
    s.from = "client";
    s.to = "server";
    s.bytesRequested = requested;
    s.bytesWritten = written;
    s.bytesDelivered = delivered;
    s.firstMismatch = mismatch;
    s.accepted = written > 0;
    s.closed = closed;
    s.closeTimeS = closed ? 1.25 : -1;
    return s;
}

RunResult
Result()
{
    RunResult r;
    r.scenario = "t";
    r.seed = 3;
    r.simTimeS = 2.0;
    r.wallTimeS = 0.1234;
    r.sessions = {Session(1, 100, 100, 100, -1, true), Session(2, 100, 100, 100, -1, true)};
    r.agents = {AgentResult{"client", 0, {{"packets", 10}, {"dropped", 0}}},
                AgentResult{"mb1", 2, {{"packets", 20}, {"dropped", 1}}}};
    r.middleboxes = {MiddleboxResult{"mb1", "monitor", {{"packets", 20}, {"bytes", 200}}}};
    return r;
}

TEST(DeliveryCheck, AllDeliveredPasses)
{
    CheckOutcome c = CheckDelivery(Result());
    EXPECT_TRUE(c.pass);
    EXPECT_TRUE(c.violations.empty());
    ASSERT_EQ(c.properties.size(), 5u);
    EXPECT_EQ(c.properties[0], (std::pair<std::string, std::string>("no_data_loss", "pass")));
    EXPECT_EQ(c.properties[1].second, "not_checked");
}

TEST(DeliveryCheck, MismatchNamesSessionAndOffset)
{
    RunResult r = Result();
    r.sessions[1].firstMismatch = 4242;
    CheckOutcome c = CheckDelivery(r);
    EXPECT_FALSE(c.pass);
    EXPECT_EQ(c.properties[0].second, "fail");
    ASSERT_EQ(c.violations.size(), 1u);
    EXPECT_EQ(c.violations[0], "no_data_loss: session 2 (client -> server): first wrong byte at "
                               "stream offset 4242 (100 requested, 100 written, 100 delivered)");
}

TEST(DeliveryCheck, ShortLongAndUnfinishedStreamsFail)
{
    RunResult r = Result();
    r.sessions = {Session(1, 100, 100, 60, -1, false), Session(2, 100, 100, 120, -1, true),
                  Session(3, 100, 100, 60, -1, true), Session(4, 100, 0, 0, -1, false),
                  Session(5, 100, 80, 50, -1, false)};
    r.sessions[4].reset = true;
    CheckOutcome c = CheckDelivery(r);
    EXPECT_FALSE(c.pass);
    ASSERT_EQ(c.violations.size(), 5u);
    EXPECT_EQ(c.violations[0], "no_data_loss: session 1 (client -> server): not completed by the "
                               "stop time 2 s: stream ends at offset 60 (100 requested, 100 "
                               "written, 60 delivered)");
    EXPECT_EQ(c.violations[1], "no_data_loss: session 2 (client -> server): extra bytes from "
                               "stream offset 100 (100 requested, 100 written, 120 delivered)");
    EXPECT_EQ(c.violations[2], "no_data_loss: session 3 (client -> server): stream closed at "
                               "offset 60 (100 requested, 100 written, 60 delivered)");
    EXPECT_EQ(c.violations[3], "no_data_loss: session 4 (client -> server): not completed by the "
                               "stop time 2 s: no connection reached the receiver (100 "
                               "requested, 0 written, 0 delivered)");
    EXPECT_EQ(c.violations[4], "no_data_loss: session 5 (client -> server): connection reset at "
                               "stream offset 50 (100 requested, 80 written, 50 delivered)");
}

TEST(DeliveryCheck, StrayStreamsFail)
{
    RunResult r = Result();
    r.strayStreams = {"receiver server:80 accepted a connection with stream id 9 that no other "
                      "sender to it used (5 content bytes)"};
    CheckOutcome c = CheckDelivery(r);
    EXPECT_FALSE(c.pass);
    ASSERT_EQ(c.violations.size(), 1u);
    EXPECT_EQ(c.violations[0].rfind("no_data_loss: receiver server:80 accepted", 0), 0u);
}

TEST(Summary, FollowsTheDesignContract)
{
    RunResult r = Result();
    auto j = MakeSummary(r, CheckDelivery(r), "v0-1-gabc");
    EXPECT_EQ(j["scenario"], "t");
    EXPECT_EQ(j["seed"], 3);
    EXPECT_EQ(j["git_describe"], "v0-1-gabc");
    EXPECT_EQ(j["sim_time_s"], 2.0);
    EXPECT_EQ(j["wall_time_s"], 0.123);
    EXPECT_EQ(j["sessions"]["total"], 2);
    EXPECT_EQ(j["sessions"]["completed"], 2);
    EXPECT_EQ(j["bytes"]["written"], 200);
    EXPECT_EQ(j["bytes"]["delivered"], 200);
    EXPECT_EQ(j["reconfigurations"]["attempted"], 0);
    EXPECT_EQ(j["check"]["verdict"], "pass");
    EXPECT_EQ(j["check"]["properties"]["no_data_loss"], "pass");
    EXPECT_EQ(j["check"]["properties"]["lock_exclusive"], "not_checked");
    EXPECT_EQ(j["agent_state_left"]["total"], 2);
    EXPECT_EQ(j["agent_state_left"]["per_node"]["mb1"], 2);
    EXPECT_EQ(j["agent_counters"]["packets"], 30);
    EXPECT_EQ(j["middleboxes"]["mb1"]["kind"], "monitor");
    EXPECT_EQ(j["middleboxes"]["mb1"]["bytes"], 200);
    // The first keys keep DESIGN.md's order, so diffs of summaries read naturally.
    EXPECT_EQ(j.begin().key(), "scenario");
}

TEST(Summary, SessionsCsv)
{
    RunResult r = Result();
    r.sessions[1] = Session(2, 100, 100, 50, 50, false);
    EXPECT_EQ(SessionsCsv(r), "stream_id,from,to,bytes_written,bytes_delivered,first_mismatch,"
                              "completed,close_time_s,reverse_written,reverse_delivered,"
                              "reverse_first_mismatch,injected\n"
                              "1,client,server,100,100,-1,1,1.250000,0,0,-1,\n"
                              "2,client,server,100,50,50,0,,0,0,-1,\n");
}

} // namespace
} // namespace dyscosim
