#include "trace_reader.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace dysco
{
namespace verify
{

namespace
{

constexpr size_t kMaxTokens = 16;

/// Thrown inside the parser with the message for the current line; caught in Parse.
struct LineError
{
    std::string message;
};

[[noreturn]] void
Fail(const std::string& message)
{
    throw LineError{message};
}

std::string
Quote(std::string_view s)
{
    std::string q(s.substr(0, 40));
    if (s.size() > 40)
    {
        q += "...";
    }
    return "'" + q + "'";
}

template <typename T>
T
ParseInt(std::string_view tok, const char* field, const char* what)
{
    T v{};
    auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v);
    if (r.ec != std::errc() || r.ptr != tok.data() + tok.size() || tok.empty())
    {
        Fail(std::string("field '") + field + "': expected " + what + ", got " + Quote(tok));
    }
    return v;
}

uint64_t
U64(std::string_view tok, const char* field)
{
    return ParseInt<uint64_t>(tok, field, "an unsigned integer");
}

uint32_t
U32(std::string_view tok, const char* field)
{
    return ParseInt<uint32_t>(tok, field, "an unsigned 32-bit integer");
}

int64_t
I64(std::string_view tok, const char* field)
{
    return ParseInt<int64_t>(tok, field, "a signed integer");
}

uint64_t
Hash(std::string_view tok, const char* field)
{
    if (tok.size() != 16)
    {
        Fail(std::string("field '") + field + "': expected 16 hex digits, got " + Quote(tok));
    }
    uint64_t v = 0;
    auto r = std::from_chars(tok.data(), tok.data() + tok.size(), v, 16);
    if (r.ec != std::errc() || r.ptr != tok.data() + tok.size())
    {
        Fail(std::string("field '") + field + "': expected 16 hex digits, got " + Quote(tok));
    }
    return v;
}

bool
ParseIpv4Text(std::string_view s, uint32_t* ip)
{
    uint32_t v = 0;
    int parts = 0;
    size_t i = 0;
    while (parts < 4)
    {
        uint32_t octet = 0;
        auto r = std::from_chars(s.data() + i, s.data() + s.size(), octet);
        if (r.ec != std::errc() || octet > 255)
        {
            return false;
        }
        v = (v << 8) | octet;
        i = size_t(r.ptr - s.data());
        ++parts;
        if (parts < 4)
        {
            if (i >= s.size() || s[i] != '.')
            {
                return false;
            }
            ++i;
        }
    }
    *ip = v;
    return i == s.size();
}

bool
ParseEndpoint(std::string_view s, uint32_t* ip, uint16_t* port)
{
    size_t colon = s.rfind(':');
    if (colon == std::string_view::npos)
    {
        return false;
    }
    uint32_t p = 0;
    std::string_view ps = s.substr(colon + 1);
    auto r = std::from_chars(ps.data(), ps.data() + ps.size(), p);
    if (r.ec != std::errc() || r.ptr != ps.data() + ps.size() || p > 65535 || ps.empty())
    {
        return false;
    }
    *port = uint16_t(p);
    return ParseIpv4Text(s.substr(0, colon), ip);
}

FiveTuple
ParseTuple(std::string_view tok)
{
    FiveTuple t;
    std::string_view s = tok;
    size_t slash = s.find('/');
    if (slash != std::string_view::npos)
    {
        uint32_t proto = 0;
        std::string_view ps = s.substr(slash + 1);
        auto r = std::from_chars(ps.data(), ps.data() + ps.size(), proto);
        if (r.ec != std::errc() || r.ptr != ps.data() + ps.size() || proto > 255)
        {
            Fail("field 'five-tuple': bad protocol in " + Quote(tok));
        }
        t.protocol = uint8_t(proto);
        s = s.substr(0, slash);
    }
    size_t gt = s.find('>');
    if (gt == std::string_view::npos || !ParseEndpoint(s.substr(0, gt), &t.srcIp, &t.srcPort) ||
        !ParseEndpoint(s.substr(gt + 1), &t.dstIp, &t.dstPort))
    {
        Fail("field 'five-tuple': expected A.B.C.D:PORT>E.F.G.H:PORT, got " + Quote(tok));
    }
    return t;
}

struct SessionState
{
    uint16_t client = 0;
    uint16_t server = 0;
    uint64_t written[2] = {0, 0};
    uint64_t editEnd[2] = {0, 0};
    bool hasEdits = false;
    /// rid -> left anchor, for the reconfigurations requested so far.
    std::unordered_map<uint32_t, uint16_t> rids;
};

class Parser
{
public:
    Parser(Trace* out)
        : m_trace(out)
    {
    }

    void Header(std::string_view line);
    void Record(std::string_view line, uint32_t lineNo);
    void End(std::string_view line);
    void CheckEdits();

    bool SawEnd() const { return m_sawEnd; }
    /// Line of the record a post-pass error is about (0: the current line).
    uint32_t ErrorLine() const { return m_errorLine; }

private:
    uint16_t Node(std::string_view tok, const char* field);
    Direction EndpointDirection(const SessionState& s, uint16_t node, const char* what);
    void Path(std::string_view tok, const char* field, uint8_t* count,
              std::array<uint16_t, kMaxPathNodes>* path);
    Segment ParseSegment();
    void ParsePhase(Event& e, SessionState& s);
    void ExpectTokens(size_t n, const char* layout);

    Trace* m_trace;
    std::unordered_map<std::string_view, uint16_t> m_nodeIndex;
    std::unordered_map<uint32_t, SessionState> m_sessions;
    std::string_view m_tok[kMaxTokens];
    size_t m_ntok = 0;
    bool m_sawEnd = false;
    uint32_t m_errorLine = 0;
};

void
Parser::ExpectTokens(size_t n, const char* layout)
{
    if (m_ntok != n)
    {
        Fail("expected " + std::to_string(n) + " fields (" + layout + "), got " +
             std::to_string(m_ntok));
    }
}

void
Parser::Header(std::string_view line)
{
    nlohmann::json h;
    try
    {
        h = nlohmann::json::parse(line);
    }
    catch (const nlohmann::json::exception& e)
    {
        Fail(std::string("the header is not JSON (expected {\"format\":\"dyscosim-trace\","
                         "\"version\":1,\"nodes\":[...]}): ") +
             e.what());
    }
    if (!h.is_object() || !h.contains("format") || !h["format"].is_string() ||
        h["format"].get<std::string>() != kTraceFormat)
    {
        Fail("not a dyscosim trace: header \"format\" must be \"dyscosim-trace\"");
    }
    if (!h.contains("version") || !h["version"].is_number_integer())
    {
        Fail("header \"version\": expected an integer");
    }
    int version = h["version"].get<int>();
    if (version != kTraceVersion)
    {
        Fail("trace version " + std::to_string(version) +
             " is not supported (this checker reads version " + std::to_string(kTraceVersion) +
             ")");
    }
    if (!h.contains("nodes") || !h["nodes"].is_array())
    {
        Fail("header \"nodes\": expected an array of node names");
    }
    for (const auto& n : h["nodes"])
    {
        if (!n.is_string() || n.get<std::string>().empty())
        {
            Fail("header \"nodes\": expected non-empty strings");
        }
        m_trace->nodes.push_back(n.get<std::string>());
    }
    if (m_trace->nodes.size() >= kNoNode)
    {
        Fail("header \"nodes\": too many nodes");
    }
    for (size_t i = 0; i < m_trace->nodes.size(); ++i)
    {
        const std::string& name = m_trace->nodes[i];
        if (name.find_first_of(" \t,") != std::string::npos)
        {
            Fail("header \"nodes\": node name " + Quote(name) + " contains a blank or comma");
        }
        if (!m_nodeIndex.emplace(name, uint16_t(i)).second)
        {
            Fail("header \"nodes\": node " + Quote(name) + " is listed twice");
        }
    }
    m_trace->header = std::move(h);
}

uint16_t
Parser::Node(std::string_view tok, const char* field)
{
    auto it = m_nodeIndex.find(tok);
    if (it == m_nodeIndex.end())
    {
        Fail(std::string("field '") + field + "': node " + Quote(tok) +
             " is not in the header's node list");
    }
    return it->second;
}

Direction
Parser::EndpointDirection(const SessionState& s, uint16_t node, const char* what)
{
    if (node == s.client)
    {
        return Direction::kClientToServer;
    }
    if (node == s.server)
    {
        return Direction::kServerToClient;
    }
    Fail(std::string(what) + " at node " + Quote(m_trace->nodes[node]) +
         ", which is neither the session's client (" + m_trace->nodes[s.client] +
         ") nor its server (" + m_trace->nodes[s.server] + ")");
}

void
Parser::Path(std::string_view tok, const char* field, uint8_t* count,
             std::array<uint16_t, kMaxPathNodes>* path)
{
    *count = 0;
    size_t start = 0;
    while (start <= tok.size())
    {
        size_t comma = tok.find(',', start);
        std::string_view name = tok.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
        if (*count >= kMaxPathNodes)
        {
            Fail(std::string("field '") + field + "': more than " + std::to_string(kMaxPathNodes) +
                 " nodes");
        }
        (*path)[(*count)++] = Node(name, field);
        if (comma == std::string_view::npos)
        {
            break;
        }
        start = comma + 1;
    }
    if (*count < 2)
    {
        Fail(std::string("field '") + field + "': a path needs at least its two anchors");
    }
}

Segment
Parser::ParseSegment()
{
    ExpectTokens(11, "time kind session node flags seq ack len win ts sack");
    Segment s;
    std::string_view flags = m_tok[4];
    if (flags != "-")
    {
        for (char c : flags)
        {
            switch (c)
            {
            case 'S':
                s.flags |= tcpflag::kSyn;
                break;
            case 'A':
                s.flags |= tcpflag::kAck;
                break;
            case 'F':
                s.flags |= tcpflag::kFin;
                break;
            case 'R':
                s.flags |= tcpflag::kRst;
                break;
            case 'P':
                s.flags |= tcpflag::kPsh;
                break;
            default:
                Fail("field 'flags': expected letters from SAFRP or '-', got " + Quote(flags));
            }
        }
    }
    s.seq = U32(m_tok[5], "seq");
    s.ack = U32(m_tok[6], "ack");
    s.length = U32(m_tok[7], "len");
    s.window = U32(m_tok[8], "win");
    std::string_view ts = m_tok[9];
    if (ts != "-")
    {
        size_t comma = ts.find(',');
        if (comma == std::string_view::npos)
        {
            Fail("field 'ts': expected TSVAL,TSECR or '-', got " + Quote(ts));
        }
        s.hasTimestamp = true;
        s.tsVal = U32(ts.substr(0, comma), "ts (TSval)");
        s.tsEcr = U32(ts.substr(comma + 1), "ts (TSecr)");
    }
    std::string_view sack = m_tok[10];
    if (sack != "-")
    {
        size_t start = 0;
        while (true)
        {
            size_t comma = sack.find(',', start);
            std::string_view block = sack.substr(
                start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
            size_t dash = block.find('-');
            if (dash == std::string_view::npos)
            {
                Fail("field 'sack': expected LEFT-RIGHT blocks separated by commas, got " +
                     Quote(sack));
            }
            if (s.sackCount >= kMaxSackBlocks)
            {
                Fail("field 'sack': more than 4 blocks");
            }
            s.sack[s.sackCount].left = U32(block.substr(0, dash), "sack (left edge)");
            s.sack[s.sackCount].right = U32(block.substr(dash + 1), "sack (right edge)");
            ++s.sackCount;
            if (comma == std::string_view::npos)
            {
                break;
            }
            start = comma + 1;
        }
    }
    return s;
}

Phase
PhaseFromName(std::string_view s)
{
    static const Phase kAll[] = {Phase::kRequest,    Phase::kLocked,    Phase::kDenied,
                                 Phase::kLockFailed, Phase::kNewPathUp, Phase::kNewPathFailed,
                                 Phase::kTeardown,   Phase::kDone,      Phase::kAborted,
                                 Phase::kClosed};
    for (Phase p : kAll)
    {
        if (s == PhaseName(p))
        {
            return p;
        }
    }
    Fail("field 'phase': unknown phase " + Quote(s) +
         " (expected request, locked, denied, lockFailed, newPathUp, newPathFailed, teardown, "
         "done, aborted or closed)");
}

void
Parser::ParsePhase(Event& e, SessionState& s)
{
    if (m_ntok < 6)
    {
        Fail("expected at least 6 fields (time kind session node rid phase ...), got " +
             std::to_string(m_ntok));
    }
    uint32_t rid = U32(m_tok[4], "rid");
    Phase phase = PhaseFromName(m_tok[5]);
    auto known = s.rids.find(rid);
    if (phase == Phase::kRequest)
    {
        ExpectTokens(8, "time kind session node rid request old-path new-path");
        if (known != s.rids.end())
        {
            Fail("reconfiguration " + std::to_string(rid) +
                 " was already requested in this session (rids must be unique per session)");
        }
        ReconfigRequest r;
        r.rid = rid;
        Path(m_tok[6], "old-path", &r.oldCount, &r.oldPath);
        Path(m_tok[7], "new-path", &r.newCount, &r.newPath);
        if (r.oldPath[0] != e.node)
        {
            Fail("the request's old path must start at the node that records it (its left "
                 "anchor)");
        }
        if (r.newPath[0] != r.oldPath[0] || r.newPath[r.newCount - 1] != r.oldPath[r.oldCount - 1])
        {
            Fail("old and new path must have the same anchors (first and last node)");
        }
        s.rids.emplace(rid, e.node);
        e.payload = r;
        return;
    }
    if (known == s.rids.end())
    {
        Fail("phase " + std::string(PhaseName(phase)) + " of reconfiguration " +
             std::to_string(rid) + ", which has no request record before it in this session");
    }
    if (phase == Phase::kTeardown)
    {
        ExpectTokens(13, "time kind session node rid teardown oldSent oldSentAcked oldRcvd "
                         "oldRcvdAcked firstNewRcvd finOnOld delta");
        Teardown td;
        td.rid = rid;
        td.oldSent = U32(m_tok[6], "oldSent");
        td.oldSentAcked = U32(m_tok[7], "oldSentAcked");
        td.oldRcvd = U32(m_tok[8], "oldRcvd");
        td.oldRcvdAcked = U32(m_tok[9], "oldRcvdAcked");
        if (m_tok[10] != "-")
        {
            td.hasFirstNewRcvd = true;
            td.firstNewRcvd = U32(m_tok[10], "firstNewRcvd");
        }
        if (m_tok[11] != "0" && m_tok[11] != "1")
        {
            Fail("field 'finOnOld': expected 0 or 1, got " + Quote(m_tok[11]));
        }
        td.finOnOld = m_tok[11] == "1";
        td.delta = ParseInt<int32_t>(m_tok[12], "delta", "a signed 32-bit integer");
        e.payload = td;
        return;
    }
    ExpectTokens(6, "time kind session node rid phase");
    if (known->second != e.node)
    {
        Fail("phase " + std::string(PhaseName(phase)) + " of reconfiguration " +
             std::to_string(rid) + " must be recorded by its left anchor " +
             m_trace->nodes[known->second]);
    }
    e.payload = PhaseChange{rid, phase};
}

ControlMsg
ControlFromName(std::string_view s)
{
    for (uint8_t m = 0; m <= uint8_t(ControlMsg::kStateImport); ++m)
    {
        if (s == ControlMsgName(ControlMsg(m)))
        {
            return ControlMsg(m);
        }
    }
    Fail("field 'msg': unknown control message " + Quote(s) +
         " (expected requestLock, ackLock, nackLock, cancelLock, ackCancel, trigger, terminate, "
         "ackTerminate, stateExport or stateImport)");
}

void
Parser::Record(std::string_view line, uint32_t lineNo)
{
    m_ntok = 0;
    size_t i = 0;
    while (i < line.size())
    {
        while (i < line.size() && (line[i] == '\t' || line[i] == ' '))
        {
            ++i;
        }
        if (i >= line.size())
        {
            break;
        }
        size_t start = i;
        while (i < line.size() && line[i] != '\t' && line[i] != ' ')
        {
            ++i;
        }
        if (m_ntok == kMaxTokens)
        {
            Fail("too many fields");
        }
        m_tok[m_ntok++] = line.substr(start, i - start);
    }
    if (m_sawEnd)
    {
        Fail("record after the end record");
    }
    if (m_ntok < 4)
    {
        Fail("expected at least 4 fields (time kind session node), got " + std::to_string(m_ntok));
    }
    Event e;
    e.timeNs = U64(m_tok[0], "time");
    if (!m_trace->events.empty() && e.timeNs < m_trace->events.back().timeNs)
    {
        Fail("time " + std::to_string(e.timeNs) + " ns is before the previous record's " +
             std::to_string(m_trace->events.back().timeNs) + " ns (time must not decrease)");
    }
    if (m_tok[1].size() != 1)
    {
        Fail("unknown record kind " + Quote(m_tok[1]) + " (expected one of SWRXTGLPMAFC)");
    }
    char k = m_tok[1][0];
    if (std::strchr("SWRXTGLPMAFC", k) == nullptr || k == '\0')
    {
        Fail("unknown record kind " + Quote(m_tok[1]) + " (expected one of SWRXTGLPMAFC)");
    }
    e.kind = EventKind(k);
    e.session = U32(m_tok[2], "session");
    e.node = Node(m_tok[3], "node");

    if (e.kind == EventKind::kSession)
    {
        ExpectTokens(9, "time S session client server five-tuple delta-c2s delta-s2c flags");
        if (m_sessions.count(e.session))
        {
            Fail("session " + std::to_string(e.session) + " is declared twice");
        }
        SessionDecl d;
        d.server = Node(m_tok[4], "server");
        if (d.server == e.node)
        {
            Fail("client and server of a session must be different nodes");
        }
        d.tuple = ParseTuple(m_tok[5]);
        d.delta[0] = I64(m_tok[6], "delta-c2s");
        d.delta[1] = I64(m_tok[7], "delta-s2c");
        if (m_tok[8] != "-")
        {
            for (char c : m_tok[8])
            {
                if (c != 'r')
                {
                    Fail("field 'flags': expected '-' or 'r', got " + Quote(m_tok[8]));
                }
                d.flags |= sessionflag::kResetExpected;
            }
        }
        SessionState st;
        st.client = e.node;
        st.server = d.server;
        m_sessions.emplace(e.session, std::move(st));
        e.payload = d;
        m_trace->events.push_back(std::move(e));
        m_trace->lines.push_back(lineNo);
        return;
    }

    auto sit = m_sessions.find(e.session);
    if (sit == m_sessions.end())
    {
        Fail("record refers to session " + std::to_string(e.session) +
             ", which has no S record before it");
    }
    SessionState& s = sit->second;

    switch (e.kind)
    {
    case EventKind::kWrite:
    case EventKind::kRead:
    {
        ExpectTokens(7, "time kind session node offset length hash");
        StreamRange r;
        r.offset = U64(m_tok[4], "offset");
        r.length = U32(m_tok[5], "length");
        r.hash = Hash(m_tok[6], "hash");
        Direction d = EndpointDirection(
            s, e.node, e.kind == EventKind::kWrite ? "application write" : "application read");
        if (e.kind == EventKind::kWrite)
        {
            uint64_t& w = s.written[size_t(d)];
            if (r.offset != w)
            {
                Fail("write at offset " + std::to_string(r.offset) + ", but the " +
                     DirectionWords(d) + " stream written so far ends at " + std::to_string(w) +
                     " (writes must be contiguous)");
            }
            if (r.length == 0)
            {
                Fail("write of length 0");
            }
            w += r.length;
        }
        else if (r.length == 0)
        {
            Fail("read of length 0");
        }
        e.payload = r;
        break;
    }
    case EventKind::kEdit:
    {
        ExpectTokens(9, "time X session node dir offset removed inserted hash");
        Edit x;
        if (m_tok[4] == "c2s")
        {
            x.dir = Direction::kClientToServer;
        }
        else if (m_tok[4] == "s2c")
        {
            x.dir = Direction::kServerToClient;
        }
        else
        {
            Fail("field 'dir': expected c2s or s2c, got " + Quote(m_tok[4]));
        }
        x.offset = U64(m_tok[5], "offset");
        x.removed = U64(m_tok[6], "removed");
        x.inserted = U32(m_tok[7], "inserted");
        x.hash = Hash(m_tok[8], "hash");
        uint64_t& end = s.editEnd[size_t(x.dir)];
        if (x.offset < end)
        {
            Fail("edit at offset " + std::to_string(x.offset) + " overlaps or precedes the " +
                 "previous edit of this direction (which ends at " + std::to_string(end) +
                 "); edits must be recorded in stream order");
        }
        if (x.removed == 0 && x.inserted == 0)
        {
            Fail("edit that removes and inserts nothing");
        }
        end = x.offset + x.removed;
        s.hasEdits = true;
        e.payload = x;
        break;
    }
    case EventKind::kSegmentSent:
    case EventKind::kSegmentReceived:
        EndpointDirection(s, e.node, "TCP segment");
        e.payload = ParseSegment();
        break;
    case EventKind::kLock:
    {
        ExpectTokens(8, "time L session node right state requestor rid");
        LockChange l;
        l.right = Node(m_tok[4], "right");
        if (m_tok[5] == "unlocked")
        {
            l.state = LockState::kUnlocked;
        }
        else if (m_tok[5] == "lockPending")
        {
            l.state = LockState::kLockPending;
        }
        else if (m_tok[5] == "locked")
        {
            l.state = LockState::kLocked;
        }
        else
        {
            Fail("field 'state': expected unlocked, lockPending or locked, got " + Quote(m_tok[5]));
        }
        l.requestor = Node(m_tok[6], "requestor");
        l.rid = U32(m_tok[7], "rid");
        if (!s.rids.count(l.rid))
        {
            Fail("lock change for reconfiguration " + std::to_string(l.rid) +
                 ", which has no request record before it in this session");
        }
        e.payload = l;
        break;
    }
    case EventKind::kPhase:
        ParsePhase(e, s);
        break;
    case EventKind::kControl:
    {
        ExpectTokens(8, "time M session node tx|rx msg peer rid");
        Control c;
        if (m_tok[4] == "tx")
        {
            c.sent = true;
        }
        else if (m_tok[4] == "rx")
        {
            c.sent = false;
        }
        else
        {
            Fail("field 'dir': expected tx or rx, got " + Quote(m_tok[4]));
        }
        c.msg = ControlFromName(m_tok[5]);
        c.peer = Node(m_tok[6], "peer");
        c.rid = U32(m_tok[7], "rid");
        if (c.msg != ControlMsg::kTrigger && !s.rids.count(c.rid))
        {
            Fail(std::string(ControlMsgName(c.msg)) + " for reconfiguration " +
                 std::to_string(c.rid) + ", which has no request record before it in this session");
        }
        e.payload = c;
        break;
    }
    case EventKind::kAlloc:
    case EventKind::kFree:
        ExpectTokens(4, "time kind session node");
        break;
    case EventKind::kClose:
    {
        ExpectTokens(5, "time C session node fin|rst|timeout");
        EndpointDirection(s, e.node, "session close");
        Close c;
        if (m_tok[4] == "fin")
        {
            c.how = CloseHow::kFin;
        }
        else if (m_tok[4] == "rst")
        {
            c.how = CloseHow::kRst;
        }
        else if (m_tok[4] == "timeout")
        {
            c.how = CloseHow::kTimeout;
        }
        else
        {
            Fail("field 'how': expected fin, rst or timeout, got " + Quote(m_tok[4]));
        }
        e.payload = c;
        break;
    }
    case EventKind::kSession:
        break;
    }
    m_trace->events.push_back(std::move(e));
    m_trace->lines.push_back(lineNo);
}

void
Parser::End(std::string_view line)
{
    // "end <records>"
    std::string_view rest = line.substr(3);
    while (!rest.empty() && (rest.front() == '\t' || rest.front() == ' '))
    {
        rest.remove_prefix(1);
    }
    while (!rest.empty() && (rest.back() == '\t' || rest.back() == ' '))
    {
        rest.remove_suffix(1);
    }
    if (m_sawEnd)
    {
        Fail("second end record");
    }
    uint64_t n = U64(rest, "end record count");
    if (n != m_trace->events.size())
    {
        Fail("the end record says " + std::to_string(n) + " records, but the trace has " +
             std::to_string(m_trace->events.size()) + " (records lost or added)");
    }
    m_sawEnd = true;
}

/// Edits must start and end on the sender's write boundaries (README.md "Content changes"):
/// checked once all writes are known.
void
Parser::CheckEdits()
{
    std::unordered_set<uint32_t> edited;
    for (const auto& [sid, s] : m_sessions)
    {
        if (s.hasEdits)
        {
            edited.insert(sid);
        }
    }
    if (edited.empty())
    {
        return;
    }
    // Boundaries per (session, direction): the sorted write ends.
    std::unordered_map<uint64_t, std::vector<uint64_t>> bounds;
    for (const Event& e : m_trace->events)
    {
        if (e.kind == EventKind::kWrite && edited.count(e.session))
        {
            const auto& s = m_sessions[e.session];
            uint64_t key = (uint64_t(e.session) << 1) | (e.node == s.client ? 0 : 1);
            auto& v = bounds[key];
            const auto& r = std::get<StreamRange>(e.payload);
            if (v.empty())
            {
                v.push_back(0);
            }
            v.push_back(r.offset + r.length);
        }
    }
    for (size_t i = 0; i < m_trace->events.size(); ++i)
    {
        const Event& e = m_trace->events[i];
        if (e.kind != EventKind::kEdit)
        {
            continue;
        }
        const auto& x = std::get<Edit>(e.payload);
        uint64_t key = (uint64_t(e.session) << 1) | uint64_t(x.dir);
        auto& v = bounds[key];
        if (v.empty())
        {
            v.push_back(0);
        }
        for (uint64_t b : {x.offset, x.offset + x.removed})
        {
            if (!std::binary_search(v.begin(), v.end(), b))
            {
                m_errorLine = m_trace->Line(i);
                Fail("edit boundary " + std::to_string(b) + " of the " + DirectionWords(x.dir) +
                     " stream is not a write boundary of the sender (the stream has " +
                     std::to_string(v.back()) +
                     " bytes; edits must replace whole writes or insert between them)");
            }
        }
    }
}

bool
ReadWholeFile(const std::string& path, std::string* text, std::string* error)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f)
    {
        *error = path + ": cannot open: " + std::strerror(errno);
        return false;
    }
    std::fseek(f, 0, SEEK_END);
    long size = std::ftell(f);
    std::fseek(f, 0, SEEK_SET);
    if (size < 0)
    {
        std::fclose(f);
        *error = path + ": cannot determine its size";
        return false;
    }
    text->resize(size_t(size));
    size_t got = size ? std::fread(text->data(), 1, size_t(size), f) : 0;
    std::fclose(f);
    if (got != size_t(size))
    {
        *error = path + ": read error";
        return false;
    }
    return true;
}

} // namespace

