#include "app_options.h"

#include <cmath>
#include <cstdlib>

namespace dysco::dpdk
{

const char* const kUsage =
    "usage: dyscosim-dpdk [EAL options] -- --config FILE [options]\n"
    "  --config FILE         agents, ports, policies, scheduled reconfigurations (JSON)\n"
    "  --control PATH        UNIX datagram socket for commands:\n"
    "                          reconfigure AGENT RIGHT_ANCHOR [MIDDLEBOX...] | stats | quit\n"
    "  --stats-interval S    counters as a JSON line every S seconds (default 10, 0 = off)\n"
    "  --stats-file PATH     also write the final counters to PATH\n"
    "  --run-for S           stop after S seconds (default: at SIGINT/SIGTERM or quit)\n"
    "  --exit-idle S         stop after S seconds without any frame\n"
    "  --mbufs N             mbuf pool size (default 16384)\n"
    "EAL options that work without hugepages or NICs:\n"
    "  -l 0 --no-huge -m 256 --no-pci --no-shconf --no-telemetry --vdev=net_tap0,iface=NAME\n"
    "Exit codes: 0 stopped, 1 DPDK or run-time failure, 2 bad arguments or configuration.\n";

namespace
{

double
Seconds(const std::string& option, const std::string& text)
{
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(d) || d < 0 || d > 1e6)
    {
        throw UsageError("option '" + option + "' expects seconds (0 to 1e6), got '" + text + "'");
    }
    return d;
}

} // namespace

ParsedArgs
ParseArgs(int argc, char** argv)
{
    ParsedArgs r;
    int i = 0;
    for (; i < argc && std::string(argv[i]) != "--"; ++i)
    {
        const std::string a = argv[i];
        if (i > 0 && (a == "--help" || a == "-h"))
        {
            r.help = true;
            return r;
        }
        r.eal.push_back(a);
    }
    if (r.eal.empty())
    {
        r.eal.push_back("dyscosim-dpdk");
    }
    if (i == argc)
    {
        throw UsageError("missing '--' and the application options (--config FILE)");
    }
    for (++i; i < argc; ++i)
    {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h")
        {
            r.help = true;
            return r;
        }
        auto value = [&]() -> std::string
        {
            if (i + 1 >= argc)
            {
                throw UsageError("option '" + a + "' needs a value");
            }
            return argv[++i];
        };
        if (a == "--config")
        {
            r.options.configFile = value();
        }
        else if (a == "--control")
        {
            r.options.controlPath = value();
        }
        else if (a == "--stats-file")
        {
            r.options.statsFile = value();
        }
        else if (a == "--stats-interval")
        {
            r.options.statsIntervalS = Seconds(a, value());
        }
        else if (a == "--run-for")
        {
            r.options.runForS = Seconds(a, value());
        }
        else if (a == "--exit-idle")
        {
            r.options.exitIdleS = Seconds(a, value());
        }
        else if (a == "--mbufs")
        {
            const std::string v = value();
            char* end = nullptr;
            const unsigned long n = std::strtoul(v.c_str(), &end, 10);
            if (v.empty() || *end != '\0' || n < 1024 || n > (1u << 22))
            {
                throw UsageError("option '--mbufs' expects a count from 1024 to 4194304, got '" +
                                 v + "'");
            }
            r.options.mbufs = unsigned(n);
        }
        else
        {
            throw UsageError("unknown option '" + a + "'");
        }
    }
    if (r.options.configFile.empty())
    {
        throw UsageError("missing --config FILE");
    }
    return r;
}

} // namespace dysco::dpdk
