// The run's own check until the Z3 checker exists: every session's receiver must have read
// exactly the stream its sender was asked to write (all bytes, none wrong, none extra) and
// seen it closed, by the stop time, and so must the client of the reverse stream. A session
// the scenario closed early (an injected FIN or RST) must hold exactly a prefix of each
// stream instead (see EarlyEndViolation). A session that never connects or stalls is a
// violation too: a run where nothing arrives must not pass. reconfig_terminates: every
// reconfiguration that started ended by the stop time (checked when there were any). The
// other properties of DESIGN.md are reported as "not_checked".
#ifndef DYSCOSIM_DELIVERY_CHECK_H
#define DYSCOSIM_DELIVERY_CHECK_H

#include "run_result.h"

#include <string>
#include <utility>
#include <vector>

namespace dyscosim
{

struct CheckOutcome
{
    bool pass = true;
    /// Property name -> "pass", "fail" or "not_checked", in DESIGN.md's order.
    std::vector<std::pair<std::string, std::string>> properties;
    /// One sentence per violation: property, session, stream offset, what was expected.
    std::vector<std::string> violations;
};

CheckOutcome CheckDelivery(const RunResult& r);

} // namespace dyscosim

#endif
