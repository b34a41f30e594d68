// The anchors of a reconfiguration (§3.1, §3.3-3.5): the new path's handshake, the
// two-path phase with its allocation rules and packet splitting, the teardown predicate,
// the switch to the new path, and aborts.
#include "agent.h"
#include "bytes.h"
#include "mutant.h"
#include "options.h"
#include "packet.h"
#include "packet_edit.h"
#include "segment.h"
#include "syn_payload.h"

#include <algorithm>
#include <limits>

namespace dysco
{

namespace
{
constexpr uint8_t kFromLeft = 1; // oldPathDone flags, as in agent_control.cc
constexpr uint8_t kDone = 2;

uint64_t
ActiveKey(uint32_t index, int side)
{
    return uint64_t(index) * 2 + uint64_t(side);
}

uint64_t
RequestKey(const Requestor& r)
{
    return (uint64_t(r.leftAnchor) << 32) | r.requestId;
}

uint32_t
SegmentLength(const PacketView& v)
{
    const uint8_t f = v.Flags();
    return uint32_t(v.PayloadLength()) + ((f & tcpflag::kSyn) ? 1 : 0) +
           ((f & tcpflag::kFin) ? 1 : 0);
}
} // namespace

const char*
ToString(ReconfigPhase p)
{
    switch (p)
    {
    case ReconfigPhase::kLocking:
        return "locking";
    case ReconfigPhase::kNewPathSyn:
        return "new_path_syn";
    case ReconfigPhase::kTwoPaths:
        return "two_paths";
    case ReconfigPhase::kCancelling:
        return "cancelling";
    }
    return "unknown";
}

void
Agent::EmitReconfig(AgentEventKind kind, uint32_t index, const Requestor& req, uint32_t detail,
                    uint64_t nowNs)
{
    if (!m_sink)
    {
        return;
    }
    const Session& s = m_sessions.Get(index);
    AgentEvent ev;
    ev.kind = kind;
    ev.timeNs = nowNs;
    ev.session = s.leftSession;
    ev.subsession = s.rightSub;
    ev.detail = detail;
    ev.leftAnchor = req.leftAnchor;
    ev.requestId = req.requestId;
    m_sink(ev);
}

SeqDelta
Agent::NewDelta(uint32_t index, int side) const
{
    const Session& s = m_sessions.Get(index);
    const SeqDelta before = const_cast<SessionTable&>(m_sessions).Track(index).sideDelta[side];
    if (MutantActive(Mutant::kSkipNewPathDelta))
    {
        return before;
    }
    return before + s.reconfig[side]->delta;
}

void
Agent::ToPath(std::vector<uint8_t>& pkt, const FiveTuple& sub, SeqDelta delta)
{
    PacketView v(pkt.data(), pkt.size());
    if (v.Parse() != ParseError::kOk)
    {
        return;
    }
    AckDelta(v, delta);
    v.SetTuple(sub);
}

void
Agent::AckDelta(PacketView& v, SeqDelta delta)
{
    if (delta == 0 || !v.HasFlag(tcpflag::kAck))
    {
        return;
    }
    if (MutantActive(Mutant::kUntranslatedAck) || MutantActive(Mutant::kNoSackTranslation))
    {
        // The mutants forget half of SubtractAckDelta: the ack, or the SACK blocks.
        if (!MutantActive(Mutant::kUntranslatedAck))
        {
            v.SetAckNumber(v.AckNumber() - uint32_t(delta));
        }
        if (!MutantActive(Mutant::kNoSackTranslation))
        {
            ShiftSackBlocks(v, delta);
        }
        return;
    }
    SubtractAckDelta(v, delta);
    if (MutantActive(Mutant::kWrongChecksum))
    {
        uint8_t* check = v.Tcp() + 16;
        Store16(check, uint16_t(Load16(check) + 1)); // an off-by-one incremental update
    }
}

void
Agent::SendNewPathSyn(uint32_t index, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    Reconfig& rc = *s.reconfig[1];
    if (rc.synTries == 0)
    {
        FiveTuple sub;
        if (!NewRightSubsession(rc.newList.front(), &sub) ||
            !m_sessions.Insert(MapDirection::kIngress, sub.Reversed(), s.rightSession.Reversed(),
                               index, false))
        {
            AbortReconfig(index, 2, nowNs);
            return;
        }
        m_sessions.Lookup(MapDirection::kIngress, sub.Reversed())->flags |=
            MapEntry::kSlow | MapEntry::kNewPath;
        rc.newSub = sub;
        const SessionTrack tr = TrackOnSide(index, 1);
        rc.synSeq = (tr.valid & 1) ? tr.seqHigh[0] - 1 : 0;
    }
    std::vector<uint8_t> payload;
    EncodeSynPayload(
        SynPayload{s.rightSession, rc.newList, rc.id.leftAnchor, rc.id.requestId, s.nonce, s.keyId},
        payload);
    m_outputs.push_back(BuildTcpPacket(rc.newSub.srcIp, rc.newSub.dstIp, rc.newSub.srcPort,
                                       rc.newSub.dstPort, rc.synSeq, 0, tcpflag::kSyn, 65535,
                                       s.synOptions.data(), s.synOptions.size(), payload.data(),
                                       payload.size()));
    ++rc.synTries;
    rc.synDeadlineNs = nowNs + m_config.synRtoNs;
}

void
Agent::NoteWindowScales(MapEntry& e, Session& s, int side, uint8_t from, uint8_t to)
{
    s.wsFrom[side] = from;
    s.wsTo[side] = to;
    e.flags =
        uint8_t(from != to ? (e.flags | MapEntry::kRescale) : (e.flags & ~MapEntry::kRescale));
}

Verdict
Agent::AcceptNewPathSyn(std::vector<uint8_t>& packet, const FiveTuple& wire,
                        const NewPathMarker& marker, uint64_t nonce, uint64_t nowNs)
{
    auto it = m_byRequest.find(RequestKey(Requestor{marker.leftAnchor, marker.requestId}));
    if (it == m_byRequest.end())
    {
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, wire, 101, nowNs);
    }
    const uint32_t idx = it->second;
    Session& s = m_sessions.Get(idx);
    if (s.nonce != nonce)
    {
        // Only an agent of the chain knows the nonce: anyone else naming the request
        // (its ids are small counters) would otherwise splice itself into the session.
        ++m_counters.synBadNonce;
        return Drop(AgentEventKind::kSynRefused, &m_counters.synRefused, wire,
                    uint32_t(SynRefusal::kBadNonce), nowNs);
    }
    Reconfig* rc = s.reconfig[0].get();
    if (rc == nullptr || rc->phase == ReconfigPhase::kCancelling ||
        (rc->newSub.srcIp != 0 && rc->newSub != wire))
    {
        return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, wire, 102, nowNs);
    }
    if (rc->newSub.srcIp == 0)
    {
        if (!m_sessions.Insert(MapDirection::kIngress, wire, s.leftSession, idx, true))
        {
            return Drop(AgentEventKind::kBadSynPayload, &m_counters.badSynPayload, wire, 103,
                        nowNs);
        }
        m_sessions.Lookup(MapDirection::kIngress, wire)->flags |=
            MapEntry::kSlow | MapEntry::kNewPath;
        rc->newSub = wire;
        const SessionTrack tr = TrackOnSide(idx, 0);
        rc->synAckSeq = (tr.valid & 2) ? tr.seqHigh[1] - 1 : 0;
    }
    PacketView v(packet.data(), packet.size());
    rc->synSeq = v.SeqNumber();
    if (MapEntry* e = m_sessions.Lookup(MapDirection::kIngress, wire))
    {
        NoteWindowScales(*e, s, 0, WindowShiftOf(v.Tcp() + 20, v.TcpHeaderLength() - 20),
                         WindowShiftOf(s.synOptions.data(), s.synOptions.size()));
    }
    // Answer the handshake here: the endpoint behind us never sees the new path's SYN.
    m_outputs.push_back(BuildTcpPacket(wire.dstIp, wire.srcIp, wire.dstPort, wire.srcPort,
                                       rc->synAckSeq, rc->synSeq + 1, tcpflag::kSyn | tcpflag::kAck,
                                       65535, s.synAckOptions.data(), s.synAckOptions.size(),
                                       nullptr, 0));
    ++m_counters.newPathHandshake;
    return Verdict::kConsume;
}

