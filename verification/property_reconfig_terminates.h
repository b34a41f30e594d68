// Property 4 — every reconfiguration that starts ends, and succeeds unless its new path could
// not be set up (summary key "reconfig_terminates").
//
// In words: every request record is followed, at its left anchor, by a terminal phase
// (done, aborted, denied, lockFailed or closed), and the first terminal phase is justified:
//   - done: the segment was locked and the new path came up before it, and the new path
//     never failed;
//   - aborted: the new path failed first, and then the left anchor sent cancelLock and
//     received ackCancel for this reconfiguration (paper §3.5), in that order, before it;
//   - denied / lockFailed: the lock was never acquired before it (whether a denial was fair is
//     property 3's business);
//   - closed: the session ended underneath the reconfiguration (always allowed).
// After the first terminal phase the left anchor records no further phase of it (teardown
// records, which either anchor may write later, are property 5's).
//
// Offending event: the request record of a reconfiguration that never ends; the first
// terminal record when it is not justified; any phase record after the end.
#ifndef DYSCO_VERIFY_PROPERTY_RECONFIG_TERMINATES_H
#define DYSCO_VERIFY_PROPERTY_RECONFIG_TERMINATES_H

#include "property.h"

namespace dysco
{
namespace verify
{

ScanResult ScanReconfigTerminates(const Trace& trace, const SessionView& s);
Z3Result Z3ReconfigTerminates(z3::context& ctx, const Trace& trace, const SessionView& s,
                              unsigned timeoutMs);

} // namespace verify
} // namespace dysco

#endif
