// Helpers shared by the checker tests: paths, seeds, and "check one trace both ways".
#ifndef DYSCO_TESTS_VERIFY_TEST_UTIL_H
#define DYSCO_TESTS_VERIFY_TEST_UTIL_H

#include "checker.h"
#include "session_index.h"
#include "trace.h"
#include "trace_format.h"
#include "trace_reader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <string>
#include <vector>
#include <z3++.h>

namespace dysco
{
namespace verify
{
namespace test
{

/// The repository root: DYSCO_SOURCE_DIR from the environment, else the one compiled in
/// (tests/CMakeLists.txt), else this file's location (relative when ccache's base_dir
/// rewrote it, so only right from the build directory).
inline std::string
SourceDir()
{
    if (const char* d = std::getenv("DYSCO_SOURCE_DIR"))
    {
        return d;
    }
#ifdef DYSCO_SOURCE_DIR
    return DYSCO_SOURCE_DIR; // compiled in by tests/CMakeLists.txt (__FILE__ may be relative)
#endif
    std::string f = __FILE__;
    return f.substr(0, f.rfind("/tests/"));
}

inline std::string
GoldenDir()
{
    return SourceDir() + "/verification/golden";
}

/// The seed for randomized tests: DYSCO_TEST_SEED if set, else `fallback`; always printed.
inline uint64_t
TestSeed(uint64_t fallback)
{
    uint64_t seed = fallback;
    if (const char* s = std::getenv("DYSCO_TEST_SEED"))
    {
        seed = std::strtoull(s, nullptr, 10);
    }
    std::printf("test seed %llu (set DYSCO_TEST_SEED to replay)\n", (unsigned long long)seed);
    return seed;
}

/// Formats and re-reads events (so tests exercise the reader too); fails the test on error.
inline Trace
ToTrace(const nlohmann::json& header, const std::vector<Event>& events)
{
    Trace t;
    std::string error;
    EXPECT_TRUE(TraceReader::Parse(FormatTrace(header, events), "test", &t, &error)) << error;
    return t;
}

/// One (session, property) where scan and Z3 disagree, as text.
inline std::vector<std::string>
Disagreements(const Trace& trace, size_t* violatedPairs = nullptr)
{
    std::vector<std::string> out;
    SessionIndex index(trace);
    z3::context ctx;
    for (size_t s = 0; s < index.Count(); ++s)
    {
        SessionView v = index.View(s);
        for (size_t p = 0; p < kPropertyCount; ++p)
        {
            SessionCheck c = CheckSessionBothWays(ctx, trace, v, PropertyId(p));
            if (c.scan.Violated() && violatedPairs)
            {
                ++*violatedPairs;
            }
            if (!c.Agree())
            {
                out.push_back(std::string(PropertyKey(PropertyId(p))) + " session " +
                              std::to_string(v.sid) + ": scan " +
                              (c.scan.Violated() ? "event " + std::to_string(c.scan.FirstEvent())
                                                 : std::string("clean")) +
                              ", z3 " +
                              (c.z3.status == Z3Result::Status::kViolated
                                   ? "event " + std::to_string(c.z3.event)
                               : c.z3.status == Z3Result::Status::kHolds
                                   ? std::string("holds")
                                   : "unknown " + c.z3.detail));
            }
        }
    }
    return out;
}

} // namespace test
} // namespace verify
} // namespace dysco

#endif
