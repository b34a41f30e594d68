// Property 5 — the old path is torn down only when the teardown predicate holds, and all
// sessions terminate cleanly with all agent state freed (summary key "clean_termination").
//
// In words:
//   - Teardown predicate (paper §3.4): when an anchor tears down the old path (teardown
//     record) it has everything it sent on the old path acknowledged, and has received and
//     acknowledged everything its peer anchor sent there:
//         oldSentAcked = oldSent  and  oldRcvdAcked = oldRcvd  and
//         (oldRcvd = firstNewRcvd, or a FIN arrived on the old path).
//     Only the reconfiguration's two anchors tear its old path down.
//   - Cutoff agreement: when both anchors have torn down (and neither saw a FIN on the old
//     path), each one's oldRcvd is the other's oldSent translated by the delta it applies to
//     the new path: left.oldRcvd = right.oldSent + left.delta and
//     right.oldRcvd = left.oldSent + right.delta (modulo 2^32). Otherwise bytes were cut off
//     at the switch.
//   - A done reconfiguration has its old path torn down: the left anchor's teardown precedes
//     its done record, and the right anchor tears down too (any time).
//   - Both endpoints close the session (C records), with a FIN unless the session declares
//     that it is reset on purpose (flag r).
//   - Every agent that allocates state for the session (A) frees it (F) by the end of the
//     trace; no agent frees state it does not hold, and none records lock, phase or sent
//     control records for the session after freeing its state. If the header gives
//     "state_grace_ns" (how long agents keep a closed session's state), state still held at
//     the end is a leak only when both endpoints closed at least that long before the end of
//     the run (the header's "stop_ns", or the last record if later).
//
// Offending event: the teardown record; the later of the two teardown records; the done
// record; the close record, or the S record of a session an endpoint never closed; the last
// A record of state never freed; the F record that frees nothing; the record after the free.
#ifndef DYSCO_VERIFY_PROPERTY_CLEAN_TERMINATION_H
#define DYSCO_VERIFY_PROPERTY_CLEAN_TERMINATION_H

#include "property.h"

namespace dysco
{
namespace verify
{

ScanResult ScanCleanTermination(const Trace& trace, const SessionView& s);
Z3Result Z3CleanTermination(z3::context& ctx, const Trace& trace, const SessionView& s,
                            unsigned timeoutMs);

} // namespace verify
} // namespace dysco

#endif
