// The command line of dyscosim-dpdk: EAL arguments before "--", the application's after.
#ifndef DYSCO_DPDK_APP_OPTIONS_H
#define DYSCO_DPDK_APP_OPTIONS_H

#include "app.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace dysco::dpdk
{

extern const char* const kUsage;

class UsageError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

struct ParsedArgs
{
    std::vector<std::string> eal; ///< argv[0] and the EAL arguments
    AppOptions options;
    bool help = false;
};

/// Throws UsageError with a one-line message.
ParsedArgs ParseArgs(int argc, char** argv);

} // namespace dysco::dpdk

#endif
