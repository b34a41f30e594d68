#include "lock.h"

#include "mutant.h"

namespace dysco
{

const char*
ToString(LockState s)
{
    switch (s)
    {
    case LockState::kUnlocked:
        return "unlocked";
    case LockState::kLockPending:
        return "lockPending";
    case LockState::kLocked:
        return "locked";
    }
    return "unknown";
}

const char*
ToString(LockAction a)
{
    switch (a)
    {
    case LockAction::kForward:
        return "forward";
    case LockAction::kSave:
        return "save";
    case LockAction::kNack:
        return "nack";
    case LockAction::kMine:
        return "mine";
    case LockAction::kUnexpected:
        return "unexpected";
    }
    return "unknown";
}

LockAction
OnRequestLock(Lock& lock, const Requestor& r)
{
    switch (lock.state)
    {
    case LockState::kUnlocked:
        lock.state = LockState::kLockPending;
        lock.requestor = r;
        return LockAction::kForward;
    case LockState::kLockPending:
    case LockState::kLocked:
        if (MutantActive(Mutant::kDoubleLockGrant) && lock.requestor != r)
        {
            lock.state = LockState::kLockPending;
            lock.requestor = r;
            return LockAction::kForward;
        }
        if (lock.state == LockState::kLockPending)
        {
            // A retransmitted copy of the request we already forwarded is forwarded again.
            return lock.requestor == r ? LockAction::kForward : LockAction::kSave;
        }
        return lock.requestor == r ? LockAction::kForward : LockAction::kNack;
    }
    return LockAction::kUnexpected;
}

LockAction
OnAckLock(Lock& lock, const Requestor& r, uint32_t self)
{
    if (lock.requestor != r || lock.state == LockState::kUnlocked)
    {
        return LockAction::kUnexpected;
    }
    lock.state = LockState::kLocked;
    return r.leftAnchor == self ? LockAction::kMine : LockAction::kForward;
}

LockAction
OnNackLock(Lock& lock, const Requestor& r, uint32_t self)
{
    if (lock.requestor != r || lock.state != LockState::kLockPending)
    {
        return LockAction::kUnexpected;
    }
    lock.state = LockState::kUnlocked;
    lock.requestor = Requestor{};
    return r.leftAnchor == self ? LockAction::kMine : LockAction::kForward;
}

LockAction
OnCancelLock(Lock& lock, const Requestor& r, uint32_t self)
{
    if (lock.requestor != r || lock.state == LockState::kUnlocked)
    {
        return LockAction::kUnexpected;
    }
    if (MutantActive(Mutant::kCancelWithoutUnlock) && r.leftAnchor != self)
    {
        return LockAction::kForward; // relayed, but the lock is kept
    }
    lock.state = LockState::kUnlocked;
    lock.requestor = Requestor{};
    return r.leftAnchor == self ? LockAction::kMine : LockAction::kForward;
}

bool
TryLockForSelf(Lock& lock, const Requestor& r)
{
    if (lock.state != LockState::kUnlocked && !MutantActive(Mutant::kDoubleLockGrant))
    {
        return false;
    }
    lock.state = LockState::kLockPending;
    lock.requestor = r;
    return true;
}

} // namespace dysco
