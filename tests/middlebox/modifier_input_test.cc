// The content modifier's parts without a simulation: its scenario keys (strict, errors name
// the JSON path), the receiver's expected bytes after an edit, the trace's pieces of an
// edited stream, and the run's own delivery check with a declared edit.
#include "delivery_check.h"
#include "ns3/dysco-content-modifier.h"
#include "ns3/stream-edit.h"
#include "proxy_test_util.h"
#include "trace_pieces.h"

#include <vector>

namespace dyscosim::test
{
namespace
{

nlohmann::json
Doc()
{
    return ShippedScenario("middlebox/content-modifier.json");
}

TEST(ContentModifierScenario, LoadsTheEditAndTheProxySettings)
{
    const Scenario s = LoadScenarioText(Doc().dump(), "cm.json");
    const NodeSpec& grow = s.nodes[2];
    EXPECT_EQ(grow.middlebox, MiddleboxKind::kContentModifier);
    EXPECT_EQ(grow.edit.offset, 100000u);
    EXPECT_EQ(grow.edit.insert, 3000u);
    EXPECT_EQ(grow.edit.remove, 1000u);
    EXPECT_EQ(grow.proxy.spliceAfterBytes, 200000u);
    EXPECT_FALSE(grow.proxy.randomIsn);
    EXPECT_TRUE(s.nodes[3].proxy.randomIsn);
}

TEST(ContentModifierScenario, BadKeysNameTheirPath)
{
    nlohmann::json typo = Doc();
    typo["nodes"][2]["content_modifier"]["insrt"] = 5;
    EXPECT_EQ(LoadError(typo),
              "bad.json: $.nodes[2].content_modifier.insrt: unknown key (did you mean "
              "\"insert\"?); expected one of: offset, insert, remove, splice_after_bytes, "
              "splice_after_s, port, isn, rcv_buf, snd_buf, relay_rate, splice_at");
    nlohmann::json nothing = Doc();
    nothing["nodes"][2]["content_modifier"]["insert"] = 0;
    nothing["nodes"][2]["content_modifier"]["remove"] = 0;
    EXPECT_EQ(LoadError(nothing), "bad.json: $.nodes[2].content_modifier.insert: an edit must "
                                  "insert or remove bytes (insert and remove are both 0)");
    nlohmann::json negative = Doc();
    negative["nodes"][2]["content_modifier"]["offset"] = -1;
    EXPECT_NE(LoadError(negative).find("$.nodes[2].content_modifier.offset: expected a content "
                                       "offset"),
              std::string::npos)
        << LoadError(negative);
    nlohmann::json missing = Doc();
    missing["nodes"][2].erase("content_modifier");
    EXPECT_NE(LoadError(missing).find("$.nodes[2].content_modifier: missing"), std::string::npos)
        << LoadError(missing);
    nlohmann::json wrongBox = Doc();
    wrongBox["nodes"][1]["content_modifier"] = nlohmann::json::object();
    EXPECT_EQ(LoadError(wrongBox),
              "bad.json: $.nodes[1].content_modifier: only nodes with middlebox "
              "\"content_modifier\" take this object; node \"mb1\" runs \"seq_offset\"");
    nlohmann::json isn = Doc();
    isn["nodes"][3]["content_modifier"]["isn"] = 7;
    EXPECT_NE(LoadError(isn).find("$.nodes[3].content_modifier.isn: expected \"random\""),
              std::string::npos)
        << LoadError(isn);
}

TEST(ContentModifierScenario, StreamsMustReachPastTheEditAndChainsHoldOneModifier)
{
    nlohmann::json shortStream = Doc();
    shortStream["traffic"][0]["bytes"] = 101000; // offset + remove of grow
    EXPECT_EQ(LoadError(shortStream),
              "bad.json: $.traffic[0].bytes: 101000 bytes do not reach past the edit of \"grow\" "
              "(offset + remove = 101000); expected more bytes");
    nlohmann::json two = Doc();
    two["policies"][0]["chain"] = {"mb1", "grow", "shrink", "mb2"};
    EXPECT_EQ(LoadError(two),
              "bad.json: $.policies[0].chain: a chain may hold one "
              "content_modifier; \"grow\" and \"shrink\" both edit traffic entry 0");
    // A modifier no policy puts on a chain edits nothing, whatever the streams' lengths.
    nlohmann::json unused = Doc();
    unused["policies"].erase(1);
    unused["traffic"][1]["bytes"] = 10;
    EXPECT_EQ(LoadError(unused), "no error");
}

TEST(ContentModifierScenario, BadFileExitsTwoAndRunsNothing)
{
    nlohmann::json doc = Doc();
    doc["nodes"][3]["content_modifier"]["remove"] = "lots";
    const std::string dir = ScratchDir("cm-bad");
    std::ofstream(dir + "/bad.json") << doc.dump(2);
    ProcessResult p = RunDyscosim({"run", dir + "/bad.json", "--out", dir + "/out"});
    EXPECT_EQ(p.exitCode, 2);
    EXPECT_NE(p.err.find("$.nodes[3].content_modifier.remove"), std::string::npos) << p.err;
    EXPECT_TRUE(ReadFile(dir + "/out/summary.json").empty());
}

TEST(StreamEdit, ExpectedBytesAreThePatternWithTheRangeReplaced)
{
    const ns3::StreamEdit e{10, 4, 6, &ns3::ContentModifierByte};
    EXPECT_EQ(e.Delta(), 2);
    for (uint64_t i = 0; i < 10; ++i)
    {
        EXPECT_EQ(ns3::ExpectedStreamByte(7, &e, i), ns3::StreamPatternByte(7, i));
    }
    for (uint64_t i = 0; i < 6; ++i)
    {
        EXPECT_EQ(ns3::ExpectedStreamByte(7, &e, 10 + i), 'a' + i);
    }
    for (uint64_t i = 16; i < 40; ++i)
    {
        EXPECT_EQ(ns3::ExpectedStreamByte(7, &e, i), ns3::StreamPatternByte(7, i - 2));
    }
    EXPECT_EQ(ns3::ExpectedStreamByte(7, nullptr, 12), ns3::StreamPatternByte(7, 12));
}

TEST(StreamPiecesEdit, WritesAreCutAtTheEditAndReadsFollowTheModifiedStream)
{
    // Writes of 100 bytes; bytes [150, 230) become 30 bytes: the expected stream is
    // [0,100) [100,150) ins(30) [230,300) ...
    StreamPieces p;
    const PieceEdit edit{150, 80, 30, 0x1234};
    p.SetEdit(edit);
    std::vector<uint8_t> data(300);
    for (size_t i = 0; i < data.size(); ++i)
    {
        data[i] = uint8_t(i * 7);
    }
    std::vector<PieceRange> writes;
    std::vector<PieceEdit> edits;
    for (uint32_t off = 0; off < 300; off += 100)
    {
        p.Write(
            data.data() + off, 100, [&](const PieceRange& r) { writes.push_back(r); },
            [&](const PieceEdit& x) { edits.push_back(x); });
    }
    ASSERT_EQ(writes.size(), 5u);
    const uint64_t cuts[][2] = {{0, 100}, {100, 50}, {150, 50}, {200, 30}, {230, 70}};
    for (size_t i = 0; i < 5; ++i)
    {
        EXPECT_EQ(writes[i].offset, cuts[i][0]);
        EXPECT_EQ(writes[i].length, cuts[i][1]);
        EXPECT_EQ(writes[i].hash,
                  dysco::verify::ContentHash(data.data() + cuts[i][0], size_t(cuts[i][1])));
    }
    ASSERT_EQ(edits.size(), 1u);
    EXPECT_EQ(edits[0].offset, 150u);
    // The receiver reads 100 + 50 + 30 + 70 bytes in chunks of 40.
    std::vector<uint8_t> received(data.begin(), data.begin() + 150);
    for (uint32_t i = 0; i < 30; ++i)
    {
        received.push_back(ns3::ContentModifierByte(i));
    }
    received.insert(received.end(), data.begin() + 230, data.end());
    std::vector<PieceRange> reads;
    for (size_t off = 0; off < received.size(); off += 40)
    {
        const uint32_t n = uint32_t(std::min<size_t>(40, received.size() - off));
        p.Read(received.data() + off, n, [&](const PieceRange& r) { reads.push_back(r); });
    }
    const uint64_t pieces[][2] = {{0, 100}, {100, 50}, {150, 30}, {180, 70}};
    ASSERT_EQ(reads.size(), 4u);
    for (size_t i = 0; i < 4; ++i)
    {
        EXPECT_EQ(reads[i].offset, pieces[i][0]);
        EXPECT_EQ(reads[i].length, pieces[i][1]);
        EXPECT_EQ(reads[i].hash,
                  dysco::verify::ContentHash(received.data() + pieces[i][0], size_t(pieces[i][1])));
    }
    PieceRange partial;
    EXPECT_FALSE(p.Partial(&partial));
}

TEST(DeliveryCheckEdit, ComparesAgainstTheEditedLength)
{
    RunResult r;
    r.simTimeS = 3;
    SessionResult s;
    s.streamId = 1;
    s.from = "client";
    s.to = "server";
    s.bytesRequested = s.bytesWritten = 1000;
    s.accepted = s.closed = true;
    s.editDelta = 200;
    s.bytesDelivered = 1200;
    r.sessions = {s};
    EXPECT_TRUE(CheckDelivery(r).pass);
    EXPECT_TRUE(r.sessions[0].Completed());
    // The unedited length is now a loss, and more than the edit adds is extra.
    r.sessions[0].bytesDelivered = 1000;
    CheckOutcome lost = CheckDelivery(r);
    ASSERT_EQ(lost.violations.size(), 1u);
    EXPECT_NE(lost.violations[0].find("stream closed at offset 1000"), std::string::npos)
        << lost.violations[0];
    EXPECT_NE(lost.violations[0].find("edit delta 200"), std::string::npos);
    r.sessions[0].bytesDelivered = 1201;
    CheckOutcome extra = CheckDelivery(r);
    ASSERT_EQ(extra.violations.size(), 1u);
    EXPECT_NE(extra.violations[0].find("extra bytes from stream offset 1200"), std::string::npos)
        << extra.violations[0];
}

} // namespace
} // namespace dyscosim::test
