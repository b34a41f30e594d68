#include "checksum_header.h"

#include "checksum_encoding.h"

namespace dysco
{
namespace proofs
{

z3::expr
WordSum(const z3::expr& r64, const std::vector<z3::expr>& words16)
{
    z3::expr sum = r64;
    for (const z3::expr& w : words16)
    {
        sum = sum + Widen(w, 64);
    }
    return sum;
}

z3::expr
SummarisedChecksum(const z3::expr& r64, const std::vector<z3::expr>& words16)
{
    return ChecksumFinish(Fold64(WordSum(r64, words16)));
}

std::vector<z3::expr>
Words(const z3::expr& v32)
{
    return {v32.extract(31, 16), v32.extract(15, 0)};
}

std::vector<z3::expr>
Join(std::vector<z3::expr> a, const std::vector<z3::expr>& b)
{
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

z3::expr
InRange(const z3::expr& r64, SumRange range)
{
    z3::context& ctx = r64.ctx();
    return z3::uge(r64, ctx.bv_val(range.min, 64)) && z3::ule(r64, ctx.bv_val(range.max, 64));
}

} // namespace proofs
} // namespace dysco
