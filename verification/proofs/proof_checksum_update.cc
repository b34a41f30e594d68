#include "proof_checksum_update.h"

#include "checksum_encoding.h"
#include "checksum_header.h"
#include "integer_claim.h"

namespace dysco
{
namespace proofs
{

ProofResult
ProveChecksumUpdate16(UpdateClaim which, const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr r = ctx.bv_const("R", 64);
    const z3::expr m = ctx.bv_const("m", 16);
    const z3::expr m2 = ctx.bv_const("m'", 16);
    const z3::expr check = SummarisedChecksum(r, {m});
    const z3::expr full = SummarisedChecksum(r, {m2});
    const z3::expr update = which == UpdateClaim::kRfc1141 ? Rfc1141Update16(check, m, m2)
                                                           : ChecksumUpdate16(check, m, m2);
    const z3::expr allZero = r == Bv(ctx, 0, 64) && m2 == Bv(ctx, 0, 16);
    const z3::expr precise =
        (update == full) == !allZero &&
        z3::implies(allZero, update == Bv(ctx, 0, 16) && full == Bv(ctx, 0xFFFF, 16));
    const Shown shown = {{"R", r},      {"m", m},           {"m'", m2},
                         {"HC", check}, {"update", update}, {"recomputed", full}};
    const z3::expr hypothesis = InRange(r, WordsSumRange(8));
    const std::vector<std::pair<z3::expr, z3::expr>> congruent = {{update, full}};
    switch (which)
    {
    case UpdateClaim::kExceptAllZero:
        return ProveWithIntegers({"checksum_update16",
                                  "ChecksumUpdate16 on a 20-byte header (R = sum of the 8 "
                                  "unchanged words <= 8 * 0xFFFF) equals full recomputation, "
                                  "except exactly on the all-zero new header, where it gives "
                                  "0x0000 (+0) for 0xFFFF (-0)",
                                  hypothesis, precise, shown, congruent},
                                 options);
    case UpdateClaim::kAlways:
        return ProveWithIntegers({"checksum_update16_plus_minus_zero_FACT",
                                  "documented fact, expected to fail: ChecksumUpdate16 always "
                                  "equals full recomputation (fails on the all-zero header: +0 "
                                  "vs -0)",
                                  hypothesis, update == full, shown, congruent},
                                 options);
    case UpdateClaim::kRfc1141:
        return ProveWithIntegers({"checksum_update16_rfc1141_WRONG",
                                  "wrong variant: RFC 1141's HC' = HC + m + ~m' satisfies the "
                                  "same claim",
                                  hypothesis, precise, shown, congruent},
                                 options);
    }
    return {};
}

ProofResult
ProveChecksumUpdate32(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr r = ctx.bv_const("R", 64);
    const z3::expr m = ctx.bv_const("m", 32);
    const z3::expr m2 = ctx.bv_const("m'", 32);
    const z3::expr check = SummarisedChecksum(r, Words(m));
    const z3::expr full = SummarisedChecksum(r, Words(m2));
    const z3::expr update = ChecksumUpdate32(check, m, m2);
    const z3::expr allZero = r == Bv(ctx, 0, 64) && m2 == Bv(ctx, 0, 32);
    const z3::expr precise =
        (update == full) == !allZero &&
        z3::implies(allZero, update == Bv(ctx, 0, 16) && full == Bv(ctx, 0xFFFF, 16));
    return ProveWithIntegers(
        {"checksum_update32",
         "ChecksumUpdate32 on a 20-byte header (R = sum of the 7 unchanged "
         "words <= 7 * 0xFFFF) equals full recomputation, except exactly on "
         "the all-zero new header, where it gives 0x0000 (+0) for 0xFFFF "
         "(-0)",
         InRange(r, WordsSumRange(7)),
         precise,
         {{"R", r}, {"m", m}, {"m'", m2}, {"HC", check}, {"update", update}, {"recomputed", full}},
         {{update, full}}},
        options);
}

} // namespace proofs
} // namespace dysco
