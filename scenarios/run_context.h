// What the parts of a run share once the ns-3 objects exist: the scenario, its nodes and
// address plan, and per stream its applications, so reconfiguration triggers and FIN/RST
// injection can find a session's agents and endpoints. Owned by the runner's Simulation.
#ifndef DYSCOSIM_RUN_CONTEXT_H
#define DYSCOSIM_RUN_CONTEXT_H

#include "address_plan.h"
#include "core/five_tuple.h"
#include "ns3/dysco-agent.h"
#include "ns3/dysco-seq-offset.h"
#include "ns3/dysco-state-migration.h"
#include "ns3/dysco-stateful-middlebox.h"
#include "ns3/node-container.h"
#include "ns3/stream-receiver.h"
#include "ns3/stream-sender.h"
#include "scenario.h"
#include "stream_edits.h"

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dyscosim
{

/// One session of the scenario (stream ids start at 1, in traffic order).
struct StreamApps
{
    uint64_t streamId = 0;
    size_t traffic = 0; ///< index into Scenario::traffic
    size_t from = 0;    ///< client node
    size_t to = 0;      ///< server node
    ns3::Ptr<ns3::DyscoStreamSender> sender;
    ns3::Ptr<ns3::DyscoStreamReceiver> receiver;
    std::string injected; ///< the FIN/RST action fired on it, if any
    double injectedAtS = -1;
};

class RunContext
{
public:
    RunContext(const Scenario& s, const AddressPlan& plan, ns3::NodeContainer nodes)
        : scenario(s)
        , plan(plan)
        , nodes(nodes)
    {
    }

    ns3::Ptr<ns3::DyscoAgent> Agent(size_t node) const;
    /// The address a node's agent uses (its first address).
    uint32_t AgentAddress(size_t node) const { return plan.FirstAddress(node); }
    /// The node that owns `address`, if any.
    std::optional<size_t> NodeOf(uint32_t address) const;
    /// The node's name, or the dotted address when no node has it.
    std::string NameOf(uint32_t address) const;

    StreamApps* Stream(uint64_t streamId);
    /// The stream of a session five-tuple (client -> server or reversed); 0 if none.
    uint64_t StreamOf(const dysco::FiveTuple& session);
    /// Stream ids a selector names, in order.
    std::vector<uint64_t> Select(const SessionSelector& sel) const;
    bool Selects(const SessionSelector& sel, uint64_t streamId) const;
    /// The session header (client -> server) of a stream whose client socket exists.
    std::optional<dysco::FiveTuple> SessionOf(uint64_t streamId);

    /// The latest shifted sequence numbers of a session at any seq_offset box.
    bool LatestShiftedSeq(const dysco::FiveTuple& session, uint32_t out[2]) const;

    /// A NAT changed a session's header: `translated` (either orientation) stands for
    /// `original` in StreamOf and Unalias.
    void AddAlias(const dysco::FiveTuple& translated, const dysco::FiveTuple& original);
    /// The header the session's client uses, for a header a NAT produced (same orientation);
    /// `t` itself if no NAT changed it.
    dysco::FiveTuple Unalias(const dysco::FiveTuple& t) const;

    const Scenario& scenario;
    const AddressPlan& plan;
    ns3::NodeContainer nodes;
    std::vector<StreamApps> streams; ///< index = stream id - 1
    /// Receivers besides the streams' own: a load balancer's backends other than the first
    /// (which backend accepts a session is known only once its client port is).
    std::vector<ns3::Ptr<ns3::DyscoStreamReceiver>> otherReceivers;
    std::vector<std::pair<size_t, ns3::Ptr<ns3::DyscoSeqOffset>>> seqOffsets;
    std::map<size_t, ns3::Ptr<ns3::DyscoStatefulMiddlebox>> statefulBoxes; ///< by node
    ns3::Ptr<ns3::DyscoStateMigration> migration;
    /// What a migration id stands for in the scenario.
    struct MigrationTag
    {
        size_t entry = 0; ///< index into reconfigurations
        size_t from = 0;  ///< nodes
        size_t to = 0;
    };
    std::map<uint32_t, MigrationTag> migrationTags;
    /// Per traffic entry: the content modifier that edits its sessions, if any.
    std::vector<std::optional<TrafficEdit>> trafficEdits;

private:
    void IndexClients();

    std::map<std::pair<uint32_t, uint16_t>, uint64_t> m_byClient; ///< (ip, port) -> stream
    std::unordered_map<dysco::FiveTuple, dysco::FiveTuple, dysco::FiveTupleHasher> m_aliases;
};

} // namespace dyscosim

#endif
