#include "proof_seq_order.h"

#include "seq_encoding.h"

namespace dysco
{
namespace proofs
{

ProofResult
ProveSeqBeforeTransitive(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr a = ctx.bv_const("a", 32);
    const z3::expr b = ctx.bv_const("b", 32);
    const z3::expr c = ctx.bv_const("c", 32);
    const z3::expr claim = z3::implies(SeqBefore(a, b) && SeqBefore(b, c), SeqBefore(a, c));
    return CheckClaim("seq_before_transitive_FACT",
                      "documented fact, expected to fail: for all a, b, c on the whole 32-bit "
                      "circle, a < b and b < c imply a < c",
                      ctx.bool_val(true), claim, {{"a", a}, {"b", b}, {"c", c}}, options);
}

ProofResult
ProveSeqBeforeAntisymmetric(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr a = ctx.bv_const("a", 32);
    const z3::expr b = ctx.bv_const("b", 32);
    const z3::expr claim = !(SeqBefore(a, b) && SeqBefore(b, a));
    return CheckClaim("seq_before_antisymmetric_FACT",
                      "documented fact, expected to fail: for all a, b, not both a < b and b < a "
                      "(numbers 2^31 apart are each before the other)",
                      ctx.bool_val(true), claim, {{"a", a}, {"b", b}}, options);
}

ProofResult
ProveSeqBeforeInWindow(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr base = ctx.bv_const("base", 32);
    const z3::expr a = ctx.bv_const("a", 32);
    const z3::expr b = ctx.bv_const("b", 32);
    const z3::expr c = ctx.bv_const("c", 32);
    const z3::expr hypothesis = InWindow(a, base) && InWindow(b, base) && InWindow(c, base);
    const z3::expr claim = SeqBefore(a, b) == z3::ult(a - base, b - base) &&
                           z3::implies(SeqBefore(a, b) && SeqBefore(b, c), SeqBefore(a, c)) &&
                           !(SeqBefore(a, b) && SeqBefore(b, a));
    return CheckClaim("seq_before_in_window",
                      "for all base and a, b, c in [base, base + 2^31): a < b iff a - base < "
                      "b - base (unsigned), < is transitive and antisymmetric there",
                      hypothesis, claim, {{"base", base}, {"a", a}, {"b", b}, {"c", c}}, options);
}

} // namespace proofs
} // namespace dysco
