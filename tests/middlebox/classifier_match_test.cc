// The classifier's payload matching (issue 6): the rule walk on a session's first bytes
// (DecideClass), the reassembly of those bytes from segments (StreamStart), and the
// DyscoClassifier on raw packets. Every prefix is split at every byte boundary, also sent
// one byte per segment and with its segments reordered: the decision must wait until enough
// bytes are there, then be the first matching rule, and every segment must pass.
#include "core/packet.h"
#include "core/packet_edit.h"
#include "ns3/classifier-rules.h"
#include "ns3/dysco-agent.h"
#include "ns3/dysco-classifier.h"
#include "ns3/stream-start.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;
namespace tcpflag = dysco::tcpflag;

namespace
{

std::vector<uint8_t>
Bytes(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

const std::vector<uint8_t> kTls = {0x16, 0x03, 0x01, 0x02, 0x00};

/// GET -> rule 0, a TLS record header -> rule 1, port 81 -> rule 2.
std::vector<ClassifierRule>
Rules()
{
    return {{0, Bytes("GET ")}, {0, kTls}, {81, {}}};
}

/// The decision after each of `segments` (offsets into `stream`) arrives in that order.
std::vector<ClassifierDecision>
Walk(const std::vector<ClassifierRule>& rules, uint16_t port, const std::vector<uint8_t>& stream,
     const std::vector<std::pair<size_t, size_t>>& segments)
{
    const uint32_t isn = 0xFFFFFFF0u; // the stream's sequence numbers wrap
    StreamStart start(isn, LongestPrefix(rules));
    std::vector<ClassifierDecision> out;
    for (const auto& [from, to] : segments)
    {
        start.Add(isn + 1 + uint32_t(from), stream.data() + from, to - from);
        out.push_back(DecideClass(rules, port, start.Data(), start.Contiguous(), false));
    }
    return out;
}

/// Expects no decision while fewer than `need` contiguous bytes arrived, then `rule`.
void
ExpectSplits(const std::vector<uint8_t>& stream, size_t need, ClassifierDecision::Kind kind,
             size_t rule)
{
    const auto expect =
        [&](const std::vector<std::pair<size_t, size_t>>& segments, const std::string& how)
    {
        const auto decisions = Walk(Rules(), 80, stream, segments);
        size_t contiguous = 0;
        std::vector<bool> seen(stream.size(), false);
        for (size_t i = 0; i < segments.size(); ++i)
        {
            for (size_t b = segments[i].first; b < segments[i].second; ++b)
            {
                seen[b] = true;
            }
            while (contiguous < seen.size() && seen[contiguous])
            {
                ++contiguous;
            }
            const ClassifierDecision& d = decisions[i];
            if (contiguous < need)
            {
                EXPECT_EQ(d.kind, ClassifierDecision::kWait)
                    << how << ", after segment " << i << " (" << contiguous << " bytes)";
                continue;
            }
            EXPECT_EQ(d.kind, kind) << how << ", after segment " << i;
            if (kind == ClassifierDecision::kRule)
            {
                EXPECT_EQ(d.rule, rule) << how << ", after segment " << i;
            }
        }
    };
    for (size_t k = 0; k <= stream.size(); ++k)
    {
        expect({{0, k}, {k, stream.size()}}, "split at " + std::to_string(k));
        expect({{k, stream.size()}, {0, k}}, "split at " + std::to_string(k) + ", reordered");
    }
    std::vector<std::pair<size_t, size_t>> bytewise;
    for (size_t b = 0; b < stream.size(); ++b)
    {
        bytewise.emplace_back(b, b + 1);
    }
    expect(bytewise, "one byte per segment");
    bytewise.insert(bytewise.begin() + 1, bytewise[0]); // a retransmission
    expect(bytewise, "one byte per segment, the first twice");
}

TEST(ClassifierMatch, PrefixesSplitAtEveryByteDecideOnceComplete)
{
    ExpectSplits(Bytes("GET /index.html HTTP/1.1\r\n"), 4, ClassifierDecision::kRule, 0);
    std::vector<uint8_t> hello = kTls;
    hello.insert(hello.end(), {0x01, 0x00, 0x01, 0xfc, 0x03, 0x03});
    ExpectSplits(hello, kTls.size(), ClassifierDecision::kRule, 1);
    // Differs from both prefixes at its first byte: decided at once, the default.
    ExpectSplits(Bytes("SSH-2.0-OpenSSH\r\n"), 1, ClassifierDecision::kDefault, 0);
    // Agrees with "GET " for 3 bytes and with nothing after.
    ExpectSplits(Bytes("GETX /"), 4, ClassifierDecision::kDefault, 0);
    // Agrees with the TLS prefix up to its last byte.
    ExpectSplits({0x16, 0x03, 0x01, 0x02, 0x01, 0x00}, kTls.size(), ClassifierDecision::kDefault,
                 0);
}

TEST(ClassifierMatch, RuleOrderHoldsWhileAnEarlierPrefixIsUndecided)
{
    const uint8_t g[] = {'G', 'E', 'X'};
    // On port 81 a "G" could still be "GET ": the port rule after it must wait.
    EXPECT_EQ(DecideClass(Rules(), 81, g, 1, false).kind, ClassifierDecision::kWait);
    EXPECT_EQ(DecideClass(Rules(), 81, g, 3, false).rule, 2u); // "GEX": not GET, so port 81
    // A port rule first wins at once, whatever the bytes.
    const std::vector<ClassifierRule> portFirst = {{81, {}}, {0, Bytes("GET ")}};
    const ClassifierDecision d = DecideClass(portFirst, 81, g, 0, false);
    EXPECT_EQ(d.kind, ClassifierDecision::kRule);
    EXPECT_EQ(d.rule, 0u);
    // Port and prefix together: both must hold.
    const std::vector<ClassifierRule> both = {{80, Bytes("GE")}};
    EXPECT_EQ(DecideClass(both, 80, g, 2, false).kind, ClassifierDecision::kRule);
    EXPECT_EQ(DecideClass(both, 81, g, 2, false).kind, ClassifierDecision::kDefault);
}

TEST(ClassifierMatch, AStreamShorterThanAPrefixEndsUndecidedRulesAtItsEnd)
{
    const uint8_t ge[] = {'G', 'E'};
    EXPECT_EQ(DecideClass(Rules(), 80, ge, 2, false).kind, ClassifierDecision::kWait);
    EXPECT_EQ(DecideClass(Rules(), 80, ge, 2, true).kind, ClassifierDecision::kDefault);
    EXPECT_EQ(DecideClass(Rules(), 81, ge, 2, true).rule, 2u);
    EXPECT_EQ(DecideClass(Rules(), 80, ge, 0, true).kind, ClassifierDecision::kDefault);
    EXPECT_EQ(LongestPrefix(Rules()), 5u);
}

constexpr uint32_t kClient = 0x0A000001;
constexpr uint32_t kServer = 0x0A000302;
constexpr uint32_t kIsn = 1000;

std::vector<uint8_t>
Segment(uint16_t dstPort, uint32_t seq, uint8_t flags, const std::vector<uint8_t>& data = {},
        bool reverse = false)
{
    return reverse ? dysco::BuildTcpPacket(kServer, kClient, dstPort, 49153, seq, 0, flags, 65535,
                                           nullptr, 0, data.data(), data.size())
                   : dysco::BuildTcpPacket(kClient, kServer, 49153, dstPort, seq, 0, flags, 65535,
                                           nullptr, 0, data.data(), data.size());
}

/// A classifier with Rules(), no agent (decisions are counted, nothing is inserted).
Ptr<DyscoClassifier>
Classifier()
{
    std::vector<DyscoClassifier::Rule> rules;
    for (const ClassifierRule& r : Rules())
    {
        rules.push_back({r, Ipv4Address("10.0.9.1")});
    }
    Ptr<DyscoClassifier> c = CreateObject<DyscoClassifier>();
    c->Configure(nullptr, rules, Ipv4Address::GetAny());
    return c;
}

/// Sends `stream` from the client in segments of `size` bytes (after a SYN); returns the
/// decision counts. Asks WantsPayload first, as the binding does, and checks the segment
/// passes unchanged.
std::vector<uint64_t>
Classify(const std::vector<uint8_t>& stream, size_t size, uint16_t port = 80)
{
    Ptr<DyscoClassifier> c = Classifier();
    auto syn = Segment(port, kIsn, tcpflag::kSyn);
    EXPECT_TRUE(c->Process(syn, nullptr));
    EXPECT_FALSE(c->WantsPayload(syn));
    auto synAck = Segment(port, 5000, tcpflag::kSyn | tcpflag::kAck, {}, true);
    EXPECT_TRUE(c->Process(synAck, nullptr));
    bool decided = false;
    for (size_t off = 0; off < stream.size(); off += size)
    {
        const std::vector<uint8_t> data(stream.begin() + off,
                                        stream.begin() + std::min(stream.size(), off + size));
        const bool last = off + size >= stream.size();
        auto seg = Segment(port, kIsn + 1 + uint32_t(off),
                           tcpflag::kAck | (last ? tcpflag::kFin : 0), data);
        const auto copy = seg;
        EXPECT_EQ(c->WantsPayload(seg), !decided) << "segment at " << off;
        EXPECT_TRUE(c->Process(seg, nullptr));
        EXPECT_EQ(seg, copy);
        uint64_t total = 0;
        for (uint64_t n : c->GetDecisionCounts())
        {
            total += n;
        }
        decided = total > 0;
        auto reply = Segment(port, 5001, tcpflag::kAck, {'x'}, true);
        EXPECT_FALSE(c->WantsPayload(reply));
    }
    EXPECT_EQ(c->GetClassifiedCount(), 1u);
    return c->GetDecisionCounts();
}

TEST(ClassifierMatch, TheBoxDecidesEachSessionOnceFromItsSegments)
{
    const std::string http = "GET / HTTP/1.1\r\n";
    for (size_t size = 1; size <= http.size(); ++size)
    {
        EXPECT_EQ(Classify(Bytes(http), size), (std::vector<uint64_t>{1, 0, 0, 0}))
            << size << "-byte segments";
    }
    for (size_t size = 1; size <= 6; ++size)
    {
        EXPECT_EQ(Classify({0x16, 0x03, 0x01, 0x02, 0x00, 0x01}, size),
                  (std::vector<uint64_t>{0, 1, 0, 0}))
            << size << "-byte segments";
    }
    EXPECT_EQ(Classify(Bytes("SSH-2.0-"), 3), (std::vector<uint64_t>{0, 0, 0, 1}));
    EXPECT_EQ(Classify(Bytes("HELO"), 2, 81), (std::vector<uint64_t>{0, 0, 1, 0}));
    // Shorter than the prefix it agrees with: its FIN decides (the default).
    EXPECT_EQ(Classify(Bytes("GE"), 1), (std::vector<uint64_t>{0, 0, 0, 1}));
}

TEST(ClassifierMatch, AFinAfterALostSegmentWaitsForTheRetransmission)
{
    Ptr<DyscoClassifier> c = Classifier();
    auto syn = Segment(80, kIsn, tcpflag::kSyn);
    c->Process(syn, nullptr);
    auto fin = Segment(80, kIsn + 3, tcpflag::kAck | tcpflag::kFin, Bytes("T"));
    EXPECT_TRUE(c->Process(fin, nullptr)); // "GE" was lost
    EXPECT_EQ(c->GetClassifiedCount(), 0u);
    auto again = Segment(80, kIsn + 1, tcpflag::kAck, Bytes("GE"));
    EXPECT_TRUE(c->WantsPayload(again));
    c->Process(again, nullptr);
    auto finAgain = Segment(80, kIsn + 3, tcpflag::kAck | tcpflag::kFin, Bytes("T"));
    c->Process(finAgain, nullptr);
    EXPECT_EQ(c->GetDecisionCounts(), (std::vector<uint64_t>{0, 0, 0, 1})); // "GET", no space
}

TEST(ClassifierMatch, EachSessionIsDecidedOnceAndAResetOneNever)
{
    Ptr<DyscoClassifier> c = Classifier();
    auto syn = Segment(80, kIsn, tcpflag::kSyn);
    c->Process(syn, nullptr);
    auto get = Segment(80, kIsn + 1, tcpflag::kAck, Bytes("GET /"));
    c->Process(get, nullptr);
    // A later SYN with the session's tuple (a new path's) does not make it new again.
    auto again = Segment(80, kIsn, tcpflag::kSyn);
    c->Process(again, nullptr);
    auto tls = Segment(80, kIsn + 1, tcpflag::kAck, {0x16, 0x03, 0x01, 0x02, 0x00});
    EXPECT_FALSE(c->WantsPayload(tls));
    c->Process(tls, nullptr);
    EXPECT_EQ(c->GetDecisionCounts(), (std::vector<uint64_t>{1, 0, 0, 0}));
    // Another session resets after "GE": it is never classified, not even by its FIN.
    auto syn2 = Segment(81, kIsn, tcpflag::kSyn);
    c->Process(syn2, nullptr);
    auto ge = Segment(81, kIsn + 1, tcpflag::kAck, Bytes("GE"));
    c->Process(ge, nullptr);
    auto rst = Segment(81, kIsn + 3, tcpflag::kRst);
    c->Process(rst, nullptr);
    auto fin = Segment(81, kIsn + 3, tcpflag::kAck | tcpflag::kFin);
    c->Process(fin, nullptr);
    EXPECT_EQ(c->GetClassifiedCount(), 1u);
}

} // namespace
