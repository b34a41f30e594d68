#include "control_channel.h"

#include <algorithm>
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
    out.push_back(BuildControlPacket(self, peer, m, m_keys));
    m_pending[m.serial] = Pending{self, peer, std::move(m), nowNs + m_config.rtoNs, 1};
}

ControlMessage
ControlChannel::AckFor(const ControlMessage& m) const
{
    ControlMessage ack;
    ack.type = ControlType::kAck;
    ack.serial = m.serial;
    ack.subsession = m.subsession;
    ack.protection = m.protection;
    ack.nonce = m.nonce;
    ack.keyId = m.keyId;
    return ack;
}

void
ControlChannel::AckOnly(uint32_t self, uint32_t from, const ControlMessage& m,
                        std::vector<std::vector<uint8_t>>& out)
{
    out.push_back(BuildControlPacket(self, from, AckFor(m), m_keys));
}

ControlChannel::Arrival
ControlChannel::Mark(Window& w, uint32_t serial)
{
    constexpr uint32_t kWords = kReplayWindow / 64;
    if (w.bits.empty())
    {
        w.bits.assign(kWords, 0);
        w.high = serial;
        w.bits[0] = 1;
        return Arrival::kNew;
    }
    const uint32_t ahead = serial - w.high; // modulo 2^32, as the serials wrap
    if (ahead != 0 && ahead < 0x80000000u)
    {
        // A newer serial: slide the window up by `ahead` bits.
        if (ahead >= kReplayWindow)
        {
            std::fill(w.bits.begin(), w.bits.end(), 0);
        }
        else
        {
            const uint32_t words = ahead / 64;
            const uint32_t shift = ahead % 64;
            for (uint32_t i = kWords; i-- > 0;)
            {
                uint64_t v = i >= words ? w.bits[i - words] << shift : 0;
                if (shift != 0 && i >= words + 1)
                {
                    v |= w.bits[i - words - 1] >> (64 - shift);
                }
                w.bits[i] = v;
            }
        }
        w.high = serial;
        w.bits[0] |= 1;
        return Arrival::kNew;
    }
    const uint32_t behind = w.high - serial;
    if (behind >= kReplayWindow)
    {
        return Arrival::kReplay;
    }
    uint64_t& word = w.bits[behind / 64];
    const uint64_t bit = uint64_t(1) << (behind % 64);
    if (word & bit)
    {
        return Arrival::kDuplicate;
    }
    word |= bit;
    return Arrival::kNew;
}

ControlChannel::Arrival
ControlChannel::Receive(uint32_t self, uint32_t from, const ControlMessage& m, uint64_t nowNs,
                        std::vector<std::vector<uint8_t>>& out)
{
    if (m.type == ControlType::kAck)
    {
        auto it = m_pending.find(m.serial);
        if (it == m_pending.end() || it->second.peer != from)
        {
            return Arrival::kAck; // late or unknown: nothing to clear
        }
        const ControlMessage& sent = it->second.message;
        if (m.protection != sent.protection || m.nonce != sent.nonce || m.keyId != sent.keyId)
        {
            return Arrival::kForgedAck; // would cancel the resends of a message never received
        }
        m_pending.erase(it);
        return Arrival::kAck;
    }
    Window* w = nullptr;
    auto found = m_peers.find(from);
    if (found != m_peers.end())
    {
        w = &found->second;
    }
    else
    {
        if (m_peers.size() >= kMaxPeers)
        {
            // Forget the peer silent the longest (bounded state under spoofed sources).
            auto oldest = m_peers.begin();
            for (auto it = m_peers.begin(); it != m_peers.end(); ++it)
            {
                if (it->second.lastNs < oldest->second.lastNs)
                {
                    oldest = it;
                }
            }
            m_peers.erase(oldest);
        }
        w = &m_peers[from];
    }
    w->lastNs = nowNs;
    const Arrival a = Mark(*w, m.serial);
    if (a == Arrival::kReplay)
    {
        ++m_replays;
        return a;
    }
    out.push_back(BuildControlPacket(self, from, AckFor(m), m_keys));
    if (a == Arrival::kDuplicate)
    {
        ++m_duplicates;
    }
    return a;
}

size_t
ControlChannel::Forget(ControlType type, uint32_t leftAnchor, uint32_t requestId)
{
    size_t n = 0;
    for (auto it = m_pending.begin(); it != m_pending.end();)
    {
        const ControlMessage& m = it->second.message;
        if (m.type == type && m.leftAnchor == leftAnchor && m.requestId == requestId)
        {
            it = m_pending.erase(it);
            ++n;
        }
        else
        {
            ++it;
        }
    }
    return n;
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
        out.push_back(BuildControlPacket(p.self, p.peer, p.message, m_keys));
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
