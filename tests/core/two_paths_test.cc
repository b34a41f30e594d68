// §3.4 rules, checked at ordinary sequence numbers and across the 2^32 wrap.
#include "core/two_paths.h"

#include <gtest/gtest.h>

using namespace dysco;

class TwoPathsTest : public ::testing::TestWithParam<uint32_t>
{
protected:
    Seq S(int64_t off) const { return Seq(GetParam()) + SeqDelta(off); }
};

TEST_P(TwoPathsTest, BytesSplitAtOldSent)
{
    TwoPaths tp;
    tp.Start(S(1000), S(500), S(0), S(0));
    EXPECT_EQ(tp.PathForByte(S(999)), Path::kOld);
    EXPECT_EQ(tp.PathForByte(S(1000)), Path::kNew);
    EXPECT_EQ(tp.OldPart(S(900), 200), 100u);
    EXPECT_EQ(tp.OldPart(S(1000), 200), 0u);
    EXPECT_EQ(tp.OldPart(S(100), 200), 200u);
}

TEST_P(TwoPathsTest, AckRulesFollowTheTable)
{
    TwoPaths tp;
    tp.Start(S(0), S(0), S(5000), S(4000));
    // ack <= oldRcvd and > oldRcvdAcked: old path.
    EXPECT_EQ(tp.PlanAck(S(4500)).path, Path::kOld);
    // ack > oldRcvd while old bytes are unacked: new path, and ack oldRcvd on the old.
    AckPlan p = tp.PlanAck(S(6000));
    EXPECT_EQ(p.path, Path::kNew);
    EXPECT_TRUE(p.alsoAckOld);
    tp.AckSent(S(5000));
    EXPECT_EQ(tp.OldRcvdAcked(), S(5000));
    p = tp.PlanAck(S(6000));
    EXPECT_EQ(p.path, Path::kNew);
    EXPECT_FALSE(p.alsoAckOld);
    // An ack sent on the new path never moves oldRcvdAcked past oldRcvd.
    tp.AckSent(S(7000));
    EXPECT_EQ(tp.OldRcvdAcked(), S(5000));
}

TEST_P(TwoPathsTest, TeardownNeedsEverythingAckedAndTheCutoff)
{
    TwoPaths tp;
    tp.Start(S(1000), S(800), S(2000), S(2000));
    EXPECT_FALSE(tp.TeardownReady());
    tp.AckReceived(S(1000));
    EXPECT_EQ(tp.OldSentAcked(), S(1000));
    EXPECT_FALSE(tp.TeardownReady()); // nothing known about the peer's cutoff yet
    // New data arrives beyond a lost old segment: not yet.
    tp.DataReceived(Path::kNew, S(2100), 100);
    EXPECT_FALSE(tp.TeardownReady());
    // The old segment arrives and is acked; firstNewRcvd still says a gap is on the new path.
    tp.DataReceived(Path::kOld, S(2000), 50);
    tp.AckSent(S(2050));
    EXPECT_FALSE(tp.TeardownReady());
    tp.DataReceived(Path::kNew, S(2050), 50);
    EXPECT_EQ(tp.FirstNewRcvd(), S(2050));
    EXPECT_TRUE(tp.TeardownReady());
}

TEST_P(TwoPathsTest, PeerCutoffEndsAnIdlePhase)
{
    TwoPaths tp;
    tp.Start(S(10), S(10), S(20), S(20));
    EXPECT_FALSE(tp.TeardownReady());
    tp.PeerCutoff(S(30));
    EXPECT_FALSE(tp.TeardownReady());
    tp.DataReceived(Path::kOld, S(20), 10);
    tp.AckSent(S(30));
    EXPECT_TRUE(tp.TeardownReady());
}

TEST_P(TwoPathsTest, AcksOnTheNewPathCoverOldBytes)
{
    TwoPaths tp;
    tp.Start(S(1000), S(0), S(0), S(0));
    tp.AckReceived(S(5000));
    EXPECT_EQ(tp.OldSentAcked(), S(1000));
}

// Plain numbers, and bases that put oldSent and the traffic on both sides of 2^32.
INSTANTIATE_TEST_SUITE_P(Bases, TwoPathsTest,
                         ::testing::Values(0u, 100000u, 0xFFFFFC00u, 0xFFFFFFFFu, 0x7FFFFF00u));
