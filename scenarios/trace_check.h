// The checker on the trace a run recorded, merged with the run's own delivery check
// (delivery_check.h) into summary.json's "check" object (DESIGN.md): a property fails if
// either check fails it; "violations" lists the delivery check's sentences, then the
// checker's (property, session, event, time and the explanation). The full explanation in
// words (ToText) is what `dyscosim run` prints when the verdict is fail.
#ifndef DYSCOSIM_TRACE_CHECK_H
#define DYSCOSIM_TRACE_CHECK_H

#include "check_report.h"
#include "delivery_check.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dyscosim
{

struct TraceCheck
{
    bool read = false; ///< false: the trace could not be read (`error` says why)
    std::string error;
    dysco::verify::CheckReport report;
    std::string text; ///< the checker's explanation
    double seconds = 0;
};

/// Sessions the scans passed that Z3 also checks at the end of a run, and their budget in
/// events (about 0.5 s of Z3).
constexpr size_t kRunCheckSample = 4;
constexpr size_t kRunCheckSampleEvents = 15000;

/// Reads and checks `path` (Z3 on the flagged sessions and kRunCheckSample others, seeded
/// with `seed`).
TraceCheck CheckTrace(const std::string& path, uint64_t seed);

/// The merged verdict.
bool MergedPass(const CheckOutcome& delivery, const TraceCheck& trace);

/// summary.json's "check": verdict, the five properties, the violations in words, and the
/// checker's counts ("trace": events, sessions, violation_counts, z3, violations).
nlohmann::ordered_json MergedCheck(const CheckOutcome& delivery, const TraceCheck& trace);

/// Sessions whose counterexamples get a diagram at the end of a failed run (the rest are
/// one `dyscosim diagram` away).
constexpr size_t kCounterexampleDiagrams = 3;

/// Writes DIR/counterexample-sN.svg for the first kCounterexampleDiagrams sessions with a
/// violation: the session's message sequence chart with the offending and related events
/// marked (`dyscosim diagram TRACE --session N --mark-violations`). Returns the files written.
std::vector<std::string> WriteCounterexampleDiagrams(const std::string& tracePath,
                                                     const dysco::verify::CheckReport& report,
                                                     const std::string& outDir);

} // namespace dyscosim

#endif