namespace
{
/// The stream's end as far as this agent knows: its highest sequence number seen (plus
/// one) or, if higher, the highest ack of it seen coming back; 0 if neither.
Seq
StreamEnd(const SessionTrack& tr, int stream)
{
    const bool sent = (tr.valid & (1 << stream)) != 0;
    const bool acked = (tr.valid & (4 << (1 - stream))) != 0;
    const Seq high(sent ? tr.seqHigh[stream] : 0);
    if (acked && (!sent || Seq(tr.ackHigh[1 - stream]) > high))
    {
        return Seq(tr.ackHigh[1 - stream]);
    }
    return high;
}
} // namespace

void
Agent::EnterTwoPaths(uint32_t index, int side, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    Reconfig& rc = *s.reconfig[side];
    rc.phase = ReconfigPhase::kTwoPaths;
    // The old path's numbers as the replaced side sees them (this host's middlebox may
    // shift the session between its two sides).
    const SessionTrack tr = TrackOnSide(index, side);
    const int out = side == 1 ? 0 : 1;
    const int in = 1 - out;
    // Where each stream ended on the old path: its highest byte seen here, or further if
    // the far end acknowledged more. Bytes can reach the old path without passing this
    // anchor when an earlier reconfiguration inserted it: that one's old path carried the
    // stream up to its switch point and merged past us, while we learnt the stream's
    // position only from its new-path SYN (taken earlier) and from new-path data, of which
    // there is none if the stream ended (FIN) on the old path.
    const Seq oldSent = StreamEnd(tr, out);
    const Seq oldRcvd = StreamEnd(tr, in);
    // Acks carried by incoming packets cover what we sent, and vice versa.
    const Seq oldSentAcked((tr.valid & (4 << in)) ? Seq(tr.ackHigh[in]) : oldSent);
    const Seq oldRcvdAcked((tr.valid & (4 << out)) ? Seq(tr.ackHigh[out]) : oldRcvd);
    rc.paths.Start(oldSent, oldSentAcked, oldRcvd, oldRcvdAcked);
    // From now on this side receives over two paths, and after the teardown the new path
    // still delivers what it carried while the shorter one overtook it.
    m_sessions.Track(index).merged |= uint8_t(1 << side);

    // From now on the packets of the reconfigured side take the anchor's slow path.
    const FiveTuple egressKey = side == 1 ? s.rightSession : s.leftSession.Reversed();
    const FiveTuple oldIngress = side == 1 ? s.rightSub.Reversed() : s.leftSub;
    if (MapEntry* e = m_sessions.Lookup(MapDirection::kEgress, egressKey))
    {
        e->flags |= MapEntry::kSlow;
    }
    if (MapEntry* e = m_sessions.Lookup(MapDirection::kIngress, oldIngress))
    {
        e->flags |= MapEntry::kSlow;
    }
    EmitReconfig(AgentEventKind::kReconfigPhase, index, rc.id, uint32_t(rc.phase), nowNs);

    // Tell the other anchor where our old-path bytes end: its teardown predicate needs it
    // even when we have no new data to send.
    ControlMessage cut;
    cut.type = ControlType::kOldPathDone;
    cut.flags = side == 1 ? kFromLeft : 0;
    cut.leftAnchor = rc.id.leftAnchor;
    cut.requestId = rc.id.requestId;
    cut.rightAnchor = rc.rightAnchor;
    cut.delta = SeqDelta(oldSent.Value());
    if (side == 1)
    {
        SendRight(index, cut, nowNs);
    }
    else
    {
        SendLeft(index, cut, nowNs);
    }
    if (rc.peerCutoffPending)
    {
        rc.paths.PeerCutoff(Seq(rc.peerCutoffRaw) + NewDelta(index, side));
        rc.peerCutoffPending = false;
    }
    SendEndedNotice(index, side);
    CheckTeardown(index, side, nowNs);
}

