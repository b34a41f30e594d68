// Figure 14's plot kind "bundles": goodput per bundle (traffic entry) over time around a
// state migration. Each run's goodput.csv (bytes delivered so far per bundle, every 10 ms) is
// cut into bins; per run the bundles' goodput before and after the migration and the dip
// right after it become metrics; the merge keeps the bins' mean over seeds for the plot.
// No ns-3.
#ifndef DYSCOSIM_FIGURE_FIG14_H
#define DYSCOSIM_FIGURE_FIG14_H

#include "campaign_spec.h"

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dyscosim
{

class JsonObject;
struct MergeResult;

/// Validates the spec's "bundles" object (file, bin_s, migration_s, before_s, after_s,
/// dip_s, moved, label); throws ScenarioError naming the JSON path.
nlohmann::json ParseBundlesSpec(const JsonObject& top, const nlohmann::json& doc);

/// Per-run metrics from DIR/<file> into `values` (bundle<i>_before_mbps, bundle<i>_after_mbps,
/// bundle<i>_dip_pct, moved_vs_stayed) and the run's bins into `bins[series]`.
/// Throws MergeError on a malformed file; a missing file adds nothing.
void ReadBundleGoodput(const CampaignSpec& spec, const JobSpec& job,
                       std::map<std::string, std::vector<double>>* values,
                       std::map<std::string, std::vector<std::vector<std::vector<double>>>>* bins);

/// The bins' mean over runs, per series: {"time_s": [...], "mbps": [[bundle0...], ...],
/// "runs": n}.
nlohmann::json MeanBundleGoodput(
    const CampaignSpec& spec,
    const std::map<std::string, std::vector<std::vector<std::vector<double>>>>& bins);

/// DIR/goodput_<series>.csv (time_s,bundle0_mbps,...) from the merged bins.
void WriteBundleGoodputCsv(const MergeResult& m, const std::string& dir);

/// gnuplot lines (axis labels, the migration marked) and plot clauses for the merged bins.
std::string BundleGoodputGnuplot(const CampaignSpec& spec, const MergeResult& m,
                                 const std::string& dir, std::vector<std::string>* plots);

/// comparison.md section: per series and bundle, goodput before / after and the dip.
std::string BundleGoodputTable(const CampaignSpec& spec, const MergeResult& m);

} // namespace dyscosim

#endif
