#include "checksum_encoding.h"

namespace dysco
{
namespace proofs
{

z3::expr
Bv(z3::context& ctx, uint64_t value, unsigned width)
{
    return ctx.bv_val(value, width);
}

z3::expr
Widen(const z3::expr& e, unsigned width)
{
    const unsigned w = e.get_sort().bv_size();
    return w >= width ? e : z3::zext(e, width - w);
}

z3::expr
Swap16(const z3::expr& v)
{
    return z3::concat(v.extract(7, 0), v.extract(15, 8));
}

z3::expr
Swap32(const z3::expr& v)
{
    return z3::concat(z3::concat(v.extract(7, 0), v.extract(15, 8)),
                      z3::concat(v.extract(23, 16), v.extract(31, 24)));
}

namespace
{

/// (s & mask) + (s >> shift) at the width of s: one end-around fold step.
z3::expr
FoldStep(const z3::expr& s, unsigned shift)
{
    z3::context& ctx = s.ctx();
    const unsigned w = s.get_sort().bv_size();
    const uint64_t mask = (uint64_t(1) << shift) - 1;
    return (s & Bv(ctx, mask, w)) + z3::lshr(s, Bv(ctx, shift, w));
}

/// uint16_t(~sum) for a 32-bit sum.
z3::expr
Complement16(const z3::expr& sum32)
{
    return (~sum32).extract(15, 0);
}

} // namespace

z3::expr
Fold64(const z3::expr& s)
{
    return FoldStep(FoldStep(s, 32), 32).extract(31, 0);
}

z3::expr
ChecksumFinish(const z3::expr& sum)
{
    return Complement16(FoldStep(FoldStep(sum, 16), 16));
}

z3::expr
ChecksumAccumulateWords(const z3::expr& sum32, const std::vector<z3::expr>& words)
{
    z3::expr s = Widen(sum32, 64);
    for (const z3::expr& w : words)
    {
        s = s + Widen(w, 64);
    }
    return Fold64(s);
}

z3::expr
Ipv4HeaderChecksum20(const std::vector<z3::expr>& w)
{
    z3::context& ctx = w[0].ctx();
    const z3::expr sum = ChecksumAccumulateWords(Bv(ctx, 0, 32), {w[0], w[1], w[2], w[3], w[4]});
    return ChecksumFinish(ChecksumAccumulateWords(sum, {w[6], w[7], w[8], w[9]}));
}

z3::expr
TcpChecksum20(const z3::expr& src, const z3::expr& dst, const std::vector<z3::expr>& w)
{
    z3::context& ctx = src.ctx();
    const uint64_t segmentLen = 20;
    const z3::expr pseudo = Hi16(src) + Lo16(src) + Hi16(dst) + Lo16(dst) + Bv(ctx, 6, 64) +
                            Bv(ctx, segmentLen >> 16, 64) + Bv(ctx, segmentLen & 0xFFFF, 64);
    z3::expr sum = Fold64(pseudo);
    sum = ChecksumAccumulateWords(sum, {w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]});
    sum = ChecksumAccumulateWords(sum, {w[9]});
    return ChecksumFinish(sum);
}

z3::expr
ChecksumUpdate16(const z3::expr& check, const z3::expr& oldWord, const z3::expr& newWord)
{
    // uint32_t(uint16_t(~check)) + uint16_t(~oldWord) + newWord
    const z3::expr sum = Widen(~check, 32) + Widen(~oldWord, 32) + Widen(newWord, 32);
    return Complement16(FoldStep(FoldStep(sum, 16), 16));
}

z3::expr
ChecksumUpdate32(const z3::expr& check, const z3::expr& oldValue, const z3::expr& newValue)
{
    const z3::expr sum = Widen(~check, 32) + Widen(~oldValue.extract(31, 16), 32) +
                         Widen(~oldValue.extract(15, 0), 32) + Widen(newValue.extract(31, 16), 32) +
                         Widen(newValue.extract(15, 0), 32);
    return Complement16(FoldStep(FoldStep(sum, 16), 16));
}

z3::expr
Rfc1141Update16(const z3::expr& check, const z3::expr& oldWord, const z3::expr& newWord)
{
    const z3::expr sum = Widen(check, 32) + Widen(oldWord, 32) + Widen(~newWord, 32);
    return FoldStep(FoldStep(sum, 16), 16).extract(15, 0);
}

z3::expr
Delta32(const z3::expr& oldRaw, const z3::expr& newRaw)
{
    return Widen(~oldRaw, 64) + Widen(newRaw, 64);
}

z3::expr
Delta16(const z3::expr& oldRaw, const z3::expr& newRaw)
{
    return Widen(~oldRaw, 64) + Widen(newRaw, 64);
}

z3::expr
ApplyDelta(const z3::expr& field, const z3::expr& delta64, bool endAroundCarry)
{
    z3::context& ctx = field.ctx();
    z3::expr d = FoldStep(FoldStep(delta64, 32), 32);
    d = FoldStep(FoldStep(d, 16), 16);
    // uint32_t(uint16_t(~Raw16(field))) + uint32_t(delta)
    const z3::expr sum = Widen(~field, 32) + d.extract(31, 0);
    const z3::expr carried = endAroundCarry ? sum + z3::lshr(sum, Bv(ctx, 16, 32)) : sum;
    return Complement16(carried);
}

z3::expr
Hi16(const z3::expr& v)
{
    return Widen(v.extract(31, 16), 64);
}

z3::expr
Lo16(const z3::expr& v)
{
    return Widen(v.extract(15, 0), 64);
}

} // namespace proofs
} // namespace dysco
