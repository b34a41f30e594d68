// A test stream's head (stream-head.h): prefix, then the 8-byte stream id. The receiver must
// find the right stream whichever registered prefix a connection opens with, however the
// bytes are split, wait while a longer prefix could still fit, and fail on bytes no
// registered head fits.
#include "ns3/stream-head.h"

#include <gtest/gtest.h>
#include <string>

using namespace ns3;

namespace
{

std::vector<uint8_t>
Head(const std::string& prefix, uint64_t id, const std::string& content = "")
{
    std::vector<uint8_t> out(prefix.begin(), prefix.end());
    for (int i = 7; i >= 0; --i)
    {
        out.push_back(uint8_t(id >> (8 * i)));
    }
    out.insert(out.end(), content.begin(), content.end());
    return out;
}

std::vector<uint8_t>
Bytes(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

/// Streams 1 and 2 open with "GET " and "GET /long", 3 with nothing registered.
StreamPrefixes
Prefixes()
{
    StreamPrefixes p;
    p.Set(1, Bytes("GET "));
    p.Set(2, Bytes("GET /long"));
    return p;
}

/// Feeds `bytes` split at `k`; returns the head and appends every byte it left over (the
/// content after the head) to `content`.
StreamHead
Feed(const std::vector<uint8_t>& bytes, size_t k, std::string* content)
{
    const StreamPrefixes p = Prefixes();
    StreamHead h;
    bool resolved = false;
    for (auto [from, to] : {std::pair<size_t, size_t>{0, k}, {k, bytes.size()}})
    {
        const size_t taken = h.Feed(p, bytes.data() + from, to - from);
        if (!resolved && h.GetState() == StreamHead::kResolved)
        {
            resolved = true;
            content->append(h.Content().begin(), h.Content().end());
        }
        if (resolved)
        {
            content->append(bytes.begin() + from + taken, bytes.begin() + to);
        }
    }
    if (!resolved)
    {
        h.Finish(p);
        if (h.GetState() == StreamHead::kResolved)
        {
            content->append(h.Content().begin(), h.Content().end());
        }
    }
    return h;
}

TEST(StreamHead, EachRegisteredPrefixFindsItsStreamAtEverySplit)
{
    const struct
    {
        std::string prefix;
        uint64_t id;
    } cases[] = {{"GET ", 1}, {"GET /long", 2}, {"", 3}, {"", 0x4745542000000001ull}};
    for (const auto& c : cases)
    {
        const std::vector<uint8_t> bytes = Head(c.prefix, c.id, "content!");
        for (size_t k = 0; k <= bytes.size(); ++k)
        {
            std::string content;
            const StreamHead h = Feed(bytes, k, &content);
            ASSERT_EQ(h.GetState(), StreamHead::kResolved) << c.prefix << " split at " << k;
            EXPECT_EQ(h.StreamId(), c.id) << c.prefix << " split at " << k;
            EXPECT_EQ(h.PrefixSize(), c.prefix.size());
            EXPECT_EQ(content, "content!") << c.prefix << " split at " << k;
        }
    }
}

TEST(StreamHead, WaitsWhileALongerPrefixCouldFitAndDecidesAtTheEnd)
{
    const StreamPrefixes p = Prefixes();
    // Stream 1's head is 12 bytes; from its 8th on, "GET \0\0\0\0" would fit as the id of
    // a stream without prefix, but "GET " + id may still: it resolves with its 12th byte.
    const std::vector<uint8_t> one = Head("GET ", 1);
    StreamHead h;
    EXPECT_EQ(h.Feed(p, one.data(), 11), 11u);
    EXPECT_EQ(h.GetState(), StreamHead::kPending);
    EXPECT_EQ(h.Feed(p, one.data() + 11, 1), 1u);
    EXPECT_EQ(h.GetState(), StreamHead::kResolved);
    // A stream cut inside its head fails at its end.
    StreamHead cut;
    cut.Feed(p, one.data(), 6);
    cut.Finish(p);
    EXPECT_EQ(cut.GetState(), StreamHead::kFailed);
}

TEST(StreamHead, AStreamWithoutItsPrefixFailsAndAWrongPrefixIsAnotherStream)
{
    const StreamPrefixes p = Prefixes();
    // Stream 1's id without its prefix: no head fits.
    const std::vector<uint8_t> bare = Head("", 1, "xx");
    StreamHead h;
    EXPECT_EQ(h.Feed(p, bare.data(), bare.size()), 8u);
    EXPECT_EQ(h.GetState(), StreamHead::kFailed);
    // Stream 1's id after stream 2's prefix: its first 8 bytes read as an id of no prefix,
    // not stream 1 (the run reports it as a stray stream).
    const std::vector<uint8_t> wrong = Head("GET /long", 1, "xx");
    StreamHead w;
    w.Feed(p, wrong.data(), wrong.size());
    EXPECT_EQ(w.GetState(), StreamHead::kResolved);
    EXPECT_EQ(w.StreamId(), 0x474554202f6c6f6eull); // "GET /lon"
    EXPECT_EQ(w.PrefixSize(), 0u);
    EXPECT_EQ(p.Of(1), Bytes("GET "));
    EXPECT_TRUE(p.Of(9).empty());
    ASSERT_EQ(p.Candidates().size(), 3u);
    EXPECT_EQ(p.Candidates().front(), Bytes("GET /long")); // longest first
}

} // namespace
