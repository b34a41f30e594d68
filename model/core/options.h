// TCP option translation across spliced or shifted sequence spaces (§4.2). An anchor that
// subtracts a delta from the ack of an outgoing packet must subtract it from the edges of
// its SACK blocks too: they name bytes of the same stream, and blocks in the wrong space
// make the receiver mark the wrong bytes as delivered.
#ifndef DYSCO_CORE_OPTIONS_H
#define DYSCO_CORE_OPTIONS_H

#include "packet.h"
#include "seq.h"

namespace dysco
{

/// Subtracts `delta` from every SACK block edge (checksum updated); false if no SACK option.
bool ShiftSackBlocks(PacketView& v, SeqDelta delta);

/// The outgoing half of §3.3: ack number and SACK edges minus `delta`, if the ACK flag is set.
void SubtractAckDelta(PacketView& v, SeqDelta delta);

/// The window scale announced in a SYN's options (`len` option bytes), 0 if none; at most 14.
uint8_t WindowShiftOf(const uint8_t* options, size_t len);

/// Window scaling across a splice (§4.2): the window field counts units of 2^fromShift (the
/// sender's scale) and leaves in units of 2^toShift (what the receiver was told), rounded
/// down and capped at 65535; a non-zero window stays non-zero. Checksum updated.
void RescaleWindow(PacketView& v, uint8_t fromShift, uint8_t toShift);

/// The timestamp option's TSval and TSecr; false if the packet has none.
bool ReadTimestamps(const PacketView& v, uint32_t* tsVal, uint32_t* tsEcr);

/// Timestamps across a splice (§4.2): a session-terminating middlebox that left the chain
/// stamped its own TSvals, and the far endpoint may still echo one of them. An anchor lowers
/// a TSecr that is beyond `newest`, the newest TSval its own endpoint sent (modulo 2^32), to
/// that value: echoes of the endpoint's own TSvals are never beyond it, so they pass
/// unchanged. Returns true if the packet changed (checksum updated).
bool ClampTsEcr(PacketView& v, uint32_t newest);

/// After a splice, on the replaced side: a packet leaving toward it carries our endpoint's
/// TSval, which raises `newest`; one arriving from it has its TSecr clamped to `newest`.
void NoteOrClampTimestamps(PacketView& v, uint32_t& newest, bool arriving);

} // namespace dysco

#endif
