// Boundary cases per property, each with the expected answer, checked against the scan AND
// the Z3 encoding separately (agreement alone would miss a bug both share, and an off-by-one
// that random traces rarely reach).
#include "verify_test_util.h"

#include <sstream>

namespace dysco
{
namespace verify
{
namespace
{

const char* kHeader = R"({"format":"dyscosim-trace","version":1,"nodes":["h0","m1","m2","h1"]})";

struct Case
{
    const char* name;
    PropertyId property;
    uint64_t firstEvent; ///< expected first offending event id; 0: the property holds
    std::string records;
};

Trace
Parse(const std::string& records, const std::string& header = kHeader)
{
    std::istringstream in(records);
    std::string line;
    size_t n = 0;
    while (std::getline(in, line))
    {
        n += !line.empty() && line[0] != '#';
    }
    Trace t;
    std::string error;
    std::string text = header + "\n" + records + "end " + std::to_string(n) + "\n";
    EXPECT_TRUE(TraceReader::Parse(text, "case", &t, &error)) << error;
    return t;
}

void
Expect(const Case& c, const std::string& header = kHeader)
{
    SCOPED_TRACE(c.name);
    Trace t = Parse(c.records, header);
    SessionIndex index(t);
    z3::context ctx;
    uint64_t scanFirst = 0;
    uint64_t z3First = 0;
    for (size_t s = 0; s < index.Count(); ++s)
    {
        SessionCheck r = CheckSessionBothWays(ctx, t, index.View(s), c.property);
        ASSERT_NE(r.z3.status, Z3Result::Status::kUnknown) << r.z3.detail;
        if (r.scan.Violated() && !scanFirst)
        {
            scanFirst = t.EventId(r.scan.FirstEvent());
        }
        if (r.z3.status == Z3Result::Status::kViolated && !z3First)
        {
            z3First = t.EventId(r.z3.event);
        }
    }
    EXPECT_EQ(scanFirst, c.firstEvent) << "scan";
    EXPECT_EQ(z3First, c.firstEvent) << "z3";
}

// ---- seq_ack_correct ----------------------------------------------------------------------
// h0: ISN 1000, TSvals 100..102; h1: ISN 5000. After these 10 records h0 has sent 1000 bytes
// (sndMax offset 1000, i.e. seq 2001), h1 has received them.
const std::string kSeqBase = R"(1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -
2000 T 1 h0 S 1000 0 0 9 100,0 -
2100 G 1 h1 S 1000 0 0 9 100,0 -
2200 T 1 h1 SA 5000 1001 0 9 900,100 -
2300 G 1 h0 SA 5000 1001 0 9 900,100 -
2400 T 1 h0 A 1001 5001 0 9 101,900 -
2500 G 1 h1 A 1001 5001 0 9 101,900 -
3000 W 1 h0 0 1000 1111111111111111
3100 T 1 h0 A 1001 5001 1000 9 102,900 -
3200 G 1 h1 A 1001 5001 1000 9 102,900 -
)";

std::string
AckAtH0(const std::string& ack, const std::string& ts, const std::string& sack)
{
    return kSeqBase + "3500 G 1 h0 A 5001 " + ack + " 0 9 " + ts + " " + sack + "\n";
}

TEST(SeqAckCases, AckSackAndTimestampBoundaries)
{
    const auto P = PropertyId::kSeqAckCorrect;
    const Case cases[] = {
        {"ack = everything sent", P, 0, AckAtH0("2001", "901,102", "-")},
        {"ack one beyond", P, 11, AckAtH0("2002", "901,102", "-")},
        {"ack = ISN+1 (offset 0)", P, 0, AckAtH0("1001", "901,102", "-")},
        {"ack = ISN (offset -1)", P, 11, AckAtH0("1000", "901,102", "-")},
        {"SACK up to sndMax", P, 0, AckAtH0("1501", "901,102", "1501-2001")},
        {"SACK one beyond", P, 11, AckAtH0("1501", "901,102", "1501-2002")},
        {"empty SACK block", P, 11, AckAtH0("1501", "901,102", "1501-1501")},
        {"SACK below ISN+1", P, 11, AckAtH0("1501", "901,102", "1000-1500")},
        {"TSecr = newest TSval", P, 0, AckAtH0("2001", "901,102", "-")},
        {"TSecr = first TSval", P, 0, AckAtH0("2001", "901,100", "-")},
        {"TSecr newer than any sent", P, 11, AckAtH0("2001", "901,103", "-")},
        {"TSecr older than the first", P, 11, AckAtH0("2001", "901,99", "-")},
        {"TSecr 0 echoes nothing", P, 0, AckAtH0("2001", "901,0", "-")},
    };
    for (const Case& c : cases)
    {
        Expect(c);
    }
}

TEST(SeqAckCases, SeqBoundariesFinSlotAndSyn)
{
    const auto P = PropertyId::kSeqAckCorrect;
    const std::string fin = kSeqBase + "4000 T 1 h0 FA 2001 5001 0 9 103,900 -\n";
    const Case cases[] = {
        {"data ends at bytes written", P, 0, kSeqBase},
        {"data one byte past what was written", P, 10,
         std::string(kSeqBase).replace(kSeqBase.rfind("3200 G 1 h1 A 1001"),
                                       std::string("3200 G 1 h1 A 1001").size(),
                                       "3200 G 1 h1 A 1002")},
        {"seq before ISN+1", P, 11, kSeqBase + "3300 G 1 h1 A 1000 5001 0 9 102,900 -\n"},
        {"FIN takes the slot after the stream", P, 0,
         fin + "4100 G 1 h1 FA 2001 5001 0 9 103,900 -\n"
               "4200 G 1 h1 A 2002 5001 0 9 103,900 -\n"},
        {"seq beyond the FIN slot", P, 12, fin + "4100 G 1 h1 A 2003 5001 0 9 103,900 -\n"},
        {"FIN at the stream end before the peer sent it", P, 11,
         kSeqBase + "4100 G 1 h1 FA 2001 5001 0 9 102,900 -\n"},
        {"SYN retransmitted with another ISN", P, 11,
         kSeqBase + "3300 G 1 h1 S 1234 0 0 9 100,0 -\n"},
        {"data before the peer's SYN", P, 3,
         "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -\n1100 W 1 h0 0 10 1111111111111111\n"
         "2000 G 1 h1 A 1001 0 10 9 - -\n"},
        {"RST before the peer's SYN is not judged", P, 0,
         "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -\n2000 G 1 h1 R 77 0 0 9 - -\n"},
        {"ACK before sending a SYN", P, 2,
         "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -\n2000 G 1 h1 SA 1000 5 0 9 - -\n"},
    };
    for (const Case& c : cases)
    {
        Expect(c);
    }
}

TEST(SeqAckCases, WrapAroundIsOneSpace)
{
    // h0's ISN sits 100 below 2^32: its 1000 bytes wrap; acks compare modulo 2^32.
    const std::string base = R"(1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -
2000 T 1 h0 S 4294967196 0 0 9 4294967290,0 -
2100 G 1 h1 S 4294967196 0 0 9 4294967290,0 -
2200 T 1 h1 SA 5000 4294967197 0 9 900,4294967290 -
2300 G 1 h0 SA 5000 4294967197 0 9 900,4294967290 -
3000 W 1 h0 0 1000 1111111111111111
3100 T 1 h0 PA 4294967197 5001 1000 9 5,900 -
3200 G 1 h1 PA 4294967197 5001 1000 9 5,900 -
)";
    const auto P = PropertyId::kSeqAckCorrect;
    Expect({"wrapped ack of everything", P, 0,
            base + "3300 G 1 h0 A 5001 901 0 9 901,5 4294967197-901\n"});
    Expect({"wrapped ack one beyond", P, 9, base + "3300 G 1 h0 A 5001 902 0 9 901,5 -\n"});
    Expect({"TSecr wrapped past the newest", P, 9, base + "3300 G 1 h0 A 5001 901 0 9 901,6 -\n"});
}

// ---- no_data_loss -------------------------------------------------------------------------
const std::string kStream = R"(1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -
2000 W 1 h0 0 100 1111111111111111
2100 W 1 h0 100 100 2222222222222222
)";

