// `dyscosim campaign` and `dyscosim reproduce`: the sweep front ends (DESIGN.md "Scale and
// distribution"). They parse their own arguments; exit codes as the CLI's: 0 all runs passed,
// 1 a run violated a property, 2 bad input, 3 a run or the merge failed otherwise.
#ifndef DYSCOSIM_CAMPAIGN_COMMAND_H
#define DYSCOSIM_CAMPAIGN_COMMAND_H

#include <string>
#include <vector>

namespace dyscosim
{

/// `args` excludes "dyscosim campaign".
int RunCampaignCommand(const std::vector<std::string>& args);

/// `args` excludes "dyscosim reproduce".
int RunReproduceCommand(const std::vector<std::string>& args);

/// The figures `reproduce` knows, and for those that cannot run yet, what they wait for.
struct FigureEntry
{
    std::string name;
    std::string waitsFor; ///< empty: runnable
};
const std::vector<FigureEntry>& KnownFigures();

} // namespace dyscosim

#endif
