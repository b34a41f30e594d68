// Packet handling on two paths (§3.4): the anchor's variables and its allocation rules.
//
// All numbers are in the anchor's own sequence space: deltas are applied to incoming
// packets before these rules see them and to outgoing packets after. Comparisons are
// modulo 2^32 (Seq), so a reconfiguration near the wrap is handled.
//
//   bytes:  byteSeq <  oldSent                               -> old path
//           byteSeq >= oldSent                               -> new path
//   acks:   ack <= oldRcvd and ack > oldRcvdAcked            -> old path
//           ack >  oldRcvd and oldRcvd == oldRcvdAcked       -> new path
//           ack >  oldRcvd and oldRcvd >  oldRcvdAcked       -> new path, and ack oldRcvd on old
//   teardown when oldSentAcked == oldSent and oldRcvdAcked == oldRcvd == cutoff, where the
//   cutoff is firstNewRcvd (the paper's predicate) or the peer's oldSent once it told us.
#ifndef DYSCO_CORE_TWO_PATHS_H
#define DYSCO_CORE_TWO_PATHS_H

#include "seq.h"

#include <cstdint>

namespace dysco
{

enum class Path : uint8_t
{
    kOld,
    kNew,
};

struct AckPlan
{
    Path path = Path::kNew;
    bool alsoAckOld = false; ///< send a pure ACK of oldRcvd on the old path too
};

class TwoPaths
{
public:
    /// Starts the phase: nothing new goes on the old path after `oldSent`; `oldRcvd` and
    /// `oldRcvdAcked` are what was received and acknowledged on the old path so far.
    void Start(Seq oldSent, Seq oldSentAcked, Seq oldRcvd, Seq oldRcvdAcked);

    // --- outgoing (before deltas) ---
    Path PathForByte(Seq byteSeq) const { return byteSeq < m_oldSent ? Path::kOld : Path::kNew; }
    /// Bytes [seq, seq+len) split at oldSent: how many go on the old path (0..len).
    uint32_t OldPart(Seq seq, uint32_t len) const;
    AckPlan PlanAck(Seq ack) const;
    /// Records an ACK actually sent (on either path).
    void AckSent(Seq ack);

    // --- incoming (after deltas) ---
    /// Data [seq, seq+len) (len counts SYN/FIN) arrived on `path`.
    void DataReceived(Path path, Seq seq, uint32_t len);
    /// The peer acknowledged `ack` (cumulative) on either path.
    void AckReceived(Seq ack);
    /// The peer's oldSent, in our space (from its cutoff message).
    void PeerCutoff(Seq cutoff);

    bool TeardownReady() const;

    Seq OldSent() const { return m_oldSent; }
    Seq OldSentAcked() const { return m_oldSentAcked; }
    Seq OldRcvd() const { return m_oldRcvd; }
    Seq OldRcvdAcked() const { return m_oldRcvdAcked; }
    bool HasFirstNewRcvd() const { return m_hasFirstNew; }
    Seq FirstNewRcvd() const { return m_firstNewRcvd; }
    bool HasPeerCutoff() const { return m_hasCutoff; }
    Seq PeerCutoffValue() const { return m_cutoff; }

private:
    Seq m_oldSent;
    Seq m_oldSentAcked;
    Seq m_oldRcvd;
    Seq m_oldRcvdAcked;
    Seq m_firstNewRcvd;
    Seq m_cutoff;
    bool m_hasFirstNew = false;
    bool m_hasCutoff = false;
};

} // namespace dysco

#endif
