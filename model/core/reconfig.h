// An anchor's state while it reconfigures a segment of a session (§3): which end it is,
// the request it runs, the delta learnt in the lock handshake (§3.3), the new subsession
// and, once both paths exist, the two-path variables (§3.4).
#ifndef DYSCO_CORE_RECONFIG_H
#define DYSCO_CORE_RECONFIG_H

#include "five_tuple.h"
#include "lock.h"
#include "seq.h"
#include "two_paths.h"

#include <cstdint>
#include <vector>

namespace dysco
{

enum class ReconfigPhase : uint8_t
{
    kLocking,    ///< left anchor: requestLock sent, waiting for ackLock / nackLock
    kNewPathSyn, ///< left anchor: SYN sent on the new path; right anchor: SYN-ACK sent
    kTwoPaths,   ///< new data on the new path, old data finishing on the old one
    kCancelling, ///< new path failed: cancelLock sent, waiting for ackCancel
};

const char* ToString(ReconfigPhase p);

/// kReconfigAborted's detail when no ackLock/nackLock came back (AgentConfig::lockRetries).
constexpr uint32_t kAbortLockTimeout = 5;

/// Carried in a new path's SYN so the right anchor recognises which reconfiguration the
/// subsession belongs to; zero for ordinary chain setup.
struct NewPathMarker
{
    uint32_t leftAnchor = 0;
    uint32_t requestId = 0;

    bool IsSet() const { return leftAnchor != 0; }
};

struct Reconfig
{
    bool isLeftAnchor = true; ///< left anchor reconfigures its right side; right anchor its left
    Requestor id;
    uint32_t rightAnchor = 0;
    std::vector<uint32_t> newList; ///< new middleboxes, then the right anchor
    ReconfigPhase phase = ReconfigPhase::kLocking;
    SeqDelta delta = 0; ///< rightDelta (right anchor) or leftDelta (left anchor)
    FiveTuple newSub;   ///< the new path's subsession at this anchor (left -> right)
    uint64_t startNs = 0;
    uint64_t lockDeadlineNs = 0; ///< left anchor, locking: next requestLock resend or give-up
    uint32_t lockTries = 0;      ///< left anchor: requestLocks sent
    uint64_t synDeadlineNs = 0;  ///< left anchor: next SYN retransmission
    uint32_t synTries = 0;
    uint32_t synSeq = 0;    ///< ISN of the new path's handshake (left anchor's SYN)
    uint32_t synAckSeq = 0; ///< the right anchor's SYN-ACK sequence number
    TwoPaths paths;
    Seq lastNewAck; ///< highest ack sent on the new path
    bool hasNewAck = false;
    bool doneSent = false;          ///< our teardown predicate held and oldPathDone went out
    bool peerDone = false;          ///< the other anchor's oldPathDone arrived
    bool peerCutoffPending = false; ///< cutoff arrived before our two-path phase began
    uint32_t peerCutoffRaw = 0;
    uint32_t abortReason = 0; ///< left anchor, while cancelling: why (as kReconfigAborted)
    uint32_t tsValNewest = 0; ///< newest TSval from this anchor's endpoint side (ClampTsEcr)
    bool hasTsVal = false;
};

} // namespace dysco

#endif
