#include "proof.h"

#include <chrono>
#include <cstdio>

namespace dysco
{
namespace proofs
{

const char*
ProofStatusName(ProofStatus s)
{
    switch (s)
    {
    case ProofStatus::kProved:
        return "proved";
    case ProofStatus::kCounterexample:
        return "counterexample";
    case ProofStatus::kUnknown:
        return "unknown";
    }
    return "?";
}

std::string
FormatValue(const z3::expr& value)
{
    if (value.is_bool())
    {
        return value.is_true() ? "true" : (value.is_false() ? "false" : value.to_string());
    }
    uint64_t v = 0;
    if (!value.is_bv() || !value.is_numeral_u64(v))
    {
        return value.to_string();
    }
    const unsigned width = value.get_sort().bv_size();
    char buf[40];
    std::snprintf(buf, sizeof buf, "0x%0*llx", int((width + 3) / 4), (unsigned long long)v);
    return buf;
}

ProofResult
CheckClaim(const std::string& name, const std::string& statement, const z3::expr& hypothesis,
           const z3::expr& claim, const Shown& shown, const ProofOptions& options)
{
    ProofResult r;
    r.name = name;
    r.statement = statement;
    r.method = "bit-vectors";
    z3::context& ctx = claim.ctx();
    // The default solver picks Z3's QF_BV strategy (simplify, bit-blast, SAT) for these
    // quantifier-free bit-vector questions; the plain SMT core is slower on adder chains.
    z3::solver s(ctx);
    z3::params p(ctx);
    p.set("timeout", options.timeoutMs);
    s.set(p);
    s.add(hypothesis);
    s.add(!claim);
    const auto t0 = std::chrono::steady_clock::now();
    const z3::check_result answer = s.check();
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
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
    r.status = ProofStatus::kCounterexample;
    z3::model m = s.get_model();
    for (const auto& [label, term] : shown)
    {
        if (!r.model.empty())
        {
            r.model += ", ";
        }
        r.model += label + " = " + FormatValue(m.eval(term, true));
    }
    return r;
}

} // namespace proofs
} // namespace dysco
