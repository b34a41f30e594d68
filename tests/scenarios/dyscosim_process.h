// Runs the built `dyscosim` binary (found through DYSCO_BINARY_DIR, compiled in by the test CMake)
// and captures its exit code and output, for tests of the CLI contract.
#ifndef DYSCOSIM_TESTS_DYSCOSIM_PROCESS_H
#define DYSCOSIM_TESTS_DYSCOSIM_PROCESS_H

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace dyscosim::test
{

struct ProcessResult
{
    int exitCode = -1;
    std::string out;
    std::string err;
};

inline std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string
ShellQuote(const std::string& s)
{
    std::string q = "'";
    for (char c : s)
    {
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return q + "'";
}

/// A fresh directory for one test, removed first if a previous run left it.
inline std::string
ScratchDir(const std::string& name)
{
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    // The pid keeps test runs of several checkouts on one machine out of each other's way.
    std::string dir = ::testing::TempDir() + "dyscosim-" + info->test_suite_name() + "-" +
                      info->name() + "-" + name + "-" + std::to_string(::getpid());
    std::system(("rm -rf " + ShellQuote(dir) + " && mkdir -p " + ShellQuote(dir)).c_str());
    return dir;
}

/// The build root, compiled in by the test CMake (DYSCO_BINARY_DIR).
inline std::string
BinaryDir()
{
    return DYSCO_BINARY_DIR;
}

inline ProcessResult
RunDyscosim(const std::vector<std::string>& args)
{
    std::string exe = BinaryDir() + "/dyscosim";
    std::string scratch = ::testing::TempDir() + "dyscosim-io-" + std::to_string(::getpid());
    std::string cmd = ShellQuote(exe);
    for (const auto& a : args)
    {
        cmd += " " + ShellQuote(a);
    }
    cmd += " >" + scratch + ".out 2>" + scratch + ".err";
    int status = std::system(cmd.c_str());
    ProcessResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(scratch + ".out");
    r.err = ReadFile(scratch + ".err");
    std::remove((scratch + ".out").c_str());
    std::remove((scratch + ".err").c_str());
    return r;
}

} // namespace dyscosim::test

#endif