void
Agent::SendEndedNotice(uint32_t index, int side)
{
    const Session& s = m_sessions.Get(index);
    const Reconfig& rc = *s.reconfig[side];
    // Every FIN this anchor saw before its two-path phase went over the old path.
    const uint8_t ended = uint8_t((s.finFromLeft ? 1 : 0) | (s.finFromRight ? 2 : 0));
    if (ended == 0)
    {
        return;
    }
    uint8_t option[12] = {tcpopt::kDyscoEnded, 12, ended, 0};
    Store32(option + 4, rc.id.leftAnchor);
    Store32(option + 8, rc.id.requestId);
    // A pure ACK at the handshake's numbers, so the agents on the way track nothing new.
    const FiveTuple out = side == 1 ? rc.newSub : rc.newSub.Reversed();
    const uint32_t seq = side == 1 ? rc.synSeq + 1 : rc.synAckSeq + 1;
    const uint32_t ack = side == 1 ? rc.synAckSeq + 1 : rc.synSeq + 1;
    m_outputs.push_back(BuildTcpPacket(out.srcIp, out.dstIp, out.srcPort, out.dstPort, seq, ack,
                                       tcpflag::kAck, 65535, option, sizeof(option), nullptr, 0));
}

bool
Agent::OnEndedNotice(const PacketView& v, uint32_t index, uint64_t nowNs)
{
    TcpOptionRef ref;
    if (v.PayloadLength() != 0 || v.Flags() != tcpflag::kAck || v.TcpHeaderLength() <= 20 ||
        !v.FindOption(tcpopt::kDyscoEnded, &ref))
    {
        return false;
    }
    const uint8_t* o = v.Tcp() + ref.offset;
    const NewPathMarker& marker = m_sessions.Get(index).marker;
    if (marker.leftAnchor != Load32(o + 4) || marker.requestId != Load32(o + 8))
    {
        return true; // an anchor of that reconfiguration: the notice ends here
    }
    const uint8_t ended = o[2];
    if (ended & 1)
    {
        TrackClose(index, tcpflag::kFin, true, nowNs);
    }
    if (ended & 2)
    {
        TrackClose(index, tcpflag::kFin, false, nowNs);
    }
    return false;
}

