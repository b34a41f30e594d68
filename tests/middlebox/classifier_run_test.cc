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

/// reconfigurations.csv: stream id -> {left anchor, right anchor, middleboxes, outcome,
/// end_s}.
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
        rows[std::stoull(f.at(2))] = {f.at(0), f.at(3), f.at(4), f.at(11), f.at(9)};
    }
    return rows;
}

/// Runs `doc` (5 sessions) and expects each monitor of `sessionsIn` to count that many
/// sessions, and stream s to be inserted with want(s) ("" for none).
ProxyRun
ExpectClasses(const nlohmann::json& doc, const std::string& tag,
              const std::map<std::string, uint64_t>& sessionsIn,
              const std::function<std::string(uint64_t)>& want)
{
    const ProxyRun r = RunScenarioDoc(doc, tag);
    ExpectAllChecksPass(r);
    EXPECT_EQ(r.summary["sessions"]["total"], 5);
    for (const auto& [box, sessions] : sessionsIn)
    {
        const nlohmann::json& m = r.Box(box);
        EXPECT_EQ(m.is_object() ? m["sessions"].get<uint64_t>() : 0, sessions)
            << box << ": " << r.summary["middleboxes"].dump(1);
    }
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
        if (it == rows.end())
        {
            ADD_FAILURE() << "stream " << s << " was not inserted";
            continue;
        }
        EXPECT_EQ(std::vector<std::string>(it->second.begin(), it->second.begin() + 4),
                  (std::vector<std::string>{"cls", "server", box, "succeeded"}))
            << "stream " << s;
    }
    EXPECT_EQ(rows.size(), inserted);
    return r;
}

/// The classifier's decision counters: sessions by rule 0, 1, ... and unmatched.
void
ExpectDecisions(const ProxyRun& r, const std::vector<uint64_t>& byRule, uint64_t unmatched,
                uint64_t inserted)
{
    const nlohmann::json& cls = r.Box("cls");
    for (size_t i = 0; i < byRule.size(); ++i)
    {
        EXPECT_EQ(cls["rule" + std::to_string(i)], byRule[i]) << cls.dump();
    }
    EXPECT_EQ(cls["unmatched"], unmatched) << cls.dump();
    EXPECT_EQ(cls["sessions_classified"], r.summary["sessions"]["total"]) << cls.dump();
    EXPECT_EQ(cls["insert_requests"], inserted) << cls.dump();
}

TEST(ClassifierRun, EachClassGetsItsMonitorByteExact)
{
    const ProxyRun r =
        ExpectClasses(ShippedScenario("middlebox/classifier.json"), "cls-shipped",
                      {{"m1", 3}, {"m2", 2}}, [](uint64_t s) { return s <= 3 ? "m1" : "m2"; });
    ExpectDecisions(r, {3, 2}, 0, 5);
}

TEST(ClassifierRun, TheRulesNotTheChainDecide)
{
    // Port 81 to m1 and everything else by default to m2: the classes swap boxes.
    nlohmann::json doc = ShippedScenario("middlebox/classifier.json");
    doc["nodes"][2]["classifier"] = {{"rules", {{{"dst_port", 81}, {"insert", "m1"}}}},
                                     {"default", "m2"}};
    const ProxyRun r = ExpectClasses(doc, "cls-swapped", {{"m1", 2}, {"m2", 3}},
                                     [](uint64_t s) { return s <= 3 ? "m2" : "m1"; });
    ExpectDecisions(r, {2}, 3, 5);
}

TEST(ClassifierRun, UnmatchedSessionsStayWithoutDefault)
{
    nlohmann::json doc = ShippedScenario("middlebox/classifier.json");
    doc["nodes"][2]["classifier"] = {{"rules", {{{"dst_port", 80}, {"insert", "m1"}}}},
                                     {"default", nullptr}};
    const ProxyRun r = ExpectClasses(doc, "cls-nodefault", {{"m1", 3}, {"m2", 0}},
                                     [](uint64_t s) { return s <= 3 ? "m1" : ""; });
    ExpectDecisions(r, {3}, 2, 3);
}

/// Bytes of one session of traffic entry `t` both ways, its prefix and stream id included.
uint64_t
SessionBytes(const nlohmann::json& t)
{
    const uint64_t prefix = t.contains("prefix") ? t["prefix"].get<std::string>().size()
                            : t.contains("prefix_hex")
                                ? t["prefix_hex"].get<std::string>().size() / 2
                                : 0;
    return t["bytes"].get<uint64_t>() + prefix + 8 + t["reverse_bytes"].get<uint64_t>();
}

TEST(ClassifierRun, FirstBytesChooseTheMonitorOnOnePort)
{
    // classifier-payload.json: streams 1-2 HTTP-like ("GET "), 3-4 TLS-like (a record header
    // that arrives 3 bytes per segment), 5 SSH-like (no rule: the default m3), all to port 80.
    const nlohmann::json doc = ShippedScenario("middlebox/classifier-payload.json");
    const char* boxOf[] = {"", "m1", "m1", "m2", "m2", "m3"};
    const ProxyRun r = ExpectClasses(doc, "cls-payload", {{"m1", 2}, {"m2", 2}, {"m3", 1}},
                                     [&](uint64_t s) { return boxOf[s]; });
    ExpectDecisions(r, {2, 2}, 1, 5);
    // Each monitor carries its class's bytes from its insertion on: at most all of them,
    // and at least all but what the sessions' write rate (both ways) allows from their start
    // to the insertion's end.
    const auto rows = Insertions(r);
    std::map<std::string, uint64_t> total;
    std::map<std::string, double> before;
    uint64_t stream = 1;
    for (const auto& t : doc["traffic"])
    {
        for (uint32_t k = 0; k < t["sessions"].get<uint32_t>(); ++k, ++stream)
        {
            const std::string box = boxOf[stream];
            total[box] += SessionBytes(t);
            const double startS = t["start_s"].get<double>() + k * t.value("interval_s", 0.0);
            ASSERT_TRUE(rows.count(stream)) << stream;
            const double endS = std::stod(rows.at(stream).at(4));
            const double rateBps = t["rate"] == "20Mbps" ? 20e6 : 2e6;
            before[box] += (endS - startS) * 2 * rateBps / 8;
        }
    }
    for (const auto& [box, bytes] : total)
    {
        const uint64_t seen = r.Box(box)["payload_bytes"].get<uint64_t>();
        EXPECT_LE(seen, bytes) << box;
        EXPECT_GE(double(seen), double(bytes) - before[box])
            << box << ": " << bytes << " bytes in its class";
    }
}

TEST(ClassifierRun, APrefixOneByteOffMatchesNothing)
{
    // The TLS rule one byte off (its record length 0x0201) and no default: only the HTTP
    // sessions are inserted; the others stay on client - cls - server, delivered byte-exact.
    nlohmann::json doc = ShippedScenario("middlebox/classifier-payload.json");
    doc["nodes"][2]["classifier"]["rules"][1]["prefix_hex"] = "1603010201";
    doc["nodes"][2]["classifier"]["default"] = nullptr;
    const ProxyRun r = ExpectClasses(doc, "cls-payload-off", {{"m1", 2}, {"m2", 0}, {"m3", 0}},
                                     [](uint64_t s) { return s <= 2 ? "m1" : ""; });
    ExpectDecisions(r, {2, 0}, 3, 2);
}

} // namespace
} // namespace dyscosim::test
