// The adversary of the security scenarios (README "Security"; the paper's §2.3 threat):
// a node off the sessions' paths that knows every address and port (it may guess them)
// but not the session nonces or chain keys. Every period it
//   forge:   sends each agent every control message type for each of its subsessions, with
//            the real neighbour as spoofed source and a wrong nonce or none;
//   replay:  resends control packets recorded on the chain's links (an eavesdropper's);
//   modify:  resends recorded control packets with a changed delta and a fresh serial (what
//            an on-path node could do; only the HMAC stops it);
//   bad_syn: sends chain SYNs whose address lists loop, are too long or leave the policy.
// All of it must be rejected and counted, with the sessions unharmed.
#ifndef DYSCOSIM_ATTACKER_H
#define DYSCOSIM_ATTACKER_H

#include "run_context.h"

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace dyscosim
{

class Attacker
{
public:
    explicit Attacker(RunContext& ctx);

    /// Taps the agents and schedules the attacks (only if the scenario has any).
    void Install();
    uint64_t Sent() const { return m_sent; }

private:
    struct Tap
    {
        Attacker* attacker;
        size_t node;
    };
    static void OnOriginated(Tap* tap, const std::vector<uint8_t>& packet);
    void Tick(size_t attack);
    void Forge(size_t attacker, size_t node);
    /// Resends what was recorded since the mark (and a few older packets); `advance` moves
    /// the mark past them.
    void Replay(size_t attacker, bool modify, bool advance);
    void BadSyns(size_t attacker, size_t node);
    void Send(size_t attacker, std::vector<uint8_t> packet);

    RunContext& m_ctx;
    std::mt19937_64 m_rng;
    std::vector<std::unique_ptr<Tap>> m_taps;
    std::vector<std::vector<uint8_t>> m_recorded; ///< control packets seen on the links
    size_t m_replayed = 0;                        ///< m_recorded[0, m_replayed) resent once
    uint64_t m_sent = 0;
};

} // namespace dyscosim

#endif
