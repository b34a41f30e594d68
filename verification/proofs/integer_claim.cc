#include "integer_claim.h"

#include "bv_to_int.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace dysco
{
namespace proofs
{

namespace
{

double
Since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// If `diff`, a linear integer term, is 0xFFFF times an integer combination of its unknowns
/// (every coefficient and the constant divisible by 0xFFFF), that combination.
std::optional<z3::expr>
QuotientBy0xFFFF(const z3::expr& diff)
{
    z3::context& ctx = diff.ctx();
    z3::params p(ctx);
    p.set("som", true); // sum of monomials: a flat (+ c0 (* c1 x1) ...)
    const z3::expr form = diff.simplify(p);
    std::vector<z3::expr> monomials;
    if (form.is_app() && form.decl().decl_kind() == Z3_OP_ADD)
    {
        for (unsigned i = 0; i < form.num_args(); ++i)
        {
            monomials.push_back(form.arg(i));
        }
    }
    else
    {
        monomials.push_back(form);
    }
    z3::expr q = ctx.int_val(0);
    for (const z3::expr& t : monomials)
    {
        int64_t c = 1;
        z3::expr var = ctx.int_val(1);
        if (t.is_numeral())
        {
            if (!t.is_numeral_i64(c))
            {
                return std::nullopt;
            }
        }
        else if (t.is_app() && t.decl().decl_kind() == Z3_OP_MUL && t.num_args() == 2 &&
                 t.arg(0).is_numeral() && t.arg(1).is_const())
        {
            if (!t.arg(0).is_numeral_i64(c))
            {
                return std::nullopt;
            }
            var = t.arg(1);
        }
        else if (t.is_const())
        {
            var = t;
        }
        else
        {
            if (getenv("DEBUGQ")) { fprintf(stderr, "not a monomial: %s\n", t.to_string().c_str()); }
            return std::nullopt;
        }
        if (c % 0xFFFF != 0)
        {
            if (getenv("DEBUGQ")) { fprintf(stderr, "not divisible: %s\n", t.to_string().c_str()); }
            return std::nullopt;
        }
        q = q + ctx.int_val(c / 0xFFFF) * var;
    }
    return q;
}

/// The bit-vector inputs' values in an integer model, as bit-vector literals.
z3::expr_vector
InputValues(const BvToInt& tr, const z3::model& m, z3::expr_vector* inputs)
{
    z3::context& ctx = m.ctx();
    z3::expr_vector values(ctx);
    for (const auto& [bv, integer] : tr.Constants())
    {
        const std::string digits = m.eval(integer, true).get_decimal_string(0);
        inputs->push_back(bv);
        values.push_back(ctx.bv_val(digits.c_str(), bv.get_sort().bv_size()));
    }
    return values;
}

} // namespace

ProofResult
ProveWithIntegers(const IntegerClaim& c, const ProofOptions& options)
{
    ProofResult r;
    r.name = c.name;
    r.statement = c.statement;
    z3::context& ctx = c.claim.ctx();
    const auto t0 = std::chrono::steady_clock::now();

    BvToInt tr(ctx);
    tr.UseBounds(c.hypothesis);
    tr.Scan(c.hypothesis);
    tr.Scan(c.claim);
    for (const auto& [a, b] : c.congruences)
    {
        tr.Scan(a);
        tr.Scan(b);
    }
    const z3::expr hypothesis = tr.Translate(c.hypothesis);
    const z3::expr claim = tr.Translate(c.claim);
    std::vector<std::pair<z3::expr, z3::expr>> congruences;
    for (const auto& [a, b] : c.congruences)
    {
        congruences.emplace_back(tr.Translate(a), tr.Translate(b));
    }

    z3::solver s(ctx, "QF_LIA");
    z3::params p(ctx);
    p.set("timeout", options.timeoutMs);
    s.set(p);
    s.add(tr.Facts());
    s.add(hypothesis);

    const z3::expr ffff = ctx.int_val(0xFFFF);
    for (size_t i = 0; i < congruences.size(); ++i)
    {
        const z3::expr diff = congruences[i].first - congruences[i].second;
        const z3::expr q = ctx.int_const(("!congruence" + std::to_string(i)).c_str());
        // A certificate: diff is 0xFFFF times an integer combination of the unknowns. Naming
        // that combination Q lets the solver bound Q by the bounds of diff at once.
        if (const auto quotient = QuotientBy0xFFFF(diff))
        {
            s.push();
            s.add(diff != ffff * *quotient);
            const z3::check_result checked = s.check();
            s.pop();
            if (checked == z3::unsat)
            {
                s.add(q == *quotient);
                continue;
            }
        }
        s.push();
        s.add(z3::mod(diff, ffff) != 0);
        const z3::check_result answer = s.check();
        s.pop();
        if (answer == z3::unsat)
        {
            s.add(diff == ffff * q);
        }
    }

    s.add(!claim);
    const z3::check_result answer = s.check();
    r.seconds = Since(t0);
    if (answer == z3::unsat)
    {
        r.status = ProofStatus::kProved;
        return r;
    }
    if (answer == z3::unknown)
    {
        r.status = ProofStatus::kUnknown;
        r.detail = s.reason_unknown();
        if (r.detail == "timeout" || r.detail == "canceled")
        {
            r.detail = "solver timeout (" + std::to_string(options.timeoutMs) + " ms) reached";
        }
        return r;
    }
    // Re-check the integer model's inputs on the bit-vector formulas.
    z3::expr_vector inputs(ctx);
    const z3::expr_vector values = InputValues(tr, s.get_model(), &inputs);
    auto at = [&](const z3::expr& e)
    { return z3::expr(e).substitute(inputs, values).simplify(); };
    if (!at(c.hypothesis).is_true() || !at(c.claim).is_false())
    {
        r.status = ProofStatus::kUnknown;
        r.detail = "the integer model's counterexample does not refute the bit-vector claim "
                   "(a translation bug)";
        return r;
    }
    r.status = ProofStatus::kCounterexample;
    for (const auto& [label, term] : c.shown)
    {
        if (!r.model.empty())
        {
            r.model += ", ";
        }
        r.model += label + " = " + FormatValue(at(term));
    }
    return r;
}

} // namespace proofs
} // namespace dysco
