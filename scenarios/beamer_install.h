// The runner's part for the Beamer-style load balancer (`"middlebox": "beamer"`): the mux on
// the load balancer node, the daisy-chaining module on each backend, the scheduled bucket
// moves, and the counters summary.json reports under `middleboxes`.
#ifndef DYSCOSIM_BEAMER_INSTALL_H
#define DYSCOSIM_BEAMER_INSTALL_H

#include "address_plan.h"
#include "ns3/dysco-beamer-daisy.h"
#include "ns3/dysco-beamer-mux.h"
#include "ns3/node-container.h"
#include "run_result.h"
#include "scenario.h"

#include <memory>
#include <vector>

namespace dyscosim
{

struct BeamerInstance
{
    size_t node = 0;
    std::shared_ptr<ns3::BeamerBucketTable> table;
    ns3::Ptr<ns3::DyscoBeamerMux> mux;
    std::vector<ns3::Ptr<ns3::DyscoBeamerDaisy>> daisies; ///< one per backend, in spec order
    uint64_t bucketsMoved = 0;
};

/// Builds node `lb`'s load balancer (its VIP is the node's first address) and schedules
/// its moves; the node's agents and addresses must exist.
std::shared_ptr<BeamerInstance> InstallBeamer(const Scenario& s, size_t lb, const AddressPlan& plan,
                                              const ns3::NodeContainer& nodes);

/// The hosts that accept sessions addressed to node `to`: a load balancer's backends, or
/// `to` itself.
std::vector<size_t> ServingHosts(const Scenario& s, size_t to);

MiddleboxResult BeamerResult(const Scenario& s, const BeamerInstance& b);

} // namespace dyscosim

#endif
