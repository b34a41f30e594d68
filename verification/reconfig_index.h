// The reconfigurations of one session, grouped by rid: the request record and the phase and
// control records that belong to it. Pure grouping, no judgement: properties 3-5 (scans and
// Z3 encodings alike) decide what the records mean.
#ifndef DYSCO_VERIFY_RECONFIG_INDEX_H
#define DYSCO_VERIFY_RECONFIG_INDEX_H

#include "session_index.h"
#include "trace.h"

#include <vector>

namespace dysco
{
namespace verify
{

struct ReconfigInfo
{
    uint32_t rid = 0;
    uint32_t request = 0; ///< index of the request record
    uint16_t left = 0;    ///< left anchor (records every phase but teardown)
    uint16_t right = 0;   ///< right anchor
    const ReconfigRequest* req = nullptr;
    std::vector<uint32_t> phases;   ///< P records after the request, trace order, any node
    std::vector<uint32_t> controls; ///< M records with this rid, trace order, any node
};

/// In request order.
std::vector<ReconfigInfo> CollectReconfigs(const Trace& trace, const SessionView& s);

/// done, aborted, denied, lockFailed, closed.
bool IsTerminal(Phase p);

/// True if the old paths of a and b share a subsession (two consecutive nodes); the first
/// shared one is returned in left/right.
bool SegmentsOverlap(const ReconfigRequest& a, const ReconfigRequest& b, uint16_t* left,
                     uint16_t* right);

/// "h0,mb1,h1"
std::string PathText(const Trace& trace, const uint16_t* nodes, size_t n);

} // namespace verify
} // namespace dysco

#endif
