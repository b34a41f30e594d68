// Merging a campaign's run directories: per (series, point) the mean, standard deviation
// and 95 % confidence interval of each metric over seeds, pooled CDF samples, and the
// simulation cost (cost.json, written by `dyscosim reproduce`). Refuses to mix results of
// different code versions (summary.json git_describe) unless allowed. No ns-3.
#ifndef DYSCOSIM_CAMPAIGN_MERGE_H
#define DYSCOSIM_CAMPAIGN_MERGE_H

#include "campaign_spec.h"

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace dyscosim
{

class MergeError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct Stat
{
    size_t n = 0;
    double mean = 0;
    double sd = 0;
    double ci95 = 0; ///< half-width, Student's t
    std::vector<double> values;
};

Stat MakeStat(const std::vector<double>& values);

struct MergedPoint
{
    std::string series;
    double x = 0;
    std::string xText;
    std::map<std::string, Stat> metrics; ///< by metric name; cost: cpu_s, wall_s, peak_rss_mb
    size_t runs = 0;
    size_t failed = 0; ///< runs whose check verdict was not "pass"
};

struct MergeResult
{
    std::vector<MergedPoint> points;
    std::map<std::string, std::vector<double>> cdf; ///< pooled samples per series, sorted
    std::vector<std::string> gitDescribes;          ///< distinct versions seen
    std::vector<std::string> missing;               ///< run directories without summary.json
    /// plot "bundles": the bins' mean over seeds per series (figure_fig14.h)
    nlohmann::json bundles = nlohmann::json::object();
};

/// Reads every job's summary.json (and cost.json, and the CDF file). Throws MergeError when
/// versions differ and !allowMixed, or when no run has a summary.
MergeResult MergeRuns(const CampaignSpec& spec, const std::vector<JobSpec>& jobs, bool allowMixed);

/// merged.json and merged.csv (series,x,metric,n,mean,sd,ci95) in outDir.
void WriteMerged(const CampaignSpec& spec, const MergeResult& m, const std::string& outDir);

/// The point of a series at x, or null.
const MergedPoint* FindPoint(const MergeResult& m, const std::string& series, double x);

} // namespace dyscosim

#endif