bool
TraceReader::ReadFile(const std::string& path, Trace* out, std::string* error)
{
    std::string text;
    if (!ReadWholeFile(path, &text, error))
    {
        return false;
    }
    return Parse(text, path, out, error);
}

bool
TraceReader::Parse(std::string_view text, const std::string& name, Trace* out, std::string* error)
{
    *out = Trace();
    out->source = name;
    out->events.reserve(text.size() / 64 + 16);
    out->lines.reserve(text.size() / 64 + 16);
    Parser parser(out);
    uint32_t lineNo = 0;
    size_t pos = 0;
    try
    {
        if (text.empty())
        {
            lineNo = 1;
            Fail("empty file (expected a JSON header line, then records, then an end record)");
        }
        bool header = true;
        while (pos < text.size())
        {
            ++lineNo;
            size_t nl = text.find('\n', pos);
            if (nl == std::string_view::npos)
            {
                Fail("truncated trace: the last line has no newline (the file was cut while "
                     "being written)");
            }
            std::string_view line = text.substr(pos, nl - pos);
            pos = nl + 1;
            if (!line.empty() && line.back() == '\r')
            {
                line.remove_suffix(1);
            }
            if (header)
            {
                parser.Header(line);
                header = false;
                continue;
            }
            if (line.empty() || line[0] == '#')
            {
                continue;
            }
            if (line.compare(0, 3, "end") == 0 &&
                (line.size() == 3 || line[3] == '\t' || line[3] == ' '))
            {
                parser.End(line);
                continue;
            }
            parser.Record(line, lineNo);
        }
        if (!parser.SawEnd())
        {
            ++lineNo;
            Fail("truncated trace: no end record after " + std::to_string(out->events.size()) +
                 " records (the writer was not closed, or the file was cut)");
        }
        parser.CheckEdits();
    }
    catch (const LineError& e)
    {
        uint32_t at = parser.ErrorLine() ? parser.ErrorLine() : lineNo;
        *error = name + ":" + std::to_string(at) + ": " + e.message;
        return false;
    }
    return true;
}

} // namespace verify
} // namespace dysco
