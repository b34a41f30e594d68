// PacketView's single-field setters (model/core/packet.cc) against full recomputation of the
// TCP checksum: SetSeqNumber and SetAckNumber (a 32-bit field: Delta32, as SubtractAckDelta
// uses to move an ack into the other side's space), SetSrcPort, SetDstPort and SetWindow (a
// 16-bit field: Delta16), each followed by ApplyDelta on the raw checksum field.
//
// Claim, for all old and new field values (all 2^32 or 2^16 values) and both host byte
// orders: the updated TCP checksum of a 20-byte segment (pseudo-header included, the other
// words summarised by R = 26 + their sum, proof_checksum_lemma) equals full recomputation.
// There is no +0/-0 exception: R >= 26.
#ifndef DYSCO_PROOFS_PROOF_CHECKSUM_SET_FIELD_H
#define DYSCO_PROOFS_PROOF_CHECKSUM_SET_FIELD_H

#include "proof.h"
#include "proof_checksum_set_tuple.h"

namespace dysco
{
namespace proofs
{

/// `bits` is 32 (SetSeqNumber, SetAckNumber) or 16 (SetSrcPort, SetDstPort, SetWindow).
ProofResult ProveSetFieldChecksum(unsigned bits, HostOrder order, const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
