// Every scenario file in scenarios/ loads and validates, in full and --quick form.
#include "scenario_fixture.h"

#include <dirent.h>
#include <gtest/gtest.h>

namespace dyscosim::test
{
namespace
{

std::vector<std::string>
ScenarioFiles()
{
    std::vector<std::string> files;
    for (std::string dir : {SourceDir() + "/scenarios", SourceDir() + "/scenarios/reconfig"})
    {
        if (DIR* d = opendir(dir.c_str()))
        {
            while (dirent* e = readdir(d))
            {
                std::string name = e->d_name;
                if (name.size() > 5 && name.substr(name.size() - 5) == ".json")
                {
                    files.push_back(dir + "/" + name);
                }
            }
            closedir(d);
        }
    }
    return files;
}

TEST(ShippedScenarios, AllLoad)
{
    auto files = ScenarioFiles();
    ASSERT_GE(files.size(), 20u);
    for (const auto& f : files)
    {
        EXPECT_NO_THROW(LoadScenarioFile(f)) << f;
        EXPECT_NO_THROW(LoadScenarioFile(f, LoadOptions{true})) << f;
    }
}

TEST(ShippedScenarios, QuickstartIsTheReadmeScenario)
{
    Scenario s = LoadScenarioFile(SourceDir() + "/scenarios/quickstart.json");
    EXPECT_EQ(s.name, "quickstart");
    EXPECT_EQ(s.SessionCount(), 20u);
    ASSERT_EQ(s.policies.size(), 1u);
    EXPECT_EQ(s.policies[0].chain.size(), 2u);
    EXPECT_EQ(s.nodes[1].middlebox, MiddleboxKind::kSeqOffset);
    ASSERT_EQ(s.reconfigurations.size(), 1u); // the default scenario reconfigures
    EXPECT_TRUE(s.reconfigurations[0].deleteNode);
    EXPECT_GT(s.traffic[0].reverseBytes, 0u);
    Scenario q = LoadScenarioFile(SourceDir() + "/scenarios/quickstart.json", LoadOptions{true});
    EXPECT_LT(q.SessionCount(), s.SessionCount());
    EXPECT_LT(q.durationS, s.durationS);
}

} // namespace
} // namespace dyscosim::test
