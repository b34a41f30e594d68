// A campaign: one or more scenarios (series) swept over parameter points and seeds. The
// paper's figures are campaigns with a plot and a comparison (scenarios/figures/*.json);
// `dyscosim campaign` and `dyscosim reproduce` share this expansion. No ns-3.
#ifndef DYSCOSIM_CAMPAIGN_SPEC_H
#define DYSCOSIM_CAMPAIGN_SPEC_H

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dyscosim
{

/// A named number read from each run's summary.json (`path` is dotted: "timing.goodput_bps").
struct MetricSpec
{
    std::string name;
    std::string path;
    double scale = 1.0;
    std::string label;
};

struct SeriesSpec
{
    std::string name;
    std::string scenario; ///< file, relative to the spec; "{x}" is replaced by the point's x
};

struct PointSpec
{
    double x = 0;
    std::string xText; ///< x as written (file names, scenario templates)
    nlohmann::json set = nlohmann::json::object(); ///< "traffic[*].bytes" -> value
};

/// One run: a series at a point with a seed.
struct JobSpec
{
    std::string series;
    PointSpec point;
    uint32_t seed = 1;
    std::string dir;      ///< run directory (absolute), readable: series_<key><x>_seed<S>
    std::string scenario; ///< the generated scenario file in dir
};

struct CampaignSpec
{
    std::string file;
    std::string name; ///< "fig8"
    std::string title;
    std::string xKey = "x"; ///< short name of the swept parameter, used in directory names
    std::string xLabel;
    bool xLog = false;
    std::string plot = "lines"; ///< "lines", "bars", "cdf" or "bundles" (figure_fig14.h)
    std::vector<MetricSpec> metrics;
    std::string yMetric; ///< plotted metric (a name in metrics)
    std::vector<SeriesSpec> series;
    std::vector<PointSpec> points;
    std::vector<uint32_t> seeds;
    bool trace = false;   ///< record and check each run's trace (slower)
    nlohmann::json cdf;   ///< plot "cdf": {file, column, where: {col: value}, label}
    nlohmann::json paper; ///< comparisons, notes (read by the report)
    nlohmann::json raw;   ///< the whole spec
    /// plot "bundles": goodput per bundle over time (figure_fig14.h)
    nlohmann::json bundles;
};

/// Loads and validates a spec; `quick` applies its "quick" section (points, seeds).
/// Throws ScenarioError naming the file and JSON path.
CampaignSpec LoadCampaignSpec(const std::string& file, bool quick);

/// The runs of a campaign under `outDir` (absolute run directories).
std::vector<JobSpec> ExpandJobs(const CampaignSpec& spec, const std::string& outDir);

/// Writes each job's scenario file (the series' scenario with the point's settings and a
/// readable name). Throws ScenarioError on a bad setting path.
void WriteJobScenarios(const CampaignSpec& spec, const std::vector<JobSpec>& jobs);

/// The shell command that runs one job with `dyscosim` (an absolute path).
std::string JobCommand(const CampaignSpec& spec, const JobSpec& job, const std::string& dyscosim);

/// Applies one "set" entry ("traffic[*].sessions", "links[2].rate", "duration_s") to `doc`.
/// Throws std::invalid_argument when the path does not exist in doc.
void ApplySetting(nlohmann::json* doc, const std::string& path, const nlohmann::json& value);

} // namespace dyscosim

#endif
