// The scenario's policy server in a run: installs DyscoPolicyServer on its node with the
// policies, instances and triggers resolved to addresses, hands its reconfigurations to the
// ReconfigDriver (so they are recorded, retried and checked like the scenario's own), puts a
// DyscoPolicyClient on every other host node (the policies travel as UDP messages), and
// reports what it did in policy_server.csv, policy_instances.csv and policy_distribution.csv.
#ifndef DYSCOSIM_POLICY_SERVER_RUN_H
#define DYSCOSIM_POLICY_SERVER_RUN_H

#include "ns3/dysco-policy-server.h"
#include "policy_server_spec.h"
#include "reconfig_driver.h"
#include "run_context.h"
#include "run_result.h"

namespace dyscosim
{

class PolicyServerRun
{
public:
    PolicyServerRun(RunContext& ctx, ReconfigDriver& driver);

    /// Nothing without a `policy_server` in the scenario. Call after the agents exist.
    void Install();
    /// Adds policy_server.csv (time_s,event,stream,policy,chain) and policy_instances.csv
    /// (type,instance,assigned,load,drained,last_packet_s) to the result.
    void Collect(RunResult* r);

private:
    /// policy_distribution.csv (one row per agent and version) and the protocol's counters
    /// as the server node's `middleboxes` entry (kind "policy_server").
    void CollectDistribution(RunResult* r);
    ns3::DyscoTypePolicy Resolve(const TypePolicySpec& p) const;
    void Act(const ns3::DyscoPolicyAction& action);
    std::string Chain(const std::vector<uint32_t>& chain) const;

    RunContext& m_ctx;
    ReconfigDriver& m_driver;
    ns3::Ptr<ns3::DyscoPolicyServer> m_server;
    std::vector<std::pair<size_t, ns3::Ptr<ns3::DyscoPolicyClient>>> m_clients; ///< node, app
};

} // namespace dyscosim

#endif
