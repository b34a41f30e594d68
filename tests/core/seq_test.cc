// Sequence-number arithmetic modulo 2^32.
#include "core/seq.h"
#include "test_random.h"

#include <gtest/gtest.h>

namespace
{

using namespace dysco;
using namespace dysco::test;

TEST(Seq, ComparisonsAcrossTheWrap)
{
    const Seq before(0xFFFFFFF0u);
    const Seq after(0x00000010u);
    EXPECT_TRUE(before < after);
    EXPECT_TRUE(before <= after);
    EXPECT_FALSE(before > after);
    EXPECT_FALSE(before >= after);
    EXPECT_TRUE(after > before);
    EXPECT_TRUE(after >= before);
    EXPECT_FALSE(after < before);
    EXPECT_TRUE(before != after);
    EXPECT_TRUE(Seq(0xFFFFFFFFu) < Seq(0));
    EXPECT_TRUE(Seq(7) <= Seq(7));
    EXPECT_TRUE(Seq(7) >= Seq(7));
    EXPECT_FALSE(Seq(7) < Seq(7));
    EXPECT_TRUE(Seq(7) == Seq(7));
    // Plain unsigned comparison would say the opposite.
    EXPECT_GT(before.Value(), after.Value());
}

TEST(Seq, DeltasWrapAround)
{
    EXPECT_EQ(Seq(0xFFFFFFFFu) + 1, Seq(0));
    EXPECT_EQ(Seq(0) - 1, Seq(0xFFFFFFFFu));
    EXPECT_EQ(Seq(5) + (-10), Seq(0xFFFFFFFBu));
    EXPECT_EQ(Seq(0xFFFFFFFBu) - (-10), Seq(5));
    EXPECT_EQ(Seq(0x10) - Seq(0xFFFFFFF0u), 0x20);
    EXPECT_EQ(Seq(0xFFFFFFF0u) - Seq(0x10), -0x20);
    Seq s(0xFFFFFF00u);
    s += 0x200;
    EXPECT_EQ(s, Seq(0x100));
    s -= 0x200;
    EXPECT_EQ(s, Seq(0xFFFFFF00u));
    // Largest deltas either way.
    EXPECT_EQ(Seq(0) + INT32_MAX, Seq(0x7FFFFFFFu));
    EXPECT_EQ(Seq(0) + INT32_MIN, Seq(0x80000000u));
    EXPECT_EQ(Seq(0x7FFFFFFFu) - Seq(0), INT32_MAX);
}

TEST(Seq, MaxAndMinAcrossTheWrap)
{
    EXPECT_EQ(SeqMax(Seq(0xFFFFFFF0u), Seq(0x10)), Seq(0x10));
    EXPECT_EQ(SeqMax(Seq(0x10), Seq(0xFFFFFFF0u)), Seq(0x10));
    EXPECT_EQ(SeqMin(Seq(0xFFFFFFF0u), Seq(0x10)), Seq(0xFFFFFFF0u));
    EXPECT_EQ(SeqMin(Seq(0x10), Seq(0xFFFFFFF0u)), Seq(0xFFFFFFF0u));
    EXPECT_EQ(SeqMax(Seq(3), Seq(3)), Seq(3));
    static_assert(SeqMax(Seq(1), Seq(2)) == Seq(2), "usable in constant expressions");
}

TEST(Seq, HalfCircleApartIsAmbiguous)
{
    // RFC 1982 leaves numbers 2^31 apart unordered; callers stay within one window.
    const Seq a(0);
    const Seq b(0x80000000u);
    EXPECT_TRUE(a < b);
    EXPECT_TRUE(b < a);
}

TEST(Seq, RandomDeltasRoundTrip)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 100000; ++iter)
    {
        const Seq a(rng());
        // Any delta within an open half circle, including ones that cross 2^32.
        const SeqDelta d = SeqDelta(int64_t(rng() % 0xFFFFFFFFu) - 0x7FFFFFFF);
        const Seq b = a + d;
        ASSERT_EQ(b - a, d);
        ASSERT_EQ(b - d, a);
        ASSERT_EQ(a - (b - a), a - d);
        ASSERT_EQ(b.Value(), uint32_t((uint64_t(a.Value()) + uint64_t(int64_t(d))) & 0xFFFFFFFFu));
        ASSERT_EQ(b > a, d > 0);
        ASSERT_EQ(b < a, d < 0);
        ASSERT_EQ(b == a, d == 0);
        ASSERT_EQ(SeqMax(a, b), d >= 0 ? b : a);
        ASSERT_EQ(SeqMin(a, b), d >= 0 ? a : b);
    }
}

} // namespace
