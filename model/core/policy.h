// Service-chaining policies (§2.2): a predicate on the session five-tuple selects the list
// of middlebox addresses its chain traverses. The first matching policy wins.
#ifndef DYSCO_CORE_POLICY_H
#define DYSCO_CORE_POLICY_H

#include "five_tuple.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dysco
{

struct Prefix
{
    uint32_t address = 0;
    uint8_t length = 0; ///< 0 matches everything

    bool Contains(uint32_t ip) const
    {
        return length == 0 || ((ip ^ address) >> (32 - length)) == 0;
    }
};

struct PortRange
{
    uint16_t low = 0;
    uint16_t high = 65535;

    bool Contains(uint16_t p) const { return p >= low && p <= high; }
};

struct Predicate
{
    Prefix src;
    Prefix dst;
    PortRange srcPorts;
    PortRange dstPorts;
    uint8_t protocol = kProtoTcp; ///< 0 matches any protocol

    bool Matches(const FiveTuple& t) const
    {
        return (protocol == 0 || protocol == t.protocol) && src.Contains(t.srcIp) &&
               dst.Contains(t.dstIp) && srcPorts.Contains(t.srcPort) &&
               dstPorts.Contains(t.dstPort);
    }
};

struct Policy
{
    std::string name;
    Predicate predicate;
    std::vector<uint32_t> chain; ///< middlebox addresses, in traversal order
    uint32_t keyId = 0;          ///< chain key protecting its control messages (hmac), 0 = none
    /// A policy on middlebox *types* (a policy server's): when set, the agent asks it for each
    /// new session's instances instead of using `chain`, so sessions can spread over them.
    std::function<std::vector<uint32_t>(const FiveTuple&)> choose = nullptr;

    /// The chain of the session `t`: chosen per session if the policy names types.
    std::vector<uint32_t> ChainFor(const FiveTuple& t) const { return choose ? choose(t) : chain; }
};

class PolicyTable
{
public:
    void Add(Policy p) { m_policies.push_back(std::move(p)); }
    void Clear() { m_policies.clear(); }
    /// Keeps the first `n` policies (a policy set applied on top of them is replaced whole).
    void Truncate(size_t n)
    {
        if (n < m_policies.size())
        {
            m_policies.resize(n);
        }
    }
    size_t Size() const { return m_policies.size(); }

    /// The first policy whose predicate matches, or nullptr.
    const Policy* Match(const FiveTuple& t) const
    {
        for (const auto& p : m_policies)
        {
            if (p.predicate.Matches(t))
            {
                return &p;
            }
        }
        return nullptr;
    }

private:
    std::vector<Policy> m_policies;
};

} // namespace dysco

#endif
