// The Z3 encodings are the C++: each encoded function, evaluated by Z3 on random concrete
// inputs, gives what the core's function gives (checksum.h, packet.cc through PacketView's
// setters, which feed the encodings the raw values they read, so the test holds on any host).
// And the integer translation is exact: the translated term takes the bit-vector term's value.
#include "bv_to_int.h"
#include "checksum_encoding.h"
#include "core/bytes.h"
#include "core/checksum.h"
#include "core/packet.h"

#include <cstring>
#include <gtest/gtest.h>
#include <random>
#include <vector>

namespace dysco
{
namespace proofs
{
namespace
{

constexpr int kRounds = 200;

uint64_t
Eval(const z3::expr& e)
{
    const z3::expr v = e.simplify();
    uint64_t out = 0;
    EXPECT_TRUE(v.is_numeral_u64(out)) << v;
    return out;
}

uint16_t
Raw16(const uint8_t* p)
{
    uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
}

uint32_t
Raw32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

/// A 40-byte IPv4+TCP packet with random addresses, ports, numbers and valid checksums.
std::vector<uint8_t>
RandomPacket(std::mt19937& rng)
{
    std::vector<uint8_t> p(40);
    for (auto& b : p)
    {
        b = uint8_t(rng());
    }
    p[0] = 0x45;
    Store16(p.data() + 2, 40);
    p[6] = 0x40; // DF, no fragment
    p[7] = 0;
    p[9] = 6;
    p[20 + 12] = 0x50; // data offset 5
    PacketView v(p.data(), p.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    v.RecomputeChecksums();
    return p;
}

TEST(Encoding, ChecksumUpdatesAndFinishMatchTheCore)
{
    std::mt19937 rng(7);
    z3::context ctx;
    for (int i = 0; i < kRounds; ++i)
    {
        const uint16_t check = uint16_t(rng());
        const uint16_t o16 = uint16_t(rng());
        const uint16_t n16 = i % 10 == 0 ? 0 : uint16_t(rng());
        const uint32_t o32 = rng();
        const uint32_t n32 = i % 10 == 1 ? 0 : rng();
        const uint32_t sum = i % 3 == 0 ? rng() : rng() % 0x9FFFF;
        EXPECT_EQ(Eval(ChecksumUpdate16(Bv(ctx, check, 16), Bv(ctx, o16, 16), Bv(ctx, n16, 16))),
                  dysco::ChecksumUpdate16(check, o16, n16));
        EXPECT_EQ(Eval(ChecksumUpdate32(Bv(ctx, check, 16), Bv(ctx, o32, 32), Bv(ctx, n32, 32))),
                  dysco::ChecksumUpdate32(check, o32, n32));
        EXPECT_EQ(Eval(ChecksumFinish(Bv(ctx, sum, 32))), dysco::ChecksumFinish(sum));
    }
}

TEST(Encoding, Fold64MatchesChecksumAccumulateOnLongBuffers)
{
    // More than 65537 words make the 64-bit sum exceed 2^32, so Fold64 really folds.
    std::mt19937 rng(11);
    z3::context ctx;
    for (int i = 0; i < 4; ++i)
    {
        std::vector<uint8_t> data(200000 + 2 * (rng() % 1000));
        uint64_t sum = 0;
        for (size_t k = 0; k < data.size(); ++k)
        {
            data[k] = uint8_t(i == 0 ? 0xFF : rng());
        }
        for (size_t k = 0; k + 1 < data.size(); k += 2)
        {
            sum += Load16(data.data() + k);
        }
        EXPECT_EQ(Eval(Fold64(Bv(ctx, sum, 64))), ChecksumAccumulate(data.data(), data.size()));
    }
}

TEST(Encoding, FullRecomputationMatchesIpv4HeaderChecksumAndTcpChecksum)
{
    std::mt19937 rng(13);
    z3::context ctx;
    for (int i = 0; i < kRounds; ++i)
    {
        const std::vector<uint8_t> p = RandomPacket(rng);
        std::vector<z3::expr> ip;
        std::vector<z3::expr> tcp;
        for (size_t w = 0; w < 10; ++w)
        {
            ip.push_back(Bv(ctx, Load16(p.data() + 2 * w), 16));
            tcp.push_back(Bv(ctx, Load16(p.data() + 20 + 2 * w), 16));
        }
        EXPECT_EQ(Eval(Ipv4HeaderChecksum20(ip)), Ipv4HeaderChecksum(p.data(), 20));
        const uint32_t src = Load32(p.data() + 12);
        const uint32_t dst = Load32(p.data() + 16);
        EXPECT_EQ(Eval(TcpChecksum20(Bv(ctx, src, 32), Bv(ctx, dst, 32), tcp)),
                  TcpChecksum(src, dst, p.data() + 20, 20));
    }
}

TEST(Encoding, SetTupleMatchesDelta32AndApplyDeltaOnRawFields)
{
    std::mt19937 rng(17);
    z3::context ctx;
    for (int i = 0; i < kRounds; ++i)
    {
        std::vector<uint8_t> p = RandomPacket(rng);
        const uint16_t ipField = Raw16(p.data() + 10);
        const uint16_t tcpField = Raw16(p.data() + 36);
        const uint32_t oldSrc = Raw32(p.data() + 12);
        const uint32_t oldDst = Raw32(p.data() + 16);
        const uint32_t oldPorts = Raw32(p.data() + 20);
        FiveTuple t;
        t.srcIp = rng();
        t.dstIp = i % 7 == 0 ? Load32(p.data() + 16) : rng();
        t.srcPort = uint16_t(rng());
        t.dstPort = uint16_t(rng());
        PacketView v(p.data(), p.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        v.SetTuple(t);
        // What SetTuple wrote, read raw: the encodings' inputs and outputs.
        const z3::expr ipDelta = Delta32(Bv(ctx, oldSrc, 32), Bv(ctx, Raw32(p.data() + 12), 32)) +
                                 Delta32(Bv(ctx, oldDst, 32), Bv(ctx, Raw32(p.data() + 16), 32));
        const z3::expr portDelta =
            Delta32(Bv(ctx, oldPorts, 32), Bv(ctx, Raw32(p.data() + 20), 32));
        EXPECT_EQ(Eval(ApplyDelta(Bv(ctx, ipField, 16), ipDelta)), Raw16(p.data() + 10));
        EXPECT_EQ(Eval(ApplyDelta(Bv(ctx, tcpField, 16), ipDelta + portDelta)),
                  Raw16(p.data() + 36));
        EXPECT_TRUE(v.ChecksumsValid());
    }
}

TEST(Encoding, SetSeqAndWindowMatchDeltaAndApplyDelta)
{
    std::mt19937 rng(19);
    z3::context ctx;
    for (int i = 0; i < kRounds; ++i)
    {
        std::vector<uint8_t> p = RandomPacket(rng);
        PacketView v(p.data(), p.size());
        ASSERT_EQ(v.Parse(), ParseError::kOk);
        const uint16_t field = Raw16(p.data() + 36);
        const uint32_t oldSeq = Raw32(p.data() + 24);
        const uint16_t oldWindow = Raw16(p.data() + 34);
        v.SetSeqNumber(rng());
        const uint16_t afterSeq = Raw16(p.data() + 36);
        EXPECT_EQ(Eval(ApplyDelta(Bv(ctx, field, 16),
                                  Delta32(Bv(ctx, oldSeq, 32), Bv(ctx, Raw32(p.data() + 24), 32)))),
                  afterSeq);
        v.SetWindow(uint16_t(rng()));
        EXPECT_EQ(
            Eval(ApplyDelta(Bv(ctx, afterSeq, 16),
                            Delta16(Bv(ctx, oldWindow, 16), Bv(ctx, Raw16(p.data() + 34), 16)))),
            Raw16(p.data() + 36));
    }
}

TEST(Encoding, SwapsAreWhatMemcpyDoesOnThisHost)
{
    // On a little-endian host Raw16/Raw32 are the byte-swapped Load16/Load32; the proofs
    // prove both host orders, this records which one the tests run on.
    std::mt19937 rng(23);
    z3::context ctx;
    uint8_t probe[2] = {1, 2};
    const bool little = Raw16(probe) != Load16(probe);
    for (int i = 0; i < kRounds; ++i)
    {
        uint8_t b[4];
        Store32(b, rng());
        const uint64_t load32 = Load32(b);
        const uint64_t load16 = Load16(b);
        EXPECT_EQ(little ? Eval(Swap32(Bv(ctx, load32, 32))) : load32, Raw32(b));
        EXPECT_EQ(little ? Eval(Swap16(Bv(ctx, load16, 16))) : load16, Raw16(b));
    }
}

TEST(Encoding, IntegerTranslationIsExact)
{
    // For random inputs, the integer formula with the inputs fixed has a model in which the
    // translated term equals the bit-vector term's value, and none in which it differs.
    std::mt19937 rng(29);
    for (int round = 0; round < 6; ++round)
    {
        for (int which = 0; which < 5; ++which)
        {
            z3::context ctx;
            const z3::expr field = ctx.bv_const("field", 16);
            const z3::expr a = ctx.bv_const("a", 32);
            const z3::expr b = ctx.bv_const("b", 32);
            const z3::expr sum = ctx.bv_const("sum", 32);
            const z3::expr terms[] = {
                Swap16(ApplyDelta(Swap16(field), Delta32(Swap32(a), b) + Delta32(a, Swap32(b)))),
                ChecksumFinish(sum), ChecksumUpdate32(field, a, b),
                ApplyDelta(field, Delta32(a, b), false),
                Rfc1141Update16(field, a.extract(15, 0), b.extract(31, 16))};
            const z3::expr& t = terms[which];
            const uint64_t values[] = {rng() & 0xFFFFu, rng(), rng(), rng()};
            z3::expr_vector inputs(ctx);
            z3::expr_vector literals(ctx);
            for (const z3::expr& in : {field, a, b, sum})
            {
                literals.push_back(Bv(ctx, values[inputs.size()], in.get_sort().bv_size()));
                inputs.push_back(in);
            }
            const uint64_t expected = Eval(z3::expr(t).substitute(inputs, literals));
            BvToInt tr(ctx);
            tr.Scan(t);
            const z3::expr translated = tr.Translate(t);
            z3::solver s(ctx);
            z3::params p(ctx);
            p.set("timeout", 20000u);
            s.set(p);
            s.add(tr.Facts());
            for (const auto& [bv, integer] : tr.Constants())
            {
                for (unsigned k = 0; k < inputs.size(); ++k)
                {
                    if (z3::eq(bv, inputs[k]))
                    {
                        s.add(integer == ctx.int_val(values[k]));
                    }
                }
            }
            s.push();
            s.add(translated == ctx.int_val(expected));
            EXPECT_EQ(s.check(), z3::sat) << t;
            s.pop();
            s.add(translated != ctx.int_val(expected));
            EXPECT_EQ(s.check(), z3::unsat) << t;
        }
    }
}

} // namespace
} // namespace proofs
} // namespace dysco
