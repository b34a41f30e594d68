// SACK blocks follow the ack into the other sequence space.
#include "core/bytes.h"
#include "core/options.h"
#include "core/packet_edit.h"

#include <gtest/gtest.h>

using namespace dysco;

namespace
{

std::vector<uint8_t>
AckWithSack(uint32_t ack, std::vector<uint32_t> edges)
{
    std::vector<uint8_t> opts = {1, 1, 5, uint8_t(2 + 4 * edges.size())};
    for (uint32_t e : edges)
    {
        opts.resize(opts.size() + 4);
        Store32(&opts[opts.size() - 4], e);
    }
    while (opts.size() % 4)
    {
        opts.push_back(0);
    }
    return BuildTcpPacket(1, 2, 3, 4, 100, ack, 0x10, 1000, opts.data(), opts.size(), nullptr, 0);
}

} // namespace

TEST(Options, AckAndSackEdgesShiftTogetherAcrossTheWrap)
{
    auto pkt = AckWithSack(0x10, {0x100, 0x200, 0xFFFFFFF0u, 0x8});
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    SubtractAckDelta(v, 0x20);
    EXPECT_EQ(v.AckNumber(), 0xFFFFFFF0u);
    TcpOptionRef ref;
    ASSERT_TRUE(v.FindOption(tcpopt::kSack, &ref));
    const uint8_t* p = v.Tcp() + ref.offset + 2;
    EXPECT_EQ(Load32(p), 0xE0u);
    EXPECT_EQ(Load32(p + 4), 0x1E0u);
    EXPECT_EQ(Load32(p + 8), 0xFFFFFFD0u);
    EXPECT_EQ(Load32(p + 12), 0xFFFFFFE8u);
    EXPECT_TRUE(v.ChecksumsValid());
}

TEST(Options, NoSackNoAckNoChange)
{
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 100, 55, 0x02, 1000, nullptr, 0, nullptr, 0);
    auto copy = pkt;
    PacketView v(pkt.data(), pkt.size());
    ASSERT_EQ(v.Parse(), ParseError::kOk);
    EXPECT_FALSE(ShiftSackBlocks(v, 5));
    SubtractAckDelta(v, 5); // no ACK flag: untouched
    EXPECT_EQ(pkt, copy);
}
