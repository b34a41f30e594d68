// Bad trace files are rejected with the file, the line and what was expected; the check
// command exits 2 on them (check_command_test.cc).
#include "verify_test_util.h"

namespace dysco
{
namespace verify
{
namespace
{

struct BadFile
{
    const char* file;
    int line;
    const char* message;
};

const BadFile kBadFiles[] = {
    {"empty.trace", 1, "empty file"},
    {"not_a_trace.trace", 1, "header is not JSON"},
    {"wrong_version.trace", 1, "trace version 2 is not supported"},
    {"truncated.trace", 4, "truncated trace: no end record"},
    {"cut_line.trace", 5, "the last line has no newline"},
    {"end_count_mismatch.trace", 4, "the end record says 5 records, but the trace has 2"},
    {"unknown_kind.trace", 3, "unknown record kind 'Q'"},
    {"unknown_node.trace", 3, "node 'nobody' is not in the header's node list"},
    {"time_backwards.trace", 3, "time must not decrease"},
    {"undeclared_session.trace", 3, "session 7, which has no S record before it"},
    {"gap_in_writes.trace", 4, "writes must be contiguous"},
    {"bad_field.trace", 3, "field 'seq': expected an unsigned 32-bit integer, got 'abc'"},
    {"write_at_middlebox.trace", 3, "neither the session's client (h0) nor its server (h1)"},
    {"unknown_rid.trace", 3, "reconfiguration 4, which has no request record"},
    {"edit_off_boundary.trace", 4, "not a write boundary"},
};

TEST(TraceReaderErrors, InvalidGoldenFilesNameLineAndProblem)
{
    for (const BadFile& b : kBadFiles)
    {
        Trace t;
        std::string error;
        std::string path = test::GoldenDir() + "/invalid/" + b.file;
        EXPECT_FALSE(TraceReader::ReadFile(path, &t, &error)) << b.file;
        std::string where = path + ":" + std::to_string(b.line) + ": ";
        EXPECT_EQ(error.rfind(where, 0), 0u) << b.file << ": " << error;
        EXPECT_NE(error.find(b.message), std::string::npos) << b.file << ": " << error;
    }
}

TEST(TraceReaderErrors, MissingFile)
{
    Trace t;
    std::string error;
    EXPECT_FALSE(TraceReader::ReadFile("/nonexistent/x.trace", &t, &error));
    EXPECT_NE(error.find("cannot open"), std::string::npos) << error;
}

const std::string kHeader = R"({"format":"dyscosim-trace","version":1,"nodes":["h0","m1","h1"]})";
const std::string kSession = "1000 S 1 h0 h1 10.0.0.1:40000>10.0.1.1:80 0 0 -";

std::string
ParseError(const std::string& body)
{
    Trace t;
    std::string error;
    if (TraceReader::Parse(body, "mem", &t, &error))
    {
        return "";
    }
    return error;
}

TEST(TraceReaderErrors, SemanticChecksOnRecords)
{
    struct Case
    {
        std::string records;
        int records_n;
        const char* message;
    };
    const Case cases[] = {
        {kSession + "\n" + kSession, 2, "declared twice"},
        {"1000 S 1 h0 h0 10.0.0.1:1>10.0.0.2:2 0 0 -", 1, "must be different nodes"},
        {"1000 S 1 h0 h1 10.0.0.1:1-10.0.0.2:2 0 0 -", 1, "five-tuple"},
        {"1000 S 1 h0 h1 10.0.0.300:1>10.0.0.2:2 0 0 -", 1, "five-tuple"},
        {kSession + "\n2000 P 1 m1 1 request h0,m1,h1 h0,h1", 2, "must start at the node"},
        {kSession + "\n2000 P 1 h0 1 request h0,m1,h1 h0,m1", 2, "same anchors"},
        {kSession + "\n2000 P 1 h0 1 request h0,m1,h1 h0,h1\n2100 P 1 h0 1 request h0,m1,h1 h0,h1",
         3, "already requested"},
        {kSession + "\n2000 P 1 h0 1 request h0,m1,h1 h0,h1\n2100 P 1 m1 1 done", 3,
         "must be recorded by its left anchor h0"},
        {kSession + "\n2000 P 1 h0 1 request h0,m1,h1 h0,h1\n2100 P 1 h0 1 finished", 3,
         "unknown phase"},
        {kSession + "\n2000 L 1 h0 m1 locked h0 9", 2, "no request record"},
        {kSession + "\n2000 M 1 h0 tx requestLock m1 9", 2, "no request record"},
        {kSession + "\n2000 M 1 h0 tx hello m1 9", 2, "unknown control message"},
        {kSession + "\n2000 G 1 h1 S 1 0 0 0 - 1-2,3-4,5-6,7-8,9-10", 2, "more than 4 blocks"},
        {kSession + "\n2000 G 1 h1 Z 1 0 0 0 - -", 2, "letters from SAFRP"},
        {kSession + "\n2000 G 1 h1 S 1 0 0 0 5 -", 2, "TSVAL,TSECR"},
        {kSession + "\n2000 W 1 h0 0 10 123", 2, "16 hex digits"},
        {kSession + "\n2000 W 1 h0 0 0 0000000000000000", 2, "length 0"},
        {kSession + "\n2000 C 1 h1 later", 2, "fin, rst or timeout"},
        {kSession + "\n2000 A 1 h0 extra", 2, "expected 4 fields"},
        {kSession + "\n2000 X 1 m1 c2s 0 0 0 0000000000000000", 2, "removes and inserts nothing"},
        {kSession +
             "\n2000 X 1 m1 c2s 10 0 5 0000000000000000\n2100 X 1 m1 c2s 5 0 5 0000000000000000",
         3, "stream order"},
        {kSession + "\n2000 A 1 h0\nend 2\n2100 A 1 h0", 4, "after the end record"},
    };
    for (const Case& c : cases)
    {
        std::string text =
            kHeader + "\n" + c.records + "\nend " + std::to_string(c.records_n) + "\n";
        std::string error = ParseError(text);
        EXPECT_NE(error.find(c.message), std::string::npos) << "records:\n"
                                                            << c.records << "\nerror: " << error;
    }
}

TEST(TraceReaderErrors, HeaderProblems)
{
    EXPECT_NE(ParseError("{\"format\":\"other\",\"version\":1,\"nodes\":[]}\nend 0\n")
                  .find("not a dyscosim trace"),
              std::string::npos);
    EXPECT_NE(ParseError("{\"format\":\"dyscosim-trace\",\"nodes\":[]}\nend 0\n").find("version"),
              std::string::npos);
    EXPECT_NE(ParseError("{\"format\":\"dyscosim-trace\",\"version\":1}\nend 0\n").find("nodes"),
              std::string::npos);
    EXPECT_NE(ParseError("{\"format\":\"dyscosim-trace\",\"version\":1,\"nodes\":[\"a\",\"a\"]}\n"
                         "end 0\n")
                  .find("listed twice"),
              std::string::npos);
}

TEST(TraceReader, AcceptsCommentsBlankLinesSpacesAndCrlf)
{
    std::string text =
        kHeader + "\r\n# a comment\r\n\r\n" + kSession + "\r\n" + "2000\t A  1 h0\r\nend 2\r\n";
    Trace t;
    std::string error;
    ASSERT_TRUE(TraceReader::Parse(text, "mem", &t, &error)) << error;
    ASSERT_EQ(t.events.size(), 2u);
    EXPECT_EQ(t.Line(1), 5u);
}

} // namespace
} // namespace verify
} // namespace dysco
