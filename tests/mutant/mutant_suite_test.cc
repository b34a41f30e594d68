// The mutant suite: every deliberate protocol bug of core/mutant.h runs in the scenario that
// exposes it (tests/mutant/scenarios), with the whole simulator built against the mutant core,
// and the trace checker must flag exactly the properties the bug breaks. The correct protocol
// runs the same scenarios and passes, so a flag is never a false alarm. The scenarios' seeds
// are fixed (printed with every result); a failure prints the checker's explanation.
#include "core/mutant.h"
#include "runner.h"
#include "scenario_loader.h"
#include "trace_check.h"

#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <iostream>
#include <set>
#include <string>
#include <vector>

namespace dyscosim
{
namespace
{

using dysco::Mutant;
namespace v = dysco::verify;

struct Outcome
{
    uint32_t seed = 0;
    std::set<std::string> failing; ///< properties the checker flags
    TraceCheck check;
    CheckOutcome delivery;
};

std::string
ScratchDir(const std::string& tag)
{
    std::string tmpl = std::string(::testing::TempDir()) + "dysco-mutant-" + tag + "-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    const char* dir = mkdtemp(buf.data());
    return dir ? dir : "";
}

Outcome
RunWith(Mutant mutant, const std::string& scenario)
{
    Outcome o;
    Scenario s = LoadScenarioFile(std::string(DYSCO_SOURCE_DIR) + "/tests/mutant/scenarios/" +
                                      scenario + ".json",
                                  LoadOptions{false});
    o.seed = s.seed;
    std::printf("%s in %s: seed %u\n", dysco::ToString(mutant), scenario.c_str(), s.seed);
    RunOptions options;
    options.outDir = ScratchDir(std::string(dysco::ToString(mutant)));
    options.trace = true;
    options.progress = false;
    dysco::SetMutant(mutant);
    RunResult r = RunScenario(s, options);
    dysco::SetMutant(Mutant::kNone);
    o.delivery = CheckDelivery(r);
    o.check = CheckTrace(TracePath(options.outDir), s.seed);
    for (size_t p = 0; p < v::kPropertyCount; ++p)
    {
        if (o.check.report.status[p] == v::PropertyStatus::kFail)
        {
            o.failing.insert(v::PropertyKey(v::PropertyId(p)));
        }
    }
    return o;
}

std::string
Describe(const Outcome& o)
{
    std::string text = "seed " + std::to_string(o.seed) + "; flagged:";
    for (const auto& p : o.failing)
    {
        text += " " + p;
    }
    return text + "\n" + (o.check.read ? o.check.text : "trace unreadable: " + o.check.error);
}

/// A mutant, the scenario that exposes it, and what the checker must say: the property the
/// bug breaks, and the ones that fail only as its consequence (a connection the bug stalls
/// never closes, and a reconfiguration waiting for its acks never ends).
struct MutantCase
{
    Mutant mutant;
    const char* scenario;
    const char* broken;
    std::set<std::string> consequences;

