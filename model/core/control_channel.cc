#include "control_channel.h"

#include <limits>

namespace dysco
{

void
ControlChannel::Send(uint32_t self, uint32_t peer, ControlMessage m, uint64_t nowNs,
                     std::vector<std::vector<uint8_t>>& out)
{
    m.serial = m_nextSerial++;
    if (m_nextSerial == 0)
    {
        m_nextSerial = 1;
    }
    out.push_back(BuildControlPacket(self, peer, m));
    m_pending[m.serial] = Pending{self, peer, std::move(m), nowNs + m_config.rtoNs, 1};
}

bool
ControlChannel::Receive(uint32_t self, uint32_t from, const ControlMessage& m, uint64_t nowNs,
                        std::vector<std::vector<uint8_t>>& out)
{
    if (m.type == ControlType::kAck)
    {
        auto it = m_pending.find(m.serial);
        if (it != m_pending.end() && it->second.peer == from)
        {
            m_pending.erase(it);
        }
        return false;
    }
    ControlMessage ack;
    ack.type = ControlType::kAck;
    ack.serial = m.serial;
    ack.subsession = m.subsession;
    out.push_back(BuildControlPacket(self, from, ack));

    // Remember serials long enough to outlive every retransmission of them.
    const uint64_t keep = m_config.rtoNs * (m_config.retries + 2);
    if (nowNs - m_lastPruneNs > keep)
    {
        for (auto it = m_seen.begin(); it != m_seen.end();)
        {
            it = (nowNs - it->second > keep) ? m_seen.erase(it) : std::next(it);
        }
        m_lastPruneNs = nowNs;
    }
    const uint64_t key = (uint64_t(from) << 32) | m.serial;
    if (!m_seen.emplace(key, nowNs).second)
    {
        ++m_duplicates;
        return false;
    }
    return true;
}

void
ControlChannel::OnTimer(uint64_t nowNs, std::vector<std::vector<uint8_t>>& out,
                        std::vector<ControlMessage>& failed)
{
    for (auto it = m_pending.begin(); it != m_pending.end();)
    {
        Pending& p = it->second;
        if (p.deadlineNs > nowNs)
        {
            ++it;
            continue;
        }
        if (p.sent > m_config.retries)
        {
            failed.push_back(p.message);
            it = m_pending.erase(it);
            continue;
        }
        out.push_back(BuildControlPacket(p.self, p.peer, p.message));
        ++p.sent;
        ++m_retransmissions;
        p.deadlineNs = nowNs + m_config.rtoNs;
        ++it;
    }
}

uint64_t
ControlChannel::NextDeadline() const
{
    uint64_t next = std::numeric_limits<uint64_t>::max();
    for (const auto& kv : m_pending)
    {
        next = std::min(next, kv.second.deadlineNs);
    }
    return next;
}

} // namespace dysco
