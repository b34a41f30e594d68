// The result of a check: verdict, per-property status, violations explained in words, and
// how much Z3 confirmed. ToJson is summary.json's "check" object.
#ifndef DYSCO_VERIFY_CHECK_REPORT_H
#define DYSCO_VERIFY_CHECK_REPORT_H

#include "property.h"
#include "trace.h"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dysco
{
namespace verify
{

enum class PropertyStatus
{
    kPass,
    kFail,
    kNotApplicable,
};

const char* StatusName(PropertyStatus s); ///< "pass", "fail", "not_applicable"

struct ReportedViolation
{
    Violation violation;
    uint32_t line = 0;
    uint64_t timeNs = 0;
    bool z3Checked = false;   ///< Z3 ran on this session and property
    bool z3Confirmed = false; ///< Z3 named the same first event (only for the first one)
    std::string z3Detail;
};

/// Scan and Z3 did not agree on a (session, property).
struct Disagreement
{
    PropertyId property = PropertyId::kNoDataLoss;
    uint32_t session = 0;
    bool scanViolated = false;
    uint32_t scanEvent = 0;
    Z3Result z3;
};

struct CheckReport
{
    bool pass = true;
    std::array<PropertyStatus, kPropertyCount> status{};
    std::array<size_t, kPropertyCount> violationCount{}; ///< all found, shown or not
    std::vector<ReportedViolation> violations;           ///< capped per property
    std::vector<Disagreement> disagreements;

    size_t events = 0;
    size_t sessions = 0;
    size_t flaggedSessions = 0;
    size_t sampledSessions = 0;
    size_t z3Sessions = 0;
    size_t z3Queries = 0;
    size_t z3Unknown = 0;
    uint64_t seed = 0;
    bool full = false;
    double scanSeconds = 0;
    double z3Seconds = 0;

    /// {"verdict": "pass", "properties": {...}, plus counts and the violations}.
    nlohmann::json ToJson() const;
    /// The explanation printed by `dyscosim check`.
    std::string ToText(const Trace& trace) const;
};

} // namespace verify
} // namespace dysco

#endif
