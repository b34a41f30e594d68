#include "integer_claim.h"

#include "bv_to_int.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace dysco
{
namespace proofs
{

namespace
{

/// Budget of the side questions (congruence search, bit-vector counterexample probe).
constexpr unsigned kProbeMs = 5000;

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
            return std::nullopt;
        }
        if (c % 0xFFFF != 0)
        {
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
    if (options.bitVectorsOnly)
    {
        return CheckClaim(c.name, c.statement, c.hypothesis, c.claim, c.shown, options);
    }
    z3::context& ctx = c.claim.ctx();
    const auto t0 = std::chrono::steady_clock::now();
    ProofResult r;
    r.name = c.name;
    r.statement = c.statement;
    r.method = "integer translation";

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
    std::vector<z3::expr> diffs;
    for (const auto& [a, b] : c.congruences)
    {
        diffs.push_back(tr.Translate(a) - tr.Translate(b));
    }

    z3::solver s(ctx, "QF_LIA");
    auto check = [&](unsigned timeoutMs)
    {
        z3::params p(ctx);
        p.set("timeout", timeoutMs);
        s.set(p);
        return s.check();
    };
    s.add(tr.Facts());
    s.add(hypothesis);

    // A model of the integer formula, re-checked on the bit-vector claim.
    auto refutes = [&](const z3::model& m, ProofResult* out)
    {
        z3::expr_vector inputs(ctx);
        const z3::expr_vector values = InputValues(tr, m, &inputs);
        auto at = [&](const z3::expr& e)
        { return z3::expr(e).substitute(inputs, values).simplify(); };
        if (!at(c.hypothesis).is_true() || !at(c.claim).is_false())
        {
            return false;
        }
        out->status = ProofStatus::kCounterexample;
        for (const auto& [label, term] : c.shown)
        {
            out->model += (out->model.empty() ? "" : ", ") + label + " = " + FormatValue(at(term));
        }
        return true;
    };

    const z3::expr ffff = ctx.int_val(0xFFFF);
    const unsigned probeMs = std::min(options.timeoutMs, kProbeMs);
    bool allCongruent = true;
    for (size_t i = 0; i < diffs.size(); ++i)
    {
        const z3::expr q = ctx.int_const(("!congruence" + std::to_string(i)).c_str());
        // A certificate: diff is 0xFFFF times an integer combination of the unknowns. Naming
        // that combination Q lets the solver bound Q by the bounds of diff at once.
        if (const auto quotient = QuotientBy0xFFFF(diffs[i]))
        {
            s.push();
            s.add(diffs[i] != ffff * *quotient);
            const z3::check_result checked = check(probeMs);
            s.pop();
            if (checked == z3::unsat)
            {
                s.add(q == *quotient);
                r.method += ", congruence by certificate";
                continue;
            }
        }
        // Otherwise the congruence may rest on the hypothesis: ask the solver.
        s.push();
        s.add(z3::mod(diffs[i], ffff) != 0);
        const z3::check_result answer = check(probeMs);
        if (answer == z3::sat && refutes(s.get_model(), &r))
        {
            r.seconds = Since(t0);
            return r;
        }
        s.pop();
        if (answer == z3::unsat)
        {
            s.add(diffs[i] == ffff * q);
            r.method += ", congruence by search";
            continue;
        }
        allCongruent = false;
    }
    if (!allCongruent)
    {
        // Not congruent or undecided: the claim is probably false, and bit-blasting finds
        // counterexamples fast (it is only proofs it cannot finish).
        ProofOptions probe = options;
        probe.timeoutMs = probeMs;
        ProofResult direct = CheckClaim(c.name, c.statement, c.hypothesis, c.claim, c.shown, probe);
        if (direct.status == ProofStatus::kCounterexample)
        {
            direct.method = "bit-vectors (after the integer congruence failed)";
            direct.seconds = Since(t0);
            return direct;
        }
    }

    s.add(!claim);
    const z3::check_result answer = check(options.timeoutMs);
    r.seconds = Since(t0);
    if (answer == z3::unsat)
    {
        r.status = ProofStatus::kProved;
        return r;
    }
    if (answer == z3::sat && refutes(s.get_model(), &r))
    {
        return r;
    }
    r.status = ProofStatus::kUnknown;
    if (answer == z3::sat)
    {
        r.detail = "the integer model's counterexample does not refute the bit-vector claim "
                   "(a translation bug)";
    }
    else
    {
        r.detail = s.reason_unknown();
        if (r.detail == "timeout" || r.detail == "canceled")
        {
            r.detail = "solver timeout (" + std::to_string(options.timeoutMs) + " ms) reached";
        }
    }
    return r;
}

} // namespace proofs
} // namespace dysco
