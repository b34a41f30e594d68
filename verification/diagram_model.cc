#include "diagram_model.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace dysco
{
namespace verify
{

namespace
{

/// Left-to-right order of the nodes: paths merged so that a node goes just before the next
/// node of its path already placed (a new path's middleboxes land between its anchors,
/// after the old path's), endpoints at the ends.
class LifelineOrder
{
public:
    void Merge(const std::vector<uint16_t>& path)
    {
        for (size_t k = 0; k < path.size(); ++k)
        {
            if (Has(path[k]))
            {
                continue;
            }
            auto at = m_order.end();
            for (size_t j = k + 1; j < path.size(); ++j)
            {
                auto it = std::find(m_order.begin(), m_order.end(), path[j]);
                if (it != m_order.end())
                {
                    at = it;
                    break;
                }
            }
            m_order.insert(at, path[k]);
        }
    }

    /// A node met outside any path: before the server if the server is last, else last.
    void Add(uint16_t node, uint16_t server)
    {
        if (Has(node))
        {
            return;
        }
        auto at = !m_order.empty() && m_order.back() == server ? m_order.end() - 1 : m_order.end();
        m_order.insert(at, node);
    }

    bool Has(uint16_t node) const
    {
        return std::find(m_order.begin(), m_order.end(), node) != m_order.end();
    }

    const std::vector<uint16_t>& Nodes() const { return m_order; }

private:
    std::vector<uint16_t> m_order;
};

std::vector<uint16_t>
Path(const std::array<uint16_t, kMaxPathNodes>& nodes, uint8_t count)
{
    return std::vector<uint16_t>(nodes.begin(), nodes.begin() + count);
}

std::string
PathText(const Trace& t, const std::vector<uint16_t>& path)
{
    std::string s;
    for (uint16_t n : path)
    {
        s += (s.empty() ? "" : "-") + t.NodeName(n);
    }
    return s;
}

/// A short description of a data record (drawn only when marked).
std::string
DataText(const Trace& t, const Event& e)
{
    std::string s = KindName(e.kind);
    if (const auto* r = std::get_if<StreamRange>(&e.payload))
    {
        s += " offset=" + std::to_string(r->offset) + " len=" + std::to_string(r->length);
    }
    else if (const auto* x = std::get_if<Edit>(&e.payload))
    {
        s += std::string(" ") + DirectionName(x->dir) + " offset=" + std::to_string(x->offset) +
             " removed=" + std::to_string(x->removed) + " inserted=" + std::to_string(x->inserted);
    }
    else if (const auto* g = std::get_if<Segment>(&e.payload))
    {
        s += " " + TcpFlagsText(g->flags) + " seq=" + std::to_string(g->seq) +
             " ack=" + std::to_string(g->ack) + " len=" + std::to_string(g->length);
        for (uint8_t i = 0; i < g->sackCount; ++i)
        {
            s += (i == 0 ? " sack=" : ",") + std::to_string(g->sack[i].left) + "-" +
                 std::to_string(g->sack[i].right);
        }
    }
    else if (const auto* d = std::get_if<SessionDecl>(&e.payload))
    {
        s += " " + FiveTupleText(d->tuple) + " server " + t.NodeName(d->server);
    }
    return s;
}

/// A teardown's §3.4 variables and delta, as recorded.
std::string
TeardownDetail(const Teardown& td)
{
    std::string s = "oldSent=" + std::to_string(td.oldSent) +
                    " oldSentAcked=" + std::to_string(td.oldSentAcked) +
                    " oldRcvd=" + std::to_string(td.oldRcvd) +
                    " oldRcvdAcked=" + std::to_string(td.oldRcvdAcked) +
                    " firstNewRcvd=" + (td.hasFirstNewRcvd ? std::to_string(td.firstNewRcvd) : "-");
    if (td.finOnOld)
    {
        s += " finOnOld";
    }
    if (td.delta != 0)
    {
        s += " delta=" + std::to_string(td.delta);
    }
    return s;
}

NoteStyle
PhaseStyle(Phase p)
{
    switch (p)
    {
    case Phase::kRequest:
        return NoteStyle::kRequest;
    case Phase::kDone:
        return NoteStyle::kSuccess;
    case Phase::kDenied:
    case Phase::kLockFailed:
    case Phase::kNewPathFailed:
    case Phase::kAborted:
    case Phase::kClosed:
        return NoteStyle::kFailure;
    default:
        return NoteStyle::kPhase;
    }
}

} // namespace

std::vector<uint32_t>
ReconfiguredSessions(const Trace& trace)
{
    std::vector<uint32_t> out;
    for (const Event& e : trace.events)
    {
        const bool reconfig = e.kind == EventKind::kLock || e.kind == EventKind::kPhase ||
                              e.kind == EventKind::kControl;
        if (reconfig && std::find(out.begin(), out.end(), e.session) == out.end())
        {
            out.push_back(e.session);
        }
    }
    return out;
}

bool
BuildChart(const Trace& trace, uint32_t session, const std::set<uint32_t>& marked,
           SequenceChart* out)
{
    std::vector<uint32_t> events;
    for (uint32_t i = 0; i < trace.events.size(); ++i)
    {
        if (trace.events[i].session == session)
        {
            events.push_back(i);
        }
    }
    if (events.empty())
    {
        return false;
    }
    SequenceChart& c = *out;
    c = SequenceChart{};
    c.session = session;
    c.marked = marked;

    // Lifelines: endpoints, then the reconfiguration paths, then any other node met.
    uint16_t client = kNoNode;
    uint16_t server = kNoNode;
    LifelineOrder order;
    for (uint32_t i : events)
    {
        const Event& e = trace.events[i];
        if (const auto* d = std::get_if<SessionDecl>(&e.payload))
        {
            client = e.node;
            server = d->server;
            order.Merge({client, server});
            c.title = "session " + std::to_string(session) + "  " + FiveTupleText(d->tuple) +
                      "  (" + trace.NodeName(client) + " to " + trace.NodeName(server) + ")";
        }
        if (const auto* r = std::get_if<ReconfigRequest>(&e.payload))
        {
            order.Merge(Path(r->oldPath, r->oldCount));
            order.Merge(Path(r->newPath, r->newCount));
        }
    }
    if (c.title.empty())
    {
        c.title = "session " + std::to_string(session);
    }
    for (uint32_t i : events)
    {
        const Event& e = trace.events[i];
        order.Add(e.node, server);
        if (const auto* m = std::get_if<Control>(&e.payload))
        {
            order.Add(m->peer, server);
        }
        if (const auto* l = std::get_if<LockChange>(&e.payload))
        {
            order.Add(l->right, server);
        }
    }
    std::map<uint16_t, size_t> lane;
    for (uint16_t n : order.Nodes())
    {
        lane[n] = c.lifelines.size();
        c.lifelines.push_back(ChartLifeline{
            n, trace.NodeName(n), n == client ? "client" : (n == server ? "server" : "")});
    }

    std::map<uint32_t, std::vector<uint16_t>> newPaths;
    std::map<uint32_t, std::vector<uint16_t>> oldPaths;
    std::map<std::pair<uint16_t, uint16_t>, size_t> openBars; // (left, right) -> bar
    auto note = [&](uint32_t i, NoteStyle style, std::string text)
    {
        c.notes.push_back(
            ChartNote{lane[trace.events[i].node], i, style, std::move(text), marked.count(i) > 0});
    };
    auto lanes = [&](const std::vector<uint16_t>& path)
    {
        std::vector<size_t> v;
        for (uint16_t n : path)
        {
            v.push_back(lane[n]);
        }
        return v;
    };

    for (uint32_t i : events)
    {
        const Event& e = trace.events[i];
        const bool isMarked = marked.count(i) > 0;
        bool drawn = true;
        switch (e.kind)
        {
        case EventKind::kAlloc:
            note(i, NoteStyle::kLifecycle, "alloc");
            break;
        case EventKind::kFree:
            note(i, NoteStyle::kLifecycle, "free");
            break;
        case EventKind::kClose:
            note(i, NoteStyle::kLifecycle,
                 std::string("close ") + CloseHowName(std::get<Close>(e.payload).how));
            break;
        case EventKind::kLock:
        {
            const auto& l = std::get<LockChange>(e.payload);
            note(i, NoteStyle::kLock,
                 std::string(LockStateName(l.state)) + " to " + trace.NodeName(l.right) + " (" +
                     trace.NodeName(l.requestor) + " r" + std::to_string(l.rid) + ")");
            const auto key = std::make_pair(e.node, l.right);
            auto open = openBars.find(key);
            if (open != openBars.end())
            {
                c.bars[open->second].to = i;
                openBars.erase(open);
            }
            if (l.state != LockState::kUnlocked)
            {
                openBars[key] = c.bars.size();
                c.bars.push_back(ChartLockBar{lane[e.node], l.state, i, kNoEvent});
            }
            break;
        }
        case EventKind::kPhase:
        {
            const Phase p = e.GetPhase();
            const std::string rid = " r" + std::to_string(e.Rid());
            if (const auto* r = std::get_if<ReconfigRequest>(&e.payload))
            {
                oldPaths[r->rid] = Path(r->oldPath, r->oldCount);
                newPaths[r->rid] = Path(r->newPath, r->newCount);
                note(i, NoteStyle::kRequest,
                     "request" + rid + ": " + PathText(trace, oldPaths[r->rid]) + " => " +
                         PathText(trace, newPaths[r->rid]));
            }
            else if (p == Phase::kNewPathUp)
            {
                const auto& path =
                    newPaths.count(e.Rid()) ? newPaths[e.Rid()] : std::vector<uint16_t>{e.node};
                c.bands.push_back(ChartBand{i, BandStyle::kNewPath, lanes(path),
                                            "new path up" + rid + ": " + PathText(trace, path), "",
                                            isMarked});
            }
            else if (const auto* td = std::get_if<Teardown>(&e.payload))
            {
                const auto& path =
                    oldPaths.count(e.Rid()) ? oldPaths[e.Rid()] : std::vector<uint16_t>{e.node};
                c.bands.push_back(
                    ChartBand{i, BandStyle::kTeardown, lanes(path),
                              trace.NodeName(e.node) + " tears down the old path" + rid,
                              TeardownDetail(*td), isMarked});
            }
            else
            {
                note(i, PhaseStyle(p), std::string(PhaseName(p)) + rid);
            }
            break;
        }
        case EventKind::kControl:
        {
            const auto& m = std::get<Control>(e.payload);
            if (m.sent)
            {
                c.messages.push_back(
                    ChartMessage{lane[e.node], lane[m.peer], m.msg, m.rid, i, kNoEvent, isMarked});
                break;
            }
            // The oldest unanswered tx of this message from the peer to this node.
            auto it = std::find_if(c.messages.begin(), c.messages.end(),
                                   [&](const ChartMessage& x)
                                   {
                                       return x.rx == kNoEvent && x.tx != kNoEvent &&
                                              x.from == lane[m.peer] && x.to == lane[e.node] &&
                                              x.msg == m.msg && x.rid == m.rid;
                                   });
            if (it != c.messages.end())
            {
                it->rx = i;
                it->marked = it->marked || isMarked;
            }
            else
            {
                c.messages.push_back(
                    ChartMessage{lane[m.peer], lane[e.node], m.msg, m.rid, kNoEvent, i, isMarked});
            }
            break;
        }
        case EventKind::kSession:
            drawn = isMarked;
            if (drawn)
            {
                note(i, NoteStyle::kData, DataText(trace, e));
            }
            break;
        default:
            drawn = isMarked;
            if (drawn)
            {
                note(i, NoteStyle::kData, DataText(trace, e));
            }
            break;
        }
        if (drawn)
        {
            c.rows.push_back(i);
        }
    }
    return true;
}

} // namespace verify
} // namespace dysco
