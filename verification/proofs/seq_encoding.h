// model/core/seq.h as Z3 terms over 32-bit bit-vectors. A SeqDelta (int32_t) is converted
// with uint32_t(d), which keeps its bits, so a delta is the same 32-bit vector as the number.
#ifndef DYSCO_PROOFS_SEQ_ENCODING_H
#define DYSCO_PROOFS_SEQ_ENCODING_H

#include <z3++.h>

namespace dysco
{
namespace proofs
{

/// Seq::operator+(SeqDelta): m_value + uint32_t(d), modulo 2^32.
inline z3::expr
SeqAdd(const z3::expr& seq, const z3::expr& delta)
{
    return seq + delta;
}

/// Seq::operator-(SeqDelta): m_value - uint32_t(d), modulo 2^32.
inline z3::expr
SeqSub(const z3::expr& seq, const z3::expr& delta)
{
    return seq - delta;
}

/// Seq::operator<: int32_t(a - b) < 0.
inline z3::expr
SeqBefore(const z3::expr& a, const z3::expr& b)
{
    return z3::slt(a - b, a.ctx().bv_val(0, 32));
}

/// Seq::operator<=: int32_t(a - b) <= 0.
inline z3::expr
SeqBeforeOrEqual(const z3::expr& a, const z3::expr& b)
{
    return z3::sle(a - b, a.ctx().bv_val(0, 32));
}

/// x lies in the half-open window [base, base + 2^31): its offset from base, as unsigned,
/// is below 2^31 (where a receiver's numbers live: a TCP window is < 2^30).
inline z3::expr
InWindow(const z3::expr& x, const z3::expr& base)
{
    return z3::ult(x - base, x.ctx().bv_val(uint64_t(1) << 31, 32));
}

} // namespace proofs
} // namespace dysco

#endif
