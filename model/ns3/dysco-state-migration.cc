#include "dysco-state-migration.h"

#include "core/reconfig.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DyscoStateMigration");
NS_OBJECT_ENSURE_REGISTERED(DyscoStateMigration);

TypeId
DyscoStateMigration::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::DyscoStateMigration")
            .SetParent<Object>()
            .SetGroupName("Dysco")
            .AddConstructor<DyscoStateMigration>()
            .AddTraceSource("Done", "A migration ended (migrated, refused or aborted)",
                            MakeTraceSourceAccessor(&DyscoStateMigration::m_doneTrace),
                            "ns3::DyscoStateMigration::MigrationTracedCallback");
    return tid;
}

DyscoStateMigration::DyscoStateMigration() = default;

DyscoStateMigration::~DyscoStateMigration() = default;

void
DyscoStateMigration::DoDispose()
{
    m_running.clear();
    m_sinks.clear();
    Object::DoDispose();
}

void
DyscoStateMigration::Watch(Ptr<DyscoAgent> agent)
{
    for (const auto& s : m_sinks)
    {
        if (s->agent == agent)
        {
            return;
        }
    }
    m_sinks.push_back(std::make_unique<Sink>(Sink{this, agent}));
    agent->TraceConnectWithoutContext(
        "AgentEvent", MakeBoundCallback(&DyscoStateMigration::OnEvent, m_sinks.back().get()));
}

uint32_t
DyscoStateMigration::Start(const DyscoMigrationRequest& request)
{
    DyscoMigrationRecord r;
    r.id = uint32_t(m_records.size() + 1);
    r.session = request.session;
    r.mode = request.mode;
    r.trigger = Simulator::Now();
    m_records.push_back(r);
    m_running[r.id] = Running{request, m_records.size() - 1};
    Watch(request.leftAnchor);
    if (request.mode == DyscoMigrationRequest::UNBUFFERED || request.to->NeedsStateBeforeNewPath())
    {
        Transfer(r.id); // copy first, reconfigure once installed
        return r.id;
    }
    if (Hold(r.id))
    {
        Reconfigure(r.id);
    }
    return r.id;
}

const dysco::FiveTuple&
DyscoStateMigration::RightSession(const DyscoMigrationRequest& r) const
{
    return r.rightSession.srcIp != 0 ? r.rightSession : r.session;
}

bool
DyscoStateMigration::Hold(uint32_t id)
{
    const DyscoMigrationRequest& req = m_running.at(id).request;
    if (!req.leftAnchor->GetCore().HoldForMigration(req.session) ||
        !req.rightAnchor->GetCore().HoldForMigration(RightSession(req)))
    {
        m_records[m_running.at(id).record].error = "the session is not at both anchors";
        Finish(id, "refused");
        return false;
    }
    return true;
}

void
DyscoStateMigration::Reconfigure(uint32_t id)
{
    Running& run = m_running.at(id);
    DyscoMigrationRecord& r = m_records[run.record];
    r.reconfigured = Simulator::Now();
    const dysco::FiveTuple header = run.request.session;
    Ipv4Address right = run.request.rightAnchor->GetAddress();
    Ptr<DyscoAgent> left = run.request.leftAnchor;
    const uint32_t rid = left->Reconfigure(header, right, run.request.newPath);
    if (rid == 0)
    {
        r.error = "the left anchor refused the reconfiguration";
        Finish(id, "refused");
        return;
    }
    r.requestId = rid;
    m_byRequest[{left->GetAddress().Get(), rid}] = id;
}

void
DyscoStateMigration::OnEvent(Sink* sink, const dysco::AgentEvent& e)
{
    sink->self->Event(sink->agent, e);
}

