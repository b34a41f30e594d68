// The core's checksum arithmetic (model/core/checksum.h/.cc, packet.cc) as Z3 bit-vector
// terms, operation for operation and at the C++'s widths (uint16_t, uint32_t, uint64_t), so a
// proof about these terms is a proof about the code. tests/proofs/encoding_test.cc evaluates
// each term on random inputs and compares it with the C++ function.
//
// Byte order: checksum.h works on host-order views of big-endian words (Load16); packet.cc's
// setters work on raw memory (Raw16/Raw32 via memcpy), which on the little-endian hosts the
// core runs on (x86-64) is the byte-swapped view. The proofs model the memory bytes, so the
// byte-order independence of the one's-complement sum (RFC 1071 §2(B)) is proved, not assumed.
#ifndef DYSCO_PROOFS_CHECKSUM_ENCODING_H
#define DYSCO_PROOFS_CHECKSUM_ENCODING_H

#include <vector>
#include <z3++.h>

namespace dysco
{
namespace proofs
{

/// Bit-vector literal of `width` bits.
z3::expr Bv(z3::context& ctx, uint64_t value, unsigned width);

/// Zero-extends (or keeps) `e` to `width` bits, like an unsigned C++ conversion.
z3::expr Widen(const z3::expr& e, unsigned width);

/// Byte swaps (what memcpy to/from a uint16_t/uint32_t does to a big-endian field on a
/// little-endian host: Raw16(p) == Swap16(Load16(p)), Wire32(v) == Swap32(v)).
z3::expr Swap16(const z3::expr& v16);
z3::expr Swap32(const z3::expr& v32);

/// checksum.cc's Fold64: two end-around folds of a 64-bit sum, truncated to 32 bits.
z3::expr Fold64(const z3::expr& s64);

/// ChecksumFinish(uint32_t sum): two 16-bit folds and the complement, as uint16_t.
z3::expr ChecksumFinish(const z3::expr& sum32);

/// ChecksumAccumulate over 16-bit words (host order) from a uint32_t `sum`: the 64-bit sum,
/// folded by Fold64.
z3::expr ChecksumAccumulateWords(const z3::expr& sum32, const std::vector<z3::expr>& words16);

/// Ipv4HeaderChecksum(ip, 20) for the header's ten words (word 5, the checksum, skipped).
z3::expr Ipv4HeaderChecksum20(const std::vector<z3::expr>& words16);

/// TcpChecksum(src, dst, segment, 20) for a 20-byte segment's ten words (word 8 skipped).
z3::expr TcpChecksum20(const z3::expr& src32, const z3::expr& dst32,
                       const std::vector<z3::expr>& words16);

/// checksum.h's ChecksumUpdate16(check, oldWord, newWord) (RFC 1624 eq. 3).
z3::expr ChecksumUpdate16(const z3::expr& check16, const z3::expr& old16, const z3::expr& new16);

/// checksum.h's ChecksumUpdate32(check, oldValue, newValue).
z3::expr ChecksumUpdate32(const z3::expr& check16, const z3::expr& old32, const z3::expr& new32);

/// RFC 1141's older update, HC' = HC + m + ~m' with end-around carry: the wrong variant
/// RFC 1624 replaced (it yields +0 where recomputation yields -0, and the reverse).
z3::expr Rfc1141Update16(const z3::expr& check16, const z3::expr& old16, const z3::expr& new16);

/// packet.cc's Delta32(oldRaw, newRaw) and Delta16: ~old + new as uint64_t.
z3::expr Delta32(const z3::expr& oldRaw32, const z3::expr& newRaw32);
z3::expr Delta16(const z3::expr& oldRaw16, const z3::expr& newRaw16);

/// packet.cc's ApplyDelta: the new raw checksum field for the raw field `fieldRaw16` and a
/// uint64_t delta. `endAroundCarry` false drops the final `+ (sum >> 16)`: a wrong variant.
z3::expr ApplyDelta(const z3::expr& fieldRaw16, const z3::expr& delta64,
                    bool endAroundCarry = true);

/// The 16-bit halves of a host-order 32-bit value as uint64_t terms, for sums.
z3::expr Hi16(const z3::expr& v32);
z3::expr Lo16(const z3::expr& v32);

} // namespace proofs
} // namespace dysco

#endif
