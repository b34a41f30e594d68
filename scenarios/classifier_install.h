// The runner's report of a classifier (`"middlebox": "classifier"`) in summary.json's
// `middleboxes`: sessions classified, insertions requested, and the decisions per rule.
#ifndef DYSCOSIM_CLASSIFIER_INSTALL_H
#define DYSCOSIM_CLASSIFIER_INSTALL_H

#include "ns3/dysco-classifier.h"
#include "run_result.h"
#include "scenario.h"

namespace dyscosim
{

/// Counters `sessions_classified`, `insert_requests`, `rule0`, `rule1`, ... (sessions
/// decided by that rule of `classifier.rules`) and `unmatched` (by no rule: the default's).
MiddleboxResult ClassifierResult(const NodeSpec& n, const ns3::DyscoClassifier& box);

} // namespace dyscosim

#endif
