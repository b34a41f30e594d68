#include "prove_command.h"

#include "proof_registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace dysco
{
namespace proofs
{

namespace
{

constexpr const char* kUsage =
    "usage: dyscosim-prove [--only NAME,...] [--timeout SECONDS] [--list]\n"
    "  Proves with Z3, for all 32-bit inputs, that the core's rewrite functions are right:\n"
    "  sequence deltas and wrap-safe order, SACK block translation, incremental checksums\n"
    "  (ChecksumUpdate16/32, PacketView::SetTuple) against full recomputation.\n"
    "  Claims named *_FACT (documented facts) and *_WRONG (deliberately wrong variants) are\n"
    "  expected to come back with a counterexample.\n"
    "  --only NAME,...   run only these proofs (see --list)\n"
    "  --timeout S       solver timeout per proof in seconds (default 60); hitting it fails\n"
    "  --list            print the proof names and what each is expected to give\n"
    "  exit: 0 every proof as expected, 1 one is not (or timed out), 2 bad usage\n";

int
Usage(const std::string& message)
{
    std::cerr << "dyscosim-prove: " << message << "\n" << kUsage;
    return 2;
}

std::vector<std::string>
SplitCommas(std::string_view s)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size())
    {
        const size_t comma = s.find(',', start);
        const size_t end = comma == std::string_view::npos ? s.size() : comma;
        if (end > start)
        {
            out.emplace_back(s.substr(start, end - start));
        }
        start = end + 1;
    }
    return out;
}

void
Print(const ProofResult& r, ProofStatus expected)
{
    const bool ok = r.status == expected;
    std::printf("%-6s %-44s %-15s %7.3f s%s\n", ok ? "[ok]" : "[FAIL]", r.name.c_str(),
                ProofStatusName(r.status), r.seconds,
                ok && expected == ProofStatus::kCounterexample ? "  (expected)" : "");
    std::printf("       %s\n", r.statement.c_str());
    std::printf("       method: %s\n", r.method.c_str());
    if (r.status == ProofStatus::kCounterexample)
    {
        std::printf("       counterexample: %s\n", r.model.c_str());
    }
    if (r.status == ProofStatus::kUnknown)
    {
        std::printf("       NOT DECIDED: %s\n", r.detail.c_str());
    }
    if (!ok)
    {
        std::printf("       expected: %s\n", ProofStatusName(expected));
    }
}

} // namespace

int
RunProveCommand(int argc, char** argv)
{
    ProofOptions options;
    std::vector<std::string> only;
    bool list = false;
    for (int i = 1; i < argc; ++i)
    {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h")
        {
            std::cout << kUsage;
            return 0;
        }
        else if (a == "--list")
        {
            list = true;
        }
        else if (a == "--only")
        {
            if (i + 1 >= argc)
            {
                return Usage("--only needs a comma-separated list of proof names");
            }
            only = SplitCommas(argv[++i]);
            for (const std::string& name : only)
            {
                if (FindProof(name) == nullptr)
                {
                    return Usage("unknown proof " + name + " (see --list)");
                }
            }
        }
        else if (a == "--timeout")
        {
            // Seconds, fractions allowed (a tiny timeout shows what hitting it looks like).
            const std::string v = i + 1 < argc ? argv[i + 1] : "";
            char* end = nullptr;
            const double seconds = std::strtod(v.c_str(), &end);
            if (v.empty() || end != v.c_str() + v.size() || !(seconds > 0) || seconds > 3600)
            {
                return Usage("--timeout needs a number of seconds (0 < S <= 3600)");
            }
            options.timeoutMs = std::max(1u, unsigned(seconds * 1000));
            ++i;
        }
        else
        {
            return Usage("unknown argument " + std::string(a));
        }
    }

    if (list)
    {
        for (const ProofEntry& e : AllProofs())
        {
            std::printf("%-44s expected: %s\n", e.name.c_str(), ProofStatusName(e.expected));
        }
        return 0;
    }

    size_t run = 0;
    size_t failed = 0;
    double total = 0;
    for (const ProofEntry& e : AllProofs())
    {
        if (!only.empty() && std::find(only.begin(), only.end(), e.name) == only.end())
        {
            continue;
        }
        const ProofResult r = e.run(options);
        Print(r, e.expected);
        std::fflush(stdout);
        ++run;
        total += r.seconds;
        failed += r.status == e.expected ? 0 : 1;
    }
    std::printf("%zu proofs, %zu as expected, %zu not; solver time %.3f s\n", run, run - failed,
                failed, total);
    return failed == 0 ? 0 : 1;
}

} // namespace proofs
} // namespace dysco
