#include "trace_dump.h"

#include "trace_format.h"

#include <cstdio>

namespace dysco
{
namespace verify
{

namespace
{

std::string
Fields(const Trace& trace, const Event& e)
{
    auto n = [&](uint16_t node) { return trace.NodeName(node); };
    switch (e.kind)
    {
    case EventKind::kSession:
    {
        const auto& d = std::get<SessionDecl>(e.payload);
        return "client=" + n(e.node) + " server=" + n(d.server) +
               " tuple=" + FiveTupleText(d.tuple) + " delta_c2s=" + std::to_string(d.delta[0]) +
               " delta_s2c=" + std::to_string(d.delta[1]) +
               ((d.flags & sessionflag::kResetExpected) ? " reset_expected" : "");
    }
    case EventKind::kWrite:
    case EventKind::kRead:
    {
        const auto& r = std::get<StreamRange>(e.payload);
        return "bytes=[" + std::to_string(r.offset) + "," + std::to_string(r.offset + r.length) +
               ") len=" + std::to_string(r.length) + " hash=" + HashText(r.hash);
    }
    case EventKind::kEdit:
    {
        const auto& x = std::get<Edit>(e.payload);
        return std::string("dir=") + DirectionName(x.dir) + " at=" + std::to_string(x.offset) +
               " removed=" + std::to_string(x.removed) + " inserted=" + std::to_string(x.inserted) +
               " hash=" + HashText(x.hash);
    }
    case EventKind::kSegmentSent:
    case EventKind::kSegmentReceived:
    {
        const auto& g = std::get<Segment>(e.payload);
        std::string s = "flags=" + TcpFlagsText(g.flags) + " seq=" + std::to_string(g.seq) +
                        " ack=" + std::to_string(g.ack) + " len=" + std::to_string(g.length) +
                        " win=" + std::to_string(g.window);
        if (g.hasTimestamp)
        {
            s += " tsval=" + std::to_string(g.tsVal) + " tsecr=" + std::to_string(g.tsEcr);
        }
        for (size_t i = 0; i < g.sackCount; ++i)
        {
            s += " sack=[" + std::to_string(g.sack[i].left) + "," +
                 std::to_string(g.sack[i].right) + ")";
        }
        return s;
    }
    case EventKind::kLock:
    {
        const auto& l = std::get<LockChange>(e.payload);
        return "subsession=" + n(e.node) + ">" + n(l.right) + " state=" + LockStateName(l.state) +
               " requestor=" + n(l.requestor) + " rid=" + std::to_string(l.rid);
    }
    case EventKind::kPhase:
    {
        std::string s = "rid=" + std::to_string(e.Rid()) + " phase=" + PhaseName(e.GetPhase());
        if (auto* r = std::get_if<ReconfigRequest>(&e.payload))
        {
            s += " old=";
            for (size_t i = 0; i < r->oldCount; ++i)
            {
                s += (i ? "," : "") + n(r->oldPath[i]);
            }
            s += " new=";
            for (size_t i = 0; i < r->newCount; ++i)
            {
                s += (i ? "," : "") + n(r->newPath[i]);
            }
        }
        else if (auto* td = std::get_if<Teardown>(&e.payload))
        {
            s += " oldSent=" + std::to_string(td->oldSent) +
                 " oldSentAcked=" + std::to_string(td->oldSentAcked) +
                 " oldRcvd=" + std::to_string(td->oldRcvd) +
                 " oldRcvdAcked=" + std::to_string(td->oldRcvdAcked) + " firstNewRcvd=" +
                 (td->hasFirstNewRcvd ? std::to_string(td->firstNewRcvd) : "none") +
                 " finOnOld=" + (td->finOnOld ? "1" : "0") + " delta=" + std::to_string(td->delta);
        }
        return s;
    }
    case EventKind::kControl:
    {
        const auto& c = std::get<Control>(e.payload);
        return std::string(c.sent ? "sent " : "received ") + ControlMsgName(c.msg) +
               (c.sent ? " to " : " from ") + n(c.peer) + " rid=" + std::to_string(c.rid);
    }
    case EventKind::kAlloc:
        return "agent state allocated";
    case EventKind::kFree:
        return "agent state freed";
    case EventKind::kClose:
        return std::string("closed by ") + CloseHowName(std::get<Close>(e.payload).how);
    }
    return {};
}

} // namespace

std::string
DumpEvent(const Trace& trace, size_t index)
{
    const Event& e = trace.events[index];
    char head[96];
    std::snprintf(head, sizeof(head), "#%-7llu %s  %-7s s%-6u %-10s ",
                  (unsigned long long)trace.EventId(index), TimeText(e.timeNs).c_str(),
                  KindName(e.kind), e.session, trace.NodeName(e.node).c_str());
    return head + Fields(trace, e);
}

} // namespace verify
} // namespace dysco
