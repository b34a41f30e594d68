// The classifier's decision (paper §2.3, issue 6): rules in order, first match wins. A rule
// matches a session's destination port, the first bytes of its client -> server stream, or
// both. Rule order is kept even when a session's first bytes arrive split over segments: a
// rule whose prefix is not yet decidable stops the walk until more bytes (or the stream's end)
// arrive, so a later rule never wins only because an earlier one was still undecided.
// Pure C++ (no ns-3), so the matcher is tested byte by byte.
#ifndef DYSCO_CLASSIFIER_RULES_H
#define DYSCO_CLASSIFIER_RULES_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ns3
{

struct ClassifierRule
{
    uint16_t dstPort = 0;        ///< 0: any port
    std::vector<uint8_t> prefix; ///< empty: any first bytes
};

/// The outcome for one session: wait for more bytes, rule `rule`, or none (the default).
struct ClassifierDecision
{
    enum Kind
    {
        kWait,
        kRule,
        kDefault,
    };
    Kind kind = kWait;
    size_t rule = 0; ///< kRule only
};

/// First matching rule for a session to `dstPort` whose stream starts with `first[0, have)`.
/// `complete`: the stream holds no more bytes (FIN), so a longer prefix can never match.
ClassifierDecision DecideClass(const std::vector<ClassifierRule>& rules, uint16_t dstPort,
                               const uint8_t* first, size_t have, bool complete);

/// The longest prefix of `rules`: the first bytes a session needs at most to be decided.
size_t LongestPrefix(const std::vector<ClassifierRule>& rules);

} // namespace ns3

#endif
