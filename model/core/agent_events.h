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
};

const char* ToString(AgentEventKind k);

struct AgentEvent
{
    AgentEventKind kind;
    uint64_t timeNs = 0;
    FiveTuple session;    ///< the session's own five-tuple (client to server orientation)
    FiveTuple subsession; ///< the subsession involved, if any (left to right orientation)
    uint32_t detail = 0;  ///< kind-specific: parse error code, chain length, ...
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
};

} // namespace dysco

#endif
