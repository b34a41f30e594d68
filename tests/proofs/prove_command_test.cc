// dyscosim-prove: exit 0 when every proof gives its expected result, 1 when one does not (a
// timeout included, reported as not decided), 2 on bad usage.
#include "prove_command.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace dysco
{
namespace proofs
{
namespace
{

struct Outcome
{
    int code;
    std::string out;
    std::string err;
};

Outcome
RunProve(std::vector<std::string> args)
{
    args.insert(args.begin(), "dyscosim-prove");
    std::vector<char*> argv;
    for (auto& a : args)
    {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    const int code = RunProveCommand(int(args.size()), argv.data());
    std::fflush(stdout);
    return Outcome{code, ::testing::internal::GetCapturedStdout(),
                   ::testing::internal::GetCapturedStderr()};
}

TEST(ProveCommand, ListsEveryProofWithItsExpectation)
{
    const Outcome o = RunProve({"--list"});
    EXPECT_EQ(o.code, 0);
    EXPECT_NE(o.out.find("seq_delta_round_trip"), std::string::npos);
    EXPECT_NE(o.out.find("checksum_update16_rfc1141_WRONG"), std::string::npos);
    EXPECT_NE(o.out.find("expected: counterexample"), std::string::npos);
}

TEST(ProveCommand, SelectedProofsPrintStatementResultAndTime)
{
    const Outcome o =
        RunProve({"--only", "seq_delta_round_trip,seq_before_transitive_FACT,checksum_update32"});
    EXPECT_EQ(o.code, 0) << o.out;
    EXPECT_NE(o.out.find("[ok]   seq_delta_round_trip"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("(x + d) - d = x"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("counterexample: a = 0x"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("(expected)"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("3 proofs, 3 as expected, 0 not"), std::string::npos) << o.out;
}

TEST(ProveCommand, TimeoutFailsClearly)
{
    const Outcome o = RunProve({"--only", "seq_before_in_window", "--timeout", "0.001"});
    EXPECT_EQ(o.code, 1) << o.out;
    EXPECT_NE(o.out.find("[FAIL] seq_before_in_window"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("NOT DECIDED: solver timeout (1 ms) reached"), std::string::npos) << o.out;
}

TEST(ProveCommand, BadUsageExitsTwo)
{
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--only", "no_such_proof"},
          {"--only"},
          {"--timeout", "x"},
          {"--timeout", "0"},
          {"--bogus"},
          {"extra"}})
    {
        const Outcome o = RunProve(args);
        EXPECT_EQ(o.code, 2) << args[0];
        EXPECT_NE(o.err.find("dyscosim-prove: "), std::string::npos) << o.err;
        EXPECT_NE(o.err.find("usage:"), std::string::npos) << o.err;
    }
}

} // namespace
} // namespace proofs
} // namespace dysco
