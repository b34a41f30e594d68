// Command-line parsing for `dyscosim`, kept apart from main() so it can be unit-tested.
// Bad usage throws UsageError; main() prints it with the usage and exits with code 2.
#ifndef DYSCOSIM_CLI_ARGS_H
#define DYSCOSIM_CLI_ARGS_H

#include "fuzz_command.h"
#include "regress_command.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dyscosim
{

class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct RunArgs
{
    std::string scenario;
    bool quick = false;
    std::optional<uint32_t> seed; ///< overrides the scenario's seed
    std::string outDir;           ///< empty: results/<scenario name>
    bool pcap = false;
    bool trace = true; ///< record DIR/trace.txt and check it (--no-trace: neither)
};

struct CliCommand
{
    enum class Kind
    {
        kHelp,      ///< print usage, exit 0
        kVersion,   ///< print the git describe, exit 0
        kRun,       ///< dyscosim run ...
        kCheck,     ///< dyscosim check ... (arguments in checkArgs, parsed by the checker)
        kDiagram,   ///< dyscosim diagram ... (arguments parsed by the diagram command)
        kFuzz,      ///< dyscosim fuzz ...
        kRegress,   ///< dyscosim regress ...
        kCampaign,  ///< dyscosim campaign ... (arguments parsed by the campaign command)
        kReproduce, ///< dyscosim reproduce ... (arguments parsed by the command)
    };
    Kind kind = Kind::kHelp;
    std::string subcommand;
    RunArgs run;
    FuzzArgs fuzz;
    RegressArgs regress;
    std::vector<std::string> checkArgs;
};

/// `args` excludes argv[0].
CliCommand ParseCommandLine(const std::vector<std::string>& args);

std::string UsageText();

} // namespace dyscosim

#endif
