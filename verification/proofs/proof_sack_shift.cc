#include "proof_sack_shift.h"

#include "checksum_encoding.h"
#include "seq_encoding.h"

#include <string>
#include <vector>

namespace dysco
{
namespace proofs
{

namespace
{

constexpr size_t kMaxEdges = 8; // 4 blocks: option length 34
constexpr unsigned kSackLengths[] = {10, 18, 26, 34};

/// Load32: the big-endian value of four option bytes.
z3::expr
Load32(const std::vector<z3::expr>& bytes, size_t at)
{
    return z3::concat(z3::concat(bytes[at], bytes[at + 1]),
                      z3::concat(bytes[at + 2], bytes[at + 3]));
}

/// Store32: the four bytes of a value, big-endian.
void
Store32(std::vector<z3::expr>& bytes, size_t at, const z3::expr& v)
{
    bytes[at] = v.extract(31, 24);
    bytes[at + 1] = v.extract(23, 16);
    bytes[at + 2] = v.extract(15, 8);
    bytes[at + 3] = v.extract(7, 0);
}

const char*
VariantName(SackVariant v)
{
    switch (v)
    {
    case SackVariant::kAsInCore:
        return "sack_shift_preserves_blocks";
    case SackVariant::kLeftEdgesOnly:
        return "sack_shift_left_edges_only_WRONG";
    case SackVariant::kAckOnly:
        return "sack_shift_ack_only_WRONG";
    }
    return "?";
}

const char*
VariantStatement(SackVariant v)
{
    switch (v)
    {
    case SackVariant::kAsInCore:
        return "for all SACK option lengths (1-4 blocks), edges, acks and deltas, with the ACK "
               "flag: SubtractAckDelta keeps every block's length and orientation, the order "
               "of any two edges, and every edge's distance from the ack, modulo 2^32";
    case SackVariant::kLeftEdgesOnly:
        return "wrong variant: the same claim when only left edges are shifted";
    case SackVariant::kAckOnly:
        return "wrong variant: the same claim when only the ack is shifted";
    }
    return "?";
}

/// The claim for one option length and one branch of SubtractAckDelta (delta == 0 or not):
/// with both fixed, the code's loop bound and branch are constants, as in one run of it. An
/// edge is the value Load32 reads; the shifted edge is the value Load32 reads back after
/// Store32(p, Load32(p) - delta), which CheckCodeFacts proves is Load32(p) - delta. (Kept as
/// bytes, Z3's rewriter pushes the extracts into the subtraction and the query takes minutes.)
ProofResult
CheckOneCase(SackVariant variant, unsigned length, bool deltaNonZero, const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr delta = ctx.bv_const("delta", 32);
    const z3::expr ack = ctx.bv_const("ack", 32);
    std::vector<z3::expr> edges;
    for (size_t i = 0; i < kMaxEdges; ++i)
    {
        edges.push_back(ctx.bv_const(("edge" + std::to_string(i)).c_str(), 32));
    }
    // SubtractAckDelta returns early when delta == 0; otherwise ack and edges move.
    const z3::expr ackAfter = deltaNonZero ? SeqSub(ack, delta) : ack;
    // ShiftSackBlocks: for (i = 0; i < count && i < 8; ++i) edge_i = edge_i - delta.
    const size_t count = (size_t(length) - 2) / 4;
    std::vector<z3::expr> after = edges;
    for (size_t i = 0; deltaNonZero && i < count && i < kMaxEdges; ++i)
    {
        const bool shifted = variant == SackVariant::kAsInCore ||
                             (variant == SackVariant::kLeftEdgesOnly && i % 2 == 0);
        if (shifted)
        {
            after[i] = SeqSub(edges[i], delta);
        }
    }

    z3::expr_vector claims(ctx);
    for (size_t i = 0; i < count; ++i)
    {
        claims.push_back(after[i] - ackAfter == edges[i] - ack);
        if (i % 2 == 0)
        {
            claims.push_back(after[i + 1] - after[i] == edges[i + 1] - edges[i]);
            claims.push_back(SeqBefore(edges[i], edges[i + 1]) ==
                             SeqBefore(after[i], after[i + 1]));
        }
        for (size_t j = i + 1; j < count; ++j)
        {
            claims.push_back(SeqBefore(edges[i], edges[j]) == SeqBefore(after[i], after[j]));
        }
    }
    const z3::expr zero = Bv(ctx, 0, 32);
    const Shown shown = {{"length", Bv(ctx, length, 8)},
                         {"delta", delta},
                         {"ack", ack},
                         {"ack'", ackAfter},
                         {"left0", edges[0]},
                         {"right0", edges[1]},
                         {"left0'", after[0]},
                         {"right0'", after[1]}};
    return CheckClaim(VariantName(variant), VariantStatement(variant),
                      deltaNonZero ? delta != zero : delta == zero, z3::mk_and(claims), shown,
                      options);
}

/// Facts about the code the cases rely on: the SACK option lengths the parser accepts
/// (packet.cc OptionLengthOk) and ShiftSackBlocks acts on (length >= 10) are exactly 10, 18,
/// 26 and 34; and Load32 reads back what Store32 wrote.
ProofResult
CheckCodeFacts(const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr length = ctx.bv_const("length", 8);
    const z3::expr accepted = z3::uge(length, Bv(ctx, 10, 8)) && z3::ule(length, Bv(ctx, 34, 8)) &&
                              z3::urem(length - 2, Bv(ctx, 8, 8)) == Bv(ctx, 0, 8);
    z3::expr listed = ctx.bool_val(false);
    for (unsigned l : kSackLengths)
    {
        listed = listed || length == Bv(ctx, l, 8);
    }
    const z3::expr v = ctx.bv_const("v", 32);
    std::vector<z3::expr> bytes(4, Bv(ctx, 0, 8));
    Store32(bytes, 0, v);
    const z3::expr roundTrip = Load32(bytes, 0) == v;
    return CheckClaim("sack_code_facts",
                      "accepted SACK option lengths are 10, 18, 26, 34; Load32(Store32(v)) = v",
                      ctx.bool_val(true), z3::implies(accepted, listed) && roundTrip,
                      {{"length", length}, {"v", v}}, options);
}

} // namespace

ProofResult
ProveSackShift(SackVariant variant, const ProofOptions& options)
{
    ProofResult total = CheckCodeFacts(options);
    double seconds = total.seconds;
    if (total.status == ProofStatus::kProved)
    {
        for (unsigned length : kSackLengths)
        {
            for (bool deltaNonZero : {false, true})
            {
                total = CheckOneCase(variant, length, deltaNonZero, options);
                seconds += total.seconds;
                if (total.status != ProofStatus::kProved)
                {
                    break;
                }
            }
            if (total.status != ProofStatus::kProved)
            {
                break;
            }
        }
    }
    total.name = VariantName(variant);
    total.statement = VariantStatement(variant);
    total.method = "bit-vectors, one query per option length and branch";
    total.seconds = seconds;
    return total;
}

} // namespace proofs
} // namespace dysco
