// Lock rules of §3.2, including the Figure 5 contention between W and X.
#include "core/lock.h"

#include <gtest/gtest.h>

using namespace dysco;

namespace
{
constexpr uint32_t kW = 1;
constexpr uint32_t kX = 2;
const Requestor kReqX{kX, 10};
const Requestor kReqW{kW, 20};
} // namespace

TEST(Lock, UnlockedForwardsAndBecomesPending)
{
    Lock l;
    EXPECT_EQ(OnRequestLock(l, kReqX), LockAction::kForward);
    EXPECT_EQ(l.state, LockState::kLockPending);
    EXPECT_EQ(l.requestor, kReqX);
}

TEST(Lock, PendingSavesOtherRequestsAndForwardsRetransmissions)
{
    Lock l;
    ASSERT_TRUE(TryLockForSelf(l, kReqX));
    EXPECT_EQ(OnRequestLock(l, kReqW), LockAction::kSave);
    EXPECT_EQ(OnRequestLock(l, kReqX), LockAction::kForward);
    EXPECT_EQ(l.requestor, kReqX);
}

TEST(Lock, LockedNacksOthers)
{
    Lock l;
    OnRequestLock(l, kReqX);
    ASSERT_EQ(OnAckLock(l, kReqX, kW), LockAction::kForward);
    EXPECT_EQ(l.state, LockState::kLocked);
    EXPECT_EQ(OnRequestLock(l, kReqW), LockAction::kNack);
    EXPECT_EQ(l.state, LockState::kLocked);
    EXPECT_EQ(l.requestor, kReqX);
}

TEST(Lock, Figure5AckToXMeansNackToW)
{
    // X's subsession to its right is pending for X; W's request arrives and is saved.
    Lock atX;
    ASSERT_TRUE(TryLockForSelf(atX, kReqX));
    ASSERT_EQ(OnRequestLock(atX, kReqW), LockAction::kSave);
    // X's own request is acked: X holds the lock and W must be refused.
    EXPECT_EQ(OnAckLock(atX, kReqX, kX), LockAction::kMine);
    EXPECT_EQ(atX.state, LockState::kLocked);
    EXPECT_EQ(OnRequestLock(atX, kReqW), LockAction::kNack);
    // W's own subsession (to its right, toward X) was pending for W; the nack resets it.
    Lock atW;
    ASSERT_TRUE(TryLockForSelf(atW, kReqW));
    EXPECT_EQ(OnNackLock(atW, kReqW, kW), LockAction::kMine);
    EXPECT_EQ(atW.state, LockState::kUnlocked);
}

TEST(Lock, Figure5NackToXReleasesTheSavedRequest)
{
    Lock atX;
    ASSERT_TRUE(TryLockForSelf(atX, kReqX));
    ASSERT_EQ(OnRequestLock(atX, kReqW), LockAction::kSave);
    EXPECT_EQ(OnNackLock(atX, kReqX, kX), LockAction::kMine);
    EXPECT_EQ(atX.state, LockState::kUnlocked);
    // The saved request now goes through.
    EXPECT_EQ(OnRequestLock(atX, kReqW), LockAction::kForward);
    EXPECT_EQ(atX.requestor, kReqW);
}

TEST(Lock, MismatchedAnswersAreUnexpected)
{
    Lock l;
    EXPECT_EQ(OnAckLock(l, kReqX, kW), LockAction::kUnexpected);
    EXPECT_EQ(OnNackLock(l, kReqX, kW), LockAction::kUnexpected);
    EXPECT_EQ(OnCancelLock(l, kReqX, kW), LockAction::kUnexpected);
    OnRequestLock(l, kReqX);
    EXPECT_EQ(OnAckLock(l, kReqW, kW), LockAction::kUnexpected);
    EXPECT_EQ(l.state, LockState::kLockPending);
    OnAckLock(l, kReqX, kW);
    // A nack after the lock was granted must not release it.
    EXPECT_EQ(OnNackLock(l, kReqX, kW), LockAction::kUnexpected);
    EXPECT_EQ(l.state, LockState::kLocked);
    EXPECT_FALSE(TryLockForSelf(l, kReqW));
}

TEST(Lock, CancelUnlocks)
{
    Lock l;
    OnRequestLock(l, kReqX);
    OnAckLock(l, kReqX, kW);
    EXPECT_EQ(OnCancelLock(l, kReqX, kW), LockAction::kForward);
    EXPECT_EQ(l.state, LockState::kUnlocked);
    Lock mine;
    TryLockForSelf(mine, kReqX);
    OnAckLock(mine, kReqX, kX);
    EXPECT_EQ(OnCancelLock(mine, kReqX, kX), LockAction::kMine);
}
