#include "proof_seq_delta.h"

#include "seq_encoding.h"

namespace dysco
{
namespace proofs
{

ProofResult
ProveSeqDeltaRoundTrip(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr x = ctx.bv_const("x", 32);
    const z3::expr d = ctx.bv_const("d", 32);
    const z3::expr claim = SeqSub(SeqAdd(x, d), d) == x && SeqAdd(SeqSub(x, d), d) == x;
    return CheckClaim("seq_delta_round_trip",
                      "for all 32-bit x and deltas d: (x + d) - d = x and (x - d) + d = x, "
                      "modulo 2^32",
                      ctx.bool_val(true), claim, {{"x", x}, {"d", d}}, options);
}

ProofResult
ProveSeqDeltaComposes(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr x = ctx.bv_const("x", 32);
    const z3::expr d1 = ctx.bv_const("d1", 32);
    const z3::expr d2 = ctx.bv_const("d2", 32);
    const z3::expr claim = SeqAdd(SeqAdd(x, d1), d2) == SeqAdd(x, d1 + d2);
    return CheckClaim("seq_delta_composes",
                      "for all 32-bit x, d1, d2: (x + d1) + d2 = x + (d1 + d2), the deltas "
                      "summed modulo 2^32",
                      ctx.bool_val(true), claim, {{"x", x}, {"d1", d1}, {"d2", d2}}, options);
}

ProofResult
ProveSeqOrderShiftInvariant(SeqOrder order, const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr a = ctx.bv_const("a", 32);
    const z3::expr b = ctx.bv_const("b", 32);
    const z3::expr d = ctx.bv_const("d", 32);
    const z3::expr ad = SeqAdd(a, d);
    const z3::expr bd = SeqAdd(b, d);
    if (order == SeqOrder::kUnsigned)
    {
        return CheckClaim("seq_order_shift_unsigned_WRONG",
                          "wrong variant: for all a, b, d: a < b iff a + d < b + d with plain "
                          "unsigned comparison (fails when adding d wraps one of them)",
                          ctx.bool_val(true), z3::ult(a, b) == z3::ult(ad, bd),
                          {{"a", a}, {"b", b}, {"d", d}, {"a + d", ad}, {"b + d", bd}}, options);
    }
    const z3::expr claim = (ad - bd) == (a - b) && SeqBefore(a, b) == SeqBefore(ad, bd) &&
                           SeqBeforeOrEqual(a, b) == SeqBeforeOrEqual(ad, bd);
    return CheckClaim("seq_order_shift_invariant",
                      "for all 32-bit a, b, d: (a + d) - (b + d) = a - b, so a < b iff "
                      "a + d < b + d and a <= b iff a + d <= b + d (a < b iff (int32)(a - b) < 0)",
                      ctx.bool_val(true), claim, {{"a", a}, {"b", b}, {"d", d}}, options);
}

} // namespace proofs
} // namespace dysco
