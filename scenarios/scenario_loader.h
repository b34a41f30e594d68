// Loads a scenario file: JSON syntax, then the schema (types, ranges, units, node names),
// then the cross-checks (timing against the stop time, topology connectivity and chain
// reachability). Any problem throws a ScenarioError naming the file and JSON path; a
// Scenario that comes back is safe to build.
#ifndef DYSCOSIM_SCENARIO_LOADER_H
#define DYSCOSIM_SCENARIO_LOADER_H

#include "scenario.h"

#include <string>

namespace dyscosim
{

struct LoadOptions
{
    bool quick = false; ///< apply the file's `quick` reductions before the cross-checks
};

/// Reads and validates `path`.
Scenario LoadScenarioFile(const std::string& path, const LoadOptions& options = {});

/// Validates `text` as if read from a file called `file` (used in messages only).
Scenario LoadScenarioText(const std::string& text, const std::string& file,
                          const LoadOptions& options = {});

} // namespace dyscosim

#endif