TEST(NoDataLossCases, CompletenessPrefixesAndDeltas)
{
    const auto P = PropertyId::kNoDataLoss;
    const std::string r1 = "3000 R 1 h1 0 100 1111111111111111\n";
    const std::string r2 = "3100 R 1 h1 100 100 2222222222222222\n";
    const Case cases[] = {
        {"all read, FIN", P, 0, kStream + r1 + r2 + "4000 C 1 h1 fin\n"},
        {"FIN after reading a prefix: first unread write", P, 3,
         kStream + r1 + "4000 C 1 h1 fin\n"},
        {"prefix without a close is fine", P, 0, kStream + r1},
        {"prefix then reset is fine", P, 0, kStream + r1 + "4000 C 1 h1 rst\n"},
        {"partial last read then reset", P, 0,
         kStream + r1 + "3100 R 1 h1 100 40 9999999999999999\n4000 C 1 h1 rst\n"},
        {"partial last read then FIN", P, 5,
         kStream + r1 + "3100 R 1 h1 100 40 9999999999999999\n4000 C 1 h1 fin\n"},
        {"partial read that is not the last", P, 4,
         kStream + "3000 R 1 h1 0 40 1111111111111111\n" + r2},
        {"skipped a piece", P, 4, kStream + r2},
        {"read beyond the stream", P, 6,
         kStream + r1 + r2 + "3200 R 1 h1 200 5 1111111111111111\n"},
        {"hash differs", P, 4, kStream + "3000 R 1 h1 0 100 1111111111111112\n"},
        {"read by the sender itself is the other direction", P, 4,
         kStream + "3000 R 1 h0 0 100 1111111111111111\n"},
    };
    for (const Case& c : cases)
    {
        Expect(c);
    }
}