void
DyscoStateMigration::Event(Ptr<DyscoAgent> agent, const dysco::AgentEvent& e)
{
    using K = dysco::AgentEventKind;
    if (e.kind != K::kReconfigPhase && e.kind != K::kReconfigSucceeded &&
        e.kind != K::kReconfigAborted)
    {
        return;
    }
    if (e.leftAnchor != agent->GetAddress().Get())
    {
        return; // only the left anchor's view counts
    }
    auto it = m_byRequest.find({e.leftAnchor, e.requestId});
    if (it == m_byRequest.end())
    {
        return;
    }
    const uint32_t id = it->second;
    DyscoMigrationRecord& r = m_records[m_running.at(id).record];
    if (e.kind == K::kReconfigPhase && e.detail == uint32_t(dysco::ReconfigPhase::kTwoPaths))
    {
        r.newPathUp = Simulator::Now();
        if (r.mode == DyscoMigrationRequest::BUFFERED && r.exported.IsNegative())
        {
            // Not from inside the agent's event: the core is in the middle of a packet.
            Simulator::ScheduleNow(&DyscoStateMigration::Transfer, this, id);
        }
    }
    else if (e.kind == K::kReconfigSucceeded)
    {
        Finish(id, "migrated");
    }
    else if (e.kind == K::kReconfigAborted)
    {
        Finish(id, r.installed.IsNegative() || r.error.empty() ? "aborted" : "state_refused");
    }
}

void
DyscoStateMigration::Transfer(uint32_t id)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
    {
        return;
    }
    Running& run = it->second;
    DyscoMigrationRecord& r = m_records[run.record];
    std::string state = run.request.from->ExportState(run.request.session);
    r.exported = Simulator::Now();
    if (run.request.corrupt)
    {
        state = state.substr(0, state.size() / 2); // a transfer cut short
    }
    r.stateBytes = state.size();
    const Time serialization =
        Seconds(double(state.size()) * 8.0 / double(run.request.transferRateBps));
    Simulator::Schedule(run.request.transferDelay + serialization, &DyscoStateMigration::Install,
                        this, id, state);
}

void
DyscoStateMigration::Install(uint32_t id, std::string state)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
    {
        return;
    }
    Running& run = it->second;
    DyscoMigrationRecord& r = m_records[run.record];
    std::string error;
    const bool ok = run.request.to->ImportState(state, &error);
    r.installed = Simulator::Now();
    const uint64_t now = uint64_t(Simulator::Now().GetNanoSeconds());
    if (!ok)
    {
        r.error = "state import refused: " + error;
        NS_LOG_INFO("migration " << id << ": " << r.error);
        if (r.reconfigured.IsNegative())
        {
            Finish(id, "state_refused"); // nothing was reconfigured: the old path stays
            return;
        }
        if (!run.request.leftAnchor->GetCore().AbortMigration(run.request.session, now))
        {
            r.error += " (and the reconfiguration could not be cancelled)";
        }
        run.request.leftAnchor->Service();
        return; // ends with the left anchor's kReconfigAborted
    }
    if (r.reconfigured.IsNegative())
    {
        // Copied first: an unbuffered migration just reconfigures; a buffered one holds
        // new data until the old path is gone (the state is there already).
        if (r.mode == DyscoMigrationRequest::BUFFERED)
        {
            if (!Hold(id))
            {
                return;
            }
            run.request.leftAnchor->GetCore().StateInstalled(run.request.session, now);
            run.request.rightAnchor->GetCore().StateInstalled(RightSession(run.request), now);
        }
        Reconfigure(id);
        return;
    }
    run.request.leftAnchor->GetCore().StateInstalled(run.request.session, now);
    run.request.rightAnchor->GetCore().StateInstalled(RightSession(run.request), now);
    run.request.leftAnchor->Service();
    run.request.rightAnchor->Service();
}

void
DyscoStateMigration::Finish(uint32_t id, const std::string& outcome)
{
    auto it = m_running.find(id);
    if (it == m_running.end())
    {
        return;
    }
    DyscoMigrationRecord& r = m_records[it->second.record];
    r.ended = Simulator::Now();
    r.outcome = outcome;
    m_running.erase(it);
    m_doneTrace(r);
}

} // namespace ns3
