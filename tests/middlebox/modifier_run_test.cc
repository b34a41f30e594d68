// The content modifier (scenarios/middlebox/content-modifier.json): "grow" replaces content
// bytes [100000, 101000) of port-80 sessions by 3000 of its own, "shrink" [50000, 52500) of
// port-81 sessions by 500; each then leaves the chain. The server must read exactly the
// modified stream (the run's own byte check and the trace checker's no_data_loss, which
// sees the edit as an X record and the delta in the S record), the right anchor must hold
// the edit's delta after the splice, and the checker must fail a trace whose edit does not
// match what the server read.
#include "proxy_test_util.h"

#include <sstream>
#include <vector>

namespace dyscosim::test
{
namespace
{

constexpr int64_t kGrowDelta = 3000 - 1000;
constexpr int64_t kShrinkDelta = 500 - 2500;
constexpr uint64_t kBytes = 1000000;
constexpr uint64_t kSpliceAfter = 200000;

std::vector<std::vector<std::string>>
Rows(const std::string& text, char sep)
{
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
    {
        std::vector<std::string> f;
        std::istringstream fields(line);
        std::string x;
        while (std::getline(fields, x, sep))
        {
            f.push_back(x);
        }
        rows.push_back(f);
    }
    return rows;
}

/// Stream ids of the quick run: 1-2 port 80 (grow), 3-4 port 81 (shrink); with `perBox`
/// sessions per traffic entry, 1..perBox and perBox+1..2 perBox.
int64_t
DeltaOf(uint64_t stream, uint64_t perBox = 2)
{
    return stream <= perBox ? kGrowDelta : kShrinkDelta;
}

/// Every session delivered the modified stream byte-exact (sessions.csv: first_mismatch
/// -1, delivered = written + delta, completed), the unmodified reverse stream too.
void
ExpectModifiedDelivery(const ProxyRun& r, uint64_t perBox = 2)
{
    ExpectAllChecksPass(r);
    const auto rows = Rows(ReadFile(r.dir + "/out/sessions.csv"), ',');
    ASSERT_EQ(rows.size(), 2 * perBox + 1);
    for (size_t i = 1; i < rows.size(); ++i)
    {
        const auto& f = rows[i];
        const uint64_t id = std::stoull(f[0]);
        EXPECT_EQ(std::stoull(f[3]), kBytes) << "stream " << id;
        EXPECT_EQ(std::stoll(f[4]), int64_t(kBytes) + DeltaOf(id, perBox)) << "stream " << id;
        EXPECT_EQ(f[5], "-1") << "stream " << id;
        EXPECT_EQ(f[6], "1") << "stream " << id;
        EXPECT_EQ(f[9], "200000") << "stream " << id;
        EXPECT_EQ(f[10], "-1") << "stream " << id;
    }
}

/// Each modifier terminated its two sessions, asked to leave once 200 kB went through, left,
/// and relayed nothing afterwards: the rest of each stream went around it.
void
ExpectLeftTheChain(const ProxyRun& r, uint64_t perBox = 2)
{
    for (const char* box : {"grow", "shrink"})
    {
        const nlohmann::json& m = r.Box(box);
        ASSERT_TRUE(m.is_object()) << r.summary["middleboxes"].dump(1);
        EXPECT_EQ(m["kind"], "content_modifier");
        EXPECT_EQ(m["sessions"], perBox) << box;
        EXPECT_EQ(m["splice_requested"], perBox) << box;
        EXPECT_EQ(m["spliced_out"], perBox) << box;
        EXPECT_EQ(m["relayed_after_splice"], 0u) << box;
        EXPECT_EQ(m["relay_ops_after_splice"], 0u) << box;
        const uint64_t relayed = m["relayed_client_to_server"];
        EXPECT_GE(relayed, perBox * kSpliceAfter) << box;
        EXPECT_LT(relayed, perBox * kBytes / 2) << box; // most of each stream bypassed it
    }
    EXPECT_EQ(r.summary["reconfigurations"]["succeeded"], 2 * perBox);
}

TEST(ContentModifier, ShippedScenarioDeliversTheModifiedStreamAndLeaves)
{
    ProxyRun r = RunScenarioDoc(ShippedScenario("middlebox/content-modifier.json"), "shipped");
    ExpectModifiedDelivery(r);
    ExpectLeftTheChain(r);
}

TEST(ContentModifier, TwoModifiersOnOneLineSplicingAtOnceBothLeave)
{
    // Port-81 sessions start while the port-80 ones are still being edited, so both boxes ask
    // to leave at the same time, each relaying the other's sessions as a router would. Their
    // old paths must end: a box whose FIN arrives after its splice request relays it once
    // its bytes are acknowledged (socket-acked.h), and the anchors keep lowering echoes of
    // its TSvals after the splice (every property of the check passes).
    nlohmann::json doc = ShippedScenario("middlebox/content-modifier.json");
    doc["traffic"][1]["start_s"] = 0.12;
    doc["quick"]["max_sessions"] = 4;
    ProxyRun r = RunScenarioDoc(doc, "concurrent");
    ExpectModifiedDelivery(r, 4);
    ExpectLeftTheChain(r, 4);
}

/// The run with plain agents as anchors and fixed proxy ISNs, so the only delta the anchors
/// take over is the edit's. Shared by the tests below (one simulation).
const ProxyRun&
PlainAnchorsRun()
{
    static const ProxyRun run = []
    {
        nlohmann::json doc = ShippedScenario("middlebox/content-modifier.json");
        doc["nodes"][1]["middlebox"] = "none";
        doc["nodes"][4]["middlebox"] = "none";
        doc["nodes"][3]["content_modifier"]["isn"] = {{"server_side", 0}, {"client_side", 0}};
        return RunScenarioDoc(doc, "plain-anchors");
    }();
    return run;
}

TEST(ContentModifier, AnchorsHoldTheEditDeltaAndTheTraceDeclaresIt)
{
    const ProxyRun& r = PlainAnchorsRun();
    ExpectModifiedDelivery(r);
    ExpectLeftTheChain(r);
    int teardowns = 0;
    int edits = 0;
    for (const auto& f : Rows(ReadFile(r.dir + "/out/trace.txt"), '\t'))
    {
        if (f.size() < 3 || f[1].size() != 1)
        {
            continue; // header
        }
        const uint64_t sid = std::stoull(f[2]);
        if (f[1] == "S")
        {
            EXPECT_EQ(std::stoll(f[6]), DeltaOf(sid)) << "S record of session " << sid;
            EXPECT_EQ(f[7], "0") << "S record of session " << sid;
        }
        else if (f[1] == "X")
        {
            ++edits;
            EXPECT_EQ(f[3], sid <= 2 ? "grow" : "shrink");
            EXPECT_EQ(f[4], "c2s");
            // Offsets in the stream with its 8-byte id header.
            EXPECT_EQ(f[5], sid <= 2 ? "100008" : "50008");
            EXPECT_EQ(f[6], sid <= 2 ? "1000" : "2500");
            EXPECT_EQ(f[7], sid <= 2 ? "3000" : "500");
        }
        else if (f[1] == "P" && f.size() == 13 && f[5] == "teardown")
        {
            ++teardowns;
            // The right anchor shifts client -> server data arriving on the new path by the
            // edit's delta; the left anchor's reverse stream was not edited.
            EXPECT_EQ(std::stoll(f[12]), f[3] == "mb2" ? DeltaOf(sid) : 0)
                << "teardown of session " << sid << " at " << f[3];
        }
    }
    EXPECT_EQ(edits, 4);
    EXPECT_EQ(teardowns, 8);
}

/// `dyscosim check` on the plain-anchors trace with `edit` applied to its records.
ProcessResult
CheckMutated(const std::string& tag,
             const std::function<void(std::vector<std::string>& fields)>& edit)
{
    const std::string dir = ScratchDir("mutated-" + tag);
    std::ofstream out(dir + "/trace.txt");
    std::istringstream in(ReadFile(PlainAnchorsRun().dir + "/out/trace.txt"));
    std::string line;
    uint64_t removed = 0;
    while (std::getline(in, line))
    {
        if (line.empty())
        {
            continue;
        }
        std::vector<std::string> f = Rows(line, '\t')[0];
        if (f.size() > 2 && f[2] == "1")
        {
            edit(f);
            removed += f.empty() ? 1 : 0;
        }
        if (f.size() == 2 && f[0] == "end")
        {
            f[1] = std::to_string(std::stoull(f[1]) - removed); // the record count
        }
        for (size_t i = 0; i < f.size(); ++i)
        {
            out << (i ? "\t" : "") << f[i];
        }
        out << (f.empty() ? "" : "\n");
    }
    out.close();
    return RunDyscosim({"check", dir + "/trace.txt"});
}

TEST(ContentModifier, CheckerPassesTheRightEditAndFailsAWrongOne)
{
    ProcessResult same = CheckMutated("none", [](std::vector<std::string>&) {});
    EXPECT_EQ(same.exitCode, 0) << same.out << same.err;
    // The inserted bytes declared with other content than the server read.
    ProcessResult hash = CheckMutated("hash",
                                      [](std::vector<std::string>& f)
                                      {
                                          if (f[1] == "X")
                                          {
                                              f[8] = "0000000000000001";
                                          }
                                      });
    EXPECT_EQ(hash.exitCode, 1);
    EXPECT_NE(hash.out.find("VIOLATION of no_data_loss"), std::string::npos) << hash.out;
    EXPECT_NE(hash.out.find("content changed"), std::string::npos) << hash.out;
    // No edit recorded: the server read bytes the client never wrote.
    ProcessResult dropped = CheckMutated("dropped",
                                         [](std::vector<std::string>& f)
                                         {
                                             if (f[1] == "X")
                                             {
                                                 f.clear();
                                             }
                                         });
    EXPECT_EQ(dropped.exitCode, 1);
    EXPECT_NE(dropped.out.find("VIOLATION of no_data_loss"), std::string::npos) << dropped.out;
    // An edit that removes nothing: the removed client bytes are missing at the server.
    ProcessResult removed = CheckMutated("removed",
                                         [](std::vector<std::string>& f)
                                         {
                                             if (f[1] == "X")
                                             {
                                                 f[6] = "0";
                                             }
                                         });
    EXPECT_EQ(removed.exitCode, 1);
    EXPECT_NE(removed.out.find("VIOLATION of no_data_loss"), std::string::npos) << removed.out;
    // The right edit, but a declared delta that does not match it.
    ProcessResult delta = CheckMutated("delta",
                                       [](std::vector<std::string>& f)
                                       {
                                           if (f[1] == "S")
                                           {
                                               f[6] = "0";
                                           }
                                       });
    EXPECT_EQ(delta.exitCode, 1);
    EXPECT_NE(delta.out.find("declares a delta of 0"), std::string::npos) << delta.out;
}

} // namespace
} // namespace dyscosim::test
