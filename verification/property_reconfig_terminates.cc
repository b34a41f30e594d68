#include "property_reconfig_terminates.h"

#include "reconfig_index.h"
#include "z3_query.h"

namespace dysco
{
namespace verify
{

namespace
{

constexpr uint32_t kNone = UINT32_MAX;

/// The left anchor's phase records (everything but teardown), trace order.
std::vector<uint32_t>
LeftPhases(const Trace& trace, const ReconfigInfo& r)
{
    std::vector<uint32_t> out;
    for (uint32_t p : r.phases)
    {
        if (trace.events[p].GetPhase() != Phase::kTeardown)
        {
            out.push_back(p);
        }
    }
    return out;
}

bool
IsControl(const Trace& trace, uint32_t i, uint16_t node, bool sent, ControlMsg msg)
{
    const Event& e = trace.events[i];
    const Control& c = std::get<Control>(e.payload);
    return e.node == node && c.sent == sent && c.msg == msg;
}

/// Why the first terminal record `t` (phase ph) is not justified; empty if it is.
std::string
Unjustified(const Trace& trace, const ReconfigInfo& r, const std::vector<uint32_t>& phases,
            uint32_t t, Phase ph)
{
    uint32_t locked = kNone;
    uint32_t up = kNone;
    uint32_t failed = kNone;
    for (uint32_t p : phases)
    {
        if (p >= t)
        {
            break;
        }
        Phase x = trace.events[p].GetPhase();
        if (x == Phase::kLocked && locked == kNone)
        {
            locked = p;
        }
        if (x == Phase::kNewPathUp && up == kNone)
        {
            up = p;
        }
        if (x == Phase::kNewPathFailed && failed == kNone)
        {
            failed = p;
        }
    }
    switch (ph)
    {
    case Phase::kDone:
        if (locked == kNone)
        {
            return "it was recorded done, but its segment was never locked";
        }
        if (up == kNone)
        {
            return "it was recorded done, but its new path never came up";
        }
        if (failed != kNone)
        {
            return "it was recorded done after its new path failed (" + EventRef(trace, failed) +
                   ")";
        }
        return {};
    case Phase::kAborted:
    {
        if (failed == kNone)
        {
            return "it was aborted although its new path never failed: unless the new path "
                   "cannot be set up, a reconfiguration must succeed";
        }
        uint32_t cancel = kNone;
        for (uint32_t c : r.controls)
        {
            if (c > failed && c < t && IsControl(trace, c, r.left, true, ControlMsg::kCancelLock))
            {
                cancel = c;
                break;
            }
        }
        if (cancel == kNone)
        {
            return "it was aborted without the left anchor " + trace.NodeName(r.left) +
                   " sending cancelLock after the new path failed (" + EventRef(trace, failed) +
                   "): the old path stays locked";
        }
        for (uint32_t a : r.controls)
        {
            if (a > cancel && a < t && IsControl(trace, a, r.left, false, ControlMsg::kAckCancel))
            {
                return {};
            }
        }
        return "it was aborted before the left anchor " + trace.NodeName(r.left) +
               " received ackCancel for its cancelLock (" + EventRef(trace, cancel) + ")";
    }
    case Phase::kDenied:
    case Phase::kLockFailed:
        if (locked != kNone)
        {
            return std::string("it ended ") + PhaseName(ph) +
                   " after it had already locked its "
                   "segment (" +
                   EventRef(trace, locked) + ")";
        }
        return {};
    default:
        return {};
    }
}

} // namespace

ScanResult
ScanReconfigTerminates(const Trace& trace, const SessionView& s)
{
    ScanResult res;
    std::vector<ReconfigInfo> rs = CollectReconfigs(trace, s);
    res.applicable = !rs.empty();
    for (const auto& r : rs)
    {
        auto add = [&](uint32_t event, const std::string& text)
        {
            res.violations.push_back(Violation{PropertyId::kReconfigTerminates,
                                               s.sid,
                                               event,
                                               {r.request},
                                               "reconfiguration " + std::to_string(r.rid) +
                                                   " (left anchor " + trace.NodeName(r.left) +
                                                   ", requested at " + EventRef(trace, r.request) +
                                                   "): " + text});
        };
        std::vector<uint32_t> phases = LeftPhases(trace, r);
        uint32_t term = kNone;
        for (uint32_t p : phases)
        {
            if (IsTerminal(trace.events[p].GetPhase()))
            {
                term = p;
                break;
            }
        }
        if (term == kNone)
        {
            std::string last = phases.empty() ? std::string("request")
                                              : PhaseName(trace.events[phases.back()].GetPhase());
            add(r.request, "it never ended (last phase: " + last +
                               "); expected done, aborted, denied, lockFailed or closed");
            continue;
        }
        std::string why = Unjustified(trace, r, phases, term, trace.events[term].GetPhase());
        if (!why.empty())
        {
            add(term, why);
        }
        for (uint32_t p : phases)
        {
            if (p > term)
            {
                add(p, std::string("phase ") + PhaseName(trace.events[p].GetPhase()) +
                           " after it had ended (" + PhaseName(trace.events[term].GetPhase()) +
                           " at " + EventRef(trace, term) + ")");
            }
        }
    }
    return res;
}

Z3Result
Z3ReconfigTerminates(z3::context& ctx, const Trace& trace, const SessionView& s, unsigned timeoutMs)
{
    ViolationQuery q(ctx);
    for (const auto& r : CollectReconfigs(trace, s))
    {
        std::vector<uint32_t> phases = LeftPhases(trace, r);
        auto is = [&](uint32_t p, Phase ph) { return trace.events[p].GetPhase() == ph; };
        auto idx = [&](uint32_t p) { return q.Int(int64_t(p)); };
        // T: the first terminal record, defined by membership and minimality.
        const z3::expr T = q.FreshInt("first_terminal");
        std::vector<z3::expr> member;
        for (uint32_t p : phases)
        {
            if (IsTerminal(trace.events[p].GetPhase()))
            {
                member.push_back(T == idx(p));
                q.Assert(T <= idx(p));
            }
        }
        const bool hasTerm = !member.empty();
        if (hasTerm)
        {
            q.Assert(AnyOf(ctx, member));
        }
        q.Candidate(r.request, q.Bool(!hasTerm));

        // "some record of kind k lies before T", and the cancel handshake.
        auto before = [&](Phase ph)
        {
            std::vector<z3::expr> v;
            for (uint32_t p : phases)
            {
                if (is(p, ph))
                {
                    v.push_back(idx(p) < T);
                }
            }
            return AnyOf(ctx, v);
        };
        std::vector<z3::expr> handshake;
        for (uint32_t c : r.controls)
        {
            if (!IsControl(trace, c, r.left, true, ControlMsg::kCancelLock))
            {
                continue;
            }
            std::vector<z3::expr> failedFirst;
            for (uint32_t f : phases)
            {
                if (is(f, Phase::kNewPathFailed))
                {
                    failedFirst.push_back(idx(f) < idx(c));
                }
            }
            for (uint32_t a : r.controls)
            {
                if (IsControl(trace, a, r.left, false, ControlMsg::kAckCancel))
                {
                    handshake.push_back(AnyOf(ctx, failedFirst) && idx(c) < idx(a) && idx(a) < T);
                }
            }
        }
        const z3::expr doneOk =
            before(Phase::kLocked) && before(Phase::kNewPathUp) && !before(Phase::kNewPathFailed);
        const z3::expr abortOk = before(Phase::kNewPathFailed) && AnyOf(ctx, handshake);
        const z3::expr notLocked = !before(Phase::kLocked);
        for (uint32_t p : phases)
        {
            const Phase ph = trace.events[p].GetPhase();
            z3::expr unjustified = q.Bool(false);
            if (ph == Phase::kDone)
            {
                unjustified = !doneOk;
            }
            else if (ph == Phase::kAborted)
            {
                unjustified = !abortOk;
            }
            else if (ph == Phase::kDenied || ph == Phase::kLockFailed)
            {
                unjustified = !notLocked;
            }
            const z3::expr after = q.Bool(hasTerm) && idx(p) > T;
            q.Candidate(p, after || (T == idx(p) && unjustified));
        }
    }
    return q.Solve(timeoutMs);
}

} // namespace verify
} // namespace dysco
