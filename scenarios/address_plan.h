// Addresses of a scenario's nodes, and its policies in the core's terms (addresses instead
// of node names). No ns-3 here: the runner assigns exactly this plan, and tests can check it.
//
// Link i (0-based, in file order) is the subnet 10.(i / 256).(i % 256).0/24; its end `a`
// gets .1 and its end `b` gets .2. A node's first address is the one on the first link
// that names it: policies use it for node names in `match` and for chain middleboxes, and
// traffic is sent to the destination host's first address.
#ifndef DYSCOSIM_ADDRESS_PLAN_H
#define DYSCOSIM_ADDRESS_PLAN_H

#include "core/policy.h"
#include "scenario.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dyscosim
{

class AddressPlan
{
public:
    explicit AddressPlan(const Scenario& s);

    /// Network address of link `link`'s /24 (host order).
    static uint32_t LinkSubnet(size_t link);
    static constexpr uint32_t kLinkMask = 0xFFFFFF00u;

    /// Addresses of `node`, one per link in file order; empty for a node with no link.
    const std::vector<uint32_t>& Addresses(size_t node) const { return m_addresses.at(node); }
    /// The node's first address, or 0 if it has no link.
    uint32_t FirstAddress(size_t node) const;

private:
    std::vector<std::vector<uint32_t>> m_addresses;
};

/// node,role,middlebox,addresses (space-separated), so users can write prefixes.
std::string NodesCsv(const Scenario& s, const AddressPlan& plan);

/// One policy for the agent of node `node`.
struct NodePolicy
{
    size_t node = 0;
    dysco::Policy policy;
};

/// The scenario's policies with node names resolved through `plan`, in file order (which is
/// match order at each node: the first matching policy wins).
/// A policy's match fields as a core predicate (node names resolved to first addresses).
dysco::Predicate ResolvePredicate(const PolicySpec& p, const AddressPlan& plan);
std::vector<NodePolicy> ResolvePolicies(const Scenario& s, const AddressPlan& plan);

} // namespace dyscosim

#endif
