#include "close_injector.h"

#include "core/lock.h"
#include "core/reconfig.h"
#include "ns3/simulator.h"

namespace dyscosim
{

using namespace ns3;

CloseInjector::CloseInjector(RunContext& ctx)
    : m_ctx(ctx)
{
}

void
CloseInjector::Install()
{
    if (m_ctx.scenario.injections.empty())
    {
        return;
    }
    for (size_t n = 0; n < m_ctx.scenario.nodes.size(); ++n)
    {
        m_sinks.push_back(std::make_unique<Sink>(Sink{this, n}));
        m_ctx.Agent(n)->TraceConnectWithoutContext(
            "AgentEvent", MakeBoundCallback(&CloseInjector::OnEvent, m_sinks.back().get()));
    }
}

std::optional<ProtocolPhase>
CloseInjector::PhaseOf(const dysco::AgentEvent& e)
{
    using K = dysco::AgentEventKind;
    switch (e.kind)
    {
    case K::kReconfigStarted:
        return ProtocolPhase::kLocking;
    case K::kLockChanged:
        if (e.detail == uint32_t(dysco::LockState::kLocked))
        {
            return ProtocolPhase::kLocked;
        }
        return std::nullopt;
    case K::kReconfigPhase:
        switch (dysco::ReconfigPhase(e.detail))
        {
        case dysco::ReconfigPhase::kNewPathSyn:
            return ProtocolPhase::kNewPathSyn;
        case dysco::ReconfigPhase::kTwoPaths:
            return ProtocolPhase::kTwoPaths;
        case dysco::ReconfigPhase::kCancelling:
            return ProtocolPhase::kCancelling;
        case dysco::ReconfigPhase::kLocking:
            return ProtocolPhase::kLocking;
        }
        return std::nullopt;
    case K::kReconfigSucceeded:
        return ProtocolPhase::kSucceeded;
    case K::kReconfigAborted:
        return ProtocolPhase::kAborted;
    default:
        return std::nullopt;
    }
}

void
CloseInjector::OnEvent(Sink* sink, const dysco::AgentEvent& e)
{
    sink->injector->HandleEvent(sink->node, e);
}

void
CloseInjector::HandleEvent(size_t node, const dysco::AgentEvent& e)
{
    const auto phase = PhaseOf(e);
    if (!phase)
    {
        return;
    }
    const auto& injections = m_ctx.scenario.injections;
    for (size_t i = 0; i < injections.size(); ++i)
    {
        const InjectionSpec& inj = injections[i];
        if (inj.phase != *phase || (inj.at && *inj.at != node))
        {
            continue;
        }
        const uint64_t stream = m_ctx.StreamOf(e.session);
        if (stream == 0 || !m_ctx.Selects(inj.sessions, stream))
        {
            continue;
        }
        m_done.resize(m_ctx.streams.size() + 1, 0);
        if (m_done[stream])
        {
            return;
        }
        m_done[stream] = 1;
        const StreamApps& st = *m_ctx.Stream(stream);
        const bool client =
            inj.action == InjectAction::kFinClient || inj.action == InjectAction::kRstClient;
        // Never act inside the agent's hook: the endpoint runs as its own event.
        Simulator::ScheduleWithContext(m_ctx.nodes.Get(uint32_t(client ? st.from : st.to))->GetId(),
                                       Seconds(inj.delayS), &CloseInjector::Fire, this, i, stream);
        return;
    }
}

void
CloseInjector::Fire(size_t injection, uint64_t stream)
{
    StreamApps& st = *m_ctx.Stream(stream);
    const InjectAction action = m_ctx.scenario.injections[injection].action;
    switch (action)
    {
    case InjectAction::kFinClient:
        st.sender->CloseEarly();
        break;
    case InjectAction::kFinServer:
        st.receiver->CloseStream(stream);
        break;
    case InjectAction::kRstClient:
        st.sender->Abort();
        break;
    case InjectAction::kRstServer:
        st.receiver->AbortStream(stream);
        break;
    }
    st.injected = ToString(action);
    st.injectedAtS = Simulator::Now().GetSeconds();
    ++m_fired;
}

} // namespace dyscosim
