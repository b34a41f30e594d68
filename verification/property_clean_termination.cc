#include "property_clean_termination.h"

#include "reconfig_index.h"
#include "z3_query.h"

#include <algorithm>

namespace dysco
{
namespace verify
{

namespace
{

constexpr uint32_t kNone = UINT32_MAX;

bool
PredicateHolds(const Teardown& td)
{
    return td.oldSentAcked == td.oldSent && td.oldRcvdAcked == td.oldRcvd &&
           (td.finOnOld || (td.hasFirstNewRcvd && td.oldRcvd == td.firstNewRcvd));
}

std::string
TeardownValues(const Teardown& td)
{
    return "oldSent=" + std::to_string(td.oldSent) +
           " oldSentAcked=" + std::to_string(td.oldSentAcked) +
           " oldRcvd=" + std::to_string(td.oldRcvd) +
           " oldRcvdAcked=" + std::to_string(td.oldRcvdAcked) + " firstNewRcvd=" +
           (td.hasFirstNewRcvd ? std::to_string(td.firstNewRcvd) : std::string("none")) +
           " finOnOld=" + (td.finOnOld ? "1" : "0");
}

const Teardown&
Td(const Trace& trace, uint32_t i)
{
    return std::get<Teardown>(trace.events[i].payload);
}

/// The teardown and done records of one reconfiguration.
struct TeardownSet
{
    std::vector<uint32_t> teardowns;
    std::vector<uint32_t> dones;
    uint32_t firstLeft = kNone;
    uint32_t firstRight = kNone;
};

TeardownSet
Teardowns(const Trace& trace, const ReconfigInfo& r)
{
    TeardownSet t;
    for (uint32_t p : r.phases)
    {
        const Event& e = trace.events[p];
        Phase ph = e.GetPhase();
        if (ph == Phase::kTeardown)
        {
            t.teardowns.push_back(p);
            if (e.node == r.left && t.firstLeft == kNone)
            {
                t.firstLeft = p;
            }
            if (e.node == r.right && t.firstRight == kNone)
            {
                t.firstRight = p;
            }
        }
        else if (ph == Phase::kDone)
        {
            t.dones.push_back(p);
        }
    }
    return t;
}

/// Per-agent state life cycle, for the few nodes a session touches.
struct AgentLife
{
    uint16_t node = 0;
    bool allocated = false;
    bool freed = false;
    uint32_t lastAlloc = kNone;
};

AgentLife&
Life(std::vector<AgentLife>& v, uint16_t node)
{
    for (auto& a : v)
    {
        if (a.node == node)
        {
            return a;
        }
    }
    v.push_back(AgentLife{node});
    return v.back();
}

/// Whether agent state still held at the end of the trace is a leak. Without the header's
/// "state_grace_ns" it always is. With it, agents may keep a closed session's state that long
/// (their close linger), so it is a leak only once both endpoints closed at least the grace
/// before the end of the run ("stop_ns", or the last record if later); a session an endpoint
/// never closed is flagged by the close rule instead.
bool
StateGraceExpired(const Trace& trace, const SessionView& s)
{
    const auto grace = trace.header.find("state_grace_ns");
    if (grace == trace.header.end() || !grace->is_number_unsigned())
    {
        return true;
    }
    uint64_t end = trace.events.empty() ? 0 : trace.events.back().timeNs;
    const auto stop = trace.header.find("stop_ns");
    if (stop != trace.header.end() && stop->is_number_unsigned())
    {
        end = std::max<uint64_t>(end, stop->get<uint64_t>());
    }
    uint64_t lastClose = 0;
    for (uint16_t node : {s.client, s.server})
    {
        bool closed = false;
        for (uint32_t i : s)
        {
            const Event& e = trace.events[i];
            if (e.kind == EventKind::kClose && e.node == node)
            {
                closed = true;
                lastClose = std::max(lastClose, e.timeNs);
                break;
            }
        }
        if (!closed)
        {
            return false;
        }
    }
    return end >= lastClose + grace->get<uint64_t>();
}

/// L, P and sent M records use the agent's session state.
bool
UsesState(const Event& e)
{
    return e.kind == EventKind::kLock || e.kind == EventKind::kPhase ||
           (e.kind == EventKind::kControl && std::get<Control>(e.payload).sent);
}

} // namespace

ScanResult
ScanCleanTermination(const Trace& trace, const SessionView& s)
{
    ScanResult res;
    res.applicable = true;
    auto add = [&](uint32_t event, std::string text, std::vector<uint32_t> related = {})
    {
        res.violations.push_back(Violation{PropertyId::kCleanTermination, s.sid, event,
                                           std::move(related), std::move(text)});
    };
    for (const auto& r : CollectReconfigs(trace, s))
    {
        const std::string what = "reconfiguration " + std::to_string(r.rid) + " (anchors " +
                                 trace.NodeName(r.left) + " and " + trace.NodeName(r.right) + ")";
        TeardownSet t = Teardowns(trace, r);
        for (uint32_t p : t.teardowns)
        {
            const Event& e = trace.events[p];
            const Teardown& td = Td(trace, p);
            if (e.node != r.left && e.node != r.right)
            {
                add(p, trace.NodeName(e.node) + " tore down the old path of " + what +
                           ", but only its anchors may");
            }
            else if (!PredicateHolds(td))
            {
                add(p, trace.NodeName(e.node) + " tore down the old path of " + what +
                           " although the teardown predicate (oldSentAcked = oldSent, "
                           "oldRcvdAcked = oldRcvd = firstNewRcvd or FIN on the old path) "
                           "was false: " +
                           TeardownValues(td));
            }
        }
        if (t.firstLeft != kNone && t.firstRight != kNone)
        {
            const Teardown& l = Td(trace, t.firstLeft);
            const Teardown& rt = Td(trace, t.firstRight);
            bool ok = l.oldRcvd == uint32_t(rt.oldSent + uint32_t(l.delta)) &&
                      rt.oldRcvd == uint32_t(l.oldSent + uint32_t(rt.delta));
            if (!l.finOnOld && !rt.finOnOld && !ok)
            {
                add(std::max(t.firstLeft, t.firstRight),
                    "the anchors of " + what + " disagree on where the old path ended: " +
                        trace.NodeName(r.left) + " oldRcvd=" + std::to_string(l.oldRcvd) +
                        " oldSent=" + std::to_string(l.oldSent) +
                        " delta=" + std::to_string(l.delta) + ", " + trace.NodeName(r.right) +
                        " oldRcvd=" + std::to_string(rt.oldRcvd) + " oldSent=" +
                        std::to_string(rt.oldSent) + " delta=" + std::to_string(rt.delta) +
                        " (expected left.oldRcvd = right.oldSent + left.delta and "
                        "right.oldRcvd = left.oldSent + right.delta): bytes cut off at the "
                        "switch",
                    {std::min(t.firstLeft, t.firstRight)});
            }
        }
        for (uint32_t d : t.dones)
        {
            if (t.firstLeft == kNone || t.firstLeft > d)
            {
                add(d, what + " is done, but its left anchor had not torn down the old path");
            }
            else if (t.firstRight == kNone)
            {
                add(d, what + " is done, but its right anchor never tore down the old path");
            }
        }
    }
    // Endpoints close.
    for (uint16_t node : {s.client, s.server})
    {
        uint32_t close = kNone;
        for (uint32_t i : s)
        {
            const Event& e = trace.events[i];
            if (e.kind == EventKind::kClose && e.node == node)
            {
                close = i;
                break;
            }
        }
        if (close == kNone)
        {
            add(s.decl, "endpoint " + trace.NodeName(node) + " never closed the session");
            continue;
        }
        CloseHow how = std::get<Close>(trace.events[close].payload).how;
        if (how != CloseHow::kFin && !(s.info->flags & sessionflag::kResetExpected))
        {
            add(close, "endpoint " + trace.NodeName(node) + " ended the session with " +
                           CloseHowName(how) +
                           " instead of a FIN (the session is not declared as reset on purpose)");
        }
    }
    // Agent state.
    std::vector<AgentLife> agents;
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        if (e.kind == EventKind::kAlloc)
        {
            AgentLife& a = Life(agents, e.node);
            a.allocated = true;
            a.freed = false;
            a.lastAlloc = i;
        }
        else if (e.kind == EventKind::kFree)
        {
            AgentLife& a = Life(agents, e.node);
            if (!a.allocated)
            {
                add(i, "agent " + trace.NodeName(e.node) + " freed session state it did not hold");
            }
            a.allocated = false;
            a.freed = true;
        }
        else if (UsesState(e))
        {
            AgentLife& a = Life(agents, e.node);
            if (a.freed)
            {
                add(i, "agent " + trace.NodeName(e.node) + " recorded a " + KindName(e.kind) +
                           " record after freeing its state for the session");
            }
        }
    }
    const bool graceExpired = StateGraceExpired(trace, s);
    for (const auto& a : agents)
    {
        if (a.allocated && graceExpired)
        {
            add(a.lastAlloc, "agent " + trace.NodeName(a.node) +
                                 " allocated state for the session and never freed it");
        }
    }
    return res;
}

Z3Result
Z3CleanTermination(z3::context& ctx, const Trace& trace, const SessionView& s, unsigned timeoutMs)
{
    ViolationQuery q(ctx);
    auto idx = [&](uint32_t p) { return q.Int(int64_t(p)); };
    for (const auto& r : CollectReconfigs(trace, s))
    {
        TeardownSet t = Teardowns(trace, r);
        for (uint32_t p : t.teardowns)
        {
            const Teardown& td = Td(trace, p);
            const z3::expr os = q.Bv32(td.oldSent);
            const z3::expr osa = q.Bv32(td.oldSentAcked);
            const z3::expr orc = q.Bv32(td.oldRcvd);
            const z3::expr ora = q.Bv32(td.oldRcvdAcked);
            const z3::expr fnr = q.Bv32(td.firstNewRcvd);
            const z3::expr predicate =
                osa == os && ora == orc &&
                (q.Bool(td.finOnOld) || (q.Bool(td.hasFirstNewRcvd) && orc == fnr));
            const uint16_t node = trace.events[p].node;
            q.Candidate(p, q.Bool(node != r.left && node != r.right) || !predicate);
        }
        if (t.firstLeft != kNone && t.firstRight != kNone)
        {
            const Teardown& l = Td(trace, t.firstLeft);
            const Teardown& rt = Td(trace, t.firstRight);
            const z3::expr agree =
                q.Bv32(l.oldRcvd) == q.Bv32(rt.oldSent) + q.Bv32(uint32_t(l.delta)) &&
                q.Bv32(rt.oldRcvd) == q.Bv32(l.oldSent) + q.Bv32(uint32_t(rt.delta));
            q.Candidate(std::max(t.firstLeft, t.firstRight),
                        !q.Bool(l.finOnOld) && !q.Bool(rt.finOnOld) && !agree);
        }
        for (uint32_t d : t.dones)
        {
            std::vector<z3::expr> leftBefore;
            std::vector<z3::expr> rightAny;
            for (uint32_t p : t.teardowns)
            {
                if (trace.events[p].node == r.left)
                {
                    leftBefore.push_back(idx(p) < idx(d));
                }
                if (trace.events[p].node == r.right)
                {
                    rightAny.push_back(q.Bool(true));
                }
            }
            q.Candidate(d, !AnyOf(ctx, leftBefore) || !AnyOf(ctx, rightAny));
        }
    }
    // Endpoints: the first close of each.
    for (uint16_t node : {s.client, s.server})
    {
        std::vector<uint32_t> closes;
        for (uint32_t i : s)
        {
            if (trace.events[i].kind == EventKind::kClose && trace.events[i].node == node)
            {
                closes.push_back(i);
            }
        }
        q.Candidate(s.decl, q.Bool(closes.empty()));
        if (!closes.empty())
        {
            const Close& c = std::get<Close>(trace.events[closes.front()].payload);
            q.Candidate(closes.front(), q.Bool(c.how != CloseHow::kFin) &&
                                            !q.Bool(s.info->flags & sessionflag::kResetExpected));
        }
    }
    // Agents: allocated / freed as per-node state sequences.
    struct Z3Life
    {
        uint16_t node;
        z3::expr allocated;
        z3::expr freed;
        uint32_t lastAlloc;
    };
    std::vector<Z3Life> lives;
    auto life = [&](uint16_t node) -> Z3Life&
    {
        for (auto& l : lives)
        {
            if (l.node == node)
            {
                return l;
            }
        }
        lives.push_back(Z3Life{node, q.Bool(false), q.Bool(false), kNone});
        return lives.back();
    };
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        if (e.kind == EventKind::kAlloc)
        {
            Z3Life& l = life(e.node);
            l.allocated = q.Bool(true);
            l.freed = q.Bool(false);
            l.lastAlloc = i;
        }
        else if (e.kind == EventKind::kFree)
        {
            Z3Life& l = life(e.node);
            q.Candidate(i, !l.allocated);
            l.allocated = q.Bool(false);
            l.freed = q.Bool(true);
        }
        else if (UsesState(e))
        {
            q.Candidate(i, life(e.node).freed);
        }
    }
    const z3::expr graceExpired = q.Bool(StateGraceExpired(trace, s));
    for (const auto& l : lives)
    {
        if (l.lastAlloc != kNone)
        {
            q.Candidate(l.lastAlloc, l.allocated && graceExpired);
        }
    }
    return q.Solve(timeoutMs);
}

} // namespace verify
} // namespace dysco
