// Runs the built `dyscosim` (or the mutant build `dyscosim-mutants` with DYSCO_MUTANT set)
// and captures exit code, stdout and stderr, for the fuzz and regress command tests.
#ifndef DYSCOSIM_TESTS_FUZZ_COMMAND_PROCESS_H
#define DYSCOSIM_TESTS_FUZZ_COMMAND_PROCESS_H

#include "scenarios/dyscosim_process.h"

#include <string>
#include <vector>

namespace dyscosim::test
{

/// `mutant` empty: the shipped build; else dyscosim-mutants with DYSCO_MUTANT=mutant.
inline ProcessResult
RunCommand(const std::vector<std::string>& args, const std::string& mutant = "")
{
    std::string cmd = mutant.empty() ? ShellQuote(BinaryDir() + "/dyscosim")
                                     : "DYSCO_MUTANT=" + ShellQuote(mutant) + " " +
                                           ShellQuote(BinaryDir() + "/dyscosim-mutants");
    for (const auto& a : args)
    {
        cmd += " " + ShellQuote(a);
    }
    std::string scratch = ::testing::TempDir() + "dyscosim-cmd-" + std::to_string(::getpid());
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

inline std::string
SourceDir()
{
    return DYSCO_SOURCE_DIR;
}

} // namespace dyscosim::test

#endif
