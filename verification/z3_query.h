// The shape every Z3 encoding shares (z3-notes.md): the monitor's state after each record as
// a Z3 term over the previous state and the record's fields (literals), one "violates_i"
// formula per event i, and the question
//   exists bad: OR_i (bad == i && violates_i)
// whose model names an offending event. Solve() then narrows `bad` to the smallest such
// event by binary search with push/pop, so the answer is comparable with the scan's.
//
// Measured (Z3 4.8.12, ~1,000-event sessions): state as reduced terms (Step) costs ~20 ms
// per session for the seq-space property; the same state as fresh constants tied by
// equations costs ~180 ms (the SMT core bit-blasts every 64-bit constant), and Z3's default
// solver adds ~15 ms of tactic set-up per query, so Solve() uses the plain SMT core
// (solver::simple).
#ifndef DYSCO_VERIFY_Z3_QUERY_H
#define DYSCO_VERIFY_Z3_QUERY_H

#include "property.h"

#include <string>
#include <utility>
#include <vector>
#include <z3++.h>

namespace dysco
{
namespace verify
{

class ViolationQuery
{
public:
    explicit ViolationQuery(z3::context& ctx)
        : m_ctx(ctx)
        , m_facts(ctx)
    {
    }

    z3::context& Ctx() { return m_ctx; }

    /// The monitor's state after one more record. The state is a ground term, so Z3's
    /// rewriter reduces it to a value here; left unreduced, the state would be a chain as deep
    /// as the session, and Z3 4.8.12 spends ~0.5 ms per chain link tearing its context down.
    z3::expr Step(const z3::expr& next) { return next.simplify(); }

    /// A fresh integer unknown (unique name), for encodings that let Z3 choose a value.
    z3::expr FreshInt(const char* prefix);

    /// Adds a fact the encoding relies on.
    void Assert(const z3::expr& fact) { m_facts.push_back(fact); }

    /// Event `index` violates the property iff `violates` holds.
    void Candidate(uint32_t index, const z3::expr& violates);

    /// Values to print for the offending event (evaluated in the final model).
    void Witness(uint32_t index, const std::string& name, const z3::expr& value);

    Z3Result Solve(unsigned timeoutMs);

    // Literal helpers.
    z3::expr Bv32(uint32_t v) { return m_ctx.bv_val(uint64_t(v), 32); }
    z3::expr Bv64(uint64_t v) { return m_ctx.bv_val(v, 64); }
    z3::expr Bv64s(int64_t v) { return m_ctx.bv_val(int64_t(v), 64); }
    z3::expr Int(int64_t v) { return m_ctx.int_val(v); }
    z3::expr Bool(bool v) { return m_ctx.bool_val(v); }

private:
    z3::context& m_ctx;
    z3::expr_vector m_facts;
    std::vector<std::pair<uint32_t, z3::expr>> m_candidates;
    std::vector<std::pair<uint32_t, std::pair<std::string, z3::expr>>> m_witnesses;
    uint64_t m_fresh = 0;
};

/// Signed 64-bit offset of a 32-bit sequence number from base: (int32)(x - base), widened.
z3::expr SeqOffset(const z3::expr& x, const z3::expr& base);

/// Z3 OR / AND of a vector that may be empty.
z3::expr AnyOf(z3::context& ctx, const std::vector<z3::expr>& v);
z3::expr AllOf(z3::context& ctx, const std::vector<z3::expr>& v);

} // namespace verify
} // namespace dysco

#endif
