// Per-subsession locks and their contention rules (§3.2, Figure 5).
//
// The agent to the left of a subsession owns its lock: unlocked, lockPending or locked,
// with the requestor (left anchor and request id) it is pending or locked for. A
// requestLock arriving from the left is forwarded if the subsession is unlocked, saved
// while it is lockPending (to be forwarded if our own request is nacked, or nacked if it
// is acked), and nacked at once if it is locked.
#ifndef DYSCO_CORE_LOCK_H
#define DYSCO_CORE_LOCK_H

#include <cstdint>

namespace dysco
{

enum class LockState : uint8_t
{
    kUnlocked,
    kLockPending,
    kLocked,
};

const char* ToString(LockState s);

/// Who a lock is pending or held for: a reconfiguration is named by its left anchor and the
/// request id that anchor gave it.
struct Requestor
{
    uint32_t leftAnchor = 0;
    uint32_t requestId = 0;

    bool operator==(const Requestor& o) const
    {
        return leftAnchor == o.leftAnchor && requestId == o.requestId;
    }
    bool operator!=(const Requestor& o) const { return !(*this == o); }
};

struct Lock
{
    LockState state = LockState::kUnlocked;
    Requestor requestor;
};

enum class LockAction : uint8_t
{
    kForward,    ///< pass the message on (requestLock right, ack/nack left)
    kSave,       ///< requestLock: keep it until our pending request is answered
    kNack,       ///< requestLock: answer nackLock
    kMine,       ///< ack/nack/cancel answers a request this agent started (it is the left anchor)
    kUnexpected, ///< the message does not match the lock: drop and count
};

const char* ToString(LockAction a);

/// requestLock from the left for the subsession to our right.
LockAction OnRequestLock(Lock& lock, const Requestor& r);
/// ackLock from the right: pending for r -> locked.
LockAction OnAckLock(Lock& lock, const Requestor& r, uint32_t self);
/// nackLock from the right: pending for r -> unlocked.
LockAction OnNackLock(Lock& lock, const Requestor& r, uint32_t self);
/// cancelLock from the left (or started here): held or pending for r -> unlocked.
LockAction OnCancelLock(Lock& lock, const Requestor& r, uint32_t self);
/// The left anchor starts its own request: only from unlocked.
bool TryLockForSelf(Lock& lock, const Requestor& r);

} // namespace dysco

#endif
