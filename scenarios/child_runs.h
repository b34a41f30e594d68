// Runs `dyscosim run` in child processes, a few at a time: what `fuzz` and `regress` do for
// each scenario. One run per process keeps ns-3's global state (the simulator, seeds, Config)
// from leaking from one run into the next, and a crash only fails its own run.
#ifndef DYSCOSIM_CHILD_RUNS_H
#define DYSCOSIM_CHILD_RUNS_H

#include <functional>
#include <string>
#include <vector>

namespace dyscosim
{

struct ChildRun
{
    std::vector<std::string> args; ///< after the program name, e.g. {"run", "x.json", ...}
    std::string logFile;           ///< the child's stdout and stderr
};

struct ChildResult
{
    int exitCode = -1; ///< -1: no exit (signal or could not start)
    int signal = 0;    ///< the signal that ended it, if any
    double wallS = 0;
};

/// This program's own executable (/proc/self/exe), so children run the same build.
std::string SelfExecutable();

/// Runs every child, at most `jobs` at once; `done(i, result)` is called in the parent as
/// each one ends (in the order they end).
void RunChildren(const std::vector<ChildRun>& runs, unsigned jobs,
                 const std::function<void(size_t, const ChildResult&)>& done);

/// "exit 3", "killed by signal 11 (Segmentation fault)", ...
std::string DescribeExit(const ChildResult& r);

} // namespace dyscosim

#endif
