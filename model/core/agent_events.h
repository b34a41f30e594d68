// What an agent reports to its binding: protocol events for traces, and counters.
#ifndef DYSCO_CORE_AGENT_EVENTS_H
#define DYSCO_CORE_AGENT_EVENTS_H

#include "five_tuple.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace dysco
{

enum class AgentEventKind
{
    kChainStart,     ///< first agent matched a policy and sent the SYN with the address list
    kChainHop,       ///< a middlebox agent built the next subsession for a re-emerging SYN
    kChainEnd,       ///< the last agent restored the session header and delivered the SYN
    kSessionClosed,  ///< FIN in both directions, or RST, seen
    kStateFreed,     ///< all state of a session released (after close linger or idle timeout)
    kMalformedDrop,  ///< unparsable IPv4/TCP header, dropped
    kBadSynPayload,  ///< SYN with a Dysco payload that does not decode or is not for us, dropped
    kBadTag,         ///< tagged SYN leaving a middlebox host with no matching state, dropped
    kTableFull,      ///< a new session did not fit (maxSessions); the SYN passes unchained
    kPortsExhausted, ///< no free subsession port; the SYN is dropped (TCP will retry)

    // reconfiguration (§3); `request` names it, `detail` as noted
    kLockChanged,       ///< the lock on the right subsession changed; detail = LockState
    kReconfigStarted,   ///< this agent (left anchor) sent requestLock
    kReconfigPhase,     ///< an anchor entered a phase; detail = ReconfigPhase
    kReconfigSucceeded, ///< old path torn down at this anchor; detail = duration in us
    kReconfigAborted,   ///< detail: 1 nacked, 2 new path failed, 3 control lost, 4 closed,
                        ///< 5 lock timeout (no answer to requestLock)
    kControlSent,       ///< detail = ControlType
    kControlReceived,   ///< detail = ControlType
    kControlDropped,    ///< malformed, unknown session or wrong state; detail = reason
    kSplit,             ///< a segment was cut between the two paths
    kTeardown,          ///< an anchor's teardown predicate held; `vars` holds its variables

    // security (control_auth.h)
    kControlRejected, ///< a control message failed authentication; detail = ControlReject
    kSynRefused,      ///< a chain SYN broke the address-list rules; detail = SynRefusal
    kHalfOpenExpired, ///< state of a session whose handshake never completed was freed
};

/// How many AgentEventKinds there are (kHalfOpenExpired is the last).
constexpr size_t kAgentEventKinds = size_t(AgentEventKind::kHalfOpenExpired) + 1;

/// Why a control message was rejected (kControlRejected's detail).
enum class ControlReject : uint32_t
{
    kNone = 0,
    kNoNonce = 1,   ///< the session has a nonce (or the agent requires one); the message none
    kBadNonce = 2,  ///< the nonce differs from the session's
    kNoMac = 3,     ///< the session's chain has a key; the message carries no MAC under it
    kBadMac = 4,    ///< MAC wrong, or under a key this agent does not have
    kReplay = 5,    ///< serial below the sender's window: an old message replayed
    kForgedAck = 6, ///< transport ack not matching the message it claims to acknowledge
    kBadState = 7,  ///< oldPathDone for a segment this agent holds no lock for
};

const char* ToString(ControlReject r);

/// Why a chain SYN was refused (kSynRefused's detail).
enum class SynRefusal : uint32_t
{
    kNone = 0,
    kTooLong = 1,    ///< more addresses than maxChainAddresses
    kLoop = 2,       ///< an address repeats, or this host appears again further down
    kNotAllowed = 3, ///< a middlebox address outside the chain allow-list
    kBadNonce = 4,   ///< a new path's SYN whose nonce is not the session's
};

const char* ToString(SynRefusal r);

const char* ToString(AgentEventKind k);

struct AgentEvent
{
    AgentEventKind kind;
    uint64_t timeNs = 0;
    FiveTuple session;       ///< the session's own five-tuple (client to server orientation)
    FiveTuple subsession;    ///< the subsession involved, if any (left to right orientation)
    uint32_t detail = 0;     ///< kind-specific: parse error code, chain length, ...
    uint32_t leftAnchor = 0; ///< reconfiguration events: the request's left anchor
    uint32_t requestId = 0;  ///< and its id
    /// kTeardown: oldSent, oldSentAcked, oldRcvd, oldRcvdAcked, firstNewRcvd (vars[4] valid
    /// only if hasFirstNew), in the anchor's sequence space; `detail` = 1 at the left anchor.
    uint32_t vars[5] = {0, 0, 0, 0, 0};
    bool hasFirstNew = false;
    int32_t delta = 0; ///< kTeardown: the delta the anchor applies on the new path
    /// kTeardown: where the other anchor said its old-path bytes end (its oldSent, in this
    /// anchor's space), valid only if hasCutoff.
    uint32_t cutoff = 0;
    bool hasCutoff = false;
};

struct AgentCounters
{
    uint64_t packets = 0;       ///< packets handed to Process
    uint64_t rewritten = 0;     ///< packets whose header was translated
    uint64_t passed = 0;        ///< packets passed untouched (not Dysco traffic)
    uint64_t dropped = 0;       ///< all drops (sum of the reasons below)
    uint64_t malformed = 0;     ///< unparsable TCP/IPv4 headers
    uint64_t badSynPayload = 0; ///< malformed or misaddressed SYN payloads
    uint64_t badTag = 0;        ///< tagged SYNs without state
    uint64_t portsExhausted = 0;
    uint64_t tableFull = 0; ///< SYNs left unchained because the table was full
    uint64_t sessionsCreated = 0;
    uint64_t sessionsFreed = 0;
    uint64_t reconfigAttempted = 0; ///< started here as left anchor
    uint64_t reconfigSucceeded = 0; ///< finished here as left anchor
    uint64_t reconfigAborted = 0;   ///< aborted here as left anchor (incl. nacked)
    uint64_t reconfigNacked = 0;
    uint64_t controlSent = 0;
    uint64_t controlReceived = 0;
    uint64_t controlDropped = 0;     ///< malformed, unknown session, unexpected in this state
    uint64_t staleLocksReleased = 0; ///< ackLocks of our ended requests answered by a cancel
    uint64_t splits = 0;             ///< segments cut between old and new path
    uint64_t newPathHandshake = 0;   ///< SYN/SYN-ACK/ACK packets consumed by anchors
    uint64_t held = 0;               ///< packets held by state migrations (§3.4)
    uint64_t heldDropped = 0;        ///< packets beyond maxHeldBytes, dropped (TCP resends)
    uint64_t staleResets = 0;        ///< resets on an old path this anchor is done with (dropped)

    // security: control messages rejected, by reason (sum in controlRejected; also in dropped)
    uint64_t controlRejected = 0;
    uint64_t controlNoNonce = 0;
    uint64_t controlBadNonce = 0;
    uint64_t controlNoMac = 0;
    uint64_t controlBadMac = 0;
    uint64_t controlReplayed = 0;
    uint64_t controlForgedAck = 0;
    uint64_t controlBadState = 0;
    // chain SYNs refused by the address-list rules, by reason (sum in synRefused)
    uint64_t synRefused = 0;
    uint64_t synTooLong = 0;
    uint64_t synLoop = 0;
    uint64_t synNotAllowed = 0;
    uint64_t synBadNonce = 0;
    uint64_t halfOpenExpired = 0; ///< sessions freed by the half-open timeout
};

/// A counter under the name reports give it (snake_case); `always` is false for counters
/// reports show only when non-zero.
struct NamedCounter
{
    const char* name;
    uint64_t value;
    bool always;
};

/// Every counter of `c`, in report order.
std::vector<NamedCounter> NamedCounters(const AgentCounters& c);

} // namespace dysco

#endif
