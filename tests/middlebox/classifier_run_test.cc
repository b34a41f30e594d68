// The classifier (scenarios/middlebox/classifier.json): every session starts on client - cls
// - server; cls inserts the monitor of the session's class (port 80: m1, port 81: m2) to its
// right when the first data segment passes. Streams 1-3 are port 80, 4-5 port 81. Each
// monitor must see exactly its class's sessions, every insertion must be one row of
// reconfigurations.csv anchored at cls, and delivery must stay byte-exact (the run's checks).
#include "proxy_test_util.h"

#include <map>
#include <sstream>

namespace dyscosim::test
{
namespace
{

/// reconfigurations.csv: stream id -> {left anchor, right anchor, middleboxes, outcome}.
std::map<uint64_t, std::vector<std::string>>
Insertions(const ProxyRun& r)
{
    std::map<uint64_t, std::vector<std::string>> rows;
    std::istringstream in(ReadFile(r.dir + "/out/reconfigurations.csv"));
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line))
    {
        std::vector<std::string> f;
        std::istringstream fields(line);
        std::string x;
        while (std::getline(fields, x, ','))
        {
            f.push_back(x);
        }
        EXPECT_TRUE(rows.count(std::stoull(f.at(2))) == 0) << "two insertions: " << line;
        rows[std::stoull(f.at(2))] = {f.at(0), f.at(3), f.at(4), f.at(11)};
    }
    return rows;
}

/// Runs `doc` and expects monitor `m1` to count `inM1` sessions, `m2` `inM2`, and stream s
/// to be inserted with want(s) ("" for none).
void
ExpectClasses(const nlohmann::json& doc, const std::string& tag, uint64_t inM1, uint64_t inM2,
              const std::function<std::string(uint64_t)>& want)
{
    const ProxyRun r = RunScenarioDoc(doc, tag);
    ExpectAllChecksPass(r);
    EXPECT_EQ(r.summary["sessions"]["total"], 5);
    const auto sessionsOf = [&](const char* box)
    {
        const nlohmann::json& m = r.Box(box);
        return m.is_object() ? m["sessions"].get<uint64_t>() : 0;
    };
    EXPECT_EQ(sessionsOf("m1"), inM1) << r.summary["middleboxes"].dump(1);
    EXPECT_EQ(sessionsOf("m2"), inM2) << r.summary["middleboxes"].dump(1);
    const auto rows = Insertions(r);
    size_t inserted = 0;
    for (uint64_t s = 1; s <= 5; ++s)
    {
        const std::string box = want(s);
        auto it = rows.find(s);
        if (box.empty())
        {
            EXPECT_TRUE(it == rows.end()) << "stream " << s;
            continue;
        }
        ++inserted;
        ASSERT_TRUE(it != rows.end()) << "stream " << s;
        EXPECT_EQ(it->second, (std::vector<std::string>{"cls", "server", box, "succeeded"}))
            << "stream " << s;
    }
    EXPECT_EQ(rows.size(), inserted);
}

TEST(ClassifierRun, EachClassGetsItsMonitorByteExact)
{
    ExpectClasses(ShippedScenario("middlebox/classifier.json"), "cls-shipped", 3, 2,
                  [](uint64_t s) { return s <= 3 ? "m1" : "m2"; });
}

TEST(ClassifierRun, TheRulesNotTheChainDecide)
{
    // Port 81 to m1 and everything else by default to m2: the classes swap boxes.
    nlohmann::json doc = ShippedScenario("middlebox/classifier.json");
    doc["nodes"][2]["classifier"] = {{"rules", {{{"dst_port", 81}, {"insert", "m1"}}}},
                                     {"default", "m2"}};
    ExpectClasses(doc, "cls-swapped", 2, 3, [](uint64_t s) { return s <= 3 ? "m2" : "m1"; });
}

TEST(ClassifierRun, UnmatchedSessionsStayWithoutDefault)
{
    nlohmann::json doc = ShippedScenario("middlebox/classifier.json");
    doc["nodes"][2]["classifier"] = {{"rules", {{{"dst_port", 80}, {"insert", "m1"}}}},
                                     {"default", nullptr}};
    ExpectClasses(doc, "cls-nodefault", 3, 0, [](uint64_t s) { return s <= 3 ? "m1" : ""; });
}

} // namespace
} // namespace dyscosim::test
