// Which sessions a content modifier edits, decided before the run: the chain of a traffic
// entry's sessions is the first policy at its client that matches them, and a
// content_modifier on that chain edits every session of the entry. The run's delivery check
// and its trace (the S record's declared delta, the X record) both need the edit, the trace
// from the client's first SYN on, before any middlebox saw the session. Middleboxes that a
// reconfiguration inserts later are not covered (scenarios/README.md, "content_modifier").
#ifndef DYSCOSIM_STREAM_EDITS_H
#define DYSCOSIM_STREAM_EDITS_H

#include "address_plan.h"
#include "scenario.h"

#include <optional>
#include <vector>

namespace dyscosim
{

/// The content modifier on a traffic entry's chain and its edit.
struct TrafficEdit
{
    size_t node = 0;
    EditSpec edit;
};

/// One entry per traffic entry. Throws ScenarioError when a chain holds two content
/// modifiers or an edited stream is too short to reach the end of its edit.
std::vector<std::optional<TrafficEdit>> TrafficEdits(const Scenario& s, const AddressPlan& plan);

} // namespace dyscosim

#endif
