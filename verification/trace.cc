#include "trace.h"

#include "content_hash.h"

#include <algorithm>
#include <cstdio>

namespace dysco
{
namespace verify
{

Phase
Event::GetPhase() const
{
    if (std::holds_alternative<ReconfigRequest>(payload))
    {
        return Phase::kRequest;
    }
    if (std::holds_alternative<Teardown>(payload))
    {
        return Phase::kTeardown;
    }
    return std::get<PhaseChange>(payload).phase;
}

uint32_t
Event::Rid() const
{
    switch (kind)
    {
    case EventKind::kLock:
        return std::get<LockChange>(payload).rid;
    case EventKind::kControl:
        return std::get<Control>(payload).rid;
    case EventKind::kPhase:
        if (auto* r = std::get_if<ReconfigRequest>(&payload))
        {
            return r->rid;
        }
        if (auto* td = std::get_if<Teardown>(&payload))
        {
            return td->rid;
        }
        return std::get<PhaseChange>(payload).rid;
    default:
        return 0;
    }
}

const std::string&
Trace::NodeName(uint16_t node) const
{
    static const std::string kUnknown = "?";
    return node < nodes.size() ? nodes[node] : kUnknown;
}

const char*
KindName(EventKind k)
{
    switch (k)
    {
    case EventKind::kSession:
        return "session";
    case EventKind::kWrite:
        return "write";
    case EventKind::kRead:
        return "read";
    case EventKind::kEdit:
        return "edit";
    case EventKind::kSegmentSent:
        return "seg-tx";
    case EventKind::kSegmentReceived:
        return "seg-rx";
    case EventKind::kLock:
        return "lock";
    case EventKind::kPhase:
        return "phase";
    case EventKind::kControl:
        return "control";
    case EventKind::kAlloc:
        return "alloc";
    case EventKind::kFree:
        return "free";
    case EventKind::kClose:
        return "close";
    }
    return "?";
}

const char*
DirectionName(Direction d)
{
    return d == Direction::kClientToServer ? "c2s" : "s2c";
}

const char*
DirectionWords(Direction d)
{
    return d == Direction::kClientToServer ? "client->server" : "server->client";
}

const char*
LockStateName(LockState s)
{
    switch (s)
    {
    case LockState::kUnlocked:
        return "unlocked";
    case LockState::kLockPending:
        return "lockPending";
    case LockState::kLocked:
        return "locked";
    }
    return "?";
}

const char*
PhaseName(Phase p)
{
    switch (p)
    {
    case Phase::kRequest:
        return "request";
    case Phase::kLocked:
        return "locked";
    case Phase::kDenied:
        return "denied";
    case Phase::kLockFailed:
        return "lockFailed";
    case Phase::kNewPathUp:
        return "newPathUp";
    case Phase::kNewPathFailed:
        return "newPathFailed";
    case Phase::kTeardown:
        return "teardown";
    case Phase::kDone:
        return "done";
    case Phase::kAborted:
        return "aborted";
    case Phase::kClosed:
        return "closed";
    }
    return "?";
}

const char*
ControlMsgName(ControlMsg m)
{
    switch (m)
    {
    case ControlMsg::kRequestLock:
        return "requestLock";
    case ControlMsg::kAckLock:
        return "ackLock";
    case ControlMsg::kNackLock:
        return "nackLock";
    case ControlMsg::kCancelLock:
        return "cancelLock";
    case ControlMsg::kAckCancel:
        return "ackCancel";
    case ControlMsg::kTrigger:
        return "trigger";
    case ControlMsg::kTerminate:
        return "terminate";
    case ControlMsg::kAckTerminate:
        return "ackTerminate";
    case ControlMsg::kStateExport:
        return "stateExport";
    case ControlMsg::kStateImport:
        return "stateImport";
    }
    return "?";
}

const char*
CloseHowName(CloseHow h)
{
    switch (h)
    {
    case CloseHow::kFin:
        return "fin";
    case CloseHow::kRst:
        return "rst";
    case CloseHow::kTimeout:
        return "timeout";
    }
    return "?";
}

std::string
TcpFlagsText(uint8_t flags)
{
    static const struct
    {
        uint8_t bit;
        char letter;
    } kLetters[] = {{tcpflag::kSyn, 'S'},
                    {tcpflag::kFin, 'F'},
                    {tcpflag::kRst, 'R'},
                    {tcpflag::kPsh, 'P'},
                    {tcpflag::kAck, 'A'}};
    std::string s;
    for (const auto& l : kLetters)
    {
        if (flags & l.bit)
        {
            s += l.letter;
        }
    }
    return s.empty() ? "-" : s;
}

namespace
{

std::string
Ipv4Text(uint32_t ip)
{
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
                  ip & 0xff);
    return buf;
}

} // namespace

std::string
FiveTupleText(const FiveTuple& t)
{
    std::string s = Ipv4Text(t.srcIp) + ":" + std::to_string(t.srcPort) + ">" + Ipv4Text(t.dstIp) +
                    ":" + std::to_string(t.dstPort);
    return s;
}

std::string
TimeText(uint64_t ns)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%llu.%09llu", (unsigned long long)(ns / 1000000000ull),
                  (unsigned long long)(ns % 1000000000ull));
    return buf;
}

