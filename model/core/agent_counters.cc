// Names of AgentCounters as reports print them: one list for the ns-3 summary and the DPDK
// statistics, so a new counter shows up in both.
#include "agent_events.h"

namespace dysco
{

std::vector<NamedCounter>
NamedCounters(const AgentCounters& c)
{
    return {{"packets", c.packets, true},
            {"rewritten", c.rewritten, true},
            {"passed", c.passed, true},
            {"dropped", c.dropped, true},
            {"malformed", c.malformed, true},
            {"bad_syn_payload", c.badSynPayload, true},
            {"bad_tag", c.badTag, true},
            {"ports_exhausted", c.portsExhausted, true},
            {"table_full", c.tableFull, true},
            {"sessions_created", c.sessionsCreated, true},
            {"sessions_freed", c.sessionsFreed, true},
            {"reconfig_attempted", c.reconfigAttempted, true},
            {"reconfig_succeeded", c.reconfigSucceeded, true},
            {"reconfig_aborted", c.reconfigAborted, true},
            {"reconfig_nacked", c.reconfigNacked, true},
            {"control_sent", c.controlSent, true},
            {"control_received", c.controlReceived, true},
            {"control_dropped", c.controlDropped, true},
            {"splits", c.splits, true},
            {"new_path_handshake", c.newPathHandshake, true},
            {"held", c.held, true},
            {"held_dropped", c.heldDropped, true},
            {"stale_resets", c.staleResets, true},
            {"stale_locks_released", c.staleLocksReleased, false},
            // Security counters: shown only when they counted something, so that reports of
            // runs without attacks stay as they were.
            {"control_rejected", c.controlRejected, false},
            {"control_no_nonce", c.controlNoNonce, false},
            {"control_bad_nonce", c.controlBadNonce, false},
            {"control_no_mac", c.controlNoMac, false},
            {"control_bad_mac", c.controlBadMac, false},
            {"control_replayed", c.controlReplayed, false},
            {"control_forged_ack", c.controlForgedAck, false},
            {"control_bad_state", c.controlBadState, false},
            {"syn_refused", c.synRefused, false},
            {"syn_too_long", c.synTooLong, false},
            {"syn_loop", c.synLoop, false},
            {"syn_not_allowed", c.synNotAllowed, false},
            {"syn_bad_nonce", c.synBadNonce, false},
            {"half_open_expired", c.halfOpenExpired, false}};
}

} // namespace dysco
