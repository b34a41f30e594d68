// What every property file provides: a linear scan over one session's events that lists the
// violations it finds, and a Z3 encoding of the same property over the same events that
// names the first offending event. Event references are indices into Trace::events.
#ifndef DYSCO_VERIFY_PROPERTY_H
#define DYSCO_VERIFY_PROPERTY_H

#include "session_index.h"
#include "trace.h"

#include <cstdint>
#include <string>
#include <vector>

namespace z3
{
class context;
}

namespace dysco
{
namespace verify
{

enum class PropertyId : uint8_t
{
    kNoDataLoss = 0,
    kSeqAckCorrect,
    kLockExclusive,
    kReconfigTerminates,
    kCleanTermination,
};

constexpr size_t kPropertyCount = 5;

/// Key in summary.json's "check.properties" ("no_data_loss", ...).
const char* PropertyKey(PropertyId p);
/// Words for explanations ("no data loss", ...).
const char* PropertyTitle(PropertyId p);
/// Parses a key; returns false if unknown.
bool PropertyFromKey(const std::string& key, PropertyId* p);

struct Violation
{
    PropertyId property = PropertyId::kNoDataLoss;
    uint32_t session = 0;          ///< session id
    uint32_t event = 0;            ///< offending event (index into Trace::events)
    std::vector<uint32_t> related; ///< other events the explanation mentions
    std::string text;              ///< what is wrong, with the values that break it
};

struct ScanResult
{
    bool applicable = false; ///< the session has events this property is about
    std::vector<Violation> violations;

    bool Violated() const { return !violations.empty(); }
    /// Smallest offending event index (the one Z3 must name too).
    uint32_t FirstEvent() const;
};

struct Z3Result
{
    enum class Status
    {
        kHolds,    ///< unsat: no event violates the property
        kViolated, ///< sat: `event` is the first offending event
        kUnknown,  ///< timeout or resource limit
    };
    Status status = Status::kHolds;
    uint32_t event = 0;
    std::string detail; ///< model values of the offending event, for explanations
};

using ScanFn = ScanResult (*)(const Trace&, const SessionView&);
using Z3Fn = Z3Result (*)(z3::context&, const Trace&, const SessionView&, unsigned timeoutMs);

/// "event #57 (line 58, t=0.012000000 s, seg-rx at h1)"
std::string EventRef(const Trace& trace, uint32_t index);
/// "event #57"
std::string EventId(const Trace& trace, uint32_t index);

} // namespace verify
} // namespace dysco

#endif
