#include "property_lock_exclusive.h"

#include "reconfig_index.h"
#include "z3_query.h"

#include <limits>
#include <unordered_map>

namespace dysco
{
namespace verify
{

namespace
{

constexpr uint64_t kForever = uint64_t(std::numeric_limits<int64_t>::max());
constexpr uint32_t kNone = UINT32_MAX;

bool
IsDecision(Phase p)
{
    return p == Phase::kLocked || p == Phase::kDenied || p == Phase::kLockFailed;
}

bool
Intersect(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return a <= d && c <= b;
}

uint32_t
LockKey(uint16_t node, uint16_t right)
{
    return (uint32_t(node) << 16) | right;
}

/// One request as the scan sees it.
struct Contender
{
    const ReconfigInfo* info = nullptr;
    uint64_t start = 0;
    uint64_t decidedAt = kForever;
    uint32_t decision = kNone; ///< event index of the first locked/denied/lockFailed
    Phase decided = Phase::kRequest;
    uint64_t endAt = kForever;

    bool Won() const { return decision != kNone && decided == Phase::kLocked; }
};

Contender
Summarize(const Trace& trace, const ReconfigInfo& r)
{
    Contender c;
    c.info = &r;
    c.start = trace.events[r.request].timeNs;
    for (uint32_t p : r.phases)
    {
        const Event& e = trace.events[p];
        Phase ph = e.GetPhase();
        if (c.decision == kNone && IsDecision(ph))
        {
            c.decision = p;
            c.decided = ph;
            c.decidedAt = e.timeNs;
        }
        if (c.endAt == kForever && IsTerminal(ph))
        {
            c.endAt = e.timeNs;
        }
    }
    return c;
}

std::string
Describe(const Trace& trace, const ReconfigInfo& r)
{
    return "reconfiguration " + std::to_string(r.rid) + " (left anchor " + trace.NodeName(r.left) +
           ", old path " + PathText(trace, r.req->oldPath.data(), r.req->oldCount) + ")";
}

} // namespace

ScanResult
ScanLockExclusive(const Trace& trace, const SessionView& s)
{
    ScanResult res;
    auto add = [&](uint32_t event, std::string text, std::vector<uint32_t> related)
    {
        res.violations.push_back(Violation{PropertyId::kLockExclusive, s.sid, event,
                                           std::move(related), std::move(text)});
    };
    // Holders per subsession.
    struct Holder
    {
        uint16_t node = kNoNode;
        uint32_t since = 0;
    };
    std::unordered_map<uint32_t, Holder> holders;
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        if (e.kind != EventKind::kLock)
        {
            continue;
        }
        res.applicable = true;
        const LockChange& l = std::get<LockChange>(e.payload);
        Holder& h = holders[LockKey(e.node, l.right)];
        if (h.node != kNoNode && h.node != l.requestor)
        {
            add(i,
                "subsession " + trace.NodeName(e.node) + ">" + trace.NodeName(l.right) +
                    " became " + LockStateName(l.state) + " on behalf of " +
                    trace.NodeName(l.requestor) + " (reconfiguration " + std::to_string(l.rid) +
                    ") while it was held for " + trace.NodeName(h.node) + " since " +
                    EventRef(trace, h.since) + ": two lock holders",
                {h.since});
        }
        if (l.state == LockState::kUnlocked)
        {
            h.node = kNoNode;
        }
        else
        {
            if (h.node != l.requestor)
            {
                h.since = i;
            }
            h.node = l.requestor;
        }
    }
    // Contention between requests.
    std::vector<ReconfigInfo> reconfigs = CollectReconfigs(trace, s);
    if (!reconfigs.empty())
    {
        res.applicable = true;
    }
    std::vector<Contender> cs;
    for (const auto& r : reconfigs)
    {
        cs.push_back(Summarize(trace, r));
    }
    uint16_t sl = 0;
    uint16_t sr = 0;
    for (size_t i = 0; i < cs.size(); ++i)
    {
        for (size_t j = i + 1; j < cs.size(); ++j)
        {
            if (!SegmentsOverlap(*cs[i].info->req, *cs[j].info->req, &sl, &sr) || !cs[i].Won() ||
                !cs[j].Won() ||
                !Intersect(cs[i].start, cs[i].decidedAt, cs[j].start, cs[j].decidedAt))
            {
                continue;
            }
            uint32_t later = std::max(cs[i].decision, cs[j].decision);
            uint32_t earlier = std::min(cs[i].decision, cs[j].decision);
            add(later,
                Describe(trace, *cs[i].info) + " and " + Describe(trace, *cs[j].info) +
                    " both lock subsession " + trace.NodeName(sl) + ">" + trace.NodeName(sr) +
                    " and were pending at the same time, but both won the lock (" +
                    EventRef(trace, earlier) + " and this record): exactly one may win",
                {earlier, cs[i].info->request, cs[j].info->request});
        }
    }
    for (size_t i = 0; i < cs.size(); ++i)
    {
        if (cs[i].decision == kNone || cs[i].decided != Phase::kDenied)
        {
            continue;
        }
        bool lostToSomeone = false;
        for (size_t j = 0; j < cs.size() && !lostToSomeone; ++j)
        {
            lostToSomeone =
                j != i && SegmentsOverlap(*cs[i].info->req, *cs[j].info->req, &sl, &sr) &&
                cs[j].Won() && Intersect(cs[j].start, cs[j].endAt, cs[i].start, cs[i].decidedAt);
        }
        if (!lostToSomeone)
        {
            add(cs[i].decision,
                Describe(trace, *cs[i].info) + " was denied the lock, but no overlapping " +
                    "request held or won it between its request (" +
                    EventRef(trace, cs[i].info->request) + ") and the denial: no one won",
                {cs[i].info->request});
        }
    }
    return res;
}

Z3Result
Z3LockExclusive(z3::context& ctx, const Trace& trace, const SessionView& s, unsigned timeoutMs)
{
    ViolationQuery q(ctx);
    const z3::expr none = q.Bv32(kNoNode);
    // Holder of each subsession as a sequence of defined constants.
    std::unordered_map<uint32_t, z3::expr> holder;
    for (uint32_t i : s)
    {
        const Event& e = trace.events[i];
        if (e.kind != EventKind::kLock)
        {
            continue;
        }
        const LockChange& l = std::get<LockChange>(e.payload);
        auto it = holder.find(LockKey(e.node, l.right));
        if (it == holder.end())
        {
            it = holder.emplace(LockKey(e.node, l.right), none).first;
        }
        const z3::expr requestor = q.Bv32(l.requestor);
        q.Candidate(i, it->second != none && it->second != requestor);
        q.Witness(i, "holder", it->second);
        const z3::expr unlocked = q.Bool(l.state == LockState::kUnlocked);
        it->second = q.Step(z3::ite(unlocked, none, requestor));
    }

    // Per request: decision time and kind, end time, as "first matching phase" ite chains.
    std::vector<ReconfigInfo> rs = CollectReconfigs(trace, s);
    struct Z3Req
    {
        z3::expr start, decidedAt, won, endAt;
    };
    std::vector<Z3Req> zr;
    const z3::expr forever = q.Int(int64_t(kForever));
    for (const auto& r : rs)
    {
        z3::expr decidedAt = forever;
        z3::expr won = q.Bool(false);
        z3::expr endAt = forever;
        for (auto it = r.phases.rbegin(); it != r.phases.rend(); ++it)
        {
            const Event& e = trace.events[*it];
            const Phase ph = e.GetPhase();
            const z3::expr t = q.Int(int64_t(e.timeNs));
            const z3::expr isDecision = q.Bool(IsDecision(ph));
            decidedAt = z3::ite(isDecision, t, decidedAt);
            won = z3::ite(isDecision, q.Bool(ph == Phase::kLocked), won);
            endAt = z3::ite(q.Bool(IsTerminal(ph)), t, endAt);
        }
        zr.push_back(Z3Req{q.Int(int64_t(trace.events[r.request].timeNs)), decidedAt, won, endAt});
    }
    auto intersect = [](const z3::expr& a, const z3::expr& b, const z3::expr& c, const z3::expr& d)
    { return a <= d && c <= b; };
    uint16_t sl = 0;
    uint16_t sr = 0;
    for (size_t j = 0; j < rs.size(); ++j)
    {
        // Candidates: j's decision records that are locked or denied.
        bool earlierDecision = false;
        for (uint32_t p : rs[j].phases)
        {
            const Phase ph = trace.events[p].GetPhase();
            const bool first = !earlierDecision && IsDecision(ph);
            earlierDecision = earlierDecision || IsDecision(ph);
            if (!first)
            {
                continue;
            }
            std::vector<z3::expr> clash;
            std::vector<z3::expr> winner;
            for (size_t i = 0; i < rs.size(); ++i)
            {
                if (i == j || !SegmentsOverlap(*rs[i].req, *rs[j].req, &sl, &sr))
                {
                    continue;
                }
                // i's decision record index, as the same kind of chain.
                z3::expr decIdx = q.Int(int64_t(kNone));
                for (auto it = rs[i].phases.rbegin(); it != rs[i].phases.rend(); ++it)
                {
                    decIdx = z3::ite(q.Bool(IsDecision(trace.events[*it].GetPhase())),
                                     q.Int(int64_t(*it)), decIdx);
                }
                clash.push_back(
                    zr[i].won && decIdx < q.Int(int64_t(p)) &&
                    intersect(zr[i].start, zr[i].decidedAt, zr[j].start, zr[j].decidedAt));
                winner.push_back(zr[i].won &&
                                 intersect(zr[i].start, zr[i].endAt, zr[j].start, zr[j].decidedAt));
            }
            if (ph == Phase::kLocked)
            {
                q.Candidate(p, AnyOf(ctx, clash));
            }
            else if (ph == Phase::kDenied)
            {
                q.Candidate(p, !AnyOf(ctx, winner));
            }
        }
    }
    return q.Solve(timeoutMs);
}

} // namespace verify
} // namespace dysco
