// SACK block translation (model/core/options.cc: SubtractAckDelta, ShiftSackBlocks).
//
// An anchor moving an outgoing ACK into the other side's sequence space subtracts the delta
// from the ack number and from every SACK block edge. Encoded as the code does it: for each
// option length the parser accepts (10, 18, 26 or 34: one to four blocks; proved to be the
// only ones), the first (length - 2) / 4 edges (at most 8) become Load32(p) - uint32_t(delta)
// (Store32, read back by Load32: proved to round-trip), and the ack becomes
// ack - uint32_t(delta), unless delta == 0 (SubtractAckDelta's early return). One query per
// length and branch, so the loop bound and the branch are constants as in one run.
//
// Claim, for all option lengths, edge values, acks and deltas (all 2^32 values, wrap-around
// included), on every packet with the ACK flag (SACK is only read with it):
// - every block keeps its length: right' - left' = right - left, modulo 2^32;
// - every block keeps its orientation: left < right iff left' < right' (wrap-safe <);
// - any two edges keep their order: e_i < e_j iff e_i' < e_j' (so blocks stay sorted and
//   disjoint blocks stay disjoint);
// - every edge keeps its distance from the ack: e' - ack' = e - ack, so an edge inside the
//   receiver's window above the ack stays inside it (where, by seq_before_in_window, < is the
//   window's total order).
// Wrong variants (must be refuted): the delta applied to left edges only, or to the ack only.
#ifndef DYSCO_PROOFS_PROOF_SACK_SHIFT_H
#define DYSCO_PROOFS_PROOF_SACK_SHIFT_H

#include "proof.h"

namespace dysco
{
namespace proofs
{

enum class SackVariant
{
    kAsInCore,      ///< options.cc
    kLeftEdgesOnly, ///< wrong: only the left edge of each block shifted
    kAckOnly,       ///< wrong: ack shifted, SACK blocks left in the old space
};

ProofResult ProveSackShift(SackVariant variant, const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