TEST(NoDataLossCases, EditsAndDeclaredDelta)
{
    const auto P = PropertyId::kNoDataLoss;
    auto session = [](int delta)
    {
        return "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 " + std::to_string(delta) +
               " 0 -\n"
               "2000 W 1 h0 0 100 1111111111111111\n"
               "2100 W 1 h0 100 100 2222222222222222\n"
               "2200 X 1 m1 c2s 100 100 30 3333333333333333\n"
               "2300 X 1 m1 c2s 200 0 5 4444444444444444\n";
    };
    const std::string reads = "3000 R 1 h1 0 100 1111111111111111\n"
                              "3100 R 1 h1 100 30 3333333333333333\n"
                              "3200 R 1 h1 130 5 4444444444444444\n";
    Expect({"replace and append, delta -65", P, 0, session(-65) + reads + "4000 C 1 h1 fin\n"});
    Expect({"declared delta wrong", P, 1, session(-60) + reads + "4000 C 1 h1 fin\n"});
    Expect({"declared delta unchecked without FIN", P, 0, session(-60) + reads});
    Expect({"original bytes read instead of the edit", P, 7,
            session(-65) + "3000 R 1 h1 0 100 1111111111111111\n"
                           "3100 R 1 h1 100 100 2222222222222222\n"});
}

// ---- lock_exclusive -----------------------------------------------------------------------
const std::string kChain = "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -\n";

TEST(LockCases, HoldersAndContention)
{
    const auto P = PropertyId::kLockExclusive;
    const std::string req1 = "2000 P 1 h0 1 request h0,m1,h1 h0,m2,h1\n";
    const std::string req2 = "2100 P 1 m1 2 request m1,h1 m1,m2,h1\n";
    const Case cases[] = {
        {"pending then locked by the same requestor", P, 0,
         kChain + req1 + "2010 L 1 h0 m1 lockPending h0 1\n2020 L 1 h0 m1 locked h0 1\n"},
        {"unlocked on behalf of another", P, 4,
         kChain + req1 + "2010 L 1 h0 m1 locked h0 1\n2020 L 1 h0 m1 unlocked m1 1\n"},
        {"relocked by another after unlock", P, 0,
         kChain + req1 +
             "2010 L 1 h0 m1 locked h0 1\n2020 L 1 h0 m1 unlocked h0 1\n"
             "2030 L 1 h0 m1 locked m1 1\n"},
        {"denied with no competitor", P, 3, kChain + req1 + "2500 P 1 h0 1 denied\n"},
        {"denied while the other holds the lock", P, 0,
         kChain + req1 + "2050 P 1 h0 1 locked\n" + req2 + "2200 P 1 m1 2 denied\n"},
        {"denied after the winner ended", P, 6,
         kChain + req1 + "2050 P 1 h0 1 locked\n2060 P 1 h0 1 closed\n" + req2 +
             "2200 P 1 m1 2 denied\n"},
        {"both locked while both pending", P, 5,
         kChain + req1 + req2 + "2200 P 1 h0 1 locked\n2300 P 1 m1 2 locked\n"},
        {"both locked one after the other", P, 0,
         kChain + req1 + "2050 P 1 h0 1 locked\n" + req2 + "2300 P 1 m1 2 locked\n"},
        {"lockFailed needs no winner", P, 0, kChain + req1 + "2500 P 1 h0 1 lockFailed\n"},
        // Windows are closed intervals: touching in the same nanosecond counts as overlap.
        {"denied in the instant the winner requested", P, 0,
         kChain + "2000 P 1 m1 2 request m1,h1 m1,m2,h1\n2100 P 1 h0 1 request h0,m1,h1 h0,m2,h1\n"
                  "2100 P 1 m1 2 denied\n2200 P 1 h0 1 locked\n"},
        {"both locked, one requested in the instant the other was", P, 5,
         kChain + "2000 P 1 h0 1 request h0,m1,h1 h0,m2,h1\n2000 P 1 m1 2 request m1,h1 m1,m2,h1\n"
                  "2000 P 1 m1 2 locked\n2100 P 1 h0 1 locked\n"},
        {"disjoint segments both win", P, 0,
         kChain + "2000 P 1 h0 1 request h0,m1 h0,m2,m1\n2100 P 1 m1 2 request m1,h1 m1,m2,h1\n"
                  "2200 P 1 h0 1 locked\n2300 P 1 m1 2 locked\n"},
    };
    for (const Case& c : cases)
    {
        Expect(c);
    }
}

