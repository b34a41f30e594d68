// The full recomputation the incremental updates are compared with, in "summarised" form:
// the checksum of a header whose words other than the checksum field and the changed fields
// are summarised by their 64-bit sum R (z3-notes.md: with all ten words of a header free the
// question does not finish in minutes; with one bounded R it is small). Proved sound by
// proof_checksum_lemma: the C++ full recomputation (Ipv4HeaderChecksum, TcpChecksum, with
// their staged accumulation and folds) equals this form, and R of k words is <= k * 0xFFFF.
#ifndef DYSCO_PROOFS_CHECKSUM_HEADER_H
#define DYSCO_PROOFS_CHECKSUM_HEADER_H

#include <vector>
#include <z3++.h>

namespace dysco
{
namespace proofs
{

/// R + sum of `words` as uint64_t: what ChecksumAccumulate sums before folding.
z3::expr WordSum(const z3::expr& r64, const std::vector<z3::expr>& words16);

/// ChecksumFinish(Fold64(R + sum of `words`)): the checksum field value (host order) of a
/// header with unchanged-word sum R (bv64) and the given 16-bit words (bv16, host order).
z3::expr SummarisedChecksum(const z3::expr& r64, const std::vector<z3::expr>& words16);

/// The two 16-bit words of a host-order 32-bit value.
std::vector<z3::expr> Words(const z3::expr& v32);

/// Concatenation of word lists.
std::vector<z3::expr> Join(std::vector<z3::expr> a, const std::vector<z3::expr>& b);

/// The range of R for a header with `words` unchanged 16-bit words plus the constant
/// `constant` (TCP: protocol 6 and the segment length of the pseudo-header).
struct SumRange
{
    uint64_t min = 0;
    uint64_t max = 0;
};

constexpr SumRange
WordsSumRange(unsigned words, uint64_t constant = 0)
{
    return SumRange{constant, constant + uint64_t(words) * 0xFFFF};
}

/// R within `range` (unsigned 64-bit comparisons).
z3::expr InRange(const z3::expr& r64, SumRange range);

/// 20-byte IPv4 header: 10 words, one of them the checksum.
constexpr unsigned kIpWords = 9;
/// 20-byte TCP header without payload, with its pseudo-header: source and destination
/// addresses (4 words), protocol 6 and segment length 20 (constants), 9 header words.
constexpr uint64_t kTcpPseudoConstant = 6 + 20;
constexpr unsigned kTcpVariableWords = 4 + 9;

} // namespace proofs
} // namespace dysco

#endif
