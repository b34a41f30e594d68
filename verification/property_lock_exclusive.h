// Property 3 — lock exclusivity (summary key "lock_exclusive").
//
// In words: no subsession ever has two lock holders, and of overlapping concurrent
// reconfiguration requests exactly one wins the lock (paper §3.2).
//   - Holders: the agent on the left of a subsession keeps its lock state (L records). While
//     the subsession is lockPending or locked for requestor A, every change of its state must
//     be on behalf of A: it may not become lockPending/locked for B != A, nor be unlocked on
//     behalf of B.
//   - Contention: two requests overlap when their old paths share a subsession. A request's
//     decision window runs from its request record to its first locked / denied / lockFailed
//     record (forever if none); its lifetime runs to its first terminal record (done,
//     aborted, denied, lockFailed, closed; forever if none). Two overlapping requests whose
//     decision windows intersect must not both be locked (at most one winner), and a request
//     that is denied must have an overlapping request that won the lock and whose lifetime
//     intersects the denied request's decision window (it lost to someone, so exactly one of
//     the contenders won). A request that ends lockFailed (control path unusable) needs no
//     winner.
//
// Offending event: the L record of the second holder; the later of the two "locked" records;
// the "denied" record of a request that lost to nobody.
#ifndef DYSCO_VERIFY_PROPERTY_LOCK_EXCLUSIVE_H
#define DYSCO_VERIFY_PROPERTY_LOCK_EXCLUSIVE_H

#include "property.h"

namespace dysco
{
namespace verify
{

ScanResult ScanLockExclusive(const Trace& trace, const SessionView& s);
Z3Result Z3LockExclusive(z3::context& ctx, const Trace& trace, const SessionView& s,
                         unsigned timeoutMs);

} // namespace verify
} // namespace dysco

#endif
