// The agent target's input: a script for a four-node network (client A, middleboxes B and
// C, server D; A's policy chains A -> B -> D for port 80). Each step starts with an op byte:
//
//   op % 8 < 4   packet from a node's stack or onto a node's link: node = (op >> 3) % 4,
//                direction = bit 5 (0 egress, 1 ingress), bit 6 = fix the checksums first,
//                bit 7 = hand the agent only the headers (not for SYNs); then a 2-byte
//                length and the packet (IPv4 header first)
//   op % 8 == 4  time: 1 byte k, advance (k + 1)^2 ms and fire due timers
//   op % 8 == 5  A reconfigures its n-th session (1 byte n) through 1 byte m: {}, {C}, {B, C}
//   op % 8 == 6  B's middlebox leaves its n-th session (1 byte n)
//   op % 8 == 7  B's middlebox declares deltas for its n-th session (1 + 4 + 4 bytes)
//
// Packets the agents forward or emit travel to the node their IPv4 destination names.
#ifndef DYSCO_FUZZ_AGENT_SCRIPT_H
#define DYSCO_FUZZ_AGENT_SCRIPT_H

#include <cstdint>
#include <vector>

namespace dysco
{
namespace fuzz
{

constexpr uint32_t kNodeA = 0x0A000001; // 10.0.0.1 client
constexpr uint32_t kNodeB = 0x0A000101; // 10.0.1.1 middlebox
constexpr uint32_t kNodeC = 0x0A000201; // 10.0.2.1 middlebox (for insertions)
constexpr uint32_t kNodeD = 0x0A000301; // 10.0.3.1 server
constexpr uint32_t kNodes[4] = {kNodeA, kNodeB, kNodeC, kNodeD};

enum ScriptOp : uint8_t
{
    kOpTime = 4,
    kOpReconfigure = 5,
    kOpDelete = 6,
    kOpDelta = 7,
};

/// Builds scripts (the seed generator).
class ScriptWriter
{
public:
    void Packet(int node, bool ingress, const std::vector<uint8_t>& pkt)
    {
        m_bytes.push_back(uint8_t((node << 3) | (ingress ? 0x20 : 0)));
        m_bytes.push_back(uint8_t(pkt.size() >> 8));
        m_bytes.push_back(uint8_t(pkt.size()));
        m_bytes.insert(m_bytes.end(), pkt.begin(), pkt.end());
    }
    void Time(uint8_t k) { m_bytes.insert(m_bytes.end(), {kOpTime, k}); }
    void Reconfigure(uint8_t n, uint8_t m)
    {
        m_bytes.insert(m_bytes.end(), {kOpReconfigure, n, m});
    }
    void Delete(uint8_t n) { m_bytes.insert(m_bytes.end(), {kOpDelete, n}); }
    const std::vector<uint8_t>& Bytes() const { return m_bytes; }

private:
    std::vector<uint8_t> m_bytes;
};

} // namespace fuzz
} // namespace dysco

#endif
