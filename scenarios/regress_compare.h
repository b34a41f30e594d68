// The comparison behind `dyscosim regress`: a run's summary.json flattened into metrics
// ("reconfigurations.succeeded" -> 8), compared against the baseline's with per-metric
// tolerances. Exact by default (verdicts, counts, bytes); a relative tolerance for metrics
// whose names match a pattern (durations); some metrics ignored (wall time, git describe).
// Pure: no ns-3, no processes.
#ifndef DYSCOSIM_REGRESS_COMPARE_H
#define DYSCOSIM_REGRESS_COMPARE_H

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace dyscosim
{

/// Bad baseline or tolerance file; the message names the file.
class RegressInputError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct Tolerances
{
    /// (pattern, relative tolerance): the first pattern matching a metric's name wins; `*`
    /// matches any run of characters. Metrics no pattern matches compare exactly.
    std::vector<std::pair<std::string, double>> relative;
    /// Patterns of metrics left out of the baseline and the comparison.
    std::vector<std::string> ignore;
};

/// The defaults (verification/README.md, "dyscosim regress").
Tolerances DefaultTolerances();

/// The defaults, overridden by DIR/tolerances.json when `path` exists:
/// {"relative": {"PATTERN": 0.05, ...}, "ignore": ["PATTERN", ...]} (both optional; its
/// relative patterns are tried before the defaults, its ignore list is added to them).
Tolerances LoadTolerances(const std::string& path);

/// `*` wildcard match of a whole name.
bool MatchesPattern(const std::string& pattern, const std::string& name);

/// summary.json flattened: nested keys joined by '.', arrays by index ("x.0"); leaves are
/// numbers, strings, booleans or null. Ignored metrics are left out.
nlohmann::ordered_json FlattenSummary(const nlohmann::json& summary, const Tolerances& t);

struct MetricDiff
{
    std::string metric;
    std::string oldValue;  ///< "(absent)" when the metric is new
    std::string newValue;  ///< "(absent)" when the metric disappeared
    std::string tolerance; ///< "exact" or "2 %"
};

/// Every metric of `old` or `now` that differs beyond its tolerance, in name order.
std::vector<MetricDiff> CompareMetrics(const nlohmann::ordered_json& old,
                                       const nlohmann::ordered_json& now, const Tolerances& t);

} // namespace dyscosim

#endif
