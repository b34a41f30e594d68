#include "classifier_install.h"

namespace dyscosim
{

MiddleboxResult
ClassifierResult(const NodeSpec& n, const ns3::DyscoClassifier& box)
{
    MiddleboxResult m;
    m.node = n.name;
    m.kind = ToString(MiddleboxKind::kClassifier);
    m.counters = {{"sessions_classified", box.GetClassifiedCount()},
                  {"insert_requests", box.GetInsertRequestCount()}};
    const std::vector<uint64_t>& decisions = box.GetDecisionCounts();
    for (size_t i = 0; i + 1 < decisions.size(); ++i)
    {
        m.counters["rule" + std::to_string(i)] = decisions[i];
    }
    m.counters["unmatched"] = decisions.empty() ? 0 : decisions.back();
    return m;
}

} // namespace dyscosim
