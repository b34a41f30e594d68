#include "check_command.h"

#include "checker.h"
#include "trace_dump.h"
#include "trace_reader.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

namespace dysco
{
namespace verify
{

namespace
{

constexpr const char* kUsage =
    "usage: dyscosim check TRACE [--full] [--seed N] [--sample N] [--json]\n"
    "       dyscosim check TRACE --dump [--session S]\n"
    "  Checks a dyscosim trace against the five properties (no_data_loss, seq_ack_correct,\n"
    "  lock_exclusive, reconfig_terminates, clean_termination): a linear scan over every\n"
    "  session, Z3 on every flagged session and on a seeded sample of the others.\n"
    "  --full      run Z3 on every session\n"
    "  --seed N    seed of the Z3 sample (default 1; printed)\n"
    "  --sample N  unflagged sessions Z3 also checks (default 16)\n"
    "  --json      print the report as JSON (summary.json's \"check\" object)\n"
    "  --dump      print the trace in readable form instead of checking it\n"
    "  --session S with --dump: only session S\n"
    "  exit: 0 pass, 1 violation (explained), 2 bad input or usage\n";

bool
ParseU64(std::string_view s, uint64_t* v)
{
    auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty();
}

int
Usage(const std::string& message)
{
    std::cerr << "dyscosim check: " << message << "\n" << kUsage;
    return 2;
}

} // namespace

int
RunCheckCommand(int argc, char** argv)
{
    CheckOptions options;
    bool json = false;
    bool dump = false;
    bool haveSession = false;
    uint64_t session = 0;
    std::string path;
    for (int i = 1; i < argc; ++i)
    {
        std::string_view a = argv[i];
        auto value = [&](uint64_t* v)
        {
            if (i + 1 >= argc || !ParseU64(argv[i + 1], v))
            {
                return false;
            }
            ++i;
            return true;
        };
        if (a == "--help" || a == "-h")
        {
            std::cout << kUsage;
            return 0;
        }
        else if (a == "--full")
        {
            options.full = true;
        }
        else if (a == "--json")
        {
            json = true;
        }
        else if (a == "--dump")
        {
            dump = true;
        }
        else if (a == "--seed")
        {
            if (!value(&options.seed))
            {
                return Usage("--seed needs an unsigned integer");
            }
        }
        else if (a == "--sample")
        {
            uint64_t n = 0;
            if (!value(&n))
            {
                return Usage("--sample needs an unsigned integer");
            }
            options.sample = size_t(n);
        }
        else if (a == "--session")
        {
            if (!value(&session))
            {
                return Usage("--session needs a session id");
            }
            haveSession = true;
        }
        else if (!a.empty() && a[0] == '-')
        {
            return Usage("unknown option " + std::string(a));
        }
        else if (path.empty())
        {
            path = std::string(a);
        }
        else
        {
            return Usage("more than one trace given (" + path + ", " + std::string(a) + ")");
        }
    }
    if (path.empty())
    {
        return Usage("no trace file given");
    }

    const auto t0 = std::chrono::steady_clock::now();
    Trace trace;
    std::string error;
    if (!TraceReader::ReadFile(path, &trace, &error))
    {
        std::cerr << "dyscosim check: bad trace: " << error << "\n";
        return 2;
    }
    const double readSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    if (dump)
    {
        std::string out;
        for (size_t i = 0; i < trace.events.size(); ++i)
        {
            if (haveSession && trace.events[i].session != session)
            {
                continue;
            }
            out += DumpEvent(trace, i);
            out += '\n';
            if (out.size() > (1 << 20))
            {
                std::fwrite(out.data(), 1, out.size(), stdout);
                out.clear();
            }
        }
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
    }

    std::fprintf(stderr,
                 "dyscosim check: read %zu events in %.3f s; checking (Z3 sample seed %llu)\n",
                 trace.events.size(), readSeconds, (unsigned long long)options.seed);
    CheckReport report = RunChecker(trace, options);
    if (json)
    {
        std::cout << report.ToJson().dump(2) << "\n";
    }
    else
    {
        std::cout << report.ToText(trace);
    }
    return report.pass ? 0 : 1;
}

} // namespace verify
} // namespace dysco
