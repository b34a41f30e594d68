// Internet checksum: known answers, a reference implementation, and RFC 1624 updates.
#include "core/bytes.h"
#include "core/checksum.h"
#include "test_random.h"

#include <gtest/gtest.h>
#include <vector>

namespace
{

using namespace dysco;
using namespace dysco::test;

TEST(Checksum, Rfc1071ExampleSum)
{
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2.
    const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    EXPECT_EQ(ChecksumFinish(ChecksumAccumulate(data, sizeof(data))), uint16_t(~0xddf2));
}

TEST(Checksum, OddTailIsPaddedWithZero)
{
    const uint8_t data[] = {0x12, 0x34, 0xab};
    EXPECT_EQ(ChecksumFinish(ChecksumAccumulate(data, 3)), uint16_t(~(0x1234 + 0xab00)));
    EXPECT_EQ(ChecksumFinish(ChecksumAccumulate(data, 0)), 0xFFFF);
}

TEST(Checksum, KnownIpv4Headers)
{
    // The field's value is ignored: fill it with garbage to prove it is skipped.
    uint8_t wikipedia[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                           0xde, 0xad, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
    EXPECT_EQ(Ipv4HeaderChecksum(wikipedia, sizeof(wikipedia)), 0xb861);
    // smoltcp's wire::ipv4 test vector.
    uint8_t smoltcp[] = {0x45, 0x00, 0x00, 0x1e, 0x01, 0x02, 0x62, 0x03, 0x1a, 0x01,
                         0xff, 0xff, 0x11, 0x12, 0x13, 0x14, 0x21, 0x22, 0x23, 0x24};
    EXPECT_EQ(Ipv4HeaderChecksum(smoltcp, sizeof(smoltcp)), 0xd56e);
}

TEST(Checksum, KnownTcpSegment)
{
    // smoltcp's wire::tcp test vector: 192.168.1.1 -> 192.168.1.2, checksum 0x01b6.
    uint8_t seg[] = {0xbf, 0x00, 0x00, 0x50, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
                     0xcd, 0xef, 0x60, 0x35, 0x01, 0x23, 0x12, 0x34, 0x02, 0x01,
                     0x03, 0x03, 0x0c, 0x01, 0xaa, 0x00, 0x00, 0xff};
    EXPECT_EQ(TcpChecksum(0xc0a80101, 0xc0a80102, seg, sizeof(seg)), 0x01b6);
    // A different pseudo-header gives a different sum.
    EXPECT_NE(TcpChecksum(0xc0a80101, 0xc0a80103, seg, sizeof(seg)), 0x01b6);
}

TEST(Checksum, AccumulateMatchesReferenceOnRandomData)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 3000; ++iter)
    {
        const auto data = RandomBytes(rng, Uniform(rng, 0, 1600));
        const uint16_t expect = ReferenceChecksum(data);
        ASSERT_EQ(ChecksumFinish(ChecksumAccumulate(data.data(), data.size())), expect);
        // Chaining at an even split with a carried-in sum (0xFFFF1234 = 0x1234 in one's
        // complement) equals the reference over the word 0x1234 followed by the data.
        std::vector<uint8_t> prefixed{0x12, 0x34};
        prefixed.insert(prefixed.end(), data.begin(), data.end());
        const size_t split = Uniform(rng, 0, uint32_t(data.size())) & ~size_t(1);
        uint32_t sum = ChecksumAccumulate(data.data(), split, 0xFFFF1234u);
        sum = ChecksumAccumulate(data.data() + split, data.size() - split, sum);
        ASSERT_EQ(ChecksumFinish(sum), ReferenceChecksum(prefixed)) << "split " << split;
    }
}

TEST(Checksum, HugeBuffersDoNotOverflow)
{
    std::vector<uint8_t> data(256 * 1024, 0xFF);
    data[7] = 0x00;
    EXPECT_EQ(ChecksumFinish(ChecksumAccumulate(data.data(), data.size())),
              ReferenceChecksum(data));
}

TEST(Checksum, IncrementalUpdatesEqualRecomputation)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 20000; ++iter)
    {
        auto data = RandomBytes(rng, 2 * Uniform(rng, 3, 40));
        // Sometimes all-zero or all-ones words, the edges of one's-complement arithmetic.
        // Word 0 stays non-zero and untouched, as in any real header (RFC 1624 §3 only
        // guarantees the same representation of zero for data that is not all zeros).
        if (iter % 7 == 0)
        {
            std::fill(data.begin(), data.end(), iter % 14 == 0 ? 0x00 : 0xFF);
        }
        data[0] = uint8_t(rng() | 1);
        const uint16_t check = ReferenceChecksum(data);
        const size_t words = data.size() / 2;
        const size_t w = Uniform(rng, 1, uint32_t(words - 2));
        if (iter % 2 == 0)
        {
            const uint16_t oldWord = Load16(&data[2 * w]);
            const uint16_t newWord = iter % 10 == 0 ? oldWord : uint16_t(rng());
            Store16(&data[2 * w], newWord);
            ASSERT_EQ(ChecksumUpdate16(check, oldWord, newWord), ReferenceChecksum(data));
        }
        else
        {
            const uint32_t oldValue = Load32(&data[2 * w]);
            const uint32_t newValue = rng();
            Store32(&data[2 * w], newValue);
            ASSERT_EQ(ChecksumUpdate32(check, oldValue, newValue), ReferenceChecksum(data));
        }
    }
}

TEST(Checksum, DataWithItsChecksumSumsToZero)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 1000; ++iter)
    {
        auto data = RandomBytes(rng, 2 * Uniform(rng, 1, 100));
        Store16(&data[0], 0);
        Store16(&data[0], ChecksumFinish(ChecksumAccumulate(data.data(), data.size())));
        ASSERT_EQ(ChecksumFinish(ChecksumAccumulate(data.data(), data.size())), 0);
    }
}

} // namespace
