// Property 2 — endpoints see only their own session's sequence space (summary key
// "seq_ack_correct").
//
// In words: every TCP segment an endpoint receives (G record) carries sequence, ack, SACK and
// timestamp values that belong to that endpoint's own session, whatever subsessions, deltas
// and path switches lie between the endpoints. With E the receiving endpoint and P its peer:
//   - SYN: a SYN (or SYN-ACK) repeats the peer's initial sequence number (ISN) E saw first;
//   - seq: once E has seen P's SYN, every segment lies in P's stream as far as P has made it
//     available: 0 <= seq - (ISN_P + 1) and seq - (ISN_P + 1) + len (+1 with FIN) <= the
//     bytes P's application wrote, plus the declared edits' net change, plus one once P's
//     TCP sent its FIN (T record); a non-SYN, non-RST segment before P's SYN is out of any
//     known space;
//   - ack: an ACK acknowledges only what E has sent: 0 <= ack - (ISN_E + 1) <= sndMax, where
//     sndMax is the highest offset E's own segments (T records) reached (SYN and FIN count
//     one each); an ACK before E sent its SYN is out of space;
//   - SACK: every block [l, r) lies within what E has sent: 0 <= l - (ISN_E + 1) <
//     r - (ISN_E + 1) <= sndMax;
//   - timestamps: with ACK set, a TSecr other than 0 echoes a TSval E has sent:
//     0 <= TSecr - first TSval of E <= max TSval of E - first TSval of E (all modulo 2^32);
//     TSecr 0 echoes nothing (a TCP that has taken no TSval yet sends it: ns-3 does until its
//     first in-order segment when the peer's ISN is not 0).
// All differences are taken modulo 2^32 and read as signed 32-bit numbers (wrap-around safe).
// The peer's TSvals are not checked (a spliced proxy legitimately shifts them).
//
// Offending event: the G record with an out-of-space value.
#ifndef DYSCO_VERIFY_PROPERTY_SEQ_SPACE_H
#define DYSCO_VERIFY_PROPERTY_SEQ_SPACE_H

#include "property.h"

namespace dysco
{
namespace verify
{

ScanResult ScanSeqSpace(const Trace& trace, const SessionView& s);
Z3Result Z3SeqSpace(z3::context& ctx, const Trace& trace, const SessionView& s, unsigned timeoutMs);

} // namespace verify
} // namespace dysco

#endif