void
Agent::OnPeerOldPath(uint32_t index, int side, const ControlMessage& m, uint64_t nowNs)
{
    Reconfig& rc = *m_sessions.Get(index).reconfig[side];
    if (m.flags & kDone)
    {
        rc.peerDone = true;
    }
    else if (rc.phase == ReconfigPhase::kTwoPaths)
    {
        rc.paths.PeerCutoff(Seq(uint32_t(m.delta)) + NewDelta(index, side));
    }
    else
    {
        rc.peerCutoffPending = true;
        rc.peerCutoffRaw = uint32_t(m.delta);
        if (side == 0 && rc.phase == ReconfigPhase::kNewPathSyn && rc.newSub.srcIp != 0)
        {
            // The left anchor is in its two-path phase, so the new path works even if its
            // handshake ACK was lost.
            EnterTwoPaths(index, 0, nowNs);
            return;
        }
    }
    CheckTeardown(index, side, nowNs);
}

void
Agent::CheckTeardown(uint32_t index, int side, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    Reconfig* rc = s.reconfig[side].get();
    if (rc == nullptr || rc->phase != ReconfigPhase::kTwoPaths)
    {
        return;
    }
    if (!rc->doneSent && (rc->paths.TeardownReady() || MutantActive(Mutant::kEarlyTeardown)) &&
        !TeardownHeld(index))
    {
        rc->doneSent = true;
        if (m_sink)
        {
            AgentEvent ev;
            ev.kind = AgentEventKind::kTeardown;
            ev.timeNs = nowNs;
            ev.session = s.leftSession;
            ev.subsession = side == 1 ? s.rightSub : s.leftSub;
            ev.detail = side == 1 ? 1 : 0;
            ev.leftAnchor = rc->id.leftAnchor;
            ev.requestId = rc->id.requestId;
            const TwoPaths& tp = rc->paths;
            ev.vars[0] = tp.OldSent().Value();
            ev.vars[1] = tp.OldSentAcked().Value();
            ev.vars[2] = tp.OldRcvd().Value();
            ev.vars[3] = tp.OldRcvdAcked().Value();
            ev.vars[4] = tp.HasFirstNewRcvd() ? tp.FirstNewRcvd().Value() : 0;
            ev.hasFirstNew = tp.HasFirstNewRcvd();
            ev.cutoff = tp.HasPeerCutoff() ? tp.PeerCutoffValue().Value() : 0;
            ev.hasCutoff = tp.HasPeerCutoff();
            ev.delta = NewDelta(index, side);
            m_sink(ev);
        }
        ControlMessage done;
        done.type = ControlType::kOldPathDone;
        done.flags = uint8_t(kDone | (side == 1 ? kFromLeft : 0));
        done.leftAnchor = rc->id.leftAnchor;
        done.requestId = rc->id.requestId;
        done.rightAnchor = rc->rightAnchor;
        if (side == 1)
        {
            SendRight(index, done, nowNs);
        }
        else
        {
            SendLeft(index, done, nowNs);
        }
    }
    if (rc->doneSent && rc->peerDone)
    {
        FinishReconfig(index, side, nowNs);
    }
}

