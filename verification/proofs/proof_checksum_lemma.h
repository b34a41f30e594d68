// The lemma that makes the checksum proofs tractable (z3-notes.md): nothing is lost by
// summarising the unchanged words of a header by their sum R.
//
// For all values of every word of a 20-byte IPv4 header, and of every word of a 20-byte TCP
// header with all values of its pseudo-header addresses (segment length 20, no payload):
// - the C++ full recomputation (checksum.cc: Ipv4HeaderChecksum, TcpChecksum, with their
//   staged accumulation in uint64_t and Fold64 between stages) equals
//   ChecksumFinish(Fold64(sum of all the words)), the one-sum form the proofs use;
// - the sum of any k <= 13 of the words (the most any proof summarises) is at most
//   k * 0xFFFF, the bound the proofs put on R; a TCP R also holds the pseudo-header's
//   constants 6 and 20, so it is at least 26.
// So a claim proved for every R in the range holds for every header. (Bit-blasted, this
// takes about 70 s; through the integer translation, where the bounds show each Fold64
// between stages is the identity, milliseconds.)
#ifndef DYSCO_PROOFS_PROOF_CHECKSUM_LEMMA_H
#define DYSCO_PROOFS_PROOF_CHECKSUM_LEMMA_H

#include "proof.h"

namespace dysco
{
namespace proofs
{

ProofResult ProveChecksumSummaryLemma(const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
