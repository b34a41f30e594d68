#include "reconfig_driver.h"

#include "core/control.h"
#include "core/reconfig.h"
#include "ns3/simulator.h"

namespace dyscosim
{

using namespace ns3;

namespace
{

const char*
AbortReason(uint32_t detail)
{
    switch (detail)
    {
    case 1:
        return "nacked";
    case 2:
        return "new_path_failed";
    case 3:
        return "control_lost";
    case 4:
        return "session_closed";
    case dysco::kAbortLockTimeout:
        return "lock_timeout";
    }
    return "unknown";
}

double
Now()
{
    return Simulator::Now().GetSeconds();
}

/// Another reconfiguration holds or runs on the session at this agent.
bool
Busy(const dysco::Session& s)
{
    return s.reconfig[0] || s.reconfig[1] || s.rightLock.state != dysco::LockState::kUnlocked;
}

} // namespace

ReconfigDriver::ReconfigDriver(RunContext& ctx)
    : m_ctx(ctx)
    , m_rng(uint64_t(ctx.scenario.seed) * 0x9E3779B97F4A7C15ull + 0x5EC0F16ull)
{
}

void
ReconfigDriver::Install()
{
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        m_sinks.push_back(std::make_unique<Sink>(Sink{this, n}));
        m_ctx.Agent(n)->TraceConnectWithoutContext(
            "AgentEvent", MakeBoundCallback(&ReconfigDriver::OnEvent, m_sinks.back().get()));
    }
    for (size_t i = 0; i < m_ctx.scenario.reconfigurations.size(); ++i)
    {
        Simulator::Schedule(Seconds(Spec(i).atS), &ReconfigDriver::Trigger, this, i);
    }
}

const ReconfigSpec&
ReconfigDriver::Spec(size_t entry) const
{
    const auto& own = m_ctx.scenario.reconfigurations;
    return entry < own.size() ? own[entry] : m_asked[entry - own.size()];
}

void
ReconfigDriver::Ask(const ReconfigSpec& spec, uint64_t stream)
{
    m_asked.push_back(spec);
    Request q;
    q.entry = m_ctx.scenario.reconfigurations.size() + m_asked.size() - 1;
    q.stream = stream;
    m_requests.push_back(q);
    const size_t node = spec.deleteNode ? *spec.deleteNode : spec.leftAnchor;
    Simulator::ScheduleWithContext(m_ctx.nodes.Get(uint32_t(node))->GetId(), Time(0),
                                   &ReconfigDriver::Issue, this, m_requests.size() - 1);
}

void
ReconfigDriver::Trigger(size_t entry)
{
    const ReconfigSpec& spec = Spec(entry);
    const size_t node = spec.deleteNode ? *spec.deleteNode : spec.leftAnchor;
    for (uint64_t stream : m_ctx.Select(spec.sessions))
    {
        // Seeded start offsets, drawn in trigger order: contention differs per seed only.
        const double u = double(m_rng() >> 11) * 0x1.0p-53;
        Request q;
        q.entry = entry;
        q.stream = stream;
        m_requests.push_back(q);
        Simulator::ScheduleWithContext(m_ctx.nodes.Get(uint32_t(node))->GetId(),
                                       Seconds(u * spec.jitterS), &ReconfigDriver::Issue, this,
                                       m_requests.size() - 1);
    }
}

void
ReconfigDriver::Issue(size_t request)
{
    Request& q = m_requests[request];
    const ReconfigSpec& spec = Spec(q.entry);
    ++q.attempts;
    q.triggerS = Now();
    m_issuing = int64_t(request);
    if (spec.deleteNode)
    {
        IssueDeletion(q);
    }
    else
    {
        IssueExplicit(q);
    }
    m_issuing = -1;
    if (spec.retryAfterS > 0)
    {
        Simulator::Schedule(Seconds(spec.retryAfterS), &ReconfigDriver::Check, this, request);
    }
}

