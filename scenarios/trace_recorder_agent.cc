// The agents' protocol events as trace records (verification/README.md, "Records"):
//   kChainStart/Hop/End -> A,  kStateFreed -> F,  kLockChanged -> L,
//   kControlSent/Received -> M (oldPathDone is the paper's "terminate"),
//   kReconfigStarted -> P request (old path walked along the agents' current chain, new path
//   from the left anchor's request), and at the left anchor kReconfigPhase -> P locked /
//   newPathUp / newPathFailed, kReconfigSucceeded -> P done, kReconfigAborted -> P denied /
//   aborted / lockFailed / closed; kTeardown (either anchor) -> P teardown.
#include "core/control.h"
#include "core/reconfig.h"
#include "trace_recorder.h"

namespace dyscosim
{

using namespace ns3;
namespace v = dysco::verify;

namespace
{
/// Request ids of one agent fit in 20 bits; the node index above them makes rids unique in
/// a session whatever agent starts the reconfiguration.
constexpr uint32_t kRidShift = 20;

std::optional<v::ControlMsg>
MsgOf(uint32_t type)
{
    switch (dysco::ControlType(type))
    {
    case dysco::ControlType::kRequestLock:
        return v::ControlMsg::kRequestLock;
    case dysco::ControlType::kAckLock:
        return v::ControlMsg::kAckLock;
    case dysco::ControlType::kNackLock:
        return v::ControlMsg::kNackLock;
    case dysco::ControlType::kCancelLock:
        return v::ControlMsg::kCancelLock;
    case dysco::ControlType::kAckCancel:
        return v::ControlMsg::kAckCancel;
    case dysco::ControlType::kOldPathDone:
        return v::ControlMsg::kTerminate;
    case dysco::ControlType::kTrigger:
        return v::ControlMsg::kTrigger;
    case dysco::ControlType::kAck:
        break;
    }
    return std::nullopt;
}
} // namespace

void
TraceRecorder::OnAgentEvent(NodeSink* sink, const dysco::AgentEvent& e)
{
    sink->recorder->AgentEvent(sink->node, e);
}

std::optional<uint32_t>
TraceRecorder::Rid(const dysco::AgentEvent& e) const
{
    std::optional<uint16_t> left = NodeOf(e.leftAnchor);
    if (!left)
    {
        return std::nullopt;
    }
    return (uint32_t(*left) << kRidShift) | (e.requestId & ((1u << kRidShift) - 1));
}

bool
TraceRecorder::Requested(uint32_t sid, uint32_t rid) const
{
    return m_reconfigs.count((uint64_t(sid) << 32) | rid) != 0;
}

void
TraceRecorder::AgentEvent(uint16_t node, const dysco::AgentEvent& e)
{
    using K = dysco::AgentEventKind;
    if (m_finished)
    {
        return; // the simulator is being torn down
    }
    uint32_t sid = SessionOf(e.session);
    if (sid == 0 && e.kind == K::kChainStart)
    {
        // The client's agent chains the SYN before the LocalSegment source reports it.
        sid = uint32_t(m_ctx.StreamOf(e.session));
        if (sid != 0 && m_ctx.Stream(sid)->from == node && !Untraced(sid))
        {
            Declare(sid, e.session);
        }
        else
        {
            sid = 0;
        }
    }
    if (sid == 0)
    {
        return;
    }
    switch (e.kind)
    {
    case K::kChainStart:
    case K::kChainHop:
    case K::kChainEnd:
        m_writer.Write(v::MakeSimple(v::EventKind::kAlloc, e.timeNs, sid, node));
        return;
    case K::kStateFreed:
        m_writer.Write(v::MakeSimple(v::EventKind::kFree, e.timeNs, sid, node));
        return;
    case K::kControlSent:
    case K::kControlReceived:
        Control(node, sid, e);
        return;
    default:
        break;
    }
    std::optional<uint32_t> rid = Rid(e);
    if (!rid)
    {
        return;
    }
    if (e.kind == K::kReconfigStarted)
    {
        Request(node, sid, *rid, e);
        return;
    }
    if (!Requested(sid, *rid))
    {
        return; // the reader refuses records of a reconfiguration nobody requested
    }
    switch (e.kind)
    {
    case K::kLockChanged:
    {
        std::optional<uint16_t> right = NodeOf(e.subsession.dstIp);
        std::optional<uint16_t> requestor = NodeOf(e.leftAnchor);
        if (right && requestor)
        {
            m_writer.Write(
                v::MakeLock(e.timeNs, sid, node, *right, v::LockState(e.detail), *requestor, *rid));
        }
        return;
    }
    case K::kTeardown:
        Teardown(node, sid, *rid, e);
        return;
    case K::kReconfigPhase:
    case K::kReconfigSucceeded:
    case K::kReconfigAborted:
        if (NodeOf(e.leftAnchor) == node)
        {
            Phase(node, sid, *rid, e); // phases are the left anchor's to record
        }
        return;
    default:
        return;
    }
}

void
TraceRecorder::Control(uint16_t node, uint32_t sid, const dysco::AgentEvent& e)
{
    std::optional<v::ControlMsg> msg = MsgOf(e.detail);
    if (!msg)
    {
        return;
    }
    uint32_t rid = 0; // a trigger precedes its request
    if (*msg != v::ControlMsg::kTrigger)
    {
        std::optional<uint32_t> r = Rid(e);
        if (!r || !Requested(sid, *r))
        {
            return;
        }
        rid = *r;
    }
    // The message names the subsession it travels on (left -> right): the peer is its other
    // end.
    const bool leftEnd = NodeOf(e.subsession.srcIp) == node;
    std::optional<uint16_t> peer = NodeOf(leftEnd ? e.subsession.dstIp : e.subsession.srcIp);
    if (peer)
    {
        m_writer.Write(v::MakeControl(
            e.timeNs, sid, node, e.kind == dysco::AgentEventKind::kControlSent, *msg, *peer, rid));
    }
}

std::vector<uint16_t>
TraceRecorder::OldPath(uint16_t node, const dysco::Session& s, uint16_t rightNode) const
{
    std::vector<uint16_t> path{node};
    dysco::FiveTuple sub = s.rightSub;
    while (path.size() < v::kMaxPathNodes)
    {
        std::optional<uint16_t> next = NodeOf(sub.dstIp);
        if (!next)
        {
            break;
        }
        path.push_back(*next);
        if (*next == rightNode)
        {
            return path;
        }
        // The next agent's state for this session is the one whose left subsession this is.
        const dysco::Session* found = nullptr;
        m_ctx.Agent(*next)->GetCore().ForEachSession(
            [&](const dysco::Session& x)
            {
                if (x.leftSub == sub && x.role == dysco::Role::kMiddle && !x.rightPending)
                {
                    found = &x;
                }
            });
        if (found == nullptr)
        {
            break;
        }
        sub = found->rightSub;
    }
    return {node, rightNode}; // chain not walkable: the anchors at least
}

void
TraceRecorder::Request(uint16_t node, uint32_t sid, uint32_t rid, const dysco::AgentEvent& e)
{
    const dysco::Session* s = m_ctx.Agent(node)->GetCore().FindSession(e.session);
    if (s == nullptr || !s->reconfig[1] || Requested(sid, rid))
    {
        return;
    }
    const dysco::Reconfig& rc = *s->reconfig[1];
    std::optional<uint16_t> right = NodeOf(rc.rightAnchor);
    if (!right)
    {
        return;
    }
    std::vector<uint16_t> newPath{node};
    for (uint32_t a : rc.newList)
    {
        std::optional<uint16_t> n = NodeOf(a);
        if (!n || newPath.size() == v::kMaxPathNodes)
        {
            return;
        }
        newPath.push_back(*n);
    }
    m_reconfigs[(uint64_t(sid) << 32) | rid] = Reconfig{};
    m_writer.Write(v::MakeRequest(e.timeNs, sid, node, rid, OldPath(node, *s, *right), newPath));
}

void
TraceRecorder::Phase(uint16_t node, uint32_t sid, uint32_t rid, const dysco::AgentEvent& e)
{
    using K = dysco::AgentEventKind;
    Reconfig& rc = m_reconfigs[(uint64_t(sid) << 32) | rid];
    std::optional<v::Phase> phase;
    if (e.kind == K::kReconfigPhase)
    {
        switch (dysco::ReconfigPhase(e.detail))
        {
        case dysco::ReconfigPhase::kNewPathSyn: // entered on ackLock
            rc.locked = true;
            phase = v::Phase::kLocked;
            break;
        case dysco::ReconfigPhase::kTwoPaths:
            phase = v::Phase::kNewPathUp;
            break;
        case dysco::ReconfigPhase::kCancelling:
        {
            // The core cancels when the new path failed, or when the session closed first
            // (then the reconfiguration ends as "closed", whatever the cancel brings).
            const dysco::Session* s = m_ctx.Agent(node)->GetCore().FindSession(e.session);
            rc.cancelReason = s != nullptr && s->Closed() ? 4 : 2;
            if (rc.cancelReason == 2)
            {
                phase = v::Phase::kNewPathFailed;
            }
            break;
        }
        case dysco::ReconfigPhase::kLocking:
            break;
        }
    }
    else if (e.kind == K::kReconfigSucceeded)
    {
        phase = v::Phase::kDone;
    }
    else
    {
        // kReconfigAborted; detail: 1 nacked, 2 ackCancel arrived, 3 control lost, 4 closed,
        // 5 no answer to requestLock (the lock was never acquired).
        switch (e.detail)
        {
        case 1:
            phase = v::Phase::kDenied;
            break;
        case dysco::kAbortLockTimeout:
            phase = v::Phase::kLockFailed;
            break;
        case 2:
            phase = rc.cancelReason == 4 ? v::Phase::kClosed : v::Phase::kAborted;
            break;
        case 3:
            phase = rc.cancelReason == 4 ? v::Phase::kClosed
                    : rc.locked          ? v::Phase::kAborted // the cancel was lost
                                         : v::Phase::kLockFailed;
            break;
        default:
            // A cancel still waiting for its ackCancel when the state goes is an abort
            // (without the ackCancel: the checker says so); otherwise the session ended it.
            phase = rc.cancelReason == 2 ? v::Phase::kAborted : v::Phase::kClosed;
            break;
        }
    }
    if (phase)
    {
        m_writer.Write(v::MakePhase(e.timeNs, sid, node, rid, *phase));
    }
}

void
TraceRecorder::Teardown(uint16_t node, uint32_t sid, uint32_t rid, const dysco::AgentEvent& e)
{
    v::Teardown td;
    td.rid = rid;
    td.oldSent = e.vars[0];
    td.oldSentAcked = e.vars[1];
    td.oldRcvd = e.vars[2];
    td.oldRcvdAcked = e.vars[3];
    // The first sequence number of the new path: the first byte received on it, or, when
    // the anchor tore down on the other anchor's announced oldSent (nothing new arrived, or
    // it arrived out of order), that announced start (README, teardown fields).
    if (e.hasFirstNew && e.vars[4] == e.vars[2])
    {
        td.hasFirstNewRcvd = true;
        td.firstNewRcvd = e.vars[4];
    }
    else if (e.hasCutoff)
    {
        td.hasFirstNewRcvd = true;
        td.firstNewRcvd = e.cutoff;
    }
    else if (e.hasFirstNew)
    {
        td.hasFirstNewRcvd = true;
        td.firstNewRcvd = e.vars[4];
    }
    td.finOnOld = false; // the core's predicate has no FIN clause: a FIN counts as a byte
    td.delta = e.delta;
    m_writer.Write(v::MakeTeardown(e.timeNs, sid, node, td));
}

} // namespace dyscosim
