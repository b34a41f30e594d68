// Golden traces: for each property a small good trace (every property passes) and a bad one
// (exactly its property fails, at the event its "# expect:" line names). Scan and Z3 agree on
// every session and property of every golden trace.
#include "verify_test_util.h"

#include <dirent.h>
#include <fstream>
#include <sstream>

namespace dysco
{
namespace verify
{
namespace
{

struct Expectation
{
    bool pass = true;
    std::string property;
    uint64_t eventId = 0;
};

Expectation
ReadExpectation(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    Expectation e;
    bool found = false;
    while (std::getline(in, line))
    {
        const std::string tag = "# expect: ";
        if (line.rfind(tag, 0) != 0)
        {
            continue;
        }
        std::istringstream ss(line.substr(tag.size()));
        std::string verdict;
        ss >> verdict;
        e.pass = verdict == "pass";
        if (!e.pass)
        {
            ss >> e.property >> e.eventId;
        }
        found = true;
    }
    EXPECT_TRUE(found) << path << " has no '# expect:' line";
    return e;
}

std::vector<std::string>
GoldenFiles()
{
    std::vector<std::string> out;
    DIR* d = opendir(test::GoldenDir().c_str());
    EXPECT_NE(d, nullptr) << test::GoldenDir();
    if (!d)
    {
        return out;
    }
    while (dirent* e = readdir(d))
    {
        std::string n = e->d_name;
        if (n.size() > 6 && n.compare(n.size() - 6, 6, ".trace") == 0)
        {
            out.push_back(test::GoldenDir() + "/" + n);
        }
    }
    closedir(d);
    std::sort(out.begin(), out.end());
    return out;
}

TEST(Golden, EveryPropertyHasAGoodAndABadTrace)
{
    std::vector<std::string> files = GoldenFiles();
    for (const char* stem : {"no_data_loss", "seq_space", "lock_exclusive", "reconfig_terminates",
                             "clean_termination"})
    {
        for (const char* kind : {"_good.trace", "_bad.trace"})
        {
            std::string want = test::GoldenDir() + "/" + stem + kind;
            EXPECT_NE(std::find(files.begin(), files.end(), want), files.end()) << want;
        }
    }
}

TEST(Golden, VerdictsMatchTheirExpectations)
{
    for (const std::string& path : GoldenFiles())
    {
        SCOPED_TRACE(path);
        Trace t;
        std::string error;
        ASSERT_TRUE(TraceReader::ReadFile(path, &t, &error)) << error;
        Expectation want = ReadExpectation(path);
        CheckOptions o;
        o.full = true;
        CheckReport r = RunChecker(t, o);
        EXPECT_TRUE(r.disagreements.empty()) << r.ToText(t);
        EXPECT_EQ(r.pass, want.pass) << r.ToText(t);
        for (size_t p = 0; p < kPropertyCount; ++p)
        {
            bool expectFail = !want.pass && want.property == PropertyKey(PropertyId(p));
            EXPECT_EQ(r.status[p] == PropertyStatus::kFail, expectFail)
                << PropertyKey(PropertyId(p)) << "\n"
                << r.ToText(t);
        }
        if (!want.pass)
        {
            ASSERT_FALSE(r.violations.empty());
            // The first violation (by event) of the failing property is the expected one, and
            // Z3 confirmed it.
            const ReportedViolation* first = nullptr;
            for (const auto& v : r.violations)
            {
                if (PropertyKey(v.violation.property) == want.property &&
                    (!first || v.violation.event < first->violation.event))
                {
                    first = &v;
                }
            }
            ASSERT_NE(first, nullptr);
            EXPECT_EQ(t.EventId(first->violation.event), want.eventId) << r.ToText(t);
            EXPECT_TRUE(first->z3Confirmed) << r.ToText(t);
            EXPECT_FALSE(first->violation.text.empty());
        }
    }
}

TEST(Golden, ScanAndZ3AgreeOnEverySessionAndProperty)
{
    for (const std::string& path : GoldenFiles())
    {
        Trace t;
        std::string error;
        ASSERT_TRUE(TraceReader::ReadFile(path, &t, &error)) << error;
        EXPECT_EQ(test::Disagreements(t), std::vector<std::string>{}) << path;
    }
}

TEST(Golden, ExplanationNamesPropertyEventTimeAndValues)
{
    Trace t;
    std::string error;
    ASSERT_TRUE(TraceReader::ReadFile(test::GoldenDir() + "/seq_space_bad.trace", &t, &error));
    CheckReport r = RunChecker(t, CheckOptions{});
    std::string text = r.ToText(t);
    for (const char* want :
         {"VIOLATION of seq_ack_correct", "event #16", "line 25", "t=0.000003500 s", "ack 70001",
          "sent only up to offset 1000", "Z3 confirms", "verdict: FAIL"})
    {
        EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
    }
    nlohmann::json j = r.ToJson();
    EXPECT_EQ(j["verdict"], "fail");
    EXPECT_EQ(j["properties"]["seq_ack_correct"], "fail");
    EXPECT_EQ(j["properties"]["no_data_loss"], "pass");
    EXPECT_EQ(j["properties"]["lock_exclusive"], "not_applicable");
    EXPECT_EQ(j["violations"][0]["event"], 16);
}

} // namespace
} // namespace verify
} // namespace dysco
