// Exact translation of bit-vector terms into linear integer arithmetic, for proofs that
// bit-blasting cannot finish (z3-notes.md: the incremental checksum with several free fields).
//
// Every bit-vector term becomes an integer term with the same value, plus side facts: a w-bit
// constant is an integer in [0, 2^w) (narrower if the hypothesis bounds it, UseBounds); x >> k
// and x & (2^k - 1) are a fresh quotient q and r = x - 2^k q with 0 <= r < 2^k, shared by
// both; ~x is 2^w - 1 - x; extract, concat and zero-extension are divisions and
// multiplications by powers of two (a constant extracted at several places is split once into
// chunks, Scan); +, - and multiplication by a constant wrap modulo 2^w through a fresh
// quotient only when the operands' bounds (tracked per term) allow an overflow. Two patterns
// of the checksum code get tighter bounds, both exact: the fold (s & M) + (s >> k) and the
// end-around carry x + (x >> k) truncated to k bits. Nothing is approximated: a model of the
// integer formula is a model of the bit-vector formula, and the reverse. Only the operations
// the proofs' encodings use are supported; others throw std::runtime_error.
#ifndef DYSCO_PROOFS_BV_TO_INT_H
#define DYSCO_PROOFS_BV_TO_INT_H

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>
#include <z3++.h>

namespace dysco
{
namespace proofs
{

class BvToInt
{
public:
    explicit BvToInt(z3::context& ctx);

    /// Narrows the bounds of constants from the top-level conjuncts of `hypothesis` of the form
    /// c <= n, c >= n, c < n, c > n (unsigned, c a constant, n a numeral), so sums that cannot
    /// overflow under the hypothesis need no wrap-around unknowns. Call before Translate; the
    /// hypothesis itself must still be asserted (this only sharpens the translation).
    void UseBounds(const z3::expr& hypothesis);

    /// Records the bit ranges that `e` extracts from constants, so each such constant is
    /// split once into chunks at all those boundaries (its value = sum of chunk * 2^pos) and
    /// an extract is a plain sum of chunks: overlapping extracts (a field read as two words
    /// and as four swapped bytes) then share unknowns instead of each dividing the value.
    /// Call on every formula before the first Translate.
    void Scan(const z3::expr& e);

    /// The integer (or Boolean) term equal to `bv`; its side facts are added to Facts().
    z3::expr Translate(const z3::expr& bv);

    /// Side facts of every translation so far (bounds of constants, div/mod definitions).
    z3::expr Facts() const;

    /// The bit-vector constants met so far, with their integer counterparts.
    const std::vector<std::pair<z3::expr, z3::expr>>& Constants() const { return m_constants; }

private:
    using Wide = __int128;
    struct Term
    {
        z3::expr value;
        Wide lo;
        Wide hi;
    };

    Term Bits(const z3::expr& bv);
    std::optional<Term> FoldStep(const z3::expr& add);
    std::optional<Term> EndAroundCarry(const z3::expr& add, unsigned id);
    /// extract of a concat as extracts of its parts (or `e` itself).
    static z3::expr SplitExtract(const z3::expr& e);
    z3::expr Bool(const z3::expr& b);
    Term Wrap(const z3::expr& t, Wide lo, Wide hi, unsigned width);
    /// x = 2^k q + r with 0 <= r < 2^k: {q, r}, shared per key. The key names x: the id of
    /// a bit-vector term and how many low bits were divided off it first (extract).
    using DivKey = std::tuple<unsigned, unsigned, unsigned>; // term id, pre-shift, k
    std::pair<Term, Term> DivMod(const Term& x, DivKey key);
    z3::expr Lit(Wide v);
    z3::expr Fresh(const char* prefix, Wide lo, Wide hi);

    z3::context& m_ctx;
    z3::expr_vector m_facts;
    std::map<unsigned, Term> m_bits;
    std::map<unsigned, z3::expr> m_bools;
    std::map<DivKey, std::pair<Term, Term>> m_divmods;
    std::vector<std::pair<z3::expr, z3::expr>> m_constants;
    std::map<std::string, std::pair<Wide, Wide>> m_bounds; ///< per constant name
    std::map<std::string, std::vector<unsigned>> m_cuts;   ///< extract boundaries per constant
    /// The chunks of a split constant: (lowest bit, unknown), in increasing bit order.
    std::map<std::string, std::vector<std::pair<unsigned, z3::expr>>> m_chunks;
    std::vector<unsigned> m_scanned;
    /// Every term whose id is a cache key: Z3 reuses the ids of freed terms, and the rewrites
    /// (SplitExtract) create terms only this object holds.
    z3::expr_vector m_keep;
    unsigned m_fresh = 0;
};

} // namespace proofs
} // namespace dysco

#endif
