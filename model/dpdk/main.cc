// dyscosim-dpdk: the Dysco agent core on a DPDK data path (model/dpdk/README.md).
//   dyscosim-dpdk [EAL options] -- --config FILE [options]
// Exit codes: 0 stopped normally, 1 DPDK or run-time failure, 2 bad arguments or
// configuration (the message names the file and JSON path; nothing runs).
#include "app.h"
#include "app_options.h"
#include "eal.h"
#include "scenario_error.h"

#include <cstdio>
#include <exception>

int
main(int argc, char** argv)
{
    using namespace dysco::dpdk;
    ParsedArgs args;
    try
    {
        args = ParseArgs(argc, argv);
    }
    catch (const UsageError& e)
    {
        std::fprintf(stderr, "dyscosim-dpdk: %s\n%s", e.what(), kUsage);
        return 2;
    }
    if (args.help)
    {
        std::fputs(kUsage, stdout);
        return 0;
    }
    AppConfig config;
    try
    {
        config = LoadAppConfigFile(args.options.configFile);
    }
    catch (const dyscosim::ScenarioError& e)
    {
        std::fprintf(stderr, "dyscosim-dpdk: error: %s\n", e.what());
        return 2;
    }
    try
    {
        Eal eal(args.eal, args.options.mbufs);
        try
        {
            App app(config, args.options, eal.Pool());
            app.Run();
        }
        catch (const dyscosim::ScenarioError& e)
        {
            std::fprintf(stderr, "dyscosim-dpdk: error: %s\n", e.what());
            return 2;
        }
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr, "dyscosim-dpdk: %s\n", e.what());
        return 1;
    }
    return 0;
}
