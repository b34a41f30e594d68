// Runs a campaign's jobs on this machine, N at a time, each as its own process (one ns-3
// simulation per process), recording per job DIR/cost.json: wall time, CPU time and peak
// resident memory (from wait4). Used by `dyscosim reproduce` and `campaign --run`.
#ifndef DYSCOSIM_CAMPAIGN_EXEC_H
#define DYSCOSIM_CAMPAIGN_EXEC_H

#include "campaign_spec.h"

#include <string>
#include <vector>

namespace dyscosim
{

struct ExecOutcome
{
    size_t passed = 0;                 ///< exit 0
    size_t violated = 0;               ///< exit 1: a property was violated
    size_t failed = 0;                 ///< any other exit (bad input, internal error, signal)
    std::vector<std::string> failures; ///< "dir: exit N" for the last two kinds
};

ExecOutcome RunJobsLocally(const CampaignSpec& spec, const std::vector<JobSpec>& jobs,
                           const std::string& dyscosim, unsigned parallel);

/// This executable's absolute path (/proc/self/exe).
std::string SelfPath();

} // namespace dyscosim

#endif
