// Insert, delete and replace middleboxes in sessions that carry bulk data both ways, most of
// them through seq_offset boxes (per-session sequence spaces): every byte arrives in both
// directions, every reconfiguration succeeds mid-transfer with the intended new path, and
// no agent keeps state.
#include "reconfig_fixture.h"

namespace dyscosim::test
{
namespace
{

/// Every record succeeded, from `left` to `right` through `path`, while its session ran.
void
ExpectAllSucceeded(const Outcome& o, size_t expected, const std::string& left,
                   const std::string& right, const std::vector<std::string>& path, int entry = -1)
{
    size_t matched = 0;
    for (const auto& r : o.result.reconfigurations)
    {
        if (entry >= 0 && r.entry != entry)
        {
            continue;
        }
        ++matched;
        EXPECT_EQ(r.outcome, "succeeded") << "stream " << r.streamId << " " << r.reason;
        EXPECT_EQ(r.leftAnchor, left);
        EXPECT_EQ(r.rightAnchor, right);
        EXPECT_EQ(r.middleboxes, path);
        EXPECT_EQ(r.attempt, 1u);
        ASSERT_GE(r.streamId, 1u);
        // Mid-transfer: the session closed only after the old path was torn down.
        const SessionResult& s = o.result.sessions[r.streamId - 1];
        EXPECT_LT(r.endS, s.closeTimeS) << "stream " << r.streamId;
        EXPECT_GT(r.DurationMs(), 0);
    }
    EXPECT_EQ(matched, expected);
}

void
ExpectCounts(const Outcome& o, uint64_t succeeded)
{
    EXPECT_EQ(o.Counter("reconfig_attempted"), succeeded);
    EXPECT_EQ(o.Counter("reconfig_succeeded"), succeeded);
    EXPECT_EQ(o.Counter("reconfig_aborted"), 0u);
    EXPECT_EQ(o.Counter("reconfig_nacked"), 0u);
    EXPECT_EQ(o.Counter("control_dropped"), 0u);
}

TEST(ReconfigOperations, InsertOneMiddlebox)
{
    Outcome o = RunShipped("reconfig/insert-1.json");
    ExpectExactAndClean(o);
    ExpectCounts(o, 8);
    // Traffic 0: so, a seq_offset box, inserts mb1 to its right; traffic 1: a session
    // without middleboxes gets mb1 from the client.
    ExpectAllSucceeded(o, 4, "so", "server", {"mb1"}, 0);
    ExpectAllSucceeded(o, 4, "client", "server", {"mb1"}, 1);
    const MiddleboxResult* mb1 = o.Middlebox("mb1");
    ASSERT_NE(mb1, nullptr);
    EXPECT_EQ(mb1->counters.at("sessions"), 8u);
    EXPECT_GT(mb1->counters.at("payload_bytes"), 0u);
    EXPECT_EQ(o.Middlebox("so")->counters.at("sessions"), 4u);
}

TEST(ReconfigOperations, InsertAfterTheServersStreamEndedLeavesNoState)
{
    // The server's FIN went over the old path before mb1 was inserted; the anchors' notice
    // on the new path tells mb1, which then frees each session with the close linger after
    // the client's FIN (ExpectExactAndClean: no agent holds a session at the end).
    Outcome o = RunShipped("reconfig/insert-after-fin.json");
    ExpectExactAndClean(o);
    ExpectCounts(o, 4);
    ExpectAllSucceeded(o, 4, "client", "server", {"mb1"});
    EXPECT_EQ(o.Middlebox("mb1")->counters.at("sessions"), 4u);
}

TEST(ReconfigOperations, InsertTwoMiddleboxes)
{
    Outcome o = RunShipped("reconfig/insert-2.json");
    ExpectExactAndClean(o);
    ExpectCounts(o, 8);
    ExpectAllSucceeded(o, 4, "client", "so", {"mb1", "mb2"}, 0);
    ExpectAllSucceeded(o, 4, "client", "server", {"mb1", "mb2"}, 1);
    for (const char* mb : {"mb1", "mb2"})
    {
        EXPECT_EQ(o.Middlebox(mb)->counters.at("sessions"), 8u) << mb;
    }
}

TEST(ReconfigOperations, DeleteOneMiddleboxThatShiftsSequenceNumbers)
{
    Outcome o = RunShipped("reconfig/delete-1.json");
    ExpectExactAndClean(o);
    ExpectCounts(o, 8);
    // mb1 asked to leave; its left neighbour, the client, anchored every deletion.
    ExpectAllSucceeded(o, 8, "client", "mb2", {});
    for (const auto& r : o.result.reconfigurations)
    {
        EXPECT_GT(r.triggerS, 0); // the deletion request, not the lock, starts the clock
        EXPECT_LE(r.triggerS, r.startS);
    }
    EXPECT_EQ(o.Middlebox("mb1")->counters.at("sessions"), 8u);
}

TEST(ReconfigOperations, DeleteTwoMiddleboxesAtOnce)
{
    Outcome o = RunShipped("reconfig/delete-2.json");
    ExpectExactAndClean(o);
    ExpectCounts(o, 8);
    ExpectAllSucceeded(o, 8, "client", "mb3", {});
}

TEST(ReconfigOperations, ReplaceOneMiddleboxByTwo)
{
    Outcome o = RunShipped("reconfig/replace-1-by-2.json");
    ExpectExactAndClean(o);
    ExpectCounts(o, 8);
    ExpectAllSucceeded(o, 8, "client", "server", {"mb2", "mb3"});
    for (const char* mb : {"mb2", "mb3"})
    {
        EXPECT_EQ(o.Middlebox(mb)->counters.at("sessions"), 8u) << mb;
        EXPECT_GT(o.Middlebox(mb)->counters.at("payload_bytes"), 0u) << mb;
    }
}

TEST(ReconfigOperations, QuickstartDeletesTheSeqOffsetBoxFromAllTwentySessions)
{
    Outcome o = RunShipped("quickstart.json");
    ExpectExactAndClean(o);
    EXPECT_EQ(SessionCount(o), 20u);
    ExpectCounts(o, 20);
    ExpectAllSucceeded(o, 20, "client", "mb2", {});
    EXPECT_EQ(o.Middlebox("mb1")->counters.at("sessions"), 20u);
    EXPECT_EQ(o.Middlebox("mb2")->counters.at("sessions"), 20u);
}

} // namespace
} // namespace dyscosim::test