    std::set<std::string> Flagged() const
    {
        std::set<std::string> all = consequences;
        all.insert(broken);
        return all;
    }
};

std::ostream&
operator<<(std::ostream& os, const MutantCase& c)
{
    return os << dysco::ToString(c.mutant) << " in " << c.scenario;
}

// Why each mutant breaks what it breaks (core/mutant.h has the bugs themselves):
//   skip_new_path_delta, skip_lock_delta, untranslated_ack: once mb1 (which shifts sequence
//     numbers) is replaced by the direct path, seq or ack numbers reach an endpoint outside
//     its own session's space (seq_ack_correct). The receiving TCP discards those segments,
//     so the old path's bytes are never acknowledged (the reconfiguration never ends) and the
//     connection never closes.
//   no_sack_translation: after the deletion, losses make the client send SACK blocks that
//     reach the server unshifted (seq_ack_correct); the confused sender stalls.
//   wrong_checksum: every segment whose ack an anchor shifts fails the receiver's checksum
//     check and is discarded: the connection stalls and never closes (clean_termination).
//   early_teardown: the anchors tear the old path down before its bytes are acknowledged:
//     the teardown predicate is false (clean_termination).
//   new_data_on_old_path: the first new segment goes on the old path, so the anchors disagree
//     on where the old path ended (clean_termination, "bytes cut off at the switch").
//   no_free_at_close: closed sessions keep their state (clean_termination).
//   double_lock_grant: mb1 -> mb2 gets a second holder while the first holds it
//     (lock_exclusive).
//   drop_ack_cancel: the cancelled reconfiguration never gets its ackCancel
//     (reconfig_terminates).
//   abort_without_cancel: the left anchor gives up without cancelLock (reconfig_terminates).
//   no_lock_timeout: behind a plain NAT no answer to requestLock comes back; the left anchor
//     waits for it, and when the session closes for an ackCancel, forever
//     (reconfig_terminates).
//   cancel_without_unlock: mb1 keeps the lock of the cancelled request, so the retry is
//     nacked although nobody holds the segment (lock_exclusive).
const std::set<std::string> kStall = {"clean_termination"};
const std::set<std::string> kStallInTwoPaths = {"reconfig_terminates", "clean_termination"};
const MutantCase kCases[] = {
    {Mutant::kSkipNewPathDelta, "delete-shifting-box", "seq_ack_correct", kStallInTwoPaths},
    {Mutant::kSkipLockDelta, "delete-shifting-box", "seq_ack_correct", kStallInTwoPaths},
    {Mutant::kUntranslatedAck, "delete-shifting-box", "seq_ack_correct", kStallInTwoPaths},
    {Mutant::kNoSackTranslation, "delete-shifting-box", "seq_ack_correct", kStall},
    {Mutant::kWrongChecksum, "delete-shifting-box", "clean_termination", {}},
    {Mutant::kEarlyTeardown, "delete-shifting-box", "clean_termination", {}},
    {Mutant::kNewDataOnOldPath, "delete-shifting-box", "clean_termination", {}},
    {Mutant::kNoFreeAtClose, "delete-shifting-box", "clean_termination", {}},
    {Mutant::kDoubleLockGrant, "contention", "lock_exclusive", {}},
    {Mutant::kDropAckCancel, "failed-new-path", "reconfig_terminates", {}},
    {Mutant::kAbortWithoutCancel, "failed-new-path", "reconfig_terminates", {}},
    {Mutant::kCancelWithoutUnlock, "failed-new-path-retry", "lock_exclusive", {}},
    {Mutant::kNoLockTimeout, "lock-timeout", "reconfig_terminates", {}},
};

class Caught : public ::testing::TestWithParam<MutantCase>
{
};

TEST_P(Caught, CheckerFlagsExactlyTheBrokenProperties)
{
    const MutantCase& c = GetParam();
    Outcome o = RunWith(c.mutant, c.scenario);
    ASSERT_TRUE(o.check.read) << o.check.error;
    if (std::getenv("DYSCO_MUTANT_EXPLAIN"))
    {
        std::cout << Describe(o); // what the checker says, also when the test passes
    }
    EXPECT_TRUE(o.check.report.disagreements.empty()) << Describe(o);
    EXPECT_EQ(o.failing, c.Flagged()) << Describe(o);
    // The broken property's first violation is confirmed by its Z3 encoding too.
    bool confirmed = false;
    for (const auto& rv : o.check.report.violations)
    {
        confirmed = confirmed || (rv.z3Confirmed &&
                                  v::PropertyKey(rv.violation.property) == std::string(c.broken));
    }
    EXPECT_TRUE(confirmed) << Describe(o);
}

INSTANTIATE_TEST_SUITE_P(Mutants, Caught, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<MutantCase>& info)
                         { return std::string(dysco::ToString(info.param.mutant)); });

TEST(MutantList, EveryMutantHasACase)
{
    for (size_t m = 1; m < size_t(Mutant::kCount); ++m)
    {
        bool found = false;
        for (const MutantCase& c : kCases)
        {
            found = found || c.mutant == Mutant(m);
        }
        EXPECT_TRUE(found) << dysco::ToString(Mutant(m));
        Mutant parsed = Mutant::kNone;
        EXPECT_TRUE(dysco::MutantFromString(dysco::ToString(Mutant(m)), &parsed));
        EXPECT_EQ(parsed, Mutant(m));
    }
}

class CorrectProtocol : public ::testing::TestWithParam<const char*>
{
};

TEST_P(CorrectProtocol, PassesTheScenario)
{
    Outcome o = RunWith(Mutant::kNone, GetParam());
    ASSERT_TRUE(o.check.read) << o.check.error;
    EXPECT_TRUE(o.failing.empty()) << Describe(o);
    EXPECT_TRUE(o.check.report.pass) << Describe(o);
    EXPECT_TRUE(o.delivery.pass) << (o.delivery.violations.empty() ? "" : o.delivery.violations[0]);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, CorrectProtocol,
                         ::testing::Values("delete-shifting-box", "contention", "failed-new-path",
                                           "failed-new-path-retry", "lock-timeout"),
                         [](const ::testing::TestParamInfo<const char*>& info)
                         {
                             std::string name = info.param;
                             for (char& ch : name)
                             {
                                 ch = ch == '-' ? '_' : ch;
                             }
                             return name;
                         });

} // namespace
} // namespace dyscosim
