// The checker: runs every property's linear scan over every session, then the property's Z3
// encoding on every session a scan flagged and on a seeded sample of the others (or on all
// sessions with `full`), and compares the two. The Z3 form is the specification: an event it
// names is a violation even if the scan missed it, and any disagreement is reported.
#ifndef DYSCO_VERIFY_CHECKER_H
#define DYSCO_VERIFY_CHECKER_H

#include "check_report.h"
#include "property.h"
#include "trace.h"

#include <cstdint>

namespace dysco
{
namespace verify
{

struct CheckOptions
{
    bool full = false;  ///< Z3 on every session
    uint64_t seed = 1;  ///< picks the sample of unflagged sessions
    size_t sample = 16; ///< unflagged sessions that also get Z3 (when not full)
    /// If > 0, the sample keeps to this many events in total: sessions are taken in the
    /// seeded order and one that would exceed the budget is skipped (Z3 costs ~35 us per
    /// event, so a run's own check stays short however long its sessions are).
    size_t sampleEvents = 0;
    unsigned z3TimeoutMs = 60000; ///< per property and session
    size_t batchSessions = 32;    ///< sessions per Z3 context (a fresh context per batch)
};

struct PropertyDef
{
    PropertyId id;
    ScanFn scan;
    Z3Fn z3;
};

/// The five properties in DESIGN.md's order.
const PropertyDef* Properties();

/// Checks a trace. Never throws for a trace TraceReader accepted.
CheckReport RunChecker(const Trace& trace, const CheckOptions& options);

/// One property on one session, both ways; for tests and --full agreement runs.
struct SessionCheck
{
    ScanResult scan;
    Z3Result z3;
    bool Agree() const;
};
SessionCheck CheckSessionBothWays(z3::context& ctx, const Trace& trace, const SessionView& s,
                                  PropertyId p, unsigned timeoutMs = 60000);

} // namespace verify
} // namespace dysco

#endif
