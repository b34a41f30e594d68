// A small packet network of core agents for reconfiguration tests: every node has an
// agent; links are ideal (delivery in FIFO order) unless a loss rule drops a packet.
// Packets addressed to a node that is not the session's endpoint are forwarded through
// it (a packet middlebox), so a chain A -> B -> D behaves as in the simulator.
#ifndef DYSCO_TESTS_NET_TEST_BED_H
#define DYSCO_TESTS_NET_TEST_BED_H

#include "core/agent.h"
#include "core/control.h"
#include "core/packet.h"
#include "core/packet_edit.h"

#include <cstdlib>
#include <deque>
#include <functional>
#include <gtest/gtest.h>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace dysco
{
namespace test
{

struct WirePacket
{
    uint32_t from;
    uint32_t to;
    std::vector<uint8_t> bytes;
};

class NetBed
{
public:
    /// Which node a session's endpoint packets are delivered to: the node whose address is
    /// the packet's destination after the ingress hook.
    std::map<uint32_t, std::unique_ptr<Agent>> agents;
    std::map<uint32_t, std::vector<std::vector<uint8_t>>> delivered; ///< per node's stack
    std::vector<WirePacket> wire;                                    ///< everything sent
    std::function<bool(const WirePacket&)> lose; ///< true: drop this packet on its link
    std::function<void(uint32_t, std::vector<uint8_t>&)> middlebox; ///< per forwarded packet
    std::set<uint32_t> down;                                        ///< nodes that are off
    uint64_t now = 1'000'000;

    Agent& Add(uint32_t address)
    {
        AgentConfig cfg;
        cfg.address = address;
        cfg.control.rtoNs = 10'000'000;
        cfg.synRtoNs = 20'000'000;
        agents[address] = std::make_unique<Agent>(cfg);
        if (std::getenv("DYSCO_NETBED_TRACE") != nullptr)
        {
            // Debugging aid: every agent event on stderr.
            agents[address]->SetEventSink(
                [address](const AgentEvent& e)
                {
                    std::cerr << Ipv4ToString(address) << " " << ToString(e.kind) << " detail "
                              << e.detail << " req " << e.requestId << " sub "
                              << e.subsession.ToString() << "\n";
                });
        }
        return *agents[address];
    }

    Agent& operator[](uint32_t address) { return *agents.at(address); }

    /// A packet from `node`'s own stack.
    void Send(uint32_t node, std::vector<uint8_t> pkt)
    {
        Agent& a = *agents.at(node);
        Verdict v = a.Process(Direction::kEgress, pkt, now);
        if (v == Verdict::kNeedPayload)
        {
            ADD_FAILURE() << "the test bed always passes whole packets";
        }
        Drain(node);
        if (v == Verdict::kForward)
        {
            Put(node, std::move(pkt));
        }
        Run();
    }

    /// Puts `pkt` on the wire as if `from` sent it now (a late or reordered copy), unless
    /// `lose` drops it, and delivers it.
    void Inject(uint32_t from, std::vector<uint8_t> pkt)
    {
        Put(from, std::move(pkt));
        Run();
    }

    /// Delivers everything queued, including what agents emit on the way.
    void Run()
    {
        for (auto& kv : agents)
        {
            Drain(kv.first); // packets an API call (Reconfigure, ...) queued
        }
        int guard = 0;
        while (!m_queue.empty() && ++guard < 100000)
        {
            WirePacket w = std::move(m_queue.front());
            m_queue.pop_front();
            Arrive(w.to, std::move(w.bytes));
        }
    }

    /// Advances time and fires every agent's due timers.
    void Advance(uint64_t ns)
    {
        uint64_t end = now + ns;
        while (true)
        {
            uint64_t next = end;
            for (auto& kv : agents)
            {
                next = std::min(next, kv.second->NextDeadline());
            }
            if (next > end)
            {
                break;
            }
            now = std::max(now, next);
            for (auto& kv : agents)
            {
                if (kv.second->NextDeadline() <= now)
                {
                    kv.second->OnTimer(now);
                    Drain(kv.first);
                }
            }
            Run();
            if (next == end)
            {
                break;
            }
        }
        now = end;
    }

private:
    void Drain(uint32_t node)
    {
        auto& out = agents.at(node)->Outputs();
        for (auto& p : out)
        {
            Put(node, std::move(p));
        }
        out.clear();
    }

    void Put(uint32_t from, std::vector<uint8_t> pkt)
    {
        uint32_t to = (uint32_t(pkt[16]) << 24) | (uint32_t(pkt[17]) << 16) |
                      (uint32_t(pkt[18]) << 8) | pkt[19];
        WirePacket w{from, to, std::move(pkt)};
        wire.push_back(w);
        if ((lose && lose(w)) || down.count(to) || agents.count(to) == 0)
        {
            return;
        }
        m_queue.push_back(std::move(w));
    }

    void Arrive(uint32_t node, std::vector<uint8_t> pkt)
    {
        Agent& a = *agents.at(node);
        Verdict v = a.Process(Direction::kIngress, pkt, now);
        Drain(node);
        if (v != Verdict::kForward)
        {
            return;
        }
        uint32_t dst = (uint32_t(pkt[16]) << 24) | (uint32_t(pkt[17]) << 16) |
                       (uint32_t(pkt[18]) << 8) | pkt[19];
        if (dst == node)
        {
            delivered[node].push_back(std::move(pkt));
            return;
        }
        if (middlebox)
        {
            middlebox(node, pkt);
        }
        v = a.Process(Direction::kEgress, pkt, now);
        Drain(node);
        if (v == Verdict::kForward)
        {
            Put(node, std::move(pkt));
        }
    }

    std::deque<WirePacket> m_queue;
};

} // namespace test
} // namespace dysco

#endif
