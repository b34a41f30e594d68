// Replacing a stateful middlebox in a live session (§3.4, Figure 14): a reconfiguration from
// the left to the right anchor onto a path through the new instance, plus the transfer of
// the session's state from the old instance to the new one.
//
// BUFFERED (the paper's order): both anchors hold new-path data (Agent::HoldForMigration);
// once the left anchor is in its two-path phase (the new path is up) the old instance
// exports the session's state, which reaches the new instance after the transfer time; the
// anchors are told it is installed (Agent::StateInstalled), the old path drains and is torn
// down, and the held data moves to the new path. A refused import cancels the new path
// (Agent::AbortMigration) and the session stays on the old one.
//
// A box whose state a new path's SYN must find (a NAT, NeedsStateBeforeNewPath) gets it
// first in both modes: BUFFERED then holds new data from the start of the two-path phase
// until the old path is torn down, and a refused import leaves the session untouched.
//
// UNBUFFERED (the carrier-grade NAT thesis' alternative): the state is copied first and the
// reconfiguration starts when it is installed, without holding anything: old and new path
// carry data at once during the two-path phase, so segments may arrive reordered.
//
// Each migration is recorded with the time of every phase (DyscoMigrationRecord).
#ifndef DYSCO_STATE_MIGRATION_H
#define DYSCO_STATE_MIGRATION_H

#include "core/agent_events.h"
#include "dysco-agent.h"
#include "dysco-stateful-middlebox.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ns3
{

struct DyscoMigrationRequest
{
    enum Mode
    {
        BUFFERED,
        UNBUFFERED,
    };
    dysco::FiveTuple session; ///< the session's header on the left anchor's right side
    /// ... and on the right anchor's left side (differs behind a NAT); unset: `session`
    dysco::FiveTuple rightSession;
    Ptr<DyscoAgent> leftAnchor; ///< runs the reconfiguration
    Ptr<DyscoAgent> rightAnchor;
    std::vector<Ipv4Address> newPath; ///< middleboxes of the new path (the new instance in it)
    Ptr<DyscoStatefulMiddlebox> from; ///< the instance being replaced
    Ptr<DyscoStatefulMiddlebox> to;   ///< the new instance
    Mode mode = BUFFERED;
    Time transferDelay = MilliSeconds(1); ///< from export to import, plus size / transferRate
    uint64_t transferRateBps = 1000000000;
    bool corrupt = false; ///< damage the exported document (tests the refused import)
};

/// One migration; times are negative until reached.
struct DyscoMigrationRecord
{
    uint32_t id = 0;
    dysco::FiveTuple session;
    DyscoMigrationRequest::Mode mode = DyscoMigrationRequest::BUFFERED;
    uint32_t requestId = 0;          ///< the left anchor's reconfiguration, 0 if none started
    Time trigger = Seconds(-1);      ///< Start()
    Time reconfigured = Seconds(-1); ///< Reconfigure() called at the left anchor
    Time newPathUp = Seconds(-1);    ///< the left anchor entered its two-path phase
    Time exported = Seconds(-1);     ///< the old instance exported the state
    Time installed = Seconds(-1);    ///< the new instance imported it (or refused it)
    Time ended = Seconds(-1);        ///< the old path was torn down (traffic moved) or aborted
    size_t stateBytes = 0;
    std::string outcome = "unfinished"; ///< "migrated", "state_refused", "aborted", "refused"
    std::string error;                  ///< why the import or the request was refused
};

class DyscoStateMigration : public Object
{
public:
    static TypeId GetTypeId();
    DyscoStateMigration();
    ~DyscoStateMigration() override;

    /// Starts a migration now; returns its id (records are kept also when it is refused).
    uint32_t Start(const DyscoMigrationRequest& request);

    const std::vector<DyscoMigrationRecord>& GetRecords() const { return m_records; }

    typedef void (*MigrationTracedCallback)(const DyscoMigrationRecord& record);

protected:
    void DoDispose() override;

private:
    struct Running
    {
        DyscoMigrationRequest request;
        size_t record = 0;
    };
    struct Sink
    {
        DyscoStateMigration* self;
        Ptr<DyscoAgent> agent;
    };

    void Watch(Ptr<DyscoAgent> agent);
    static void OnEvent(Sink* sink, const dysco::AgentEvent& e);
    void Event(Ptr<DyscoAgent> agent, const dysco::AgentEvent& e);
    void Reconfigure(uint32_t id);
    /// Arms both anchors' holds; false (and the record refused) if an anchor lacks the session.
    bool Hold(uint32_t id);
    const dysco::FiveTuple& RightSession(const DyscoMigrationRequest& r) const;
    void Transfer(uint32_t id);
    void Install(uint32_t id, std::string state);
    void Finish(uint32_t id, const std::string& outcome);

    std::vector<DyscoMigrationRecord> m_records;
    std::map<uint32_t, Running> m_running;                         ///< by migration id
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> m_byRequest; ///< (left anchor, rid) -> id
    std::vector<std::unique_ptr<Sink>> m_sinks;
    TracedCallback<const DyscoMigrationRecord&> m_doneTrace;
};

} // namespace ns3

#endif