void
Agent::FinishReconfig(uint32_t index, int side, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    Reconfig& rc = *s.reconfig[side];
    const SeqDelta delta = NewDelta(index, side);
    m_sessions.Track(index).sideDelta[side] = delta;
    const uint8_t deltaFlag =
        uint8_t((delta != 0 ? MapEntry::kDelta : 0) | (rc.hasTsVal ? MapEntry::kTsClamp : 0));
    s.tsNewest[side] = rc.tsValNewest;
    const uint8_t clear = MapEntry::kSlow | MapEntry::kNewPath | MapEntry::kDelta;
    const FiveTuple egressKey = side == 1 ? s.rightSession : s.leftSession.Reversed();
    const FiveTuple newOut = side == 1 ? rc.newSub : rc.newSub.Reversed();
    const FiveTuple newIn = side == 1 ? rc.newSub.Reversed() : rc.newSub;
    const FiveTuple oldIn = side == 1 ? s.rightSub.Reversed() : s.leftSub;
    if (MapEntry* e = m_sessions.Lookup(MapDirection::kEgress, egressKey))
    {
        e->newSrcIp = newOut.srcIp;
        e->newDstIp = newOut.dstIp;
        e->newSrcPort = newOut.srcPort;
        e->newDstPort = newOut.dstPort;
        e->flags = uint8_t((e->flags & ~clear) | deltaFlag);
    }
    m_sessions.Erase(index, MapDirection::kIngress, oldIn);
    if (MapEntry* e = m_sessions.Lookup(MapDirection::kIngress, newIn))
    {
        e->flags = uint8_t((e->flags & ~clear) | deltaFlag);
    }
    if (side == 1)
    {
        ReleaseRightLock(index, nowNs); // the old subsession's hold ends with it
        s.rightSub = rc.newSub;         // and the fresh one starts unlocked
        ++m_counters.reconfigSucceeded;
    }
    else
    {
        s.leftSub = rc.newSub;
    }
    EmitReconfig(AgentEventKind::kReconfigSucceeded, index, rc.id,
                 uint32_t((nowNs - rc.startNs) / 1000), nowNs);
    EndReconfig(index, side);
    ReleaseHeld(index, nowNs);
}

void
Agent::AbortReconfig(uint32_t index, uint32_t reason, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    Reconfig* rc = s.reconfig[1].get();
    if (rc == nullptr)
    {
        return;
    }
    // Copies of our requestLock still being resent would lock the segment again after the
    // cancel passed, for a request nobody unlocks any more.
    m_control.Forget(ControlType::kRequestLock, rc->id.leftAnchor, rc->id.requestId);
    if (rc->newSub.srcIp != 0)
    {
        m_sessions.Erase(index, MapDirection::kIngress, rc->newSub.Reversed());
        rc->newSub = FiveTuple{};
    }
    // §3.5: the new path cannot be set up: the session stays on the old path and
    // cancelLock / ackCancel unlock the segment.
    if (!MutantActive(Mutant::kAbortWithoutCancel) &&
        (rc->phase == ReconfigPhase::kNewPathSyn ||
         (MutantActive(Mutant::kNoLockTimeout) && rc->phase == ReconfigPhase::kLocking)))
    {
        rc->phase = ReconfigPhase::kCancelling;
        rc->abortReason = reason;
        ReleaseRightLock(index, nowNs);
        EmitReconfig(AgentEventKind::kReconfigPhase, index, rc->id, uint32_t(rc->phase), nowNs);
        SendCancelLock(index, rc->id, rc->rightAnchor, nowNs);
        return;
    }
    if (rc->phase == ReconfigPhase::kLocking && (reason == 4 || reason == kAbortLockTimeout))
    {
        // No ackLock yet (the session closed, or none came back): cancelLock frees the locks
        // agents on the way granted. It does not wait for an ackCancel, which may have to
        // come back the way no answer came; an ackLock still on its way is answered with
        // another cancelLock when it arrives (OnAckLock).
        ReleaseRightLock(index, nowNs);
        SendCancelLock(index, rc->id, rc->rightAnchor, nowNs);
    }
    ++m_counters.reconfigAborted;
    EmitReconfig(AgentEventKind::kReconfigAborted, index, rc->id, reason, nowNs);
    EndReconfig(index, 1);
    ReleaseHeld(index, nowNs);
}

void
Agent::ReleaseRightLock(uint32_t index, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    if (s.rightLock.state != LockState::kUnlocked)
    {
        const Requestor holder = s.rightLock.requestor;
        s.rightLock = Lock{};
        EmitReconfig(AgentEventKind::kLockChanged, index, holder, uint32_t(LockState::kUnlocked),
                     nowNs);
    }
}

void
Agent::EndReconfig(uint32_t index, int side)
{
    Session& s = m_sessions.Get(index);
    if (!s.reconfig[side])
    {
        return;
    }
    if (side == 0)
    {
        m_byRequest.erase(RequestKey(s.reconfig[0]->id));
    }
    s.reconfig[side].reset();
    const uint64_t key = ActiveKey(index, side);
    m_active.erase(std::remove(m_active.begin(), m_active.end(), key), m_active.end());
}

