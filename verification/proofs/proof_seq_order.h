// The wrap-safe order a < b iff (int32)(a - b) < 0 (Seq::operator<) is not a total order on
// the whole 32-bit circle; it is one inside any window of 2^31 numbers.
//
// Documented facts, shown by counterexample (the proofs are expected to fail):
// - not transitive: there are a, b, c with a < b and b < c but not a < c (e.g. a = 0,
//   b = 0x7fffffff, c = 0xfffffffe: each step is below 2^31, the whole way round is not);
// - not antisymmetric: two numbers exactly 2^31 apart are each "before" the other.
// Proved: for all base, a, b, c in the window [base, base + 2^31): a < b iff
// (a - base) < (b - base) unsigned, hence < is transitive and antisymmetric there. This is
// why the core only compares numbers of one receiver window.
#ifndef DYSCO_PROOFS_PROOF_SEQ_ORDER_H
#define DYSCO_PROOFS_PROOF_SEQ_ORDER_H

#include "proof.h"

namespace dysco
{
namespace proofs
{

/// Claims transitivity on the whole circle: expected counterexample.
ProofResult ProveSeqBeforeTransitive(const ProofOptions& options);
/// Claims antisymmetry on the whole circle: expected counterexample.
ProofResult ProveSeqBeforeAntisymmetric(const ProofOptions& options);
/// Within a window of 2^31 numbers: proved.
ProofResult ProveSeqBeforeInWindow(const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
