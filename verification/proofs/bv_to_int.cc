#include "bv_to_int.h"

#include <algorithm>

namespace dysco
{
namespace proofs
{

namespace
{

using Wide = __int128;

Wide
Pow2(unsigned k)
{
    return Wide(1) << k;
}

std::string
ToDecimal(Wide v)
{
    if (v == 0)
    {
        return "0";
    }
    const bool negative = v < 0;
    std::string s;
    while (v != 0)
    {
        const int digit = int(v % 10);
        s.push_back(char('0' + (digit < 0 ? -digit : digit)));
        v /= 10;
    }
    if (negative)
    {
        s.push_back('-');
    }
    std::reverse(s.begin(), s.end());
    return s;
}

unsigned
AstId(const z3::expr& e)
{
    return Z3_get_ast_id(e.ctx(), e);
}

/// The value of a numeral argument (shift amounts, masks, multipliers), or -1.
Wide
NumeralOf(const z3::expr& e)
{
    uint64_t v = 0;
    if (e.is_numeral() && e.is_numeral_u64(v))
    {
        return Wide(v);
    }
    return -1;
}

std::runtime_error
Unsupported(const z3::expr& e)
{
    return std::runtime_error("BvToInt: unsupported term " + e.to_string());
}

} // namespace

BvToInt::BvToInt(z3::context& ctx)
    : m_ctx(ctx)
    , m_facts(ctx)
    , m_keep(ctx)
{
}

z3::expr
BvToInt::Facts() const
{
    return m_facts.empty() ? m_ctx.bool_val(true) : z3::mk_and(m_facts);
}

z3::expr
BvToInt::Lit(Wide v)
{
    return m_ctx.int_val(ToDecimal(v).c_str());
}

z3::expr
BvToInt::Fresh(const char* prefix, Wide lo, Wide hi)
{
    z3::expr v = m_ctx.int_const(("!" + std::string(prefix) + std::to_string(m_fresh++)).c_str());
    m_facts.push_back(v >= Lit(lo) && v <= Lit(hi));
    return v;
}

void
BvToInt::UseBounds(const z3::expr& h)
{
    if (!h.is_app())
    {
        return;
    }
    const Z3_decl_kind kind = h.decl().decl_kind();
    if (kind == Z3_OP_AND)
    {
        for (unsigned i = 0; i < h.num_args(); ++i)
        {
            UseBounds(h.arg(i));
        }
        return;
    }
    if (h.num_args() != 2 || !h.arg(0).is_bv())
    {
        return;
    }
    // Normalise to "constant OP numeral".
    z3::expr c = h.arg(0);
    Wide n = NumeralOf(h.arg(1));
    bool flipped = false;
    if (!c.is_const() || c.is_numeral())
    {
        c = h.arg(1);
        n = NumeralOf(h.arg(0));
        flipped = true;
    }
    if (!c.is_const() || c.is_numeral() || n < 0)
    {
        return;
    }
    const unsigned w = c.get_sort().bv_size();
    auto& bound = m_bounds.try_emplace(c.decl().name().str(), Wide(0), Pow2(w) - 1).first->second;
    auto atMost = [&](Wide v) { bound.second = std::min(bound.second, v); };
    auto atLeast = [&](Wide v) { bound.first = std::max(bound.first, v); };
    switch (kind)
    {
    case Z3_OP_ULEQ:
        flipped ? atLeast(n) : atMost(n);
        break;
    case Z3_OP_UGEQ:
        flipped ? atMost(n) : atLeast(n);
        break;
    case Z3_OP_ULT:
        flipped ? atLeast(n + 1) : atMost(n - 1);
        break;
    case Z3_OP_UGT:
        flipped ? atMost(n - 1) : atLeast(n + 1);
        break;
    default:
        break;
    }
}

z3::expr
BvToInt::SplitExtract(const z3::expr& e)
{
    const z3::expr x = e.arg(0);
    const unsigned hiBit = e.hi();
    const unsigned loBit = e.lo();
    // Extract commutes with bitwise not: truncating a complement is complementing a remainder.
    if (x.decl().decl_kind() == Z3_OP_BNOT)
    {
        return ~x.arg(0).extract(hiBit, loBit);
    }
    // Extract distributes over concat: take the parts of the two halves.
    if (x.decl().decl_kind() != Z3_OP_CONCAT || x.num_args() != 2)
    {
        return e;
    }
    const z3::expr high = x.arg(0);
    const z3::expr low = x.arg(1);
    const unsigned lw = low.get_sort().bv_size();
    if (hiBit < lw)
    {
        return low.extract(hiBit, loBit);
    }
    if (loBit >= lw)
    {
        return high.extract(hiBit - lw, loBit - lw);
    }
    return z3::concat(high.extract(hiBit - lw, 0), low.extract(lw - 1, loBit));
}

void
BvToInt::Scan(const z3::expr& root)
{
    std::vector<z3::expr> todo{root};
    while (!todo.empty())
    {
        const z3::expr e = todo.back();
        todo.pop_back();
        const unsigned id = AstId(e);
        if (!e.is_app() || std::find(m_scanned.begin(), m_scanned.end(), id) != m_scanned.end())
        {
            continue;
        }
        m_scanned.push_back(id);
        m_keep.push_back(e);
        if (e.decl().decl_kind() == Z3_OP_EXTRACT)
        {
            const z3::expr split = SplitExtract(e);
            if (!z3::eq(split, e))
            {
                todo.push_back(split);
                continue;
            }
        }
        if (e.decl().decl_kind() == Z3_OP_EXTRACT && e.arg(0).is_const() && !e.arg(0).is_numeral())
        {
            auto& cuts = m_cuts[e.arg(0).decl().name().str()];
            cuts.push_back(e.lo());
            cuts.push_back(e.hi() + 1);
        }
        for (unsigned i = 0; i < e.num_args(); ++i)
        {
            todo.push_back(e.arg(i));
        }
    }
}

z3::expr
BvToInt::Translate(const z3::expr& bv)
{
    return bv.is_bool() ? Bool(bv) : Bits(bv).value;
}

BvToInt::Term
BvToInt::Wrap(const z3::expr& t, Wide lo, Wide hi, unsigned width)
{
    const Wide m = Pow2(width);
    if (lo >= 0 && hi < m)
    {
        return Term{t, lo, hi};
    }
    // t = m q + r, 0 <= r < m: q ranges over the multiples of m that t's bounds allow.
    const Wide qlo = lo >= 0 ? lo / m : -((-lo + m - 1) / m);
    const Wide qhi = hi >= 0 ? hi / m : -((-hi + m - 1) / m);
    const z3::expr q = Fresh("wrap", qlo, qhi);
    const z3::expr r = t - Lit(m) * q;
    m_facts.push_back(r >= 0 && r <= Lit(m - 1));
    return Term{r, 0, m - 1};
}

std::pair<BvToInt::Term, BvToInt::Term>
BvToInt::DivMod(const Term& x, DivKey key)
{
    const unsigned k = std::get<2>(key);
    auto it = m_divmods.find(key);
    if (it != m_divmods.end())
    {
        return it->second;
    }
    const Wide m = Pow2(k);
    std::pair<Term, Term> qr{Term{Lit(0), 0, 0}, x};
    if (x.lo >= 0 && x.lo / m == x.hi / m)
    {
        // x stays within one multiple of 2^k: q is that constant, r = x - 2^k q.
        const Wide q = x.lo / m;
        qr = {Term{Lit(q), q, q}, Term{x.value - Lit(m * q), x.lo - m * q, x.hi - m * q}};
    }
    else
    {
        // r is not a new unknown but x - 2^k q: every term stays a linear form over the
        // inputs' chunks and the quotients, which is what the congruence certificate needs.
        const z3::expr q = Fresh("q", x.lo / m, x.hi / m);
        const z3::expr r = x.value - Lit(m) * q;
        m_facts.push_back(r >= 0 && r <= Lit(m - 1));
        qr = {Term{q, x.lo / m, x.hi / m}, Term{r, 0, m - 1}};
    }
    m_divmods.emplace(key, qr);
    return qr;
}

std::optional<BvToInt::Term>
BvToInt::FoldStep(const z3::expr& e)
{
    // (s & (2^k - 1)) + (s >> k), either order: the end-around fold. Its value is r + q for
    // s = 2^k q + r, and its bound is tighter than the sum of the operands' bounds (when q
    // is at its largest, r is not): this keeps the complement and truncation after a fold
    // free of extra unknowns.
    for (int order = 0; order < 2; ++order)
    {
        const z3::expr a = e.arg(order);
        const z3::expr b = e.arg(1 - order);
        if (a.decl().decl_kind() != Z3_OP_BAND || b.decl().decl_kind() != Z3_OP_BLSHR ||
            a.num_args() != 2 || NumeralOf(a.arg(1)) < 0 || NumeralOf(b.arg(1)) < 0 ||
            AstId(a.arg(0)) != AstId(b.arg(0)))
        {
            continue;
        }
        const Wide k = NumeralOf(b.arg(1));
        const Wide m = Pow2(unsigned(k));
        if (NumeralOf(a.arg(1)) != m - 1)
        {
            continue;
        }
        const Term s = Bits(a.arg(0));
        const auto [q, r] = DivMod(s, DivKey{AstId(a.arg(0)), 0, unsigned(k)});
        const Wide top = s.hi / m;
        Wide hi = (s.hi - m * top) + top;
        if (top >= 1)
        {
            hi = std::max(hi, (m - 1) + (top - 1));
        }
        const Wide lo = s.lo >= 1 ? 1 : 0;
        return Term{q.value + r.value, lo, hi};
    }
    return std::nullopt;
}

std::optional<BvToInt::Term>
BvToInt::EndAroundCarry(const z3::expr& e, unsigned id)
{
    // x + (x >> k) with x <= 2^(k+1) - 2 (ApplyDelta's last step): for x = 2^k q + r, q is 0
    // or 1 and r + q < 2^k, so the sum is 2^k q + (r + q). Recording that split lets a later
    // truncation to k bits be r + q, the folded value, instead of a new unknown.
    for (int order = 0; order < 2; ++order)
    {
        const z3::expr a = e.arg(order);
        const z3::expr b = e.arg(1 - order);
        if (b.decl().decl_kind() != Z3_OP_BLSHR || NumeralOf(b.arg(1)) < 0 ||
            AstId(a) != AstId(b.arg(0)))
        {
            continue;
        }
        const unsigned k = unsigned(NumeralOf(b.arg(1)));
        const Term x = Bits(a);
        if (x.lo < 0 || x.hi > 2 * Pow2(k) - 2)
        {
            continue;
        }
        const auto [q, r] = DivMod(x, DivKey{AstId(a), 0, k});
        const Term low{r.value + q.value, 0, Pow2(k) - 1};
        m_divmods.emplace(DivKey{id, 0, k}, std::make_pair(q, low));
        return Term{x.value + q.value, x.lo, x.hi + q.hi};
    }
    return std::nullopt;
}

BvToInt::Term
BvToInt::Bits(const z3::expr& e)
{
    const unsigned id = AstId(e);
    auto cached = m_bits.find(id);
    if (cached != m_bits.end())
    {
        return cached->second;
    }
    if (!e.is_bv())
    {
        throw Unsupported(e);
    }
    const unsigned w = e.get_sort().bv_size();
    const Wide top = Pow2(w) - 1;
    Term out{m_ctx.int_val(0), 0, 0};
    if (e.is_numeral())
    {
        const Wide v = NumeralOf(e);
        if (v < 0)
        {
            throw Unsupported(e);
        }
        out = Term{Lit(v), v, v};
    }
    else if (e.is_const())
    {
        const std::string name = e.decl().name().str();
        const z3::expr v = m_ctx.int_const(name.c_str());
        Wide lo = 0;
        Wide hi = top;
        auto bound = m_bounds.find(name);
        if (bound != m_bounds.end())
        {
            lo = bound->second.first;
            hi = bound->second.second;
        }
        m_facts.push_back(v >= Lit(lo) && v <= Lit(hi));
        m_constants.emplace_back(e, v);
        out = Term{v, lo, hi};
        auto cuts = m_cuts.find(name);
        if (cuts != m_cuts.end())
        {
            std::vector<unsigned> at = cuts->second;
            at.push_back(0);
            at.push_back(w);
            std::sort(at.begin(), at.end());
            at.erase(std::unique(at.begin(), at.end()), at.end());
            auto& chunks = m_chunks[name];
            z3::expr sum = Lit(0);
            for (size_t i = 0; i + 1 < at.size(); ++i)
            {
                const z3::expr chunk = Fresh("chunk", 0, Pow2(at[i + 1] - at[i]) - 1);
                chunks.emplace_back(at[i], chunk);
                sum = sum + Lit(Pow2(at[i])) * chunk;
            }
            m_facts.push_back(v == sum);
            // Terms use the chunks, so every term is a linear form over the same unknowns.
            out = Term{sum, lo, hi};
        }
    }
    else
    {
        const Z3_decl_kind kind = e.decl().decl_kind();
        const unsigned n = e.num_args();
        switch (kind)
        {
        case Z3_OP_BADD:
        {
            if (n == 2)
            {
                if (auto folded = FoldStep(e))
                {
                    out = *folded;
                    break;
                }
                if (auto carried = EndAroundCarry(e, id))
                {
                    out = *carried;
                    break;
                }
            }
            z3::expr sum = Bits(e.arg(0)).value;
            Wide lo = Bits(e.arg(0)).lo;
            Wide hi = Bits(e.arg(0)).hi;
            for (unsigned i = 1; i < n; ++i)
            {
                const Term a = Bits(e.arg(i));
                sum = sum + a.value;
                lo += a.lo;
                hi += a.hi;
            }
            out = Wrap(sum, lo, hi, w);
            break;
        }
        case Z3_OP_BSUB:
        {
            const Term a = Bits(e.arg(0));
            const Term b = Bits(e.arg(1));
            out = Wrap(a.value - b.value, a.lo - b.hi, a.hi - b.lo, w);
            break;
        }
        case Z3_OP_BNEG:
        {
            const Term a = Bits(e.arg(0));
            out = Wrap(-a.value, -a.hi, -a.lo, w);
            break;
        }
        case Z3_OP_BMUL:
        {
            // Only multiplication by constants (linear arithmetic).
            Wide c = 1;
            z3::expr prod = Lit(1);
            Wide lo = 1;
            Wide hi = 1;
            bool haveVar = false;
            for (unsigned i = 0; i < n; ++i)
            {
                const Wide v = NumeralOf(e.arg(i));
                if (v >= 0)
                {
                    c *= v;
                    continue;
                }
                if (haveVar)
                {
                    throw Unsupported(e);
                }
                haveVar = true;
                const Term a = Bits(e.arg(i));
                prod = a.value;
                lo = a.lo;
                hi = a.hi;
            }
            out = Wrap(Lit(c) * prod, c * lo, c * hi, w);
            break;
        }
        case Z3_OP_BNOT:
        {
            const Term a = Bits(e.arg(0));
            out = Term{Lit(top) - a.value, top - a.hi, top - a.lo};
            break;
        }
        case Z3_OP_BAND:
        {
            // x & (2^k - 1): the remainder of x by 2^k.
            if (n != 2)
            {
                throw Unsupported(e);
            }
            const bool maskFirst = NumeralOf(e.arg(0)) >= 0;
            const Wide mask = NumeralOf(e.arg(maskFirst ? 0 : 1));
            const z3::expr x = e.arg(maskFirst ? 1 : 0);
            if (mask < 0 || (mask & (mask + 1)) != 0)
            {
                throw Unsupported(e);
            }
            unsigned k = 0;
            while (Pow2(k) - 1 != mask)
            {
                ++k;
            }
            out = DivMod(Bits(x), DivKey{AstId(x), 0, k}).second;
            break;
        }
        case Z3_OP_BLSHR:
        {
            const Wide k = NumeralOf(e.arg(1));
            if (k < 0 || k >= Wide(w))
            {
                throw Unsupported(e);
            }
            out = DivMod(Bits(e.arg(0)), DivKey{AstId(e.arg(0)), 0, unsigned(k)}).first;
            break;
        }
        case Z3_OP_EXTRACT:
        {
            const unsigned hiBit = e.hi();
            const unsigned loBit = e.lo();
            const z3::expr x = e.arg(0);
            const z3::expr split = SplitExtract(e);
            if (!z3::eq(split, e))
            {
                out = Bits(split);
                break;
            }
            Term t = Bits(x);
            if (x.is_const() && !x.is_numeral() && m_chunks.count(x.decl().name().str()) > 0)
            {
                // A sum of the constant's chunks, if Scan cut it at these bits.
                z3::expr sum = Lit(0);
                bool startsAtCut = false;
                bool endsAtCut = hiBit + 1 == x.get_sort().bv_size();
                for (const auto& [pos, chunk] : m_chunks[x.decl().name().str()])
                {
                    startsAtCut = startsAtCut || pos == loBit;
                    endsAtCut = endsAtCut || pos == hiBit + 1;
                    if (pos >= loBit && pos <= hiBit)
                    {
                        sum = sum + Lit(Pow2(pos - loBit)) * chunk;
                    }
                }
                if (startsAtCut && endsAtCut)
                {
                    out = Term{sum, 0, Pow2(hiBit - loBit + 1) - 1};
                    break;
                }
            }
            if (loBit > 0)
            {
                t = DivMod(t, DivKey{AstId(x), 0, loBit}).first;
            }
            out = DivMod(t, DivKey{AstId(x), loBit, hiBit - loBit + 1}).second;
            break;
        }
        case Z3_OP_CONCAT:
        {
            z3::expr v = Lit(0);
            Wide lo = 0;
            Wide hi = 0;
            for (unsigned i = 0; i < n; ++i)
            {
                const Term a = Bits(e.arg(i));
                const Wide scale = Pow2(e.arg(i).get_sort().bv_size());
                v = Lit(scale) * v + a.value;
                lo = lo * scale + a.lo;
                hi = hi * scale + a.hi;
            }
            out = Term{v, lo, hi};
            break;
        }
        case Z3_OP_ZERO_EXT:
            out = Bits(e.arg(0));
            break;
        case Z3_OP_ITE:
        {
            const Term a = Bits(e.arg(1));
            const Term b = Bits(e.arg(2));
            out = Term{z3::ite(Bool(e.arg(0)), a.value, b.value), std::min(a.lo, b.lo),
                       std::max(a.hi, b.hi)};
            break;
        }
        default:
            throw Unsupported(e);
        }
    }
    m_bits.emplace(id, out);
    m_keep.push_back(e);
    return out;
}

z3::expr
BvToInt::Bool(const z3::expr& e)
{
    const unsigned id = AstId(e);
    auto cached = m_bools.find(id);
    if (cached != m_bools.end())
    {
        return cached->second;
    }
    const Z3_decl_kind kind = e.decl().decl_kind();
    const unsigned n = e.num_args();
    auto args = [&]()
    {
        z3::expr_vector v(m_ctx);
        for (unsigned i = 0; i < n; ++i)
        {
            v.push_back(Bool(e.arg(i)));
        }
        return v;
    };
    z3::expr out = m_ctx.bool_val(true);
    switch (kind)
    {
    case Z3_OP_TRUE:
        out = m_ctx.bool_val(true);
        break;
    case Z3_OP_FALSE:
        out = m_ctx.bool_val(false);
        break;
    case Z3_OP_AND:
        out = z3::mk_and(args());
        break;
    case Z3_OP_OR:
        out = z3::mk_or(args());
        break;
    case Z3_OP_NOT:
        out = !Bool(e.arg(0));
        break;
    case Z3_OP_IMPLIES:
        out = z3::implies(Bool(e.arg(0)), Bool(e.arg(1)));
        break;
    case Z3_OP_IFF:
        out = Bool(e.arg(0)) == Bool(e.arg(1));
        break;
    case Z3_OP_ITE:
        out = z3::ite(Bool(e.arg(0)), Bool(e.arg(1)), Bool(e.arg(2)));
        break;
    case Z3_OP_EQ:
        out = e.arg(0).is_bool() ? Bool(e.arg(0)) == Bool(e.arg(1))
                                 : Bits(e.arg(0)).value == Bits(e.arg(1)).value;
        break;
    case Z3_OP_DISTINCT:
    {
        z3::expr_vector v(m_ctx);
        for (unsigned i = 0; i < n; ++i)
        {
            v.push_back(e.arg(i).is_bool() ? Bool(e.arg(i)) : Bits(e.arg(i)).value);
        }
        out = z3::distinct(v);
        break;
    }
    case Z3_OP_ULEQ:
        out = Bits(e.arg(0)).value <= Bits(e.arg(1)).value;
        break;
    case Z3_OP_UGEQ:
        out = Bits(e.arg(0)).value >= Bits(e.arg(1)).value;
        break;
    case Z3_OP_ULT:
        out = Bits(e.arg(0)).value < Bits(e.arg(1)).value;
        break;
    case Z3_OP_UGT:
        out = Bits(e.arg(0)).value > Bits(e.arg(1)).value;
        break;
    default:
        if (e.is_const())
        {
            out = m_ctx.bool_const(e.decl().name().str().c_str());
            break;
        }
        throw Unsupported(e);
    }
    m_bools.emplace(id, out);
    m_keep.push_back(e);
    return out;
}

} // namespace proofs
} // namespace dysco
