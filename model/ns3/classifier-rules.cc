#include "classifier-rules.h"

#include <algorithm>
#include <cstring>

namespace ns3
{

ClassifierDecision
DecideClass(const std::vector<ClassifierRule>& rules, uint16_t dstPort, const uint8_t* first,
            size_t have, bool complete)
{
    for (size_t i = 0; i < rules.size(); ++i)
    {
        const ClassifierRule& r = rules[i];
        if (r.dstPort != 0 && r.dstPort != dstPort)
        {
            continue;
        }
        const size_t n = std::min(have, r.prefix.size());
        if (n > 0 && std::memcmp(first, r.prefix.data(), n) != 0)
        {
            continue; // differs already
        }
        if (n == r.prefix.size())
        {
            return {ClassifierDecision::kRule, i};
        }
        if (!complete)
        {
            return {}; // agrees so far: the next bytes decide, and rule order with them
        }
    }
    return {ClassifierDecision::kDefault, 0};
}

size_t
LongestPrefix(const std::vector<ClassifierRule>& rules)
{
    size_t longest = 0;
    for (const ClassifierRule& r : rules)
    {
        longest = std::max(longest, r.prefix.size());
    }
    return longest;
}

} // namespace ns3