namespace
{

Event
Base(EventKind k, uint64_t t, uint32_t sid, uint16_t node)
{
    Event e;
    e.kind = k;
    e.timeNs = t;
    e.session = sid;
    e.node = node;
    return e;
}

} // namespace

Event
MakeSession(uint64_t t, uint32_t sid, uint16_t client, uint16_t server, const FiveTuple& tuple,
            int64_t deltaC2s, int64_t deltaS2c, uint8_t flags)
{
    Event e = Base(EventKind::kSession, t, sid, client);
    SessionDecl d;
    d.tuple = tuple;
    d.server = server;
    d.flags = flags;
    d.delta[0] = deltaC2s;
    d.delta[1] = deltaS2c;
    e.payload = d;
    return e;
}

Event
MakeRange(EventKind writeOrRead, uint64_t t, uint32_t sid, uint16_t node, uint64_t offset,
          const uint8_t* data, uint32_t length)
{
    return MakeRangeHashed(writeOrRead, t, sid, node, offset, length, ContentHash(data, length));
}

Event
MakeRangeHashed(EventKind writeOrRead, uint64_t t, uint32_t sid, uint16_t node, uint64_t offset,
                uint32_t length, uint64_t hash)
{
    Event e = Base(writeOrRead, t, sid, node);
    e.payload = StreamRange{offset, length, hash};
    return e;
}

Event
MakeSegment(EventKind sentOrReceived, uint64_t t, uint32_t sid, uint16_t node, const Segment& s)
{
    Event e = Base(sentOrReceived, t, sid, node);
    e.payload = s;
    return e;
}

Event
MakeLock(uint64_t t, uint32_t sid, uint16_t node, uint16_t right, LockState state,
         uint16_t requestor, uint32_t rid)
{
    Event e = Base(EventKind::kLock, t, sid, node);
    e.payload = LockChange{right, state, requestor, rid};
    return e;
}

Event
MakePhase(uint64_t t, uint32_t sid, uint16_t node, uint32_t rid, Phase phase)
{
    Event e = Base(EventKind::kPhase, t, sid, node);
    e.payload = PhaseChange{rid, phase};
    return e;
}

Event
MakeRequest(uint64_t t, uint32_t sid, uint16_t node, uint32_t rid,
            const std::vector<uint16_t>& oldPath, const std::vector<uint16_t>& newPath)
{
    Event e = Base(EventKind::kPhase, t, sid, node);
    ReconfigRequest r;
    r.rid = rid;
    r.oldCount = uint8_t(std::min(oldPath.size(), kMaxPathNodes));
    r.newCount = uint8_t(std::min(newPath.size(), kMaxPathNodes));
    for (size_t i = 0; i < r.oldCount; ++i)
    {
        r.oldPath[i] = oldPath[i];
    }
    for (size_t i = 0; i < r.newCount; ++i)
    {
        r.newPath[i] = newPath[i];
    }
    e.payload = r;
    return e;
}

Event
MakeTeardown(uint64_t t, uint32_t sid, uint16_t node, const Teardown& td)
{
    Event e = Base(EventKind::kPhase, t, sid, node);
    e.payload = td;
    return e;
}

Event
MakeControl(uint64_t t, uint32_t sid, uint16_t node, bool sent, ControlMsg msg, uint16_t peer,
            uint32_t rid)
{
    Event e = Base(EventKind::kControl, t, sid, node);
    e.payload = Control{sent, msg, peer, rid};
    return e;
}

Event
MakeSimple(EventKind allocOrFree, uint64_t t, uint32_t sid, uint16_t node)
{
    return Base(allocOrFree, t, sid, node);
}

Event
MakeClose(uint64_t t, uint32_t sid, uint16_t node, CloseHow how)
{
    Event e = Base(EventKind::kClose, t, sid, node);
    e.payload = Close{how};
    return e;
}

Event
MakeEdit(uint64_t t, uint32_t sid, uint16_t node, const Edit& edit)
{
    Event e = Base(EventKind::kEdit, t, sid, node);
    e.payload = edit;
    return e;
}

} // namespace verify
} // namespace dysco
