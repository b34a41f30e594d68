// Reliable hop-by-hop delivery of control messages (§3.5: lost control packets are detected
// and retransmitted). Every message to a neighbour gets a serial; the neighbour answers
// with an ack carrying it; unacknowledged messages are resent every rto until the retry
// limit, then reported as failed. Receivers drop duplicates of serials they have seen.
#ifndef DYSCO_CORE_CONTROL_CHANNEL_H
#define DYSCO_CORE_CONTROL_CHANNEL_H

#include "control.h"

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

namespace dysco
{

struct ControlChannelConfig
{
    uint64_t rtoNs = 200'000'000; ///< retransmission timeout
    uint32_t retries = 6;         ///< resends before giving up
};

class ControlChannel
{
public:
    explicit ControlChannel(ControlChannelConfig config = {})
        : m_config(config)
    {
    }
    void SetConfig(ControlChannelConfig config) { m_config = config; }

    /// Sends `m` to `peer` reliably; the wire packet is appended to `out`.
    void Send(uint32_t self, uint32_t peer, ControlMessage m, uint64_t nowNs,
              std::vector<std::vector<uint8_t>>& out);

    /// Handles transport concerns of a message received from `from`: acks are consumed
    /// (returns false); other messages are acknowledged, and true is returned only the
    /// first time a serial is seen.
    bool Receive(uint32_t self, uint32_t from, const ControlMessage& m, uint64_t nowNs,
                 std::vector<std::vector<uint8_t>>& out);

    /// Resends what is due; messages past the retry limit go to `failed`.
    void OnTimer(uint64_t nowNs, std::vector<std::vector<uint8_t>>& out,
                 std::vector<ControlMessage>& failed);

    /// Earliest retransmission time, or UINT64_MAX.
    uint64_t NextDeadline() const;
    size_t Outstanding() const { return m_pending.size(); }

    uint64_t Retransmissions() const { return m_retransmissions; }
    uint64_t Duplicates() const { return m_duplicates; }

private:
    struct Pending
    {
        uint32_t self;
        uint32_t peer;
        ControlMessage message;
        uint64_t deadlineNs;
        uint32_t sent;
    };

    ControlChannelConfig m_config;
    uint32_t m_nextSerial = 1;
    std::map<uint32_t, Pending> m_pending;         ///< by serial
    std::unordered_map<uint64_t, uint64_t> m_seen; ///< (peer, serial) -> time first seen
    uint64_t m_lastPruneNs = 0;
    uint64_t m_retransmissions = 0;
    uint64_t m_duplicates = 0;
};

} // namespace dysco

#endif