// ---- reconfig_terminates ------------------------------------------------------------------
TEST(ReconfigCases, EndsAndJustifications)
{
    const auto P = PropertyId::kReconfigTerminates;
    const std::string req = kChain + "2000 P 1 h0 1 request h0,m1,h1 h0,m2,h1\n";
    const std::string locked = "2100 P 1 h0 1 locked\n";
    const std::string failed = "2200 P 1 h0 1 newPathFailed\n";
    const std::string cancel = "2300 M 1 h0 tx cancelLock m1 1\n";
    const std::string ack = "2400 M 1 h0 rx ackCancel m1 1\n";
    const Case cases[] = {
        {"never ends", P, 2, req + locked},
        {"closed underneath", P, 0, req + locked + "2500 P 1 h0 1 closed\n"},
        {"done", P, 0, req + locked + "2200 P 1 h0 1 newPathUp\n2300 P 1 h0 1 done\n"},
        {"done without the new path", P, 4, req + locked + "2300 P 1 h0 1 done\n"},
        {"done without the lock", P, 4, req + "2200 P 1 h0 1 newPathUp\n2300 P 1 h0 1 done\n"},
        {"done after the new path failed", P, 6,
         req + locked + failed + "2250 P 1 h0 1 newPathUp\n2300 P 1 h0 1 done\n"},
        {"aborted properly", P, 0,
         req + locked + failed + cancel + ack + "2500 P 1 h0 1 aborted\n"},
        {"aborted without a failure", P, 6,
         req + locked + cancel + ack + "2500 P 1 h0 1 aborted\n"},
        {"aborted without cancelLock", P, 6,
         req + locked + failed + ack + "2500 P 1 h0 1 aborted\n"},
        {"cancel and ack after the abort", P, 5,
         req + locked + failed + "2250 P 1 h0 1 aborted\n" + cancel + ack},
        {"ackCancel before cancelLock", P, 7,
         req + locked + failed + "2250 M 1 h0 rx ackCancel m1 1\n" + cancel +
             "2500 P 1 h0 1 aborted\n"},
        {"ackCancel received elsewhere", P, 7,
         req + locked + failed + cancel + "2400 M 1 m1 rx ackCancel h1 1\n2500 P 1 h0 1 aborted\n"},
        {"denied after locking", P, 4, req + locked + "2200 P 1 h0 1 denied\n"},
        {"phase after the end", P, 4, req + "2100 P 1 h0 1 lockFailed\n2200 P 1 h0 1 locked\n"},
    };
    for (const Case& c : cases)
    {
        Expect(c);
    }
}

// ---- clean_termination --------------------------------------------------------------------
TEST(CleanCases, TeardownPredicateAndCutoff)
{
    const auto P = PropertyId::kCleanTermination;
    const std::string head = "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -\n"
                             "2000 P 1 h0 1 request h0,m1,h1 h0,h1\n";
    const std::string closes = "9000 C 1 h0 fin\n9000 C 1 h1 fin\n";
    auto td = [](const char* node, const char* values)
    { return std::string("3000 P 1 ") + node + " 1 teardown " + values + "\n"; };
    const Case cases[] = {
        {"both anchors, predicate and cutoff hold", P, 0,
         head + td("h1", "500 500 100 100 100 0 0") + td("h0", "100 100 500 500 500 0 0") +
             "3100 P 1 h0 1 done\n" + closes},
        {"unacked old-path data", P, 3, head + td("h0", "100 90 500 500 500 0 0") + closes},
        {"unacked received data", P, 3, head + td("h0", "100 100 500 490 500 0 0") + closes},
        {"nothing on the new path yet", P, 3, head + td("h0", "100 100 500 500 - 0 0") + closes},
        {"FIN on the old path replaces firstNewRcvd", P, 0,
         head + td("h0", "100 100 500 500 - 1 0") + closes},
        {"torn down by a middle agent", P, 3, head + td("m1", "1 1 1 1 1 0 0") + closes},
        {"cutoffs disagree", P, 4,
         head + td("h1", "500 500 100 100 100 0 0") + td("h0", "100 100 510 510 510 0 0") + closes},
        {"cutoffs agree through deltas", P, 0,
         head + td("h1", "500 500 20100 20100 20100 0 20000") +
             td("h0", "100 100 3500 3500 3500 0 3000") + closes},
        {"done before the left anchor tore down", P, 3,
         head + "2500 P 1 h0 1 done\n" + td("h0", "100 100 500 500 500 0 0") +
             td("h1", "500 500 100 100 100 0 0") + closes},
        {"done but the right anchor never tore down", P, 4,
         head + td("h0", "100 100 500 500 500 0 0") + "3100 P 1 h0 1 done\n" + closes},
    };
    for (const Case& c : cases)
    {
        Expect(c);
    }
}

