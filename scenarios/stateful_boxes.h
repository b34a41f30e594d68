// The stateful middleboxes of a scenario (firewall, nat, cgnat): built from their settings,
// their counters for summary.json, and the state migrations' records for migrations.csv.
#ifndef DYSCOSIM_STATEFUL_BOXES_H
#define DYSCOSIM_STATEFUL_BOXES_H

#include "address_plan.h"
#include "ns3/dysco-stateful-middlebox.h"
#include "run_result.h"
#include "scenario.h"

#include <map>
#include <string>

namespace dyscosim
{

class ReorderCounter;
class RunContext;

/// A firewall, NAT or CGNAT configured as the node's settings say (node names resolved).
ns3::Ptr<ns3::DyscoStatefulMiddlebox> MakeStatefulBox(const Scenario& s, size_t node,
                                                      const AddressPlan& plan);

std::map<std::string, uint64_t> StatefulCounters(ns3::Ptr<ns3::DyscoStatefulMiddlebox> box);

/// Fills r->migrations from the run's DyscoStateMigration (and the reordering counts).
void CollectMigrations(RunContext& ctx, const ReorderCounter& reorder, RunResult* r);

} // namespace dyscosim

#endif
