// PacketView::SetTuple (model/core/packet.cc): the data path's rewrite of addresses and ports
// with one folded checksum delta per checksum, against full recomputation.
//
// Encoded as the C++ does it, on raw memory: the old fields read with Raw32 (memcpy: on a
// little-endian host the byte-swapped view of the big-endian field), the new ones written with
// Wire32; ipDelta = Delta32(src) + Delta32(dst) and portDelta = Delta32(ports) as uint64_t;
// ApplyDelta(ip checksum, ipDelta) and ApplyDelta(tcp checksum, ipDelta + portDelta), each
// folding the delta 64 -> 32 -> 16 bits and adding it to ~field with an end-around carry.
// The checksum fields before the rewrite hold the full recomputation of the old header
// (Store16, big-endian); the result is read back as Load16, as a receiver would.
//
// Claims, for all old and new addresses and ports (all 2^32 values), both host byte orders:
// - IPv4 checksum: equals Ipv4HeaderChecksum of the new header (20 bytes; the 5 other words
//   summarised by R <= 5 * 0xFFFF, proof_checksum_lemma), except exactly when the new header
//   is all zero (R = 0, addresses 0), where it gives +0 for -0; no IPv4 header is (version 4);
// - TCP checksum: equals TcpChecksum of the new segment (20-byte header with pseudo-header:
//   R = 6 + 20 + the 7 other header words), with no exception: R >= 26 > 0;
// - keeps valid: if the old header passes the receiver's check (ChecksumsValid: the sum over
//   all words, field included, folds to -0) whatever the field held (either zero included),
//   the new header passes it too (IPv4: unless all zero; TCP: always).
// Wrong variant (must be refuted): ApplyDelta without its end-around carry.
//
// Decided through the exact integer translation of the bit-vector encoding (integer_claim.h),
// with the congruence "update = recomputation modulo 0xFFFF" certified first: bit-blasting
// does not finish these in minutes (byte order makes it harder still).
#ifndef DYSCO_PROOFS_PROOF_CHECKSUM_SET_TUPLE_H
#define DYSCO_PROOFS_PROOF_CHECKSUM_SET_TUPLE_H

#include "proof.h"

namespace dysco
{
namespace proofs
{

enum class ChecksumField
{
    kIpv4, ///< the IPv4 header checksum (covers the addresses)
    kTcp,  ///< the TCP checksum (pseudo-header addresses and the ports)
};

enum class HostOrder
{
    kLittleEndian, ///< x86-64, arm64 as configured by Linux: Raw16 = byte-swapped Load16
    kBigEndian,    ///< Raw16 = Load16
};

enum class SetTupleClaim
{
    kEqualsRecompute, ///< the result equals full recomputation (except the all-zero header)
    kKeepsValid,      ///< a header that verified still verifies, whatever its field held
    kNoCarryWrong,    ///< kEqualsRecompute with ApplyDelta lacking the end-around carry
};

ProofResult ProveSetTupleChecksum(ChecksumField field, SetTupleClaim claim, HostOrder order,
                                  const ProofOptions& options);

} // namespace proofs
} // namespace dysco

#endif
