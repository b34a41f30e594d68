// What an agent reports to its binding: protocol events for traces, and counters.
#ifndef DYSCO_CORE_AGENT_EVENTS_H
#define DYSCO_CORE_AGENT_EVENTS_H

#include "five_tuple.h"

#include <cstdint>

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
    kLockChanged,        ///< the lock on the right subsession changed; detail = LockState
    kReconfigStarted,    ///< this agent (left anchor) sent requestLock
    kReconfigPhase,      ///< an anchor entered a phase; detail = ReconfigPhase
    kReconfigSucceeded,  ///< old path torn down at this anchor; detail = duration in us
    kReconfigAborted,    ///< detail: 1 nacked, 2 new path failed, 3 control lost, 4 closed
    kControlSent,        ///< detail = ControlType
    kControlReceived,    ///< detail = ControlType
    kControlDropped,     ///< malformed, unknown session or wrong state; detail = reason
    kSplit,              ///< a segment was cut between the two paths
    kTeardown,           ///< an anchor's teardown predicate held; `vars` holds its variables
};

const char* ToString(AgentEventKind k);

struct AgentEvent
{
    AgentEventKind kind;
    uint64_t timeNs = 0;
    FiveTuple session;    ///< the session's own five-tuple (client to server orientation)
    FiveTuple subsession; ///< the subsession involved, if any (left to right orientation)
    uint32_t detail = 0;  ///< kind-specific: parse error code, chain length, ...
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
    uint64_t packets = 0;         ///< packets handed to Process
    uint64_t rewritten = 0;       ///< packets whose header was translated
    uint64_t passed = 0;          ///< packets passed untouched (not Dysco traffic)
    uint64_t dropped = 0;         ///< all drops (sum of the reasons below)
    uint64_t malformed = 0;       ///< unparsable TCP/IPv4 headers
    uint64_t badSynPayload = 0;   ///< malformed or misaddressed SYN payloads
    uint64_t badTag = 0;          ///< tagged SYNs without state
    uint64_t portsExhausted = 0;
    uint64_t tableFull = 0;       ///< SYNs left unchained because the table was full
    uint64_t sessionsCreated = 0;
    uint64_t sessionsFreed = 0;
    uint64_t reconfigAttempted = 0; ///< started here as left anchor
    uint64_t reconfigSucceeded = 0; ///< finished here as left anchor
    uint64_t reconfigAborted = 0;   ///< aborted here as left anchor (incl. nacked)
    uint64_t reconfigNacked = 0;
    uint64_t controlSent = 0;
    uint64_t controlReceived = 0;
    uint64_t controlDropped = 0;    ///< malformed, unknown session, unexpected in this state
    uint64_t splits = 0;            ///< segments cut between old and new path
    uint64_t newPathHandshake = 0;  ///< SYN/SYN-ACK/ACK packets consumed by anchors
    uint64_t staleResets = 0;       ///< resets on an old path this anchor is done with (dropped)
};

} // namespace dysco

#endif