Verdict
Agent::AnchorOut(std::vector<uint8_t>& pkt, MapEntry& e, uint64_t nowNs)
{
    const uint32_t idx = e.session;
    const bool towardRight = (e.flags & MapEntry::kTowardRight) != 0;
    const int side = towardRight ? 1 : 0;
    Session& s = m_sessions.Get(idx);
    Reconfig* rc = s.reconfig[side].get();
    Verdict held;
    if (!m_holds.empty() && HoldOut(pkt, e, nowNs, &held))
    {
        return held;
    }
    if (rc == nullptr || rc->phase != ReconfigPhase::kTwoPaths)
    {
        e.flags &= uint8_t(~MapEntry::kSlow);
        return Translate(pkt, e, MapDirection::kEgress, nowNs);
    }
    PacketView v(pkt.data(), pkt.size());
    const uint8_t flags = v.Flags();
    const uint32_t payloadLen = uint32_t(v.PayloadLength());
    if (payloadLen > 0 && !v.HasFullPayload())
    {
        return Verdict::kNeedPayload; // it may have to be cut in two
    }
    const uint32_t seq = v.SeqNumber();
    const uint32_t ack = v.AckNumber();
    const bool hasAck = (flags & tcpflag::kAck) != 0;
    SessionTrack& tr = m_sessions.Track(idx);
    NoteTrack(idx, side, side == 1 ? 0 : 1, seq, SegmentLength(v), hasAck, ack);
    uint32_t tsVal = 0;
    uint32_t tsEcr = 0;
    if (ReadTimestamps(v, &tsVal, &tsEcr) &&
        (!rc->hasTsVal || int32_t(tsVal - rc->tsValNewest) > 0))
    {
        rc->tsValNewest = tsVal; // what the endpoint on this side stamped last
        rc->hasTsVal = true;
    }

    TwoPaths& tp = rc->paths;
    const SeqDelta oldDelta = tr.sideDelta[side];
    const SeqDelta newDelta = NewDelta(idx, side);
    const FiveTuple oldSub = side == 1 ? s.rightSub : s.leftSub.Reversed();
    const FiveTuple newSub = side == 1 ? rc->newSub : rc->newSub.Reversed();
    auto sendOldAck = [&](uint32_t value)
    {
        std::vector<uint8_t> extra = PureAck(pkt, value);
        ToPath(extra, oldSub, oldDelta);
        m_outputs.push_back(std::move(extra));
        tp.AckSent(Seq(value));
    };
    auto noteNewAck = [&](uint32_t value)
    {
        tp.AckSent(Seq(value));
        if (!rc->hasNewAck || rc->lastNewAck < Seq(value))
        {
            rc->lastNewAck = Seq(value);
            rc->hasNewAck = true;
        }
    };

    if (flags & tcpflag::kRst)
    {
        // A reset ends the session on both paths, so every middlebox hears of it.
        std::vector<uint8_t> copy = pkt;
        ToPath(copy, oldSub, oldDelta);
        m_outputs.push_back(std::move(copy));
        ToPath(pkt, newSub, newDelta);
        TrackClose(idx, flags, towardRight, nowNs);
        return Verdict::kForward;
    }

    const uint32_t len = payloadLen + ((flags & tcpflag::kFin) ? 1 : 0);
    uint32_t oldPart = tp.OldPart(Seq(seq), len);
    if (MutantActive(Mutant::kNewDataOnOldPath) && payloadLen > 0 && Seq(seq) == tp.OldSent())
    {
        oldPart = len;
    }
    const AckPlan plan = hasAck ? tp.PlanAck(Seq(ack)) : AckPlan{};
    const Seq oldRcvd = tp.OldRcvd();

    if (len == 0)
    {
        if (hasAck && plan.path == Path::kOld)
        {
            tp.AckSent(Seq(ack));
            ToPath(pkt, oldSub, oldDelta);
        }
        else
        {
            if (plan.alsoAckOld)
            {
                sendOldAck(oldRcvd.Value());
            }
            if (hasAck)
            {
                noteNewAck(ack);
            }
            ToPath(pkt, newSub, newDelta);
        }
    }
    else if (oldPart == len)
    {
        // Retransmitted old bytes stay on the old path; an ack beyond what the old path
        // delivered goes to the new path on its own.
        if (hasAck && oldRcvd < Seq(ack))
        {
            if (!rc->hasNewAck || rc->lastNewAck < Seq(ack))
            {
                std::vector<uint8_t> extra = PureAck(pkt, ack);
                ToPath(extra, newSub, newDelta);
                m_outputs.push_back(std::move(extra));
                noteNewAck(ack);
            }
            v.SetAckNumber(oldRcvd.Value());
        }
        if (hasAck)
        {
            tp.AckSent(SeqMin(Seq(ack), oldRcvd));
        }
        ToPath(pkt, oldSub, oldDelta);
    }
    else if (oldPart == 0)
    {
        if (hasAck && plan.path == Path::kOld && tp.OldRcvdAcked() < Seq(ack))
        {
            sendOldAck(ack);
        }
        else if (plan.alsoAckOld)
        {
            sendOldAck(oldRcvd.Value());
        }
        if (hasAck)
        {
            noteNewAck(ack);
        }
        ToPath(pkt, newSub, newDelta);
    }
    else
    {
        // Bytes on both sides of oldSent: cut at oldSent (FIN, the last byte, goes new).
        std::vector<uint8_t> oldSeg = CutSegment(pkt, 0, oldPart, false);
        std::vector<uint8_t> newSeg =
            CutSegment(pkt, oldPart, payloadLen - oldPart, (flags & tcpflag::kFin) != 0);
        if (oldSeg.empty() || newSeg.empty())
        {
            return Drop(AgentEventKind::kMalformedDrop, &m_counters.malformed, s.leftSession, 0,
                        nowNs);
        }
        if (hasAck)
        {
            PacketView ov(oldSeg.data(), oldSeg.size());
            ov.Parse();
            ov.SetAckNumber(SeqMin(Seq(ack), oldRcvd).Value());
            tp.AckSent(SeqMin(Seq(ack), oldRcvd));
            noteNewAck(ack);
        }
        ToPath(oldSeg, oldSub, oldDelta);
        m_outputs.push_back(std::move(oldSeg));
        ToPath(newSeg, newSub, newDelta);
        pkt.swap(newSeg);
        ++m_counters.splits;
        EmitReconfig(AgentEventKind::kSplit, idx, rc->id, oldPart, nowNs);
    }
    ++m_counters.rewritten;
    TrackClose(idx, flags, towardRight, nowNs);
    CheckTeardown(idx, side, nowNs);
    return Verdict::kForward;
}

