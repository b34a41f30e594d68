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

} // namespace

ProofResult
ProveSackShift(SackVariant variant, const ProofOptions& options)
{
    z3::context ctx;
    const z3::expr length = ctx.bv_const("length", 8);
    const z3::expr delta = ctx.bv_const("delta", 32);
    const z3::expr ack = ctx.bv_const("ack", 32);
    std::vector<z3::expr> bytes;
    for (size_t i = 0; i < 4 * kMaxEdges; ++i)
    {
        bytes.push_back(ctx.bv_const(("b" + std::to_string(i)).c_str(), 8));
    }
    // OptionLengthOk for kSack (packet.cc); ShiftSackBlocks also requires length >= 10.
    const z3::expr length32 = Widen(length, 32);
    const z3::expr hypothesis = z3::uge(length, Bv(ctx, 10, 8)) &&
                                z3::ule(length, Bv(ctx, 34, 8)) &&
                                z3::urem(length - 2, Bv(ctx, 8, 8)) == Bv(ctx, 0, 8);
    const z3::expr edgeCount = z3::udiv(length32 - 2, Bv(ctx, 4, 32));

    // SubtractAckDelta (the ACK flag is set): nothing changes when delta == 0.
    const z3::expr active = delta != Bv(ctx, 0, 32);
    const z3::expr ackAfter = z3::ite(active, SeqSub(ack, delta), ack);
    // ShiftSackBlocks: edges i < min(edgeCount, 8) become Load32(p + 4i) - uint32_t(delta).
    std::vector<z3::expr> after = bytes;
    for (size_t i = 0; i < kMaxEdges; ++i)
    {
        const bool shifted = variant == SackVariant::kAsInCore ||
                             (variant == SackVariant::kLeftEdgesOnly && i % 2 == 0);
        if (!shifted)
        {
            continue;
        }
        const z3::expr old = Load32(bytes, 4 * i);
        const z3::expr inLoop = z3::ult(Bv(ctx, i, 32), edgeCount);
        Store32(after, 4 * i, z3::ite(active && inLoop, SeqSub(old, delta), old));
    }

    std::vector<z3::expr> claims;
    for (size_t i = 0; i < kMaxEdges; ++i)
    {
        const z3::expr ei = Load32(bytes, 4 * i);
        const z3::expr ei2 = Load32(after, 4 * i);
        const z3::expr present = z3::ult(Bv(ctx, i, 32), edgeCount);
        claims.push_back(z3::implies(present, ei2 - ackAfter == ei - ack));
        if (i % 2 == 0)
        {
            const z3::expr ri = Load32(bytes, 4 * (i + 1));
            const z3::expr ri2 = Load32(after, 4 * (i + 1));
            claims.push_back(z3::implies(
                present, ri2 - ei2 == ri - ei && SeqBefore(ei, ri) == SeqBefore(ei2, ri2)));
        }
        for (size_t j = i + 1; j < kMaxEdges; ++j)
        {
            const z3::expr ej = Load32(bytes, 4 * j);
            const z3::expr ej2 = Load32(after, 4 * j);
            const z3::expr both = z3::ult(Bv(ctx, j, 32), edgeCount); // j > i
            claims.push_back(z3::implies(both, SeqBefore(ei, ej) == SeqBefore(ei2, ej2)));
        }
    }
    z3::expr_vector all(ctx);
    for (const z3::expr& c : claims)
    {
        all.push_back(c);
    }
    const Shown shown = {{"length", length},
                         {"delta", delta},
                         {"ack", ack},
                         {"ack'", ackAfter},
                         {"left0", Load32(bytes, 0)},
                         {"right0", Load32(bytes, 4)},
                         {"left0'", Load32(after, 0)},
                         {"right0'", Load32(after, 4)}};
    return CheckClaim(VariantName(variant), VariantStatement(variant), hypothesis,
                      z3::mk_and(all), shown, options);
}

} // namespace proofs
} // namespace dysco
