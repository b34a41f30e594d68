// Five-tuple text forms and dotted-quad parsing.
#include "core/five_tuple.h"
#include "test_random.h"

#include <gtest/gtest.h>
#include <string>
#include <unordered_set>

namespace
{

using namespace dysco;
using namespace dysco::test;

TEST(FiveTuple, Ipv4ToStringKnownValues)
{
    EXPECT_EQ(Ipv4ToString(0), "0.0.0.0");
    EXPECT_EQ(Ipv4ToString(0xFFFFFFFFu), "255.255.255.255");
    EXPECT_EQ(Ipv4ToString(0x0A000302u), "10.0.3.2");
    EXPECT_EQ(Ipv4ToString(0xC0A86407u), "192.168.100.7");
    EXPECT_EQ(Ipv4ToString(0x01090A63u), "1.9.10.99");
}

TEST(FiveTuple, ToStringFormat)
{
    const FiveTuple t{0x0A000001u, 0x0A000302u, 49153, 80, kProtoTcp};
    EXPECT_EQ(t.ToString(), "10.0.0.1:49153->10.0.3.2:80/6");
    EXPECT_EQ(t.Reversed().ToString(), "10.0.3.2:80->10.0.0.1:49153/6");
}

TEST(FiveTuple, ParseIpv4AcceptsDottedQuads)
{
    uint32_t ip = 1;
    ASSERT_TRUE(ParseIpv4("0.0.0.0", &ip));
    EXPECT_EQ(ip, 0u);
    ASSERT_TRUE(ParseIpv4("255.255.255.255", &ip));
    EXPECT_EQ(ip, 0xFFFFFFFFu);
    ASSERT_TRUE(ParseIpv4("192.168.100.7", &ip));
    EXPECT_EQ(ip, 0xC0A86407u);
}

TEST(FiveTuple, ParseIpv4RoundTripsRandomAddresses)
{
    std::mt19937 rng(TestSeed());
    for (int i = 0; i < 20000; ++i)
    {
        // Bias toward small octets so one- and two-digit forms are common.
        uint32_t a = rng();
        if (i % 2 == 0)
        {
            a &= 0x1F0F3F07u;
        }
        uint32_t parsed = ~a;
        ASSERT_TRUE(ParseIpv4(Ipv4ToString(a), &parsed)) << Ipv4ToString(a);
        ASSERT_EQ(parsed, a);
    }
}

TEST(FiveTuple, ParseIpv4RejectsMalformedText)
{
    const std::string bad[] = {"",
                               "1",
                               "1.2.3",
                               "1.2.3.4.5",
                               "1.2.3.",
                               ".1.2.3",
                               "1..2.3",
                               "256.1.1.1",
                               "1.2.3.256",
                               "1.2.3.999",
                               "1234.1.1.1",
                               "01.2.3.4",
                               "1.2.3.00",
                               " 1.2.3.4",
                               "1.2.3.4 ",
                               "1.2.3.4\n",
                               "+1.2.3.4",
                               "1.-2.3.4",
                               "a.b.c.d",
                               "0x1.2.3.4",
                               "1.2.3.4/8",
                               "1,2,3,4",
                               std::string("1.2.3.4\0", 8)};
    for (const auto& text : bad)
    {
        uint32_t ip = 0xDEADBEEF;
        EXPECT_FALSE(ParseIpv4(text, &ip)) << '"' << text << '"';
        EXPECT_EQ(ip, 0xDEADBEEF) << "output written on failure for \"" << text << '"';
    }
}

TEST(FiveTuple, EqualityReversalAndHash)
{
    const FiveTuple a{1, 2, 3, 4, kProtoTcp};
    FiveTuple b = a;
    EXPECT_EQ(a, b);
    EXPECT_EQ(a.Hash(), b.Hash());
    EXPECT_EQ(a.Reversed().Reversed(), a);
    EXPECT_NE(a.Reversed(), a);
    b.protocol = kProtoUdp;
    EXPECT_NE(a, b);
    // Every field feeds the hash: one-field changes give distinct hashes here.
    std::unordered_set<uint64_t> hashes;
    for (uint32_t i = 0; i < 1000; ++i)
    {
        hashes.insert(FiveTuple{i, 2, 3, 4, 6}.Hash());
        hashes.insert(FiveTuple{1, i + 1000, 3, 4, 6}.Hash());
        hashes.insert(FiveTuple{1, 2, uint16_t(i + 1000), 4, 6}.Hash());
        hashes.insert(FiveTuple{1, 2, 3, uint16_t(i + 1000), 6}.Hash());
    }
    EXPECT_EQ(hashes.size(), 4000u);
}

} // namespace
