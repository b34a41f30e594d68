// FIN and RST injection keyed to protocol phases: when an agent reports a phase of a
// reconfiguration (AgentEvent kinds kReconfigStarted, kLockChanged, kReconfigPhase,
// kReconfigSucceeded, kReconfigAborted) for a session an injection selects, that session's
// client or server closes (FIN) or aborts (RST) its connection, after delay_s, once per
// session. The endpoints act outside the agent's hook, in their own node's context.
#ifndef DYSCOSIM_CLOSE_INJECTOR_H
#define DYSCOSIM_CLOSE_INJECTOR_H

#include "run_context.h"

#include <memory>
#include <optional>
#include <vector>

namespace dyscosim
{

class CloseInjector
{
public:
    explicit CloseInjector(RunContext& ctx);

    /// Connects to every agent's events (only if the scenario has injections).
    void Install();
    uint64_t Fired() const { return m_fired; }

    /// The phase an agent event announces, if it announces one.
    static std::optional<ProtocolPhase> PhaseOf(const dysco::AgentEvent& e);

private:
    struct Sink
    {
        CloseInjector* injector;
        size_t node;
    };

    static void OnEvent(Sink* sink, const dysco::AgentEvent& e);
    void HandleEvent(size_t node, const dysco::AgentEvent& e);
    void Fire(size_t injection, uint64_t stream);

    RunContext& m_ctx;
    std::vector<std::unique_ptr<Sink>> m_sinks;
    std::vector<uint8_t> m_done; ///< per stream: an injection already chose it
    uint64_t m_fired = 0;
};

} // namespace dyscosim

#endif