const dysco::Session*
ReconfigDriver::SessionAt(size_t node, uint64_t stream)
{
    auto session = m_ctx.SessionOf(stream);
    if (!session)
    {
        return nullptr;
    }
    const dysco::Session* s = m_ctx.Agent(node)->GetCore().FindSession(*session);
    return s != nullptr && !s->Closed() ? s : nullptr;
}

void
ReconfigDriver::IssueExplicit(Request& q)
{
    const ReconfigSpec& spec = Spec(q.entry);
    const dysco::Session* s = SessionAt(spec.leftAnchor, q.stream);
    if (s == nullptr)
    {
        RecordRefused(q, spec.leftAnchor, "no_session");
        return;
    }
    std::vector<Ipv4Address> path;
    for (size_t mb : spec.middleboxes)
    {
        path.emplace_back(m_ctx.AgentAddress(mb));
    }
    const dysco::FiveTuple header = s->rightSession; // the session's header on its right side
    if (spec.migrate)
    {
        IssueMigration(q, header, path);
        return;
    }
    if (m_ctx.Agent(spec.leftAnchor)
            ->Reconfigure(header, Ipv4Address(m_ctx.AgentAddress(spec.rightAnchor)), path) == 0)
    {
        RecordRefused(q, spec.leftAnchor, "busy");
    }
}

void
ReconfigDriver::IssueMigration(Request& q, const dysco::FiveTuple& header,
                               const std::vector<Ipv4Address>& path)
{
    const ReconfigSpec& spec = Spec(q.entry);
    const MigrationSpec& mig = *spec.migrate;
    DyscoMigrationRequest req;
    req.session = header;
    req.rightSession = m_ctx.statefulBoxes.at(mig.from)->Translate(header);
    req.leftAnchor = m_ctx.Agent(spec.leftAnchor);
    req.rightAnchor = m_ctx.Agent(spec.rightAnchor);
    req.newPath = path;
    req.from = m_ctx.statefulBoxes.at(mig.from);
    req.to = m_ctx.statefulBoxes.at(mig.to);
    req.mode = mig.buffered ? DyscoMigrationRequest::BUFFERED : DyscoMigrationRequest::UNBUFFERED;
    req.transferDelay = Seconds(mig.transferS);
    req.corrupt = mig.corrupt;
    // An unbuffered migration reconfigures only once the state is copied: Started() finds
    // the request by its stream then.
    q.pendingMigration = !mig.buffered;
    const uint32_t id = m_ctx.migration->Start(req);
    m_ctx.migrationTags[id] = RunContext::MigrationTag{q.entry, mig.from, mig.to};
    const DyscoMigrationRecord& rec = m_ctx.migration->GetRecords().at(id - 1);
    if (rec.outcome == "refused")
    {
        q.pendingMigration = false;
        RecordRefused(q, spec.leftAnchor, "busy");
    }
}

void
ReconfigDriver::IssueDeletion(Request& q)
{
    const size_t mb = *Spec(q.entry).deleteNode;
    const dysco::Session* s = SessionAt(mb, q.stream);
    if (s == nullptr || s->role != dysco::Role::kMiddle)
    {
        return; // not (or no longer) in the session's chain: nothing to ask
    }
    // The trigger travels to the left neighbour, whose kReconfigStarted (or refusal) ends
    // the wait (Started, TriggerOutcome).
    q.pendingStart = true;
    const dysco::FiveTuple header = s->leftSession;
    if (!m_ctx.Agent(mb)->RequestDeletion(header))
    {
        q.pendingStart = false;
    }
}

