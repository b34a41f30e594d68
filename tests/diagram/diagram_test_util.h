// Helpers for the diagram tests: run the command in-process, golden paths, SVG queries.
#ifndef DYSCO_TESTS_DIAGRAM_TEST_UTIL_H
#define DYSCO_TESTS_DIAGRAM_TEST_UTIL_H

#include "diagram_command.h"

#include <cstdio>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace dysco
{
namespace test
{

struct Outcome
{
    int code;
    std::string out;
    std::string err;
};

inline Outcome
RunDiagram(std::vector<std::string> args)
{
    args.insert(args.begin(), "diagram");
    std::vector<char*> argv;
    for (auto& a : args)
    {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    const int code = verify::RunDiagramCommand(int(args.size()), argv.data());
    std::fflush(stdout);
    return Outcome{code, ::testing::internal::GetCapturedStdout(),
                   ::testing::internal::GetCapturedStderr()};
}

inline std::string
Golden(const std::string& name)
{
    return std::string(DYSCO_SOURCE_DIR) + "/verification/golden/" + name;
}

/// A fresh path in the test's temporary directory (removed first).
inline std::string
TempPath(const std::string& name)
{
    const char* dir = std::getenv("TMPDIR");
    const std::string path = std::string(dir ? dir : "/tmp") + "/dysco-diagram-" +
                             std::to_string(::getpid()) + "-" + name;
    std::remove(path.c_str());
    return path;
}

inline std::string
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline void
WriteFile(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

/// Every match of group 1 of `pattern` in `text`, in document order.
inline std::vector<std::string>
All(const std::string& text, const std::string& pattern)
{
    std::vector<std::string> out;
    const std::regex re(pattern);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
         ++it)
    {
        out.push_back((*it)[1].str());
    }
    return out;
}

} // namespace test
} // namespace dysco

#endif
