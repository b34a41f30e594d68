#include "trace_format.h"

#include <charconv>

namespace dysco
{
namespace verify
{

namespace
{

void
Num(std::string& out, uint64_t v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, r.ptr);
}

void
SignedNum(std::string& out, int64_t v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof(buf), v);
    out.append(buf, r.ptr);
}

void
Hex16(std::string& out, uint64_t v)
{
    static const char kDigits[] = "0123456789abcdef";
    char buf[16];
    for (int i = 15; i >= 0; --i)
    {
        buf[i] = kDigits[v & 0xf];
        v >>= 4;
    }
    out.append(buf, 16);
}

void
Tab(std::string& out)
{
    out.push_back('\t');
}

void
Path(std::string& out, const uint16_t* nodes, size_t n, const std::vector<std::string>& names)
{
    for (size_t i = 0; i < n; ++i)
    {
        if (i)
        {
            out.push_back(',');
        }
        out += nodes[i] < names.size() ? names[nodes[i]] : "?";
    }
}

const std::string&
Name(const std::vector<std::string>& nodes, uint16_t n)
{
    static const std::string kUnknown = "?";
    return n < nodes.size() ? nodes[n] : kUnknown;
}

void
AppendSegment(std::string& out, const Segment& s)
{
    out += TcpFlagsText(s.flags);
    Tab(out);
    Num(out, s.seq);
    Tab(out);
    Num(out, s.ack);
    Tab(out);
    Num(out, s.length);
    Tab(out);
    Num(out, s.window);
    Tab(out);
    if (s.hasTimestamp)
    {
        Num(out, s.tsVal);
        out.push_back(',');
        Num(out, s.tsEcr);
    }
    else
    {
        out.push_back('-');
    }
    Tab(out);
    if (s.sackCount == 0)
    {
        out.push_back('-');
    }
    for (size_t i = 0; i < s.sackCount && i < kMaxSackBlocks; ++i)
    {
        if (i)
        {
            out.push_back(',');
        }
        Num(out, s.sack[i].left);
        out.push_back('-');
        Num(out, s.sack[i].right);
    }
}

void
AppendPhase(std::string& out, const Event& e, const std::vector<std::string>& nodes)
{
    Num(out, e.Rid());
    Tab(out);
    out += PhaseName(e.GetPhase());
    if (auto* r = std::get_if<ReconfigRequest>(&e.payload))
    {
        Tab(out);
        Path(out, r->oldPath.data(), r->oldCount, nodes);
        Tab(out);
        Path(out, r->newPath.data(), r->newCount, nodes);
    }
    else if (auto* td = std::get_if<Teardown>(&e.payload))
    {
        for (uint32_t v : {td->oldSent, td->oldSentAcked, td->oldRcvd, td->oldRcvdAcked})
        {
            Tab(out);
            Num(out, v);
        }
        Tab(out);
        if (td->hasFirstNewRcvd)
        {
            Num(out, td->firstNewRcvd);
        }
        else
        {
            out.push_back('-');
        }
        Tab(out);
        out.push_back(td->finOnOld ? '1' : '0');
        Tab(out);
        SignedNum(out, td->delta);
    }
}

} // namespace

std::string
HashText(uint64_t hash)
{
    std::string s;
    Hex16(s, hash);
    return s;
}

void
AppendRecord(std::string& out, const Event& e, const std::vector<std::string>& nodes)
{
    Num(out, e.timeNs);
    Tab(out);
    out.push_back(char(e.kind));
    Tab(out);
    Num(out, e.session);
    Tab(out);
    out += Name(nodes, e.node);
    switch (e.kind)
    {
    case EventKind::kSession:
    {
        const auto& d = std::get<SessionDecl>(e.payload);
        Tab(out);
        out += Name(nodes, d.server);
        Tab(out);
        out += FiveTupleText(d.tuple);
        Tab(out);
        SignedNum(out, d.delta[0]);
        Tab(out);
        SignedNum(out, d.delta[1]);
        Tab(out);
        out += (d.flags & sessionflag::kResetExpected) ? "r" : "-";
        break;
    }
    case EventKind::kWrite:
    case EventKind::kRead:
    {
        const auto& r = std::get<StreamRange>(e.payload);
        Tab(out);
        Num(out, r.offset);
        Tab(out);
        Num(out, r.length);
        Tab(out);
        Hex16(out, r.hash);
        break;
    }
    case EventKind::kEdit:
    {
        const auto& x = std::get<Edit>(e.payload);
        Tab(out);
        out += DirectionName(x.dir);
        Tab(out);
        Num(out, x.offset);
        Tab(out);
        Num(out, x.removed);
        Tab(out);
        Num(out, x.inserted);
        Tab(out);
        Hex16(out, x.hash);
        break;
    }
    case EventKind::kSegmentSent:
    case EventKind::kSegmentReceived:
        Tab(out);
        AppendSegment(out, std::get<Segment>(e.payload));
        break;
    case EventKind::kLock:
    {
        const auto& l = std::get<LockChange>(e.payload);
        Tab(out);
        out += Name(nodes, l.right);
        Tab(out);
        out += LockStateName(l.state);
        Tab(out);
        out += Name(nodes, l.requestor);
        Tab(out);
        Num(out, l.rid);
        break;
    }
    case EventKind::kPhase:
        Tab(out);
        AppendPhase(out, e, nodes);
        break;
    case EventKind::kControl:
    {
        const auto& c = std::get<Control>(e.payload);
        Tab(out);
        out += c.sent ? "tx" : "rx";
        Tab(out);
        out += ControlMsgName(c.msg);
        Tab(out);
        out += Name(nodes, c.peer);
        Tab(out);
        Num(out, c.rid);
        break;
    }
    case EventKind::kAlloc:
    case EventKind::kFree:
        break;
    case EventKind::kClose:
        Tab(out);
        out += CloseHowName(std::get<Close>(e.payload).how);
        break;
    }
    out.push_back('\n');
}

std::string
HeaderLine(const nlohmann::json& header)
{
    // Format and version first, so `head -c 60` tells what a file is.
    nlohmann::ordered_json h;
    h["format"] = kTraceFormat;
    h["version"] = kTraceVersion;
    if (header.is_object())
    {
        for (auto it = header.begin(); it != header.end(); ++it)
        {
            if (it.key() != "format" && it.key() != "version")
            {
                h[it.key()] = nlohmann::ordered_json::parse(it.value().dump());
            }
        }
    }
    return h.dump() + "\n";
}

std::string
EndLine(uint64_t records)
{
    return "end\t" + std::to_string(records) + "\n";
}

std::string
FormatTrace(const nlohmann::json& header, const std::vector<Event>& events)
{
    std::vector<std::string> nodes;
    if (header.contains("nodes") && header["nodes"].is_array())
    {
        for (const auto& n : header["nodes"])
        {
            nodes.push_back(n.is_string() ? n.get<std::string>() : "?");
        }
    }
    std::string out = HeaderLine(header);
    for (const auto& e : events)
    {
        AppendRecord(out, e, nodes);
    }
    out += EndLine(events.size());
    return out;
}

} // namespace verify
} // namespace dysco
