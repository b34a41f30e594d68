// Rates, delays, prefixes and port ranges as scenario files write them.
#include "units.h"

#include <gtest/gtest.h>

namespace dyscosim
{
namespace
{

TEST(Units, Rates)
{
    uint64_t bps = 0;
    EXPECT_TRUE(ParseRate("100Mbps", &bps));
    EXPECT_EQ(bps, 100000000u);
    EXPECT_TRUE(ParseRate("2.5Gbps", &bps));
    EXPECT_EQ(bps, 2500000000u);
    EXPECT_TRUE(ParseRate("64kbps", &bps));
    EXPECT_EQ(bps, 64000u);
    EXPECT_TRUE(ParseRate("1gbps", &bps));
    EXPECT_EQ(bps, 1000000000u);
    EXPECT_TRUE(ParseRate("9600bps", &bps));
    EXPECT_EQ(bps, 9600u);
    for (const char* bad : {"", "Mbps", "100", "100 Mbps", "-1Mbps", "1e3Mbps", "0bps", "100MBps/s",
                            "inf Gbps", "2000Gbps", "1.2.3Mbps"})
    {
        EXPECT_FALSE(ParseRate(bad, &bps)) << bad;
    }
}

TEST(Units, Delays)
{
    uint64_t ns = 1;
    EXPECT_TRUE(ParseDelay("0ms", &ns));
    EXPECT_EQ(ns, 0u);
    EXPECT_TRUE(ParseDelay("1ms", &ns));
    EXPECT_EQ(ns, 1000000u);
    EXPECT_TRUE(ParseDelay("0.5ms", &ns));
    EXPECT_EQ(ns, 500000u);
    EXPECT_TRUE(ParseDelay("20us", &ns));
    EXPECT_EQ(ns, 20000u);
    EXPECT_TRUE(ParseDelay("2s", &ns));
    EXPECT_EQ(ns, 2000000000u);
    for (const char* bad : {"", "1", "1 ms", "1MS", "1min", "-1ms", "4000s"})
    {
        EXPECT_FALSE(ParseDelay(bad, &ns)) << bad;
    }
}

TEST(Units, Prefixes)
{
    uint32_t a = 0;
    uint8_t len = 0;
    EXPECT_EQ(ParsePrefix("10.0.0.0/8", &a, &len), PrefixParse::kOk);
    EXPECT_EQ(a, 0x0A000000u);
    EXPECT_EQ(len, 8);
    EXPECT_EQ(ParsePrefix("10.0.1.2", &a, &len), PrefixParse::kOk);
    EXPECT_EQ(a, 0x0A000102u);
    EXPECT_EQ(len, 32);
    EXPECT_EQ(ParsePrefix("0.0.0.0/0", &a, &len), PrefixParse::kOk);
    EXPECT_EQ(len, 0);
    EXPECT_EQ(ParsePrefix("10.1.2.3/16", &a, &len), PrefixParse::kHostBitsSet);
    EXPECT_EQ(FormatIpv4(a), "10.1.0.0");
    for (const char* bad : {"", "10.0.0", "10.0.0.0.0", "256.0.0.0", "10.0.0.0/33", "10.0.0.0/",
                            "010.0.0.0", "a.b.c.d", "10..0.0", "10.0.0.0/8/8"})
    {
        EXPECT_EQ(ParsePrefix(bad, &a, &len), PrefixParse::kMalformed) << bad;
    }
}

TEST(Units, PortRanges)
{
    uint16_t lo = 0;
    uint16_t hi = 0;
    EXPECT_TRUE(ParsePortRange("80", &lo, &hi));
    EXPECT_EQ(lo, 80);
    EXPECT_EQ(hi, 80);
    EXPECT_TRUE(ParsePortRange("1000-2000", &lo, &hi));
    EXPECT_EQ(lo, 1000);
    EXPECT_EQ(hi, 2000);
    for (const char* bad : {"", "-", "80-", "-80", "2000-1000", "65536", "1-2-3", "8O"})
    {
        EXPECT_FALSE(ParsePortRange(bad, &lo, &hi)) << bad;
    }
}

TEST(Units, Formatting)
{
    EXPECT_EQ(FormatRate(1000000000), "1Gbps");
    EXPECT_EQ(FormatRate(2500000), "2.5Mbps");
    EXPECT_EQ(FormatIpv4(0x0A000102), "10.0.1.2");
}

} // namespace
} // namespace dyscosim