void
ReconfigDriver::RecordRefused(Request& q, size_t leftAnchorNode, const char* why)
{
    const ReconfigSpec& spec = Spec(q.entry);
    ReconfigRecord r;
    r.leftAnchor = m_ctx.scenario.nodes[leftAnchorNode].name;
    r.streamId = q.stream;
    if (!spec.deleteNode)
    {
        r.rightAnchor = m_ctx.scenario.nodes[spec.rightAnchor].name;
        for (size_t mb : spec.middleboxes)
        {
            r.middleboxes.push_back(m_ctx.scenario.nodes[mb].name);
        }
    }
    r.entry = int(q.entry);
    r.attempt = q.attempts;
    r.triggerS = q.triggerS;
    r.startS = Now();
    r.endS = Now();
    r.outcome = "refused";
    r.reason = why;
    m_records.push_back(r);
    m_inTwoPaths.push_back(0);
    m_anchorsDone.push_back(0);
    q.latest = int(m_records.size() - 1);
}

void
ReconfigDriver::Check(size_t request)
{
    Request& q = m_requests[request];
    const ReconfigSpec& spec = Spec(q.entry);
    const Time again = Seconds(spec.retryAfterS);
    if (q.latest >= 0)
    {
        const ReconfigRecord& r = m_records[size_t(q.latest)];
        if (r.outcome == "succeeded")
        {
            return;
        }
        if (r.outcome.empty())
        {
            Simulator::Schedule(again, &ReconfigDriver::Check, this, request); // still running
            return;
        }
    }
    if (q.attempts >= 1 + spec.retries)
    {
        return;
    }
    // Retry only what still makes sense, and not into another reconfiguration of the
    // same segment: wait for it instead.
    const size_t node = spec.deleteNode ? *spec.deleteNode : spec.leftAnchor;
    const dysco::Session* s = SessionAt(node, q.stream);
    if (s == nullptr || (spec.deleteNode && s->role != dysco::Role::kMiddle))
    {
        return;
    }
    bool busy = spec.deleteNode ? (s->reconfig[0] || s->reconfig[1]) : Busy(*s);
    if (spec.deleteNode && !busy)
    {
        auto left = m_ctx.NodeOf(s->leftSub.srcIp);
        const dysco::Session* ls = left ? SessionAt(*left, q.stream) : nullptr;
        busy = ls != nullptr && Busy(*ls);
    }
    if (busy)
    {
        Simulator::Schedule(again, &ReconfigDriver::Check, this, request);
        return;
    }
    q.pendingStart = false;
    Simulator::ScheduleWithContext(m_ctx.nodes.Get(uint32_t(node))->GetId(), Time(0),
                                   &ReconfigDriver::Issue, this, request);
}

void
ReconfigDriver::OnEvent(Sink* sink, const dysco::AgentEvent& e)
{
    sink->driver->HandleEvent(sink->node, e);
}

void
ReconfigDriver::HandleEvent(size_t node, const dysco::AgentEvent& e)
{
    using K = dysco::AgentEventKind;
    if (e.kind == K::kReconfigStarted)
    {
        Started(node, e);
        return;
    }
    if (e.kind == K::kControlReceived && e.detail == uint32_t(dysco::ControlType::kTrigger))
    {
        TriggerReceived(node, e);
        return;
    }
    if (e.kind != K::kReconfigPhase && e.kind != K::kReconfigSucceeded &&
        e.kind != K::kReconfigAborted)
    {
        return;
    }
    auto it = m_byRequest.find({e.leftAnchor, e.requestId});
    if (it == m_byRequest.end())
    {
        return;
    }
    const size_t index = it->second;
    ReconfigRecord& r = m_records[index];
    if (e.kind == K::kReconfigPhase)
    {
        if (e.detail == uint32_t(dysco::ReconfigPhase::kTwoPaths) && !m_inTwoPaths[index])
        {
            m_inTwoPaths[index] = 1;
            ++m_twoPaths;
        }
        return;
    }
    r.endS = Now();
    if (e.kind == K::kReconfigAborted)
    {
        r.outcome = "aborted";
        r.reason = AbortReason(e.detail);
        Ended(r, index);
        return;
    }
    ++m_anchorsDone[index];
    if (m_ctx.AgentAddress(node) == e.leftAnchor && r.outcome.empty())
    {
        r.outcome = "succeeded";
    }
    if (m_anchorsDone[index] >= 2)
    {
        Ended(r, index);
    }
}

