// `dyscosim fuzz --runs N [--seed S] [--jobs J] [--out DIR] [--keep]`: N random scenarios
// (fuzz_generator.h), each written to DIR/fuzz-SEED.json and run by a child `dyscosim run`
// with the delivery check and the trace checker; a failing run prints its seed, the violated
// properties and the command that replays it. Exit 0 all passed, 1 some run failed, 2 bad input.
#ifndef DYSCOSIM_FUZZ_COMMAND_H
#define DYSCOSIM_FUZZ_COMMAND_H

#include <cstdint>
#include <string>

namespace dyscosim
{

struct FuzzArgs
{
    uint64_t runs = 0;
    uint32_t seed = 1; ///< run i uses FuzzRunSeed(seed, i)
    unsigned jobs = 1;
    std::string outDir = "results/fuzz";
    bool keep = false; ///< keep passing runs' result directories (traces), not only the JSON
};

int RunFuzzCommand(const FuzzArgs& args);

/// How a command line replays something with this very binary: "dyscosim", or, in the mutant
/// test build, "DYSCO_MUTANT=name dyscosim-mutants".
std::string ReplayProgram();

} // namespace dyscosim

#endif