Verdict
Agent::AnchorIn(std::vector<uint8_t>& pkt, MapEntry& e, uint64_t nowNs)
{
    const uint32_t idx = e.session;
    const bool towardRight = (e.flags & MapEntry::kTowardRight) != 0;
    const bool isNew = (e.flags & MapEntry::kNewPath) != 0;
    const int side = towardRight ? 0 : 1;
    Session& s = m_sessions.Get(idx);
    Reconfig* rc = s.reconfig[side].get();
    if (rc == nullptr)
    {
        e.flags &= uint8_t(~(MapEntry::kSlow | MapEntry::kNewPath));
        return Translate(pkt, e, MapDirection::kIngress, nowNs);
    }
    PacketView v(pkt.data(), pkt.size());
    if (isNew && OnEndedNotice(v, idx, nowNs))
    {
        return Verdict::kConsume; // the other anchor's notice, for the agents in between
    }
    const uint8_t flags = v.Flags();
    const uint32_t seq = v.SeqNumber();
    const uint32_t ack = v.AckNumber();
    const bool pureAck =
        v.PayloadLength() == 0 && !(flags & (tcpflag::kSyn | tcpflag::kFin | tcpflag::kRst));
    if (isNew)
    {
        if (side == 1 && (flags & tcpflag::kSyn) && (flags & tcpflag::kAck))
        {
            // The new path's SYN-ACK: complete the handshake and start using both paths.
            rc->synAckSeq = seq;
            // Its options are the far endpoint's: windows it sends on the new path count in
            // its scale; our endpoint was told another one if a proxy ended its session.
            NoteWindowScales(e, s, 1, WindowShiftOf(v.Tcp() + 20, v.TcpHeaderLength() - 20),
                             WindowShiftOf(s.synAckOptions.data(), s.synAckOptions.size()));
            m_outputs.push_back(BuildTcpPacket(
                rc->newSub.srcIp, rc->newSub.dstIp, rc->newSub.srcPort, rc->newSub.dstPort,
                rc->synSeq + 1, seq + 1, tcpflag::kAck, 65535, nullptr, 0, nullptr, 0));
            ++m_counters.newPathHandshake;
            if (rc->phase == ReconfigPhase::kNewPathSyn)
            {
                EnterTwoPaths(idx, 1, nowNs);
            }
            return Verdict::kConsume;
        }
        if (flags & tcpflag::kSyn)
        {
            return Verdict::kConsume;
        }
        if (side == 0 && rc->phase == ReconfigPhase::kNewPathSyn)
        {
            EnterTwoPaths(idx, 0, nowNs);
            if (pureAck && seq == rc->synSeq + 1)
            {
                ++m_counters.newPathHandshake;
                return Verdict::kConsume; // the handshake's ACK
            }
        }
        else if (side == 1 && rc->phase == ReconfigPhase::kNewPathSyn)
        {
            EnterTwoPaths(idx, 1, nowNs); // data before the (lost) SYN-ACK: the path works
        }
    }
    if (rc->phase != ReconfigPhase::kTwoPaths)
    {
        e.flags &= uint8_t(~MapEntry::kSlow);
        return Translate(pkt, e, MapDirection::kIngress, nowNs);
    }
    if (!isNew && (flags & tcpflag::kRst) && rc->doneSent)
    {
        // The other anchor sends a reset on both paths (AnchorOut), so the new path's copy
        // ends the session. One on the old path after our oldPathDone comes from a middlebox
        // host that saw both dones, freed the old path and answered a late segment with a
        // reset of its own stack: it must not end the session.
        ++m_counters.dropped;
        ++m_counters.staleResets;
        return Verdict::kDrop;
    }
    if (e.flags & MapEntry::kRescale)
    {
        RescaleWindow(v, s.wsFrom[side], s.wsTo[side]);
    }
    SessionTrack& tr = m_sessions.Track(idx);
    const SeqDelta delta = isNew ? NewDelta(idx, side) : tr.sideDelta[side];
    const uint32_t seqL = seq + uint32_t(delta);
    if (delta != 0)
    {
        v.SetSeqNumber(seqL);
    }
    v.SetTuple(e.Rewrite());
    ++m_counters.rewritten;
    const uint32_t len = SegmentLength(v);
    const int stream = towardRight ? 0 : 1;
    // The paths reorder: old-path data can arrive after new-path data with a higher ack.
    const uint32_t ackL =
        (flags & tcpflag::kAck) && len > 0 ? RaiseStaleAck(idx, side, stream, v) : ack;
    NoteTrack(idx, side, stream, seqL, len, (flags & tcpflag::kAck) != 0, ackL);
    rc->paths.DataReceived(isNew ? Path::kNew : Path::kOld, Seq(seqL), len);
    if (flags & tcpflag::kAck)
    {
        rc->paths.AckReceived(Seq(ackL));
    }
    if (rc->hasTsVal)
    {
        ClampTsEcr(v, rc->tsValNewest); // not an echo of a removed proxy's clock (§4.2)
    }
    TrackClose(idx, flags, towardRight, nowNs);
    CheckTeardown(idx, side, nowNs);
    return Verdict::kForward;
}