void
ReconfigDriver::Ended(ReconfigRecord& /* r */, size_t index)
{
    if (m_inTwoPaths[index])
    {
        m_inTwoPaths[index] = 0;
        --m_twoPaths;
    }
}

void
ReconfigDriver::Started(size_t node, const dysco::AgentEvent& e)
{
    ReconfigRecord r;
    r.leftAnchor = m_ctx.scenario.nodes[node].name;
    r.requestId = e.requestId;
    r.streamId = m_ctx.StreamOf(e.session);
    r.startS = Now();
    if (const dysco::Session* s = m_ctx.Agent(node)->GetCore().FindSession(e.session))
    {
        if (const dysco::Reconfig* rc = s->reconfig[1].get())
        {
            r.rightAnchor = m_ctx.NameOf(rc->rightAnchor);
            for (size_t i = 0; i + 1 < rc->newList.size(); ++i)
            {
                r.middleboxes.push_back(m_ctx.NameOf(rc->newList[i]));
            }
        }
    }
    r.hasSeq = m_ctx.LatestShiftedSeq(e.session, r.seqAtStart);
    const int index = int(m_records.size());
    Request* q = nullptr;
    if (m_issuing >= 0 && m_requests[size_t(m_issuing)].stream == r.streamId &&
        !Spec(m_requests[size_t(m_issuing)].entry).deleteNode)
    {
        q = &m_requests[size_t(m_issuing)];
    }
    else
    {
        // A deletion's trigger arrived: the subsession to the left anchor's right leads to
        // the middlebox that asked (or an unbuffered migration's state is installed).
        for (auto& cand : m_requests)
        {
            if (cand.pendingMigration && cand.stream == r.streamId)
            {
                cand.pendingMigration = false;
                q = &cand;
                break;
            }
            const auto& spec = Spec(cand.entry);
            if (cand.pendingStart && cand.stream == r.streamId && spec.deleteNode &&
                m_ctx.AgentAddress(*spec.deleteNode) == e.subsession.dstIp)
            {
                q = &cand;
                break;
            }
        }
    }
    if (q != nullptr)
    {
        r.entry = int(q->entry);
        r.attempt = q->attempts;
        r.triggerS = q->triggerS;
        q->latest = index;
        q->pendingStart = false;
    }
    m_records.push_back(r);
    m_inTwoPaths.push_back(0);
    m_anchorsDone.push_back(0);
    m_byRequest[{e.leftAnchor, e.requestId}] = size_t(index);
}

void
ReconfigDriver::TriggerReceived(size_t node, const dysco::AgentEvent& e)
{
    // The left anchor answers the trigger within this event: a start shows up at once, a
    // refusal (its subsession is locked) only as the absence of one.
    Simulator::ScheduleNow(&ReconfigDriver::TriggerOutcome, this, node, m_ctx.StreamOf(e.session),
                           e.subsession.dstIp);
}

void
ReconfigDriver::TriggerOutcome(size_t node, uint64_t stream, uint32_t middlebox)
{
    for (auto& q : m_requests)
    {
        const auto& spec = Spec(q.entry);
        if (q.pendingStart && q.stream == stream && spec.deleteNode &&
            m_ctx.AgentAddress(*spec.deleteNode) == middlebox)
        {
            q.pendingStart = false;
            RecordRefused(q, node, "busy");
            return;
        }
    }
}

void
ReconfigDriver::Collect(RunResult* r) const
{
    r->reconfigurations = m_records;
    for (auto& rc : r->reconfigurations)
    {
        if (rc.outcome.empty())
        {
            rc.outcome = "unfinished";
        }
    }
    r->reconfigurationsActive = 0;
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        r->reconfigurationsActive += m_ctx.Agent(n)->GetCore().ActiveReconfigurations();
    }
}

} // namespace dyscosim
