// Reliable hop-by-hop delivery of control messages (§3.5: lost control packets are detected
// and retransmitted). Every message to a neighbour gets a serial; the neighbour answers
// with an ack carrying it; unacknowledged messages are resent every rto until the retry
// limit, then reported as failed. Receivers drop duplicates of serials they have seen.
//
// Replays: each sender numbers all its messages with one counter, so a receiver keeps, per
// sending peer, the highest serial seen and a window of the kReplayWindow serials below it
// (as IPsec's anti-replay window). A serial seen before is a duplicate (acked again, not
// processed); one below the window is an old message replayed (rejected, not acked). The
// agent authenticates a message (nonce, MAC) before the window sees it, so a forged message
// can neither take a genuine serial nor move the window.
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

    /// Keys for the MACs of protected messages (sent and acks); may be null.
    void SetKeys(const KeyRing* keys) { m_keys = keys; }

    enum class Arrival
    {
        kNew,       ///< first time this serial is seen: process it (it was acked)
        kDuplicate, ///< seen before: acked again, not processed
        kReplay,    ///< older than the window: an old message replayed, dropped unacked
        kAck,       ///< a transport ack (consumed)
        kForgedAck, ///< an ack whose nonce/key differ from the message it claims to ack
    };

    /// Handles transport concerns of a message received from `from` (authenticated by the
    /// caller): acks clear the message they acknowledge if its nonce and key id match; other
    /// messages are acknowledged (echoing serial, nonce, key id) and classified.
    Arrival Receive(uint32_t self, uint32_t from, const ControlMessage& m, uint64_t nowNs,
                    std::vector<std::vector<uint8_t>>& out);
    /// Acknowledges `m` without recording its serial (a message the agent cannot
    /// authenticate, e.g. for a session it no longer has): the sender stops resending it.
    void AckOnly(uint32_t self, uint32_t from, const ControlMessage& m,
                 std::vector<std::vector<uint8_t>>& out);

    /// Stops resending the pending messages of `type` for the request (leftAnchor,
    /// requestId); returns how many. A request that was given up must not arrive later
    /// and lock a segment nobody will unlock.
    size_t Forget(ControlType type, uint32_t leftAnchor, uint32_t requestId);

    /// Resends what is due; messages past the retry limit go to `failed`.
    void OnTimer(uint64_t nowNs, std::vector<std::vector<uint8_t>>& out,
                 std::vector<ControlMessage>& failed);

    /// Earliest retransmission time, or UINT64_MAX.
    uint64_t NextDeadline() const;
    size_t Outstanding() const { return m_pending.size(); }

    uint64_t Retransmissions() const { return m_retransmissions; }
    uint64_t Duplicates() const { return m_duplicates; }
    uint64_t Replays() const { return m_replays; }
    /// Peers whose serial window is kept (bounded by kMaxPeers).
    size_t PeersTracked() const { return m_peers.size(); }

    static constexpr uint32_t kReplayWindow = 8192;
    static constexpr size_t kMaxPeers = 65536;

private:
    struct Window
    {
        uint32_t high = 0;
        uint64_t lastNs = 0;
        std::vector<uint64_t> bits; ///< bit i: serial high - i seen
    };
    /// Marks `serial` in the window; the Arrival it makes.
    Arrival Mark(Window& w, uint32_t serial);
    ControlMessage AckFor(const ControlMessage& m) const;

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
    std::map<uint32_t, Pending> m_pending;        ///< by serial
    std::unordered_map<uint32_t, Window> m_peers; ///< serial windows by sending peer
    const KeyRing* m_keys = nullptr;
    uint64_t m_retransmissions = 0;
    uint64_t m_duplicates = 0;
    uint64_t m_replays = 0;
};

} // namespace dysco

#endif
