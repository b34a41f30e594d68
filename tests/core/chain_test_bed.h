// A four-agent chain A -> B -> C -> D driven by hand: packets leave one agent's egress and
// enter the next agent's ingress, so every wire header can be inspected exactly.
#ifndef DYSCO_TESTS_CHAIN_TEST_BED_H
#define DYSCO_TESTS_CHAIN_TEST_BED_H

#include "core/agent.h"
#include "core/packet.h"
#include "core/packet_edit.h"

#include <functional>
#include <gtest/gtest.h>
#include <vector>

namespace dysco
{
namespace test
{

constexpr uint32_t kA = 0x0A000001; // 10.0.0.1 client
constexpr uint32_t kB = 0x0A000101; // 10.0.1.1 middlebox
constexpr uint32_t kC = 0x0A000201; // 10.0.2.1 middlebox
constexpr uint32_t kD = 0x0A000301; // 10.0.3.1 server
constexpr uint16_t kClientPort = 5000;
constexpr uint16_t kServerPort = 80;

/// ns-3's SYN options: timestamps, window scale, SACK-permitted (16 bytes with padding).
inline std::vector<uint8_t>
SynOptions()
{
    return {8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 3, 3, 7, 4, 2, 0};
}

inline std::vector<uint8_t>
Segment(const FiveTuple& t, uint32_t seq, uint32_t ack, uint8_t flags,
        const std::vector<uint8_t>& payload = {}, const std::vector<uint8_t>& options = {})
{
    return BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, seq, ack, flags, 65535,
                          options.data(), options.size(), payload.data(), payload.size());
}

inline FiveTuple
TupleOf(std::vector<uint8_t>& pkt)
{
    PacketView v(pkt.data(), pkt.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    return v.Tuple();
}

struct ChainBed
{
    Agent a{Config(kA)};
    Agent b{Config(kB)};
    Agent c{Config(kC)};
    Agent d{Config(kD)};
    FiveTuple session{kA, kD, kClientPort, kServerPort, kProtoTcp};
    /// Applied to packets forwarded by a middlebox host between its ingress and egress
    /// (the packet middlebox function); argument: 0 for B, 1 for C.
    std::function<void(int, std::vector<uint8_t>&)> middlebox;
    std::vector<std::vector<uint8_t>> wire; ///< every packet that crossed a link, in order
    uint64_t now = 1000;

    static AgentConfig Config(uint32_t address)
    {
        AgentConfig cfg;
        cfg.address = address;
        return cfg;
    }

    ChainBed()
    {
        Policy p;
        p.name = "web";
        p.predicate.dst = Prefix{kD, 32};
        p.predicate.dstPorts = PortRange{80, 80};
        p.chain = {kB, kC};
        a.Policies().Add(p);
    }

    /// Carries a packet from A's stack to D's stack; false if an agent dropped it.
    bool Forward(std::vector<uint8_t>& pkt)
    {
        if (a.Process(Direction::kEgress, pkt, now) != Verdict::kForward)
        {
            return false;
        }
        return Through(pkt, {&b, &c}, d);
    }

    /// Carries a packet from D's stack to A's stack.
    bool Backward(std::vector<uint8_t>& pkt)
    {
        if (d.Process(Direction::kEgress, pkt, now) != Verdict::kForward)
        {
            return false;
        }
        return Through(pkt, {&c, &b}, a);
    }

private:
    bool Through(std::vector<uint8_t>& pkt, std::vector<Agent*> middle, Agent& last)
    {
        for (size_t i = 0; i < middle.size(); ++i)
        {
            wire.push_back(pkt);
            if (middle[i]->Process(Direction::kIngress, pkt, now) != Verdict::kForward)
            {
                return false;
            }
            if (middlebox)
            {
                middlebox(middle[i] == &b ? 0 : 1, pkt);
            }
            if (middle[i]->Process(Direction::kEgress, pkt, now) != Verdict::kForward)
            {
                return false;
            }
        }
        wire.push_back(pkt);
        return last.Process(Direction::kIngress, pkt, now) == Verdict::kForward;
    }
};

} // namespace test
} // namespace dysco

#endif
