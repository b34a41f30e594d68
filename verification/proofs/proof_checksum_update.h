// checksum.h's incremental updates, ChecksumUpdate16 and ChecksumUpdate32 (RFC 1624 eq. 3:
// HC' = ~(~HC + ~m + m')), against full recomputation.
//
// Setting: a 20-byte header (ten 16-bit words, host order): the checksum field holds the full
// recomputation ChecksumFinish(Fold64(sum)) of the other words; one word m (ChecksumUpdate16)
// or one 32-bit field m (ChecksumUpdate32, two words) changes to m'. The words that do not
// change are summarised by their sum R, 0 <= R <= 8 * 0xFFFF (7 * 0xFFFF for a 32-bit field):
// proof_checksum_lemma shows no header is lost by that.
//
// Claim, for all R in range and all m, m': the update equals recomputation over the new
// header, except exactly when every word of the new header other than the checksum is zero
// (R = 0 and m' = 0). Then recomputation gives 0xFFFF (-0: ChecksumFinish(0)) and the update
// gives 0x0000 (+0): eq. 3 yields 0xFFFF only if ~HC, ~m and m' are all zero, which no
// correct HC allows. No real header is all zero (an IPv4 header has version 4; a TCP
// pseudo-header has protocol 6), so for packets the update always equals recomputation.
//
// Documented fact (expected counterexample): "the update always equals recomputation" fails
// on the all-zero header. Wrong variant (must be refuted): RFC 1141's HC' = HC + m + ~m'.
//
// Decided through the exact integer translation of the bit-vector encoding (integer_claim.h):
// bit-blasting proves ChecksumUpdate16 in seconds but not ChecksumUpdate32 in minutes.
#ifndef DYSCO_PROOFS_PROOF_CHECKSUM_UPDATE_H
#define DYSCO_PROOFS_PROOF_CHECKSUM_UPDATE_H

#include "proof.h"

namespace dysco
{
namespace proofs
{

enum class UpdateClaim
{
    kExceptAllZero, ///< equal iff the new header is not all zero (the precise claim)
    kAlways,        ///< equal always: expected to fail on the all-zero header (+0/-0)
    kRfc1141,       ///< the precise claim for RFC 1141's formula: wrong, must be refuted
};

ProofResult ProveChecksumUpdate16(UpdateClaim claim, const ProofOptions& options);
ProofResult ProveChecksumUpdate32(const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
