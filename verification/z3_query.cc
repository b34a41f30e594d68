#include "z3_query.h"

#include <algorithm>
#include <cstdio>

namespace dysco
{
namespace verify
{

z3::expr
ViolationQuery::FreshInt(const char* prefix)
{
    return m_ctx.int_const((std::string(prefix) + "!" + std::to_string(m_fresh++)).c_str());
}

void
ViolationQuery::Candidate(uint32_t index, const z3::expr& violates)
{
    m_candidates.emplace_back(index, violates);
}

void
ViolationQuery::Witness(uint32_t index, const std::string& name, const z3::expr& value)
{
    m_witnesses.emplace_back(index, std::make_pair(name, value));
}

Z3Result
ViolationQuery::Solve(unsigned timeoutMs)
{
    Z3Result result;
    if (m_candidates.empty())
    {
        return result;
    }
    // The plain SMT core: the default solver spends ~15 ms per query on tactic set-up,
    // more than these small per-session questions take to answer.
    z3::solver s(m_ctx, z3::solver::simple());
    z3::params p(m_ctx);
    p.set("timeout", timeoutMs);
    s.set(p);
    for (unsigned i = 0; i < m_facts.size(); ++i)
    {
        s.add(m_facts[i]);
    }
    z3::expr bad = m_ctx.int_const("bad");
    z3::expr_vector choices(m_ctx);
    std::vector<uint32_t> ids;
    for (const auto& [index, violates] : m_candidates)
    {
        choices.push_back(bad == m_ctx.int_val(int64_t(index)) && violates);
        ids.push_back(index);
    }
    s.add(z3::mk_or(choices));
    z3::check_result r = s.check();
    if (r == z3::unsat)
    {
        return result;
    }
    if (r == z3::unknown)
    {
        result.status = Z3Result::Status::kUnknown;
        result.detail = s.reason_unknown();
        return result;
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto badOf = [&](const z3::model& m)
    { return uint32_t(m.eval(bad, true).get_numeral_int64()); };
    uint32_t best = badOf(s.get_model());
    // Invariant: `best` is offending; every id below ids[lo] is not.
    size_t lo = 0;
    size_t hi = size_t(std::lower_bound(ids.begin(), ids.end(), best) - ids.begin());
    while (lo < hi)
    {
        size_t mid = (lo + hi) / 2;
        s.push();
        s.add(bad <= m_ctx.int_val(int64_t(ids[mid])));
        z3::check_result rm = s.check();
        if (rm == z3::sat)
        {
            best = badOf(s.get_model());
            hi = size_t(std::lower_bound(ids.begin(), ids.end(), best) - ids.begin());
        }
        else if (rm == z3::unsat)
        {
            lo = mid + 1;
        }
        else
        {
            s.pop();
            result.status = Z3Result::Status::kUnknown;
            result.detail = s.reason_unknown();
            return result;
        }
        s.pop();
    }
    result.status = Z3Result::Status::kViolated;
    result.event = best;
    // Witness values come from a model that has bad == best.
    s.push();
    s.add(bad == m_ctx.int_val(int64_t(best)));
    if (s.check() == z3::sat)
    {
        z3::model m = s.get_model();
        for (auto& [index, w] : m_witnesses)
        {
            if (index == best)
            {
                if (!result.detail.empty())
                {
                    result.detail += ", ";
                }
                z3::expr v = m.eval(w.second, true);
                uint64_t u = 0;
                // Bit-vectors print as #x...; decimal reads better next to the trace.
                std::string text = v.to_string();
                if (v.is_bv() && v.is_numeral_u64(u))
                {
                    // Bit-vectors print as #x...: sequence numbers read better in decimal,
                    // content hashes in the trace's own hex form.
                    char buf[24];
                    std::snprintf(buf, sizeof(buf), u >> 32 ? "%016llx" : "%llu",
                                  (unsigned long long)u);
                    text = buf;
                }
                result.detail += w.first + " = " + text;
            }
        }
    }
    s.pop();
    return result;
}

z3::expr
SeqOffset(const z3::expr& x, const z3::expr& base)
{
    return z3::sext(x - base, 32);
}

z3::expr
AnyOf(z3::context& ctx, const std::vector<z3::expr>& v)
{
    if (v.empty())
    {
        return ctx.bool_val(false);
    }
    z3::expr_vector ev(ctx);
    for (const auto& e : v)
    {
        ev.push_back(e);
    }
    return z3::mk_or(ev);
}

z3::expr
AllOf(z3::context& ctx, const std::vector<z3::expr>& v)
{
    if (v.empty())
    {
        return ctx.bool_val(true);
    }
    z3::expr_vector ev(ctx);
    for (const auto& e : v)
    {
        ev.push_back(e);
    }
    return z3::mk_and(ev);
}

} // namespace verify
} // namespace dysco
