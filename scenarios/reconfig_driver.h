// Runs a scenario's reconfigurations and records every one the agents start.
//
// Triggers: at at_s (plus a seeded random offset in [0, jitter_s) per session) either the
// left anchor's agent is asked to Reconfigure the session, or the middlebox of a `delete`
// entry asks to leave it (RequestDeletion: its left neighbour becomes the left anchor).
// With retry_after_s, a request that was refused, nacked or aborted (or whose trigger was
// lost) is asked again, up to `retries` times, while it still makes sense (the left anchor
// still has the session, or the middlebox is still in its chain).
//
// Records: one ReconfigRecord per reconfiguration, from the AgentEvent traces of all agents:
// kReconfigStarted at the left anchor opens it (the new path is read from the anchor's
// state), kReconfigSucceeded at both anchors or kReconfigAborted at the left one close it.
#ifndef DYSCOSIM_RECONFIG_DRIVER_H
#define DYSCOSIM_RECONFIG_DRIVER_H

#include "run_context.h"
#include "run_result.h"

#include <deque>
#include <map>
#include <memory>
#include <random>
#include <utility>
#include <vector>

namespace dyscosim
{

class ReconfigDriver
{
public:
    explicit ReconfigDriver(RunContext& ctx);

    /// Connects to every agent's events and schedules the triggers. Call before the run.
    void Install();
    /// A reconfiguration asked for during the run (the policy server's triggers), issued
    /// now and recorded and retried like the scenario's own; its `sessions`, `at_s` and
    /// `jitter_s` are not used. Its records' entry numbers follow the scenario's.
    void Ask(const ReconfigSpec& spec, uint64_t stream);
    /// True while some reconfiguration is in its two-path phase (gates data loss).
    bool AnyInTwoPaths() const { return m_twoPaths > 0; }
    /// The records (unended ones marked "unfinished") and the agents' running count.
    void Collect(RunResult* r) const;

private:
    /// One (entry, stream) the scenario asked for, across its attempts.
    struct Request
    {
        size_t entry = 0;
        uint64_t stream = 0;
        uint32_t attempts = 0;
        int latest = -1;               ///< record of the latest attempt, -1 if none started
        bool pendingStart = false;     ///< a deletion's trigger is on its way to the left anchor
        bool pendingMigration = false; ///< an unbuffered migration copies state first
        double triggerS = -1;
    };

    struct Sink
    {
        ReconfigDriver* driver;
        size_t node;
    };

    /// The scenario's entry, or one asked for with Request().
    const ReconfigSpec& Spec(size_t entry) const;
    void Trigger(size_t entry);
    void Issue(size_t request);
    void IssueExplicit(Request& q);
    void IssueDeletion(Request& q);
    /// A replacement with `migrate_state`: DyscoStateMigration runs it (§3.4, Figure 14).
    void IssueMigration(Request& q, const dysco::FiveTuple& header,
                        const std::vector<ns3::Ipv4Address>& path);
    /// Retry check, retry_after_s after each attempt.
    void Check(size_t request);
    /// The left anchor did not start it: "no_session" (not at the anchor, or closed) or
    /// "busy" (its agent refused: a reconfiguration runs there or its lock is taken).
    void RecordRefused(Request& q, size_t leftAnchorNode, const char* why);

    static void OnEvent(Sink* sink, const dysco::AgentEvent& e);
    void HandleEvent(size_t node, const dysco::AgentEvent& e);
    void Started(size_t node, const dysco::AgentEvent& e);
    void TriggerReceived(size_t node, const dysco::AgentEvent& e);
    void TriggerOutcome(size_t node, uint64_t stream, uint32_t middlebox);
    void Ended(ReconfigRecord& r, size_t index);
    /// The live session of `stream` at `node`'s agent, if any.
    const dysco::Session* SessionAt(size_t node, uint64_t stream);

    RunContext& m_ctx;
    std::mt19937_64 m_rng;
    std::vector<std::unique_ptr<Sink>> m_sinks;
    std::vector<Request> m_requests;
    std::deque<ReconfigSpec> m_asked; ///< entries after the scenario's
    std::vector<ReconfigRecord> m_records;
    std::vector<uint8_t> m_inTwoPaths;  ///< per record
    std::vector<uint8_t> m_anchorsDone; ///< per record: kReconfigSucceeded events seen
    std::map<std::pair<uint32_t, uint32_t>, size_t> m_byRequest; ///< (leftAnchor, id) -> record
    int64_t m_issuing = -1; ///< the request being issued by a synchronous Reconfigure call
    uint64_t m_twoPaths = 0;
};

} // namespace dyscosim

#endif
