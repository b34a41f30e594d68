// Shared helpers of the reconfiguration suite (CTest label `reconfig`): run a shipped
// scenario through the runner (no trace, no progress) and judge what it left behind.
#ifndef DYSCOSIM_TESTS_RECONFIG_FIXTURE_H
#define DYSCOSIM_TESTS_RECONFIG_FIXTURE_H

#include "delivery_check.h"
#include "run_result.h"
#include "runner.h"
#include "scenario_loader.h"

#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dyscosim::test
{

struct Outcome
{
    Scenario scenario;
    RunResult result;
    CheckOutcome check;

    /// Records of the agents' reconfigurations with this outcome ("succeeded", ...).
    std::vector<ReconfigRecord> With(const std::string& outcome) const
    {
        std::vector<ReconfigRecord> out;
        for (const auto& r : result.reconfigurations)
        {
            if (r.outcome == outcome)
            {
                out.push_back(r);
            }
        }
        return out;
    }

    /// Sum of an agent counter over all nodes ("reconfig_attempted", ...).
    uint64_t Counter(const std::string& name) const
    {
        uint64_t sum = 0;
        for (const auto& a : result.agents)
        {
            auto it = a.counters.find(name);
            sum += it != a.counters.end() ? it->second : 0;
        }
        return sum;
    }

    const MiddleboxResult* Middlebox(const std::string& node) const
    {
        for (const auto& m : result.middleboxes)
        {
            if (m.node == node)
            {
                return &m;
            }
        }
        return nullptr;
    }

    uint64_t Failure(const std::string& name) const
    {
        auto it = result.failures.find(name);
        return it != result.failures.end() ? it->second : 0;
    }
};

/// Runs scenarios/<file> (optionally with another seed, or --quick).
inline Outcome
RunShipped(const std::string& file, std::optional<uint32_t> seed = std::nullopt, bool quick = false)
{
    Outcome o;
    o.scenario =
        LoadScenarioFile(std::string(DYSCO_SOURCE_DIR) + "/scenarios/" + file, LoadOptions{quick});
    if (seed)
    {
        o.scenario.seed = *seed;
    }
    RunOptions options;
    options.progress = false;
    options.trace = false;
    options.outDir = ::testing::TempDir();
    o.result = RunScenario(o.scenario, options);
    o.check = CheckDelivery(o.result);
    return o;
}

/// Every stream arrived byte-exact in both directions and closed, the run's checks passed,
/// and the agents hold no session and run no reconfiguration any more.
inline void
ExpectExactAndClean(const Outcome& o)
{
    EXPECT_TRUE(o.check.pass);
    for (const auto& v : o.check.violations)
    {
        ADD_FAILURE() << v;
    }
    ASSERT_FALSE(o.result.sessions.empty());
    for (const auto& s : o.result.sessions)
    {
        EXPECT_TRUE(s.Completed()) << "session " << s.streamId;
        EXPECT_GT(s.reverseRequested, 0u) << "session " << s.streamId << " is one-way";
        EXPECT_EQ(s.reverseDelivered, s.reverseRequested) << "session " << s.streamId;
        EXPECT_EQ(s.bytesDelivered, s.bytesRequested) << "session " << s.streamId;
    }
    for (const auto& a : o.result.agents)
    {
        EXPECT_EQ(a.sessionsLeft, 0u) << "state left at " << a.node;
    }
    EXPECT_EQ(o.result.reconfigurationsActive, 0u);
}

/// Number of sessions whose stream ids the scenario has.
inline size_t
SessionCount(const Outcome& o)
{
    return o.result.sessions.size();
}

} // namespace dyscosim::test

#endif
