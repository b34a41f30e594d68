// TraceWriter / TraceReader: every record kind survives a write and a read with all its
// fields; the header keeps its keys; a writer that is not closed leaves a truncated trace.
#include "content_hash.h"
#include "trace_dump.h"
#include "trace_writer.h"
#include "verify_test_util.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace dysco
{
namespace verify
{
namespace
{

std::vector<Event>
OneOfEach()
{
    const uint8_t bytes[] = "hello, dysco";
    FiveTuple tuple{0x0A000001, 0x0A000102, 40000, 80, kProtoTcp};
    Segment g;
    g.flags = tcpflag::kAck | tcpflag::kPsh | tcpflag::kFin;
    g.seq = 4294967290u; // wraps soon
    g.ack = 17;
    g.length = 1448;
    g.window = 501;
    g.hasTimestamp = true;
    g.tsVal = 123456;
    g.tsEcr = 654321;
    g.sackCount = 2;
    g.sack[0] = SackBlock{100, 200};
    g.sack[1] = SackBlock{300, 400};
    Teardown td;
    td.rid = 3;
    td.oldSent = 1;
    td.oldSentAcked = 2;
    td.oldRcvd = 3;
    td.oldRcvdAcked = 4;
    td.hasFirstNewRcvd = false;
    td.finOnOld = true;
    td.delta = -77;
    Edit x;
    x.dir = Direction::kServerToClient;
    x.offset = 0;
    x.removed = 0;
    x.inserted = 9;
    x.hash = 0xfedcba9876543210ull;
    return {
        MakeSession(10, 3, 0, 2, tuple, -5, 7, sessionflag::kResetExpected),
        MakeRange(EventKind::kWrite, 20, 3, 0, 0, bytes, 12),
        MakeRange(EventKind::kRead, 30, 3, 2, 0, bytes, 12),
        MakeEdit(35, 3, 1, x),
        MakeSegment(EventKind::kSegmentSent, 40, 3, 0, g),
        MakeSegment(EventKind::kSegmentReceived, 50, 3, 2, g),
        MakeRequest(60, 3, 0, 3, {0, 1, 2}, {0, 2}),
        MakeLock(70, 3, 0, 1, LockState::kLockPending, 0, 3),
        MakePhase(80, 3, 0, 3, Phase::kNewPathFailed),
        MakeTeardown(90, 3, 2, td),
        MakeControl(100, 3, 1, false, ControlMsg::kAckCancel, 2, 3),
        MakeSimple(EventKind::kAlloc, 110, 3, 1),
        MakeSimple(EventKind::kFree, 120, 3, 1),
        MakeClose(130, 3, 2, CloseHow::kTimeout),
    };
}

nlohmann::json
Header()
{
    return nlohmann::json{{"nodes", {"h0", "m1", "h1"}}, {"scenario", "unit"}, {"seed", 42}};
}

TEST(TraceIo, EveryKindRoundTrips)
{
    std::vector<Event> in = OneOfEach();
    Trace t = test::ToTrace(Header(), in);
    ASSERT_EQ(t.events.size(), in.size());
    // Formatting the parsed trace again gives the same text: every field survived.
    EXPECT_EQ(FormatTrace(t.header, t.events), FormatTrace(Header(), in));
    const auto& g = std::get<Segment>(t.events[5].payload);
    EXPECT_EQ(g.seq, 4294967290u);
    EXPECT_EQ(g.sackCount, 2);
    EXPECT_EQ(g.sack[1].right, 400u);
    EXPECT_TRUE(g.hasTimestamp);
    EXPECT_EQ(g.tsEcr, 654321u);
    const auto& d = std::get<SessionDecl>(t.events[0].payload);
    EXPECT_EQ(d.delta[0], -5);
    EXPECT_EQ(d.delta[1], 7);
    EXPECT_EQ(d.server, 2);
    EXPECT_EQ(d.tuple, (FiveTuple{0x0A000001, 0x0A000102, 40000, 80, kProtoTcp}));
    const auto& td = std::get<Teardown>(t.events[9].payload);
    EXPECT_EQ(td.delta, -77);
    EXPECT_FALSE(td.hasFirstNewRcvd);
    EXPECT_TRUE(td.finOnOld);
    const auto& r = std::get<ReconfigRequest>(t.events[6].payload);
    EXPECT_EQ(r.oldCount, 3);
    EXPECT_EQ(r.newCount, 2);
    EXPECT_EQ(std::get<StreamRange>(t.events[1].payload).hash,
              ContentHash(reinterpret_cast<const uint8_t*>("hello, dysco"), 12));
    EXPECT_EQ(t.EventId(0), 1u);
    EXPECT_EQ(t.Line(0), 2u); // line 1 is the header
}

TEST(TraceIo, HeaderStartsWithFormatAndVersionAndKeepsOtherKeys)
{
    std::string text = FormatTrace(Header(), {});
    EXPECT_EQ(text.rfind("{\"format\":\"dyscosim-trace\",\"version\":1,", 0), 0u) << text;
    Trace t = test::ToTrace(Header(), {});
    EXPECT_EQ(t.header["scenario"], "unit");
    EXPECT_EQ(t.header["seed"], 42);
    EXPECT_EQ(t.nodes, (std::vector<std::string>{"h0", "m1", "h1"}));
}

TEST(TraceIo, StreamingHashEqualsOneShot)
{
    std::string data(10000, '\0');
    for (size_t i = 0; i < data.size(); ++i)
    {
        data[i] = char(i * 131 + 7);
    }
    const auto* p = reinterpret_cast<const uint8_t*>(data.data());
    ContentHasher h;
    h.Update(p, 1);
    h.Update(p + 1, 4095);
    h.Update(p + 4096, data.size() - 4096);
    EXPECT_EQ(h.Value(), ContentHash(p, data.size()));
    EXPECT_NE(ContentHash(p, 100), ContentHash(p + 1, 100));
    // FNV-1a 64 of the empty string is its offset basis.
    EXPECT_EQ(ContentHash(p, 0), 0xcbf29ce484222325ull);
}

std::string
TempPath(const char* name)
{
    return std::string(::testing::TempDir()) + "/" + name;
}

TEST(TraceWriter, WritesAFileTheReaderAccepts)
{
    std::string path = TempPath("writer_ok.trace");
    {
        TraceWriter w;
        ASSERT_TRUE(w.Open(path, Header())) << w.Error();
        for (const Event& e : OneOfEach())
        {
            w.Write(e);
        }
        EXPECT_EQ(w.Records(), OneOfEach().size());
        ASSERT_TRUE(w.Close()) << w.Error();
    }
    Trace t;
    std::string error;
    ASSERT_TRUE(TraceReader::ReadFile(path, &t, &error)) << error;
    EXPECT_EQ(t.events.size(), OneOfEach().size());
    std::remove(path.c_str());
}

TEST(TraceWriter, OpenFromJsonTextAndRejectsHeaderWithoutNodes)
{
    TraceWriter w;
    EXPECT_FALSE(w.Open(TempPath("x.trace"), nlohmann::json{{"scenario", "x"}}));
    EXPECT_NE(w.Error().find("nodes"), std::string::npos);
    EXPECT_FALSE(w.Open(TempPath("x.trace"), std::string("{not json")));
    EXPECT_FALSE(w.Open("/nonexistent-dir/x.trace", Header()));
    EXPECT_NE(w.Error().find("cannot create"), std::string::npos);
    EXPECT_TRUE(w.Open(TempPath("y.trace"), std::string(R"({"nodes":["a","b"]})")));
    EXPECT_TRUE(w.Close());
    std::remove(TempPath("y.trace").c_str());
}

TEST(TraceWriter, ManyRecordsFlushInChunksAndStayOrdered)
{
    std::string path = TempPath("writer_many.trace");
    TraceWriter w;
    ASSERT_TRUE(w.Open(path, Header()));
    FiveTuple tuple{1, 2, 3, 4, kProtoTcp};
    w.Write(MakeSession(1, 1, 0, 2, tuple));
    const size_t n = 50000; // several 1 MiB flushes
    for (size_t i = 0; i < n; ++i)
    {
        w.Write(MakeRangeHashed(EventKind::kWrite, 2 + i, 1, 0, i * 10, 10, i));
    }
    ASSERT_TRUE(w.Close());
    Trace t;
    std::string error;
    ASSERT_TRUE(TraceReader::ReadFile(path, &t, &error)) << error;
    ASSERT_EQ(t.events.size(), n + 1);
    EXPECT_EQ(std::get<StreamRange>(t.events[n].payload).offset, (n - 1) * 10);
    std::remove(path.c_str());
}

TEST(TraceWriter, DestructorClosesAndACutEndRecordReadsAsTruncated)
{
    std::string path = TempPath("writer_cut.trace");
    {
        TraceWriter w;
        ASSERT_TRUE(w.Open(path, Header()));
        w.Write(OneOfEach()[0]);
    } // the destructor writes the end record
    Trace t;
    std::string error;
    EXPECT_TRUE(TraceReader::ReadFile(path, &t, &error)) << error;
    // A writer that died before Close leaves no end record.
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    text.erase(text.rfind("end"));
    EXPECT_FALSE(TraceReader::Parse(text, "cut", &t, &error));
    EXPECT_NE(error.find("truncated"), std::string::npos) << error;
    std::remove(path.c_str());
}

TEST(TraceDump, NamesFieldsAndNodes)
{
    Trace t = test::ToTrace(Header(), OneOfEach());
    std::string seg = DumpEvent(t, 5);
    EXPECT_NE(seg.find("#6"), std::string::npos) << seg;
    EXPECT_NE(seg.find("seg-rx"), std::string::npos) << seg;
    EXPECT_NE(seg.find("seq=4294967290"), std::string::npos) << seg;
    EXPECT_NE(seg.find("sack=[300,400)"), std::string::npos) << seg;
    std::string req = DumpEvent(t, 6);
    EXPECT_NE(req.find("old=h0,m1,h1 new=h0,h1"), std::string::npos) << req;
}

} // namespace
} // namespace verify
} // namespace dysco
