// State migration at the anchors (§3.4, Figure 14). When a stateful middlebox is replaced,
// data may use the new path only once the old path is empty and the old instance's state for
// the session is installed in the new one. The anchors hold what would take the new path
// meanwhile ("the anchors must buffer incoming data"): bytes beyond oldSent and acks of new
// data. Old bytes and their acks keep using the old path, so it drains; the teardown
// (oldPathDone) waits for StateInstalled(), so a refused state import can still give the
// new path up (AbortMigration, §3.5's cancelLock) and keep the old one. The held packets go
// out, in order, when the reconfiguration ends: on the new path after the teardown, on the
// old path after a cancel.
#include "agent.h"
#include "control.h"
#include "packet.h"
#include "packet_edit.h"
#include "segment.h"

namespace dysco
{

bool
Agent::HoldForMigration(const FiveTuple& session)
{
    const int64_t idx = SessionIndexOf(session);
    if (idx < 0)
    {
        return false;
    }
    m_holds[uint32_t(idx)]; // armed; holds nothing until the two-path phase
    return true;
}

bool
Agent::StateInstalled(const FiveTuple& session, uint64_t nowNs)
{
    const int64_t idx = SessionIndexOf(session);
    if (idx < 0)
    {
        return false;
    }
    auto it = m_holds.find(uint32_t(idx));
    if (it == m_holds.end())
    {
        return false;
    }
    it->second.stateReady = true;
    for (int side = 0; side < 2; ++side)
    {
        CheckTeardown(uint32_t(idx), side, nowNs);
    }
    return true;
}

bool
Agent::AbortMigration(const FiveTuple& session, uint64_t nowNs)
{
    const int64_t found = SessionIndexOf(session);
    if (found < 0)
    {
        return false;
    }
    const uint32_t idx = uint32_t(found);
    Reconfig* rc = m_sessions.Get(idx).reconfig[1].get();
    auto it = m_holds.find(idx);
    if (rc == nullptr || rc->phase != ReconfigPhase::kTwoPaths || rc->doneSent ||
        it == m_holds.end() || it->second.stateReady)
    {
        return false;
    }
    // Nothing but the handshake used the new path (its data was held), and the old path is
    // intact (the teardown waited): cancel as if the new path had failed.
    if (rc->newSub.srcIp != 0)
    {
        m_sessions.Erase(idx, MapDirection::kIngress, rc->newSub.Reversed());
        it->second.cancelledSub = rc->newSub;
        it->second.cancelledSeq = rc->synSeq + 1;
        rc->newSub = FiveTuple{};
    }
    rc->phase = ReconfigPhase::kCancelling;
    rc->abortReason = 2;
    ReleaseRightLock(idx, nowNs);
    EmitReconfig(AgentEventKind::kReconfigPhase, idx, rc->id, uint32_t(rc->phase), nowNs);
    ControlMessage cancel;
    cancel.type = ControlType::kCancelLock;
    cancel.leftAnchor = rc->id.leftAnchor;
    cancel.requestId = rc->id.requestId;
    cancel.rightAnchor = rc->rightAnchor;
    SendRight(idx, cancel, nowNs);
    return true;
}

size_t
Agent::HeldPackets() const
{
    size_t n = 0;
    for (const auto& kv : m_holds)
    {
        n += kv.second.queue.size();
    }
    return n;
}

bool
Agent::TeardownHeld(uint32_t index) const
{
    if (m_holds.empty())
    {
        return false;
    }
    auto it = m_holds.find(index);
    return it != m_holds.end() && !it->second.stateReady;
}

bool
Agent::HoldOut(std::vector<uint8_t>& pkt, MapEntry& e, uint64_t nowNs, Verdict* out)
{
    auto it = m_holds.find(e.session);
    if (it == m_holds.end())
    {
        return false;
    }
    MigrationHold& h = it->second;
    const int side = (e.flags & MapEntry::kTowardRight) ? 1 : 0;
    Reconfig* rc = m_sessions.Get(e.session).reconfig[side].get();
    if (rc == nullptr ||
        (rc->phase != ReconfigPhase::kTwoPaths && rc->phase != ReconfigPhase::kCancelling))
    {
        return false; // before the two-path phase nothing needs holding
    }
    PacketView v(pkt.data(), pkt.size());
    if (v.Parse() != ParseError::kOk)
    {
        return false;
    }
    const uint8_t flags = v.Flags();
    const uint32_t payloadLen = uint32_t(v.PayloadLength());
    if (payloadLen > 0 && !v.HasFullPayload())
    {
        *out = Verdict::kNeedPayload;
        return true;
    }
    if (flags & (tcpflag::kSyn | tcpflag::kRst))
    {
        return false; // a reset ends the session on both paths at once
    }
    auto hold = [&](std::vector<uint8_t>&& p)
    {
        if (h.bytes + p.size() > m_config.maxHeldBytes)
        {
            ++m_counters.heldDropped; // TCP sends it again
            ++m_counters.dropped;
            return;
        }
        h.bytes += p.size();
        h.queue.push_back(std::move(p));
        ++m_counters.held;
    };
    if (rc->phase == ReconfigPhase::kCancelling)
    {
        if (h.queue.empty())
        {
            return false;
        }
        hold(std::vector<uint8_t>(pkt)); // behind what is held already, until the cancel completes
        *out = Verdict::kConsume;
        return true;
    }
    const TwoPaths& tp = rc->paths;
    const uint32_t len = payloadLen + ((flags & tcpflag::kFin) ? 1 : 0);
    if (len == 0)
    {
        if (!(flags & tcpflag::kAck))
        {
            return false;
        }
        const AckPlan plan = tp.PlanAck(Seq(v.AckNumber()));
        if (plan.path == Path::kOld || (plan.alsoAckOld && h.queue.empty()))
        {
            return false; // acks of old-path bytes drain the old path
        }
        hold(std::vector<uint8_t>(pkt));
        *out = Verdict::kConsume;
        return true;
    }
    const uint32_t oldPart = tp.OldPart(Seq(v.SeqNumber()), len);
    if (oldPart == len)
    {
        return false; // old bytes (retransmissions) stay on the old path
    }
    if (oldPart == 0)
    {
        // Its ack may be the only one the stack sends for the old path's last bytes: the
        // teardown needs it now, not when the data leaves.
        const Seq ack(v.AckNumber());
        if ((flags & tcpflag::kAck) && tp.OldRcvdAcked() < SeqMin(ack, tp.OldRcvd()))
        {
            std::vector<uint8_t> extra = PureAck(pkt, SeqMin(ack, tp.OldRcvd()).Value());
            if (AnchorOut(extra, e, nowNs) == Verdict::kForward)
            {
                m_outputs.push_back(std::move(extra));
            }
        }
        hold(std::vector<uint8_t>(pkt));
        *out = Verdict::kConsume;
        return true;
    }
    // Straddles oldSent: the old part goes on now, the rest waits.
    std::vector<uint8_t> oldSeg = CutSegment(pkt, 0, oldPart, false);
    std::vector<uint8_t> newSeg =
        CutSegment(pkt, oldPart, payloadLen - oldPart, (flags & tcpflag::kFin) != 0);
    if (oldSeg.empty() || newSeg.empty())
    {
        return false; // AnchorOut splits (and drops) it as it would without a hold
    }
    hold(std::move(newSeg));
    pkt.swap(oldSeg);
    return false;
}

void
Agent::ReleaseHeld(uint32_t index, uint64_t nowNs)
{
    if (m_holds.empty())
    {
        return;
    }
    auto it = m_holds.find(index);
    const Session& s = m_sessions.Get(index);
    if (it == m_holds.end() || s.reconfig[0] || s.reconfig[1])
    {
        return;
    }
    std::vector<std::vector<uint8_t>> queue = std::move(it->second.queue);
    const FiveTuple cancelled = it->second.cancelledSub;
    const uint32_t cancelledSeq = it->second.cancelledSeq;
    m_holds.erase(it);
    if (cancelled.srcIp != 0)
    {
        // The agents on the cancelled new path created state for it with its handshake: a
        // reset frees it. Sent only now: the right anchor has dropped its end (it answered
        // the cancel), so the reset never reaches the session's endpoint as the session's.
        m_outputs.push_back(BuildTcpPacket(cancelled.srcIp, cancelled.dstIp, cancelled.srcPort,
                                           cancelled.dstPort, cancelledSeq, 0, tcpflag::kRst, 0,
                                           nullptr, 0, nullptr, 0));
    }
    for (auto& p : queue)
    {
        if (Egress(p, nowNs) == Verdict::kForward)
        {
            m_outputs.push_back(std::move(p));
        }
    }
}

void
Agent::DropHeld(uint32_t index)
{
    if (!m_holds.empty())
    {
        m_holds.erase(index);
    }
}

} // namespace dysco
