// Time-series figures (Figures 11 and 13): goodput per bundle (traffic entry) per time bin
// and the proxy's work per bin, read from each run's goodput.csv, around the splice times
// the run's scenario scheduled (its proxies' splice_at, or start + splice_after_s). A campaign
// spec opts in with "plot": "timeseries" and "timeseries": {"bin_s", "window_s"}. No ns-3.
#ifndef DYSCOSIM_FIGURE_TIMESERIES_H
#define DYSCOSIM_FIGURE_TIMESERIES_H

#include "campaign_merge.h"
#include "campaign_spec.h"
#include "reproduce_report.h"

#include <string>
#include <vector>

namespace dyscosim
{

/// One run's binned series: bins[i] starts at i * binS.
struct BinnedRun
{
    double binS = 0;
    std::vector<double> marks;                ///< splice times (s)
    std::vector<std::vector<double>> bundles; ///< [bundle][bin] goodput, Mbps
    std::vector<double> total;                ///< [bin] Mbps
    std::vector<double> proxyCpu;             ///< [bin] relay CPU seconds per second
    std::vector<double> proxyMbps;            ///< [bin] bytes the proxy relayed, Mbps
};

/// Bins a goodput.csv text (cumulative bytes per sample). Throws MergeError on bad input.
BinnedRun BinGoodput(const std::string& csv, double binS, const std::string& what);

/// The window numbers of one run (window w: before = [m1 - w, m1), after = [mN + w/4, mN + w)
/// for the first and last mark m1, mN): total_before_mbps, total_after_mbps, gain,
/// min_bundle_gain (each bundle k around mark k), dip_pct (lowest bin in [m1, m1 + w) as %
/// of before), proxy_cpu_before, proxy_cpu_after, proxy_mbps_before, proxy_mbps_after.
std::map<std::string, double> WindowMetrics(const BinnedRun& r, double windowS);

/// Adds the window metrics to the merged points and writes timeseries_<series>.csv (mean over
/// seeds per bin), then rewrites merged.json/csv. No-op unless spec.plot is "timeseries".
void AddTimeseries(const CampaignSpec& spec, const std::vector<JobSpec>& jobs,
                   const std::string& dir, MergeResult* m);

/// DIR/<name>.png: goodput per bundle over time (top), proxy work (bottom), splices marked.
bool WriteTimeseriesPlot(const CampaignSpec& spec, const std::string& dir, ReportInfo* info);

} // namespace dyscosim

#endif
