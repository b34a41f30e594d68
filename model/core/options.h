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

} // namespace dysco

#endif
