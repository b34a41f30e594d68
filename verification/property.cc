#include "property.h"

#include <algorithm>

namespace dysco
{
namespace verify
{

const char*
PropertyKey(PropertyId p)
{
    switch (p)
    {
    case PropertyId::kNoDataLoss:
        return "no_data_loss";
    case PropertyId::kSeqAckCorrect:
        return "seq_ack_correct";
    case PropertyId::kLockExclusive:
        return "lock_exclusive";
    case PropertyId::kReconfigTerminates:
        return "reconfig_terminates";
    case PropertyId::kCleanTermination:
        return "clean_termination";
    }
    return "?";
}

const char*
PropertyTitle(PropertyId p)
{
    switch (p)
    {
    case PropertyId::kNoDataLoss:
        return "no data loss";
    case PropertyId::kSeqAckCorrect:
        return "endpoints see only their own session's sequence space";
    case PropertyId::kLockExclusive:
        return "lock exclusivity";
    case PropertyId::kReconfigTerminates:
        return "every reconfiguration ends, and succeeds unless its new path failed";
    case PropertyId::kCleanTermination:
        return "old paths torn down only when the teardown predicate holds; clean termination";
    }
    return "?";
}

bool
PropertyFromKey(const std::string& key, PropertyId* p)
{
    for (size_t i = 0; i < kPropertyCount; ++i)
    {
        if (key == PropertyKey(PropertyId(i)))
        {
            *p = PropertyId(i);
            return true;
        }
    }
    return false;
}

uint32_t
ScanResult::FirstEvent() const
{
    uint32_t first = UINT32_MAX;
    for (const auto& v : violations)
    {
        first = std::min(first, v.event);
    }
    return first;
}

std::string
EventId(const Trace& trace, uint32_t index)
{
    return "event #" + std::to_string(trace.EventId(index));
}

std::string
EventRef(const Trace& trace, uint32_t index)
{
    const Event& e = trace.events[index];
    return EventId(trace, index) + " (line " + std::to_string(trace.Line(index)) +
           ", t=" + TimeText(e.timeNs) + " s, " + KindName(e.kind) + " at " +
           trace.NodeName(e.node) + ")";
}

} // namespace verify
} // namespace dysco
