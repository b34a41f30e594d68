// A fix for a null dereference in Debian's ns-3.37 TCP that valid traffic triggers.
//
// TcpTxBuffer::NextSeg, rule 2 (RFC 6675: send new data), accepts a receiver window equal to
// the bytes in flight (SND.UNA + RWND == HighData) and returns the empty range
// [HighData, HighData). When SACKed (or dupack-counted) bytes leave room in the pipe,
// TcpSocketBase::SendPendingData sends a segment of that size: CopyFromSequence(0) returns
// nullptr and TcpRateLinux::SkbSent dereferences it. A window-limited sender with unsent data
// gets there as soon as one ACK carries a SACK block, e.g. toward a session-terminating proxy
// whose receive windows close while its far side is congested.
//
// The fix interposes NextSeg (libns3-internet calls it through its PLT): it calls ns-3's own
// function and reports an empty range as "nothing to send", which is what rule 2 means when
// the window is full. Every other answer passes unchanged, so runs that did not crash before
// behave exactly as before.
#ifndef DYSCO_NS3_NEXTSEG_FIX_H
#define DYSCO_NS3_NEXTSEG_FIX_H

#include <cstdint>

namespace ns3
{

/// Empty NextSeg ranges turned into "nothing to send" so far (in this process).
uint64_t DyscoNextSegFixCount();

/// True if the interposed NextSeg is the one ns-3's TCP calls (checked once, by a call
/// through the dynamic linker as libns3-internet would make it).
bool DyscoNextSegFixActive();

} // namespace ns3

#endif