TEST(CleanCases, ClosesAndAgentState)
{
    const auto P = PropertyId::kCleanTermination;
    const std::string s = "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -\n";
    const std::string sr = "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 r\n";
    const std::string closes = "9000 C 1 h0 fin\n9000 C 1 h1 fin\n";
    const Case cases[] = {
        {"both FIN", P, 0, s + closes},
        {"one endpoint never closes", P, 1, s + "9000 C 1 h0 fin\n"},
        {"RST not expected", P, 3, s + "9000 C 1 h0 fin\n9000 C 1 h1 rst\n"},
        {"timeout expected by flag r", P, 0, sr + "9000 C 1 h0 timeout\n9000 C 1 h1 rst\n"},
        {"allocated and freed", P, 0, s + "1100 A 1 m1\n8000 F 1 m1\n" + closes},
        {"never freed: the last allocation", P, 4,
         s + "1100 A 1 m1\n1200 F 1 m1\n1300 A 1 m1\n" + closes},
        {"freed twice", P, 4, s + "1100 A 1 m1\n1200 F 1 m1\n1300 F 1 m1\n" + closes},
        {"lock record after free", P, 5,
         s +
             "1100 A 1 m1\n1150 P 1 m1 1 request m1,h1 m1,m2,h1\n1200 F 1 m1\n"
             "1300 L 1 m1 h1 unlocked m1 1\n1400 P 1 m1 1 closed\n" +
             closes},
        {"control received after free is fine", P, 0,
         s +
             "1100 A 1 m1\n1150 P 1 h0 1 request h0,m1,h1 h0,h1\n1200 F 1 m1\n"
             "1300 M 1 m1 rx requestLock h0 1\n" +
             closes},
        {"control sent after free", P, 5,
         s +
             "1100 A 1 m1\n1150 P 1 h0 1 request h0,m1,h1 h0,h1\n1200 F 1 m1\n"
             "1300 M 1 m1 tx ackLock h0 1\n" +
             closes},
    };
    for (const Case& c : cases)
    {
        Expect(c);
    }
}

TEST(CleanCases, StateGraceAfterTheCloses)
{
    // Agents keep a closed session's state for their close linger: with "state_grace_ns" in
    // the header, state still held at the end is a leak only once the grace has passed since
    // both endpoints closed (at 9000), by the end of the run ("stop_ns" or the last record).
    const auto P = PropertyId::kCleanTermination;
    const std::string s = "1000 S 1 h0 h1 10.0.0.1:1>10.0.0.2:80 0 0 -\n1100 A 1 m1\n";
    const std::string closes = "9000 C 1 h0 fin\n9000 C 1 h1 fin\n";
    auto header = [](const char* extra)
    {
        return std::string(
                   R"({"format":"dyscosim-trace","version":1,"nodes":["h0","m1","m2","h1"],)") +
               extra + "}";
    };
    Expect({"run ends within the grace", P, 0, s + closes},
           header(R"("state_grace_ns":1000,"stop_ns":9999)"));
    Expect({"run ends at the grace", P, 2, s + closes},
           header(R"("state_grace_ns":1000,"stop_ns":10000)"));
    Expect({"a later record ends the run", P, 2, s + closes + "10000 C 1 h1 fin\n"},
           header(R"("state_grace_ns":1000)"));
    Expect({"no grace given: any leftover state is a leak", P, 2, s + closes});
    Expect({"an endpoint never closed: the close rule flags it", P, 1, s + "9000 C 1 h0 fin\n"},
           header(R"("state_grace_ns":1000,"stop_ns":99999)"));
}

} // namespace
} // namespace verify
} // namespace dysco
