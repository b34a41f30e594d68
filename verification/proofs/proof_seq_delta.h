// Sequence-number deltas (paper §3.3, applied with wrap-around as model/core/seq.h does).
//
// For all 32-bit sequence numbers x, a, b and deltas d, d1, d2 (int32_t, used as their bits):
// - round trip: (x + d) - d = x and (x - d) + d = x, modulo 2^32: an anchor that adds a delta to
//   incoming seq numbers and the other that subtracts it from outgoing acks undo each other,
//   wherever the numbers wrap;
// - composition: (x + d1) + d2 = x + (d1 + d2), with the deltas summed modulo 2^32, so the
//   deltas accumulated along a path in requestLock/ackLock may be applied as one sum;
// - order: (a + d) - (b + d) = a - b, hence a < b iff a + d < b + d and a <= b iff
//   a + d <= b + d, for the wrap-safe order a < b iff (int32)(a - b) < 0.
// Wrong variant (must be refuted): the same order claim for plain unsigned comparison.
#ifndef DYSCO_PROOFS_PROOF_SEQ_DELTA_H
#define DYSCO_PROOFS_PROOF_SEQ_DELTA_H

#include "proof.h"

namespace dysco
{
namespace proofs
{

ProofResult ProveSeqDeltaRoundTrip(const ProofOptions& options);
ProofResult ProveSeqDeltaComposes(const ProofOptions& options);

enum class SeqOrder
{
    kWrapSafe, ///< Seq::operator< (the core's)
    kUnsigned, ///< plain uint32_t < (wrong across the wrap)
};

ProofResult ProveSeqOrderShiftInvariant(SeqOrder order, const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
