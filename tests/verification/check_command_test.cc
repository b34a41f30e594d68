// `dyscosim check`: exit 0 on a passing trace, 1 with an explanation on a violation, 2 on
// bad input or usage; --json, --dump, --seed.
#include "check_command.h"
#include "verify_test_util.h"

#include <sys/wait.h>
#include <unistd.h>

namespace dysco
{
namespace verify
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
RunCheck(std::vector<std::string> args)
{
    args.insert(args.begin(), "check");
    std::vector<char*> argv;
    for (auto& a : args)
    {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    int code = RunCheckCommand(int(args.size()), argv.data());
    std::fflush(stdout);
    Outcome o{code, ::testing::internal::GetCapturedStdout(),
              ::testing::internal::GetCapturedStderr()};
    return o;
}

/// $DYSCO_BINARY_DIR/dyscosim-check, else the first one found walking up from this test.
std::string
CheckExecutable()
{
    if (const char* bin = std::getenv("DYSCO_BINARY_DIR"))
    {
        return std::string(bin) + "/dyscosim-check";
    }
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n <= 0)
    {
        return "";
    }
    std::string dir(buf, size_t(n));
    while (dir.rfind('/') != std::string::npos && dir.size() > 1)
    {
        dir = dir.substr(0, dir.rfind('/'));
        std::string candidate = dir + "/dyscosim-check";
        if (access(candidate.c_str(), X_OK) == 0)
        {
            return candidate;
        }
    }
    return "";
}

std::string
Golden(const std::string& name)
{
    return test::GoldenDir() + "/" + name;
}

TEST(CheckCommand, GoodTraceExitsZero)
{
    Outcome o = RunCheck({Golden("lock_exclusive_good.trace")});
    EXPECT_EQ(o.code, 0) << o.out << o.err;
    EXPECT_NE(o.out.find("verdict: pass"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("lock_exclusive       pass"), std::string::npos) << o.out;
}

TEST(CheckCommand, ViolationExitsOneWithExplanation)
{
    Outcome o = RunCheck({Golden("no_data_loss_bad.trace")});
    EXPECT_EQ(o.code, 1) << o.out << o.err;
    EXPECT_NE(o.out.find("VIOLATION of no_data_loss"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("event #9"), std::string::npos) << o.out;
    EXPECT_NE(o.out.find("content changed"), std::string::npos) << o.out;
}

TEST(CheckCommand, BadInputAndUsageExitTwo)
{
    Outcome bad = RunCheck({Golden("invalid/truncated.trace")});
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("truncated"), std::string::npos) << bad.err;
    EXPECT_TRUE(bad.out.empty()) << bad.out;
    EXPECT_EQ(RunCheck({}).code, 2);
    EXPECT_EQ(RunCheck({"--frobnicate", Golden("seq_space_good.trace")}).code, 2);
    EXPECT_EQ(RunCheck({Golden("seq_space_good.trace"), "--seed"}).code, 2);
    EXPECT_EQ(RunCheck({Golden("seq_space_good.trace"), "--seed", "x"}).code, 2);
    EXPECT_EQ(RunCheck({"/nonexistent.trace"}).code, 2);
    EXPECT_EQ(RunCheck({"a.trace", "b.trace"}).code, 2);
    Outcome help = RunCheck({"--help"});
    EXPECT_EQ(help.code, 0);
    EXPECT_NE(help.out.find("usage"), std::string::npos);
}

TEST(CheckCommand, JsonIsTheSummaryCheckObject)
{
    Outcome o =
        RunCheck({Golden("clean_termination_bad.trace"), "--json", "--full", "--seed", "5"});
    EXPECT_EQ(o.code, 1);
    nlohmann::json j = nlohmann::json::parse(o.out);
    EXPECT_EQ(j["verdict"], "fail");
    for (const char* key : {"no_data_loss", "seq_ack_correct", "lock_exclusive",
                            "reconfig_terminates", "clean_termination"})
    {
        EXPECT_TRUE(j["properties"].contains(key)) << key;
    }
    EXPECT_EQ(j["properties"]["clean_termination"], "fail");
    EXPECT_EQ(j["z3"]["seed"], 5);
    EXPECT_EQ(j["z3"]["full"], true);
    EXPECT_EQ(j["violations"][0]["property"], "clean_termination");
    EXPECT_EQ(j["violations"][0]["event"], 21);
}

TEST(CheckCommand, DumpPrintsReadableRecords)
{
    Outcome o = RunCheck({Golden("reconfig_terminates_good.trace"), "--dump", "--session", "2"});
    EXPECT_EQ(o.code, 0);
    EXPECT_NE(o.out.find("phase=aborted"), std::string::npos) << o.out;
    EXPECT_EQ(o.out.find("phase=done"), std::string::npos) << "session 1 leaked into the dump";
    EXPECT_NE(o.out.find("received ackCancel from m1"), std::string::npos) << o.out;
}

TEST(CheckCommand, StandaloneExecutableUsesTheSameExitCodes)
{
    std::string exe = CheckExecutable();
    ASSERT_FALSE(exe.empty()) << "dyscosim-check not found next to or above the test binary";
    auto code = [&](const std::string& args)
    {
        std::string cmd = exe + " " + args + " >/dev/null 2>&1";
        int status = std::system(cmd.c_str());
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    EXPECT_EQ(code(Golden("seq_space_good.trace")), 0);
    EXPECT_EQ(code(Golden("seq_space_bad.trace")), 1);
    EXPECT_EQ(code(Golden("invalid/wrong_version.trace")), 2);
    EXPECT_EQ(code("--no-such-option"), 2);
}

} // namespace
} // namespace verify
} // namespace dysco
