// StreamPieces: reads are reported per writer range, whatever the read chunking, with the hash
// of exactly that range; a range read in part is reported as partial; bytes nobody wrote
// are reported on their own.
#include "content_hash.h"
#include "trace_pieces.h"

#include <gtest/gtest.h>
#include <random>
#include <vector>

namespace dyscosim
{
namespace
{

std::vector<uint8_t>
Bytes(size_t n, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<uint8_t> b(n);
    for (auto& x : b)
    {
        x = uint8_t(rng());
    }
    return b;
}

TEST(StreamPieces, ReadsAreCutAtWriteBoundaries)
{
    const uint64_t seed = 7;
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    const std::vector<uint8_t> data = Bytes(10000, seed);
    StreamPieces p;
    std::vector<PieceRange> writes;
    for (size_t off = 0; off < data.size();)
    {
        const uint32_t n = uint32_t(std::min<size_t>(1 + rng() % 1500, data.size() - off));
        writes.push_back(p.Write(data.data() + off, n));
        EXPECT_EQ(writes.back().offset, off);
        EXPECT_EQ(writes.back().hash, dysco::verify::ContentHash(data.data() + off, n));
        off += n;
    }
    std::vector<PieceRange> reads;
    for (size_t off = 0; off < data.size();)
    {
        const uint32_t n = uint32_t(std::min<size_t>(1 + rng() % 3000, data.size() - off));
        p.Read(data.data() + off, n, [&](const PieceRange& r) { reads.push_back(r); });
        off += n;
    }
    ASSERT_EQ(reads.size(), writes.size());
    for (size_t i = 0; i < reads.size(); ++i)
    {
        EXPECT_EQ(reads[i].offset, writes[i].offset) << i;
        EXPECT_EQ(reads[i].length, writes[i].length) << i;
        EXPECT_EQ(reads[i].hash, writes[i].hash) << i;
    }
    PieceRange partial;
    EXPECT_FALSE(p.Partial(&partial));
}

TEST(StreamPieces, CorruptedByteChangesOnlyItsPiece)
{
    std::vector<uint8_t> data = Bytes(300, 1);
    StreamPieces p;
    const PieceRange w0 = p.Write(data.data(), 100);
    const PieceRange w1 = p.Write(data.data() + 100, 200);
    data[150] ^= 1;
    std::vector<PieceRange> reads;
    p.Read(data.data(), 300, [&](const PieceRange& r) { reads.push_back(r); });
    ASSERT_EQ(reads.size(), 2u);
    EXPECT_EQ(reads[0].hash, w0.hash);
    EXPECT_NE(reads[1].hash, w1.hash);
}

TEST(StreamPieces, PartialAndExtraBytes)
{
    const std::vector<uint8_t> data = Bytes(200, 2);
    StreamPieces p;
    p.Write(data.data(), 100);
    std::vector<PieceRange> reads;
    p.Read(data.data(), 40, [&](const PieceRange& r) { reads.push_back(r); });
    EXPECT_TRUE(reads.empty());
    PieceRange partial;
    ASSERT_TRUE(p.Partial(&partial));
    EXPECT_EQ(partial.offset, 0u);
    EXPECT_EQ(partial.length, 40u);
    EXPECT_EQ(partial.hash, dysco::verify::ContentHash(data.data(), 40));
    // 60 more complete the write; 50 beyond it were never written.
    p.Read(data.data() + 40, 110, [&](const PieceRange& r) { reads.push_back(r); });
    ASSERT_EQ(reads.size(), 2u);
    EXPECT_EQ(reads[0].length, 100u);
    EXPECT_EQ(reads[1].offset, 100u);
    EXPECT_EQ(reads[1].length, 50u);
    EXPECT_EQ(p.ReadBytes(), 150u);
}

} // namespace
} // namespace dyscosim