uint64_t
Agent::NextDeadline() const
{
    uint64_t next = m_control.NextDeadline();
    for (uint64_t key : m_active)
    {
        const Session& s = m_sessions.Get(uint32_t(key / 2));
        const Reconfig* rc = s.reconfig[key % 2].get();
        if (rc != nullptr && rc->isLeftAnchor && rc->phase == ReconfigPhase::kNewPathSyn)
        {
            next = std::min(next, rc->synDeadlineNs);
        }
        if (rc != nullptr && rc->isLeftAnchor && rc->phase == ReconfigPhase::kLocking &&
            !MutantActive(Mutant::kNoLockTimeout))
        {
            next = std::min(next, rc->lockDeadlineNs);
        }
    }
    return next;
}

void
Agent::OnTimer(uint64_t nowNs)
{
    std::vector<ControlMessage> failed;
    m_control.OnTimer(nowNs, m_outputs, failed);
    for (const auto& m : failed)
    {
        OnControlFailed(m, nowNs);
    }
    const std::vector<uint64_t> active = m_active;
    for (uint64_t key : active)
    {
        const uint32_t idx = uint32_t(key / 2);
        Reconfig* rc = m_sessions.Get(idx).reconfig[key % 2].get();
        if (rc != nullptr && rc->isLeftAnchor && rc->phase == ReconfigPhase::kLocking &&
            rc->lockDeadlineNs <= nowNs && !MutantActive(Mutant::kNoLockTimeout))
        {
            OnLockTimer(idx, nowNs);
            continue;
        }
        if (rc == nullptr || !rc->isLeftAnchor || rc->phase != ReconfigPhase::kNewPathSyn ||
            rc->synDeadlineNs > nowNs)
        {
            continue;
        }
        if (rc->synTries > m_config.synRetries)
        {
            AbortReconfig(idx, 2, nowNs);
        }
        else
        {
            SendNewPathSyn(idx, nowNs);
        }
    }
}

} // namespace dysco
