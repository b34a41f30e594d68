// The report of a reproduced figure: a PNG plot (gnuplot) and comparison.md, our numbers
// beside the paper's with the ratio and why they differ. Reads the merged campaign only.
#ifndef DYSCOSIM_REPRODUCE_REPORT_H
#define DYSCOSIM_REPRODUCE_REPORT_H

#include "campaign_merge.h"
#include "campaign_spec.h"

#include <string>

namespace dyscosim
{

struct ReportInfo
{
    std::string command;   ///< how it was produced
    std::string preset;    ///< "quick" or "full"
    double wallS = 0;      ///< wall time of the whole reproduction
    std::string plotError; ///< set by WritePlot when gnuplot failed
};

/// Writes DIR/<name>.gp, the data files and runs gnuplot for DIR/<name>.png; false (and
/// info->plotError) if gnuplot is missing or failed.
bool WritePlot(const CampaignSpec& spec, const MergeResult& m, const std::string& dir,
               ReportInfo* info);

/// The comparison rows as plain data: what, paper, ours, ci, ratio, why (for tests too).
struct ComparisonRow
{
    std::string what;
    std::string paperText;
    double paper = 0;
    bool hasPaper = false;
    double ours = 0;
    double ci = 0;
    bool hasOurs = false;
    std::string unit;
    std::string why;
};
std::vector<ComparisonRow> Compare(const CampaignSpec& spec, const MergeResult& m);

/// DIR/comparison.md.
void WriteComparison(const CampaignSpec& spec, const MergeResult& m, const ReportInfo& info,
                     const std::string& dir);

} // namespace dyscosim

#endif
