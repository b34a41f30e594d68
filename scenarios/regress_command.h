// `dyscosim regress --baseline DIR [--update] [--jobs J] [--out DIR] [--only NAME,...]
// [--scenarios DIR] [--fuzz-seeds N]`: runs the scenario suite (scenarios/*.json and
// scenarios/reconfig/*.json, --quick where they define it) and fixed fuzz seeds, each in a
// child `dyscosim run`, and compares each summary.json with DIR/baseline.json
// (regress_compare.h). Exit 0 identical within tolerance, 1 some difference (printed per
// case and metric), 2 bad input (the message names the file); --update writes the baseline.
#ifndef DYSCOSIM_REGRESS_COMMAND_H
#define DYSCOSIM_REGRESS_COMMAND_H

#include <string>
#include <vector>

namespace dyscosim
{

struct RegressArgs
{
    std::string baseline;
    bool update = false;
    unsigned jobs = 1;
    std::string outDir = "results/regress";
    std::vector<std::string> only; ///< case names ("quickstart", "reconfig/insert-1", "fuzz-3")
    std::string scenariosDir;      ///< empty: the source tree's scenarios/, else ./scenarios
    unsigned fuzzSeeds = 8;        ///< fuzz-1 .. fuzz-N (seeds 1..N)
};

int RunRegressCommand(const RegressArgs& args);

} // namespace dyscosim

#endif
