// Control messages and locks (§3.1, §3.2, §3.5): decoding, hop-by-hop relaying along the
// old path, the lock rules, cancellation, and the trigger a middlebox uses to leave.
#include "agent.h"
#include "mutant.h"
#include "syn_payload.h"

namespace dysco
{

namespace
{
constexpr uint8_t kFromLeft = 1; ///< oldPathDone flags: travelling left -> right
constexpr uint8_t kDone = 2;     ///< oldPathDone flags: teardown predicate held (else cutoff)

bool
TravelsRight(const ControlMessage& m)
{
    switch (m.type)
    {
    case ControlType::kRequestLock:
    case ControlType::kCancelLock:
        return true;
    case ControlType::kOldPathDone:
        return (m.flags & kFromLeft) != 0;
    default:
        return false;
    }
}

Requestor
RequestorOf(const ControlMessage& m)
{
    return Requestor{m.leftAnchor, m.requestId};
}

/// The session's left-anchor reconfiguration is request r.
bool
RunsRequest(const Session& s, const Requestor& r)
{
    return s.reconfig[1] && s.reconfig[1]->id == r;
}
} // namespace

Verdict
Agent::HandleControl(const uint8_t* payload, size_t len, uint32_t from, uint64_t nowNs)
{
    ControlMessage m;
    ControlError err = DecodeControl(payload, len, &m);
    if (err != ControlError::kOk)
    {
        ++m_counters.controlDropped;
        ++m_counters.dropped;
        Emit(AgentEventKind::kControlDropped, FiveTuple{}, FiveTuple{}, 100 + uint32_t(err), nowNs);
        return Verdict::kDrop;
    }
    // A MAC is checked whatever the message (acks and messages for unknown sessions too):
    // the key id names the chain's key, and no state is touched before it holds.
    if (!VerifyControlMac(payload, len, m, m_config.keys))
    {
        return Reject(uint32_t(ControlReject::kBadMac), m, nowNs);
    }
    if (m.type == ControlType::kAck)
    {
        if (m_control.Receive(m_config.address, from, m, nowNs, m_outputs) ==
            ControlChannel::Arrival::kForgedAck)
        {
            return Reject(uint32_t(ControlReject::kForgedAck), m, nowNs);
        }
        return Verdict::kConsume;
    }
    // Find the session: a message travelling right names our left subsession, one
    // travelling left our right subsession (both in left -> right orientation).
    const bool right = TravelsRight(m);
    const FiveTuple key = right ? m.subsession : m.subsession.Reversed();
    MapEntry* e = m_sessions.Lookup(MapDirection::kIngress, key);
    if (e == nullptr || ((e->flags & MapEntry::kTowardRight) != 0) != right)
    {
        // No session to check the message against. Unprotected, it is acked and its serial
        // noted as always; protected, it is acked (echoing its nonce: only the real sender's
        // pending message matches it) but may not move the sender's serial window.
        if (m_config.protection == ControlProtection::kOff)
        {
            if (m_control.Receive(m_config.address, from, m, nowNs, m_outputs) !=
                ControlChannel::Arrival::kNew)
            {
                return Verdict::kConsume;
            }
        }
        else
        {
            m_control.AckOnly(m_config.address, from, m, m_outputs);
        }
        ++m_counters.controlDropped;
        Emit(AgentEventKind::kControlDropped, FiveTuple{}, m.subsession, 1, nowNs);
        return Verdict::kConsume;
    }
    const uint32_t idx = e->session;
    if (const uint32_t reason = Authenticate(m, &m_sessions.Get(idx)))
    {
        return Reject(reason, m, nowNs);
    }
    switch (m_control.Receive(m_config.address, from, m, nowNs, m_outputs))
    {
    case ControlChannel::Arrival::kNew:
        break;
    case ControlChannel::Arrival::kReplay:
        return Reject(uint32_t(ControlReject::kReplay), m, nowNs);
    default:
        return Verdict::kConsume; // a duplicate (acked again)
    }
    ++m_counters.controlReceived;
    AgentEvent ev;
    ev.kind = AgentEventKind::kControlReceived;
    ev.timeNs = nowNs;
    ev.session = m_sessions.Get(idx).leftSession;
    ev.subsession = m.subsession;
    ev.detail = uint32_t(m.type);
    ev.leftAnchor = m.leftAnchor;
    ev.requestId = m.requestId;
    if (m_sink)
    {
        m_sink(ev);
    }
    switch (m.type)
    {
    case ControlType::kRequestLock:
        OnRequestLock(idx, std::move(m), nowNs);
        break;
    case ControlType::kAckLock:
        OnAckLock(idx, std::move(m), nowNs);
        break;
    case ControlType::kNackLock:
        OnNackLock(idx, std::move(m), nowNs);
        break;
    case ControlType::kCancelLock:
        OnCancelLock(idx, std::move(m), nowNs);
        break;
    case ControlType::kAckCancel:
        OnAckCancel(idx, std::move(m), nowNs);
        break;
    case ControlType::kOldPathDone:
        OnOldPath(idx, m, right, nowNs);
        break;
    case ControlType::kTrigger:
        OnTrigger(idx, m, nowNs);
        break;
    case ControlType::kAck:
        break;
    }
    return Verdict::kConsume;
}

uint32_t
Agent::Authenticate(const ControlMessage& m, const Session* s) const
{
    const bool hasNonce = (m.protection & kProtectNonce) != 0;
    if (s->nonce != 0 || m_config.protection != ControlProtection::kOff)
    {
        if (!hasNonce)
        {
            return uint32_t(ControlReject::kNoNonce);
        }
        if (m.nonce != s->nonce)
        {
            return uint32_t(ControlReject::kBadNonce);
        }
    }
    if (m_config.protection == ControlProtection::kHmac && s->keyId != 0 &&
        (!(m.protection & kProtectMac) || m.keyId != s->keyId))
    {
        return uint32_t(ControlReject::kNoMac); // the MAC itself was verified on arrival
    }
    return 0;
}

Verdict
Agent::Reject(uint32_t reason, const ControlMessage& m, uint64_t nowNs)
{
    uint64_t* counters[] = {nullptr,
                            &m_counters.controlNoNonce,
                            &m_counters.controlBadNonce,
                            &m_counters.controlNoMac,
                            &m_counters.controlBadMac,
                            &m_counters.controlReplayed,
                            &m_counters.controlForgedAck,
                            &m_counters.controlBadState};
    if (reason < sizeof(counters) / sizeof(counters[0]) && counters[reason] != nullptr)
    {
        ++*counters[reason];
    }
    ++m_counters.controlRejected;
    ++m_counters.dropped;
    AgentEvent ev;
    ev.kind = AgentEventKind::kControlRejected;
    ev.timeNs = nowNs;
    ev.subsession = m.subsession;
    ev.detail = reason;
    ev.leftAnchor = m.leftAnchor;
    ev.requestId = m.requestId;
    if (m_sink)
    {
        m_sink(ev);
    }
    return Verdict::kDrop;
}

void
Agent::Protect(ControlMessage& m, const Session& s) const
{
    m.protection = 0;
    if (s.nonce != 0)
    {
        m.protection |= kProtectNonce;
        m.nonce = s.nonce;
    }
    if (m_config.protection == ControlProtection::kHmac && s.keyId != 0)
    {
        m.protection |= kProtectMac;
        m.keyId = s.keyId;
    }
}

void
Agent::SendControl(uint32_t peer, const FiveTuple& session, ControlMessage m, uint64_t nowNs)
{
    ++m_counters.controlSent;
    AgentEvent ev;
    ev.kind = AgentEventKind::kControlSent;
    ev.timeNs = nowNs;
    ev.session = session;
    ev.subsession = m.subsession;
    ev.detail = uint32_t(m.type);
    ev.leftAnchor = m.leftAnchor;
    ev.requestId = m.requestId;
    if (m_sink)
    {
        m_sink(ev);
    }
    m_control.Send(m_config.address, peer, std::move(m), nowNs, m_outputs);
}

void
Agent::SendRight(uint32_t index, ControlMessage m, uint64_t nowNs)
{
    const Session& s = m_sessions.Get(index);
    if (s.role == Role::kLast || s.rightPending)
    {
        return;
    }
    m.subsession = s.rightSub;
    Protect(m, s);
    SendControl(s.rightSub.dstIp, s.leftSession, std::move(m), nowNs);
}

void
Agent::SendLeft(uint32_t index, ControlMessage m, uint64_t nowNs)
{
    const Session& s = m_sessions.Get(index);
    if (s.role == Role::kFirst)
    {
        return;
    }
    m.subsession = s.leftSub;
    Protect(m, s);
    SendControl(s.leftSub.srcIp, s.leftSession, std::move(m), nowNs);
}

uint32_t
Agent::Reconfigure(const FiveTuple& session, uint32_t rightAnchor,
                   std::vector<uint32_t> middleboxes, uint64_t nowNs)
{
    int64_t found = SessionIndexOf(session);
    if (found < 0 || middleboxes.size() + 1 > kMaxChainAddresses)
    {
        return 0;
    }
    const uint32_t idx = uint32_t(found);
    Session& s = m_sessions.Get(idx);
    if (s.role == Role::kLast || s.rightPending || s.reconfig[1] || s.Closed())
    {
        return 0;
    }
    const Requestor req{m_config.address, m_nextRequestId};
    if (!TryLockForSelf(s.rightLock, req))
    {
        ++m_counters.reconfigNacked;
        return 0;
    }
    ++m_nextRequestId;
    auto rc = std::make_unique<Reconfig>();
    rc->isLeftAnchor = true;
    rc->id = req;
    rc->rightAnchor = rightAnchor;
    rc->newList = std::move(middleboxes);
    rc->newList.push_back(rightAnchor);
    rc->phase = ReconfigPhase::kLocking;
    rc->startNs = nowNs;
    s.reconfig[1] = std::move(rc);
    m_active.push_back(idx * 2 + 1);
    ++m_counters.reconfigAttempted;
    EmitReconfig(AgentEventKind::kReconfigStarted, idx, req, 0, nowNs);
    EmitReconfig(AgentEventKind::kLockChanged, idx, req, uint32_t(LockState::kLockPending), nowNs);
    SendRequestLock(idx, nowNs);
    return req.requestId;
}

void
Agent::SendRequestLock(uint32_t index, uint64_t nowNs)
{
    Reconfig& rc = *m_sessions.Get(index).reconfig[1];
    ControlMessage m;
    m.type = ControlType::kRequestLock;
    m.leftAnchor = rc.id.leftAnchor;
    m.rightAnchor = rc.rightAnchor;
    m.requestId = rc.id.requestId;
    m.addresses = rc.newList;
    ++rc.lockTries;
    rc.lockDeadlineNs = nowNs + LockRtoNs();
    SendRight(index, std::move(m), nowNs);
}

uint64_t
Agent::LockRtoNs() const
{
    if (m_config.lockRtoNs != 0)
    {
        return m_config.lockRtoNs;
    }
    return m_config.control.rtoNs * (uint64_t(m_config.control.retries) + 1);
}

void
Agent::SendCancelLock(uint32_t index, const Requestor& r, uint32_t rightAnchor, uint64_t nowNs)
{
    ControlMessage cancel;
    cancel.type = ControlType::kCancelLock;
    cancel.leftAnchor = r.leftAnchor;
    cancel.requestId = r.requestId;
    cancel.rightAnchor = rightAnchor;
    SendRight(index, std::move(cancel), nowNs);
}

void
Agent::OnLockTimer(uint32_t index, uint64_t nowNs)
{
    Reconfig& rc = *m_sessions.Get(index).reconfig[1];
    if (rc.lockTries <= m_config.lockRetries)
    {
        // Agents that hold or wait for the lock for this request forward the copy, and the
        // right anchor answers it again.
        SendRequestLock(index, nowNs);
        return;
    }
    // No answer to any copy: the way back does not carry control messages (a plain NAT on
    // the path, a failed agent). Give up with cancelLock (AbortReconfig).
    AbortReconfig(index, kAbortLockTimeout, nowNs);
}

bool
Agent::RequestDeletion(const FiveTuple& session, uint64_t nowNs)
{
    int64_t found = SessionIndexOf(session);
    if (found < 0)
    {
        return false;
    }
    const Session& s = m_sessions.Get(uint32_t(found));
    if (s.role != Role::kMiddle || s.rightPending)
    {
        return false;
    }
    ControlMessage m;
    m.type = ControlType::kTrigger;
    m.addresses = {s.rightSub.dstIp};
    SendLeft(uint32_t(found), std::move(m), nowNs);
    return true;
}

bool
Agent::SetMiddleboxDelta(const FiveTuple& session, SeqDelta clientToServer, SeqDelta serverToClient)
{
    int64_t found = SessionIndexOf(session);
    if (found < 0)
    {
        return false;
    }
    Session& s = m_sessions.Get(uint32_t(found));
    s.mbDelta[0] = clientToServer;
    s.mbDelta[1] = serverToClient;
    m_sessions.Track(uint32_t(found)).shifted = clientToServer != 0 || serverToClient != 0;
    return true;
}

void
Agent::OnTrigger(uint32_t index, const ControlMessage& m, uint64_t nowNs)
{
    if (m.addresses.empty())
    {
        ++m_counters.controlDropped;
        return;
    }
    std::vector<uint32_t> middleboxes(m.addresses.begin(), m.addresses.end() - 1);
    Reconfigure(m_sessions.Get(index).rightSession, m.addresses.back(), std::move(middleboxes),
                nowNs);
}

void
Agent::OnRequestLock(uint32_t index, ControlMessage m, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    const Requestor req = RequestorOf(m);
    if (IsLocal(m.rightAnchor))
    {
        // The right anchor: no lock of its own to take (the subsessions of the segment
        // belong to the agents on their left). It remembers the request and its delta.
        auto& rc = s.reconfig[0];
        if (rc && rc->id != req)
        {
            ControlMessage nack = m;
            nack.type = ControlType::kNackLock;
            SendLeft(index, std::move(nack), nowNs);
            return;
        }
        if (!rc)
        {
            rc = std::make_unique<Reconfig>();
            rc->isLeftAnchor = false;
            rc->id = req;
            rc->rightAnchor = m.rightAnchor;
            rc->delta = m.delta;
            rc->phase = ReconfigPhase::kNewPathSyn;
            rc->startNs = nowNs;
            m_byRequest[(uint64_t(req.leftAnchor) << 32) | req.requestId] = index;
            m_active.push_back(index * 2);
        }
        ControlMessage ack = m;
        ack.type = ControlType::kAckLock;
        ack.delta = 0;
        ack.addresses.clear();
        SendLeft(index, std::move(ack), nowNs);
        return;
    }
    if (s.role == Role::kLast || s.rightPending)
    {
        // The chain ends here without reaching the right anchor: refuse.
        ControlMessage nack = m;
        nack.type = ControlType::kNackLock;
        SendLeft(index, std::move(nack), nowNs);
        return;
    }
    const LockState before = s.rightLock.state;
    switch (dysco::OnRequestLock(s.rightLock, req))
    {
    case LockAction::kForward:
        if (before != s.rightLock.state)
        {
            EmitReconfig(AgentEventKind::kLockChanged, index, req, uint32_t(s.rightLock.state),
                         nowNs);
        }
        // §3.3: requestLock accumulates the client -> server deltas of the old path.
        if (!MutantActive(Mutant::kSkipLockDelta))
        {
            // Deltas compose modulo 2^32: add unsigned so overflow wraps instead of being UB.
            m.delta = SeqDelta(uint32_t(m.delta) + uint32_t(m_sessions.Track(index).sideDelta[0]) +
                               uint32_t(s.mbDelta[0]));
        }
        SendRight(index, std::move(m), nowNs);
        break;
    case LockAction::kSave:
        for (const ControlMessage& saved : s.savedRequests)
        {
            if (RequestorOf(saved) == req)
            {
                return; // a resent copy of a request already waiting here
            }
        }
        if (s.savedRequests.size() < m_config.maxSavedRequests)
        {
            s.savedRequests.push_back(std::move(m));
            break;
        }
        [[fallthrough]]; // no room to wait: refuse, as a locked subsession would
    case LockAction::kNack:
    {
        ControlMessage nack = m;
        nack.type = ControlType::kNackLock;
        SendLeft(index, std::move(nack), nowNs);
        break;
    }
    default:
        ++m_counters.controlDropped;
        break;
    }
}

void
Agent::OnAckLock(uint32_t index, ControlMessage m, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    const LockState before = s.rightLock.state;
    switch (dysco::OnAckLock(s.rightLock, RequestorOf(m), m_config.address))
    {
    case LockAction::kForward:
        if (before != LockState::kLocked) // not the answer to a resent copy
        {
            EmitReconfig(AgentEventKind::kLockChanged, index, RequestorOf(m),
                         uint32_t(LockState::kLocked), nowNs);
        }
        // §3.3: ackLock accumulates the server -> client deltas.
        if (!MutantActive(Mutant::kSkipLockDelta))
        {
            m.delta = SeqDelta(uint32_t(m.delta) + uint32_t(m_sessions.Track(index).sideDelta[1]) +
                               uint32_t(s.mbDelta[1]));
        }
        SendLeft(index, std::move(m), nowNs);
        ReleaseSaved(index, nowNs);
        break;
    case LockAction::kMine:
    {
        Reconfig* rc = s.reconfig[1].get();
        if (rc == nullptr || rc->id != RequestorOf(m) || rc->phase != ReconfigPhase::kLocking)
        {
            ++m_counters.controlDropped; // the answer to a resent copy
            return;
        }
        EmitReconfig(AgentEventKind::kLockChanged, index, rc->id, uint32_t(LockState::kLocked),
                     nowNs);
        rc->delta = m.delta;
        rc->phase = ReconfigPhase::kNewPathSyn;
        EmitReconfig(AgentEventKind::kReconfigPhase, index, rc->id, uint32_t(rc->phase), nowNs);
        ReleaseSaved(index, nowNs);
        SendNewPathSyn(index, nowNs);
        break;
    }
    default:
        ++m_counters.controlDropped;
        if (m.leftAnchor == m_config.address && !RunsRequest(s, RequestorOf(m)))
        {
            // Our request ended (it timed out, or a resent copy locked the segment again
            // after its answer came): the agents that granted it must not stay locked.
            ++m_counters.staleLocksReleased;
            SendCancelLock(index, RequestorOf(m), m.rightAnchor, nowNs);
        }
        break;
    }
}

void
Agent::OnNackLock(uint32_t index, ControlMessage m, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    switch (dysco::OnNackLock(s.rightLock, RequestorOf(m), m_config.address))
    {
    case LockAction::kForward:
        EmitReconfig(AgentEventKind::kLockChanged, index, RequestorOf(m),
                     uint32_t(LockState::kUnlocked), nowNs);
        SendLeft(index, std::move(m), nowNs);
        ReleaseSaved(index, nowNs);
        break;
    case LockAction::kMine:
        EmitReconfig(AgentEventKind::kLockChanged, index, RequestorOf(m),
                     uint32_t(LockState::kUnlocked), nowNs);
        ++m_counters.reconfigNacked;
        AbortReconfig(index, 1, nowNs);
        ReleaseSaved(index, nowNs);
        break;
    default:
        ++m_counters.controlDropped;
        break;
    }
}

void
Agent::ReleaseSaved(uint32_t index, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    if (s.savedRequests.empty() || s.rightLock.state == LockState::kLockPending)
    {
        return;
    }
    std::vector<ControlMessage> saved;
    saved.swap(s.savedRequests);
    for (auto& m : saved)
    {
        // Unlocked: the first goes through (and the rest are saved behind it again);
        // locked: each is refused (Figure 5).
        OnRequestLock(index, std::move(m), nowNs);
    }
}

void
Agent::OnCancelLock(uint32_t index, ControlMessage m, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    const Requestor req = RequestorOf(m);
    if (IsLocal(m.rightAnchor))
    {
        Reconfig* rc = s.reconfig[0].get();
        if (rc != nullptr && rc->id == req)
        {
            if (rc->newSub.srcIp != 0)
            {
                m_sessions.Erase(index, MapDirection::kIngress, rc->newSub);
            }
            EndReconfig(index, 0);
            ReleaseHeld(index, nowNs);
        }
        if (MutantActive(Mutant::kDropAckCancel))
        {
            return;
        }
        ControlMessage ack = m;
        ack.type = ControlType::kAckCancel;
        SendLeft(index, std::move(ack), nowNs);
        return;
    }
    // As at the left anchor (AbortReconfig): our resends of the request must not follow
    // the cancel and lock the next segment again.
    m_control.Forget(ControlType::kRequestLock, req.leftAnchor, req.requestId);
    if (dysco::OnCancelLock(s.rightLock, req, m_config.address) == LockAction::kForward)
    {
        EmitReconfig(AgentEventKind::kLockChanged, index, req, uint32_t(LockState::kUnlocked),
                     nowNs);
        ReleaseSaved(index, nowNs);
    }
    SendRight(index, std::move(m), nowNs);
}

void
Agent::OnAckCancel(uint32_t index, ControlMessage m, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    if (m.leftAnchor == m_config.address)
    {
        Reconfig* rc = s.reconfig[1].get();
        if (rc != nullptr && rc->id == RequestorOf(m) && rc->phase == ReconfigPhase::kCancelling)
        {
            ++m_counters.reconfigAborted;
            EmitReconfig(AgentEventKind::kReconfigAborted, index, rc->id, rc->abortReason, nowNs);
            EndReconfig(index, 1);
            ReleaseHeld(index, nowNs);
            ReleaseSaved(index, nowNs);
        }
        else
        {
            ++m_counters.controlDropped; // no cancel of ours is waiting for it
        }
        return;
    }
    SendLeft(index, std::move(m), nowNs);
}

void
Agent::OnOldPath(uint32_t index, const ControlMessage& m, bool fromLeft, uint64_t nowNs)
{
    Session& s = m_sessions.Get(index);
    // An anchor of this request takes it; an agent inside the old segment relays it and,
    // once the done of both anchors went through, frees the old path's state.
    const int side = fromLeft ? 0 : 1;
    Reconfig* rc = s.reconfig[side].get();
    if (rc != nullptr && rc->id == RequestorOf(m))
    {
        OnPeerOldPath(index, side, m, nowNs);
        return;
    }
    // Inside the segment, only the request that locked it may end it: an oldPathDone naming
    // another (forged, or a stale one replayed) would otherwise free live state.
    if (s.rightLock.state != LockState::kLocked || s.rightLock.requestor != RequestorOf(m))
    {
        Reject(uint32_t(ControlReject::kBadState), m, nowNs);
        return;
    }
    ControlMessage relay = m;
    if (fromLeft)
    {
        SendRight(index, std::move(relay), nowNs);
    }
    else
    {
        SendLeft(index, std::move(relay), nowNs);
    }
    if (m.flags & kDone)
    {
        (fromLeft ? s.oldDoneFromLeft : s.oldDoneFromRight) = true;
        if (s.oldDoneFromLeft && s.oldDoneFromRight)
        {
            FreeSession(index, nowNs);
        }
    }
}

void
Agent::OnControlFailed(const ControlMessage& m, uint64_t nowNs)
{
    Emit(AgentEventKind::kControlDropped, FiveTuple{}, m.subsession, 200 + uint32_t(m.type), nowNs);
    if (m.leftAnchor != m_config.address)
    {
        return;
    }
    // Our own request or cancel never got through: give up and unlock locally.
    int64_t found = -1;
    if (MapEntry* e = m_sessions.Lookup(MapDirection::kIngress, m.subsession.Reversed()))
    {
        found = e->session;
    }
    if (found < 0)
    {
        return;
    }
    Session& s = m_sessions.Get(uint32_t(found));
    Reconfig* rc = s.reconfig[1].get();
    if (rc == nullptr || rc->id != RequestorOf(m))
    {
        return;
    }
    if (m.type == ControlType::kRequestLock || m.type == ControlType::kCancelLock)
    {
        ReleaseRightLock(uint32_t(found), nowNs);
        AbortReconfig(uint32_t(found), 3, nowNs);
    }
}

} // namespace dysco
