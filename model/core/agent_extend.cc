// Agent::ExtendChain: an explicit (SOCKS-like) proxy joins the session that ended at its host
// to its own onward connection, so that it is a middlebox of one Dysco session with a
// different header on each side (as past a NAT) and can leave it like any other middlebox.
#include "agent.h"

namespace dysco
{

uint32_t
Agent::ExtendChain(const FiveTuple& session, const FiveTuple& onward)
{
    const int64_t found = SessionIndexOf(session);
    if (found < 0)
    {
        return 0;
    }
    const uint32_t idx = uint32_t(found);
    Session& s = m_sessions.Get(idx);
    if (s.role != Role::kLast || s.leftSession != session || s.marker.IsSet() ||
        s.closedAtNs != 0 || SessionIndexOf(onward) >= 0)
    {
        return 0;
    }
    // The onward connection is chained as if it started here: this agent's policy for it.
    std::vector<uint32_t> chain;
    if (const Policy* p = m_policies.Match(onward))
    {
        chain = p->ChainFor(onward);
    }
    chain.push_back(onward.dstIp);
    s.role = Role::kMiddle;
    s.nextAddresses = std::move(chain);
    // ForwardTaggedSyn finishes the right side when the stack's SYN carries the tag.
    s.rightPending = true;
    s.tag = m_nextTag++;
    if (m_nextTag == 0)
    {
        m_nextTag = 1;
    }
    m_sessions.SetTag(s.tag, idx);
    return s.tag;
}

} // namespace dysco
