// Reconfiguration under failures: lost control messages (0, 10, 30 % per link), data lost
// during the two-path phase, and a new middlebox that is down. Every reconfiguration ends,
// every byte arrives both ways, and no agent keeps state.
#include "reconfig_fixture.h"

namespace dyscosim::test
{
namespace
{

/// control-loss-N: 10 sessions, a replacement at 0.2 s and a deletion at 0.6 s each.
Outcome
ControlLoss(const std::string& file)
{
    Outcome o = RunShipped(file);
    ExpectExactAndClean(o);
    EXPECT_EQ(o.Counter("reconfig_attempted"), 20u);
    EXPECT_EQ(o.Counter("reconfig_succeeded"), 20u);
    EXPECT_EQ(o.Counter("reconfig_aborted"), 0u);
    EXPECT_EQ(o.With("succeeded").size(), 20u);
    EXPECT_TRUE(o.With("unfinished").empty());
    EXPECT_EQ(o.Failure("data_dropped"), 0u); // only control messages are touched
    for (const auto& r : o.result.reconfigurations)
    {
        EXPECT_EQ(r.leftAnchor, r.entry == 0 ? "client" : "mb2");
        EXPECT_EQ(r.rightAnchor, r.entry == 0 ? "mb3" : "server");
    }
    return o;
}

double
MedianMs(const Outcome& o)
{
    std::vector<double> d;
    for (const auto& r : o.With("succeeded"))
    {
        d.push_back(r.DurationMs());
    }
    std::sort(d.begin(), d.end());
    return d.empty() ? 0 : d[d.size() / 2];
}

TEST(ReconfigFailures, NoControlLoss)
{
    Outcome o = ControlLoss("reconfig/control-loss-0.json");
    EXPECT_EQ(o.Failure("control_dropped"), 0u);
    EXPECT_LT(MedianMs(o), 30.0);
    EXPECT_EQ(o.Counter("control_sent"), o.Counter("control_received"));
}

TEST(ReconfigFailures, TenPercentControlLossIsRetransmittedAway)
{
    Outcome o = ControlLoss("reconfig/control-loss-10.json");
    EXPECT_GT(o.Failure("control_dropped"), 20u);
    // Retransmissions (every 20 ms) cost time: slower than a lossless reconfiguration of
    // this topology (about 24 ms), still far below the retry limit.
    EXPECT_GT(MedianMs(o), 24.0);
    EXPECT_LT(MedianMs(o), 300.0);
}

TEST(ReconfigFailures, ThirtyPercentControlLossIsRetransmittedAway)
{
    Outcome o = ControlLoss("reconfig/control-loss-30.json");
    EXPECT_GT(o.Failure("control_dropped"), 150u);
    EXPECT_GT(MedianMs(o), 48.0);
}

TEST(ReconfigFailures, DataLostDuringTheTwoPathPhaseIsRecovered)
{
    Outcome o = RunShipped("reconfig/two-path-data-loss.json");
    ExpectExactAndClean(o);
    EXPECT_GT(o.Failure("data_dropped"), 10u); // lost while both paths were in use
    EXPECT_EQ(o.Counter("reconfig_succeeded"), 8u);
    EXPECT_EQ(o.Counter("reconfig_aborted"), 0u);
    // Lost old bytes are retransmitted on the old path, so the old path stays up until
    // they are acknowledged: every teardown waited for them and still happened.
    for (const auto& r : o.result.reconfigurations)
    {
        EXPECT_EQ(r.outcome, "succeeded");
        EXPECT_EQ(r.leftAnchor, "client");
        EXPECT_EQ(r.rightAnchor, "mb2");
    }
}

TEST(ReconfigFailures, ANewMiddleboxThatIsDownAbortsThenTheRetrySucceeds)
{
    Outcome o = RunShipped("reconfig/middlebox-down.json");
    ExpectExactAndClean(o);
    const size_t n = SessionCount(o);
    // Per session: the first attempt aborted (the new path's SYN found mb2 down; cancelLock
    // and ackCancel unlocked the segment), the retry after mb2 came back succeeded.
    EXPECT_EQ(o.Counter("reconfig_attempted"), 2 * n);
    EXPECT_EQ(o.Counter("reconfig_aborted"), n);
    EXPECT_EQ(o.Counter("reconfig_succeeded"), n);
    EXPECT_EQ(o.Counter("reconfig_nacked"), 0u);
    for (const auto& r : o.result.reconfigurations)
    {
        if (r.attempt == 1)
        {
            EXPECT_EQ(r.outcome, "aborted");
            EXPECT_EQ(r.reason, "new_path_failed");
            EXPECT_LT(r.endS, 0.7); // aborted while mb2 was still down
        }
        else
        {
            EXPECT_EQ(r.attempt, 2u);
            EXPECT_EQ(r.outcome, "succeeded");
            EXPECT_GE(r.startS, 0.7);
        }
    }
    EXPECT_GT(o.Failure("other_dropped"), 0u); // the SYNs mb2 never saw
    EXPECT_EQ(o.Middlebox("mb2")->counters.at("sessions"), n);
}

} // namespace
} // namespace dyscosim::test
