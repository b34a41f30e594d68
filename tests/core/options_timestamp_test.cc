// Timestamps across a splice (§4.2): an anchor lowers a TSecr beyond the newest TSval its own
// endpoint sent (an echo of a removed proxy's clock) and leaves every genuine echo alone.
#include "core/bytes.h"
#include "core/options.h"
#include "core/packet_edit.h"

#include <gtest/gtest.h>

using namespace dysco;

namespace
{

std::vector<uint8_t>
WithTimestamps(uint32_t tsVal, uint32_t tsEcr)
{
    std::vector<uint8_t> opts = {1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0};
    Store32(&opts[4], tsVal);
    Store32(&opts[8], tsEcr);
    const uint8_t payload[3] = {'a', 'b', 'c'};
    return BuildTcpPacket(1, 2, 3, 4, 100, 7, 0x10, 1000, opts.data(), opts.size(), payload, 3);
}

uint32_t
EcrOf(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    uint32_t val = 0;
    uint32_t ecr = 0;
    EXPECT_TRUE(ReadTimestamps(v, &val, &ecr));
    return ecr;
}

} // namespace

TEST(OptionsTimestamp, ReadsBothValues)
{
    auto pkt = WithTimestamps(0x01020304, 0xA0B0C0D0);
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    uint32_t val = 0;
    uint32_t ecr = 0;
    ASSERT_TRUE(ReadTimestamps(v, &val, &ecr));
    EXPECT_EQ(val, 0x01020304u);
    EXPECT_EQ(ecr, 0xA0B0C0D0u);
}

TEST(OptionsTimestamp, EchoBeyondTheNewestIsLowered)
{
    auto pkt = WithTimestamps(9, 283);
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_TRUE(ClampTsEcr(v, 166));
    EXPECT_TRUE(v.ChecksumsValid());
    EXPECT_EQ(EcrOf(pkt), 166u);
    EXPECT_EQ(pkt[pkt.size() - 1], 'c'); // payload untouched
}

TEST(OptionsTimestamp, GenuineEchoesPass)
{
    for (uint32_t ecr : {0u, 100u, 166u})
    {
        auto pkt = WithTimestamps(9, ecr);
        auto copy = pkt;
        PacketView v(pkt.data(), pkt.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        EXPECT_FALSE(ClampTsEcr(v, 166)) << ecr;
        EXPECT_EQ(pkt, copy) << ecr;
    }
}

TEST(OptionsTimestamp, ComparesAcrossTheWrap)
{
    // Newest TSval just past 2^32: an echo from before the wrap is older and passes, one
    // beyond the newest is lowered.
    auto old = WithTimestamps(1, 0xFFFFFFF0u);
    PacketView v(old.data(), old.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_FALSE(ClampTsEcr(v, 5));
    auto beyond = WithTimestamps(1, 9);
    PacketView w(beyond.data(), beyond.size());
    ASSERT_EQ(w.Parse(), ParseError::kOk);
    EXPECT_TRUE(ClampTsEcr(w, 5));
    EXPECT_EQ(EcrOf(beyond), 5u);
}

TEST(OptionsTimestamp, NoTimestampOptionNoChange)
{
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 100, 55, 0x10, 1000, nullptr, 0, nullptr, 0);
    auto copy = pkt;
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    uint32_t a = 0;
    uint32_t b = 0;
    EXPECT_FALSE(ReadTimestamps(v, &a, &b));
    EXPECT_FALSE(ClampTsEcr(v, 1));
    EXPECT_EQ(pkt, copy);
}
