// dyscosim-dpdk-bench: packets per second on one lcore for rx -> agent -> tx through the DPDK
// binding (the same AgentNode as dyscosim-dpdk: mbufs, Ethernet header, frame checks, header
// copy, ProcessBurst, tx burst) on net_ring ports, with 64-byte frames spread over N sessions
// in random order. Mode "bare" runs the same loop without the agent (rx, Ethernet rewrite,
// tx): the cost of the ring ports themselves. With --general, a third run ("general") has
// the agent's core take the general path for every packet (AgentConfig::fastPath off): the
// fast path's gain measured in the same process.
//
// The generator that feeds the host-side rx ring is inside the timed loop: it takes the
// frames the agent sent, writes the next session's 64-byte frame into each (as a NIC would
// DMA it) and enqueues them again, so both modes pay it. The figures are therefore a lower
// bound of the binding's own rate.
//
//   dyscosim-dpdk-bench [--sessions 1000,100000] [--seconds 2] [--mode agent|bare|both]
//                       [--general]
// prints one JSON line per run on stdout and a table on stderr.
#include "agent_node.h"
#include "core/packet_edit.h"
#include "eal.h"
#include "eth_port.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <rte_cycles.h>
#include <rte_eth_ring.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <sstream>
#include <stdexcept>

namespace
{

using namespace dysco::dpdk;

constexpr uint32_t kClientBase = 0x0A000000; // 10.0.0.0/8: one address per 60k sessions
constexpr uint32_t kServer = 0xC0A80001;     // 192.168.0.1
constexpr uint32_t kMiddlebox = 0xAC100001;  // 172.16.0.1
constexpr uint32_t kAgentAddress = 0x0A000001;
constexpr size_t kFrame = 64;        // Ethernet 14 + IPv4 20 + TCP 20 + payload 10
constexpr unsigned kInFlight = 1024; // frames in flight: a 1024-descriptor rx ring
constexpr unsigned kRingSize = 8192;
constexpr uint16_t kBurst = 32;

struct Options
{
    std::vector<uint32_t> sessions = {1000, 100000};
    double seconds = 2.0;
    bool agent = true;
    bool bare = true;
    bool general = false;
};

struct Result
{
    std::string mode;
    uint32_t sessions = 0;
    uint64_t packets = 0;
    double seconds = 0;
    bool verified = false;
    std::string note;
};

dysco::FiveTuple
SessionTuple(uint32_t i)
{
    return dysco::FiveTuple{kClientBase + 1 + i / 60000, kServer, uint16_t(1024 + i % 60000), 80,
                            dysco::kProtoTcp};
}

rte_ring*
Ring(const std::string& name)
{
    rte_ring* r = rte_ring_create(name.c_str(), kRingSize, int(rte_socket_id()),
                                  RING_F_SP_ENQ | RING_F_SC_DEQ);
    if (r == nullptr)
    {
        throw std::runtime_error("rte_ring_create " + name + " failed");
    }
    return r;
}

/// A net_ring ethdev whose rx queue is `rx` and tx queue is `tx`.
std::string
RingPort(const std::string& name, rte_ring* rx, rte_ring* tx)
{
    if (rte_eth_from_rings(name.c_str(), &rx, 1, &tx, 1, rte_socket_id()) < 0)
    {
        throw std::runtime_error("rte_eth_from_rings " + name + " failed");
    }
    return "net_ring_" + name; // the ethdev name the ring driver gives it
}

class Bench
{
public:
    explicit Bench(rte_mempool* pool)
        : m_pool(pool)
        , m_hostRx(Ring("bench_host_rx"))
        , m_hostTx(Ring("bench_host_tx"))
        , m_netRx(Ring("bench_net_rx"))
        , m_netTx(Ring("bench_net_tx"))
        , m_host(RingPort("bench_host", m_hostRx, m_hostTx), pool)
        , m_net(RingPort("bench_net", m_netRx, m_netTx), pool)
    {
    }

    Result Run(bool withAgent, bool fastPath, uint32_t sessions, double seconds)
    {
        Result r;
        r.mode = !withAgent ? "bare" : fastPath ? "agent" : "general";
        r.sessions = sessions;
        std::unique_ptr<AgentNode> node;
        if (withAgent)
        {
            node = MakeNode(sessions, fastPath);
            if (node->Core().SessionCount() != sessions)
            {
                r.note = "not every session was set up";
                return r;
            }
        }
        MakeFrames(sessions);
        Prime();
        const dysco::AgentCounters before = node ? node->Core().Counters() : dysco::AgentCounters{};
        const uint64_t hz = rte_get_tsc_hz();
        const uint64_t start = rte_rdtsc();
        const uint64_t end = start + uint64_t(seconds * double(hz));
        uint64_t now = start;
        while (now < end)
        {
            for (int k = 0; k < 64; ++k)
            {
                if (node)
                {
                    node->Poll(uint64_t(double(now - start) * 1e9 / double(hz)));
                }
                else
                {
                    Bare();
                }
                r.packets += Generate();
            }
            now = rte_rdtsc();
        }
        r.seconds = double(now - start) / double(hz);
        if (node)
        {
            const dysco::AgentCounters& after = node->Core().Counters();
            const uint64_t rewritten = after.rewritten - before.rewritten;
            const uint64_t passed = after.passed - before.passed;
            // Every frame the generator got back was rewritten (a few more may be in the rings).
            r.verified = passed == 0 && after.dropped == before.dropped && rewritten >= r.packets &&
                         rewritten <= r.packets + kInFlight && node->Egress().Malformed() == 0;
            if (!r.verified)
            {
                std::ostringstream s;
                s << "rewritten " << rewritten << ", passed " << passed << ", generator "
                  << r.packets;
                r.note = s.str();
            }
        }
        else
        {
            r.verified = true;
        }
        Drain();
        return r;
    }

private:
    std::unique_ptr<AgentNode> MakeNode(uint32_t sessions, bool fastPath)
    {
        NodeConfig n;
        n.name = "bench";
        n.address = kAgentAddress;
        n.hostMac = MacAddress{0x02, 0, 0, 0, 0, 1};
        dysco::AgentConfig cfg;
        cfg.maxSessions = sessions + 1;
        cfg.fastPath = fastPath;
        dysco::Policy p;
        p.chain = {kMiddlebox};
        auto node = std::make_unique<AgentNode>(n, cfg, std::vector<dysco::Policy>{p}, m_host,
                                                m_net, m_pool);
        for (uint32_t i = 0; i < sessions; ++i)
        {
            const dysco::FiveTuple t = SessionTuple(i);
            std::vector<uint8_t> syn =
                dysco::BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, 1000, 0, 0x02, 65535,
                                      nullptr, 0, nullptr, 0);
            node->Core().Process(dysco::Direction::kEgress, syn, 0);
        }
        node->Core().Outputs().clear();
        return node;
    }

    /// Frame k of the stream belongs to a random session; the generator reads them in order,
    /// so only the agent's lookups are random.
    void MakeFrames(uint32_t sessions)
    {
        std::vector<uint32_t> order(sessions);
        std::iota(order.begin(), order.end(), 0u);
        std::mt19937 rng(1);
        std::shuffle(order.begin(), order.end(), rng);
        m_frames.assign(size_t(sessions) * kFrame, 0);
        const uint8_t payload[10] = {};
        for (uint32_t i = 0; i < sessions; ++i)
        {
            const dysco::FiveTuple t = SessionTuple(order[i]);
            std::vector<uint8_t> ip =
                dysco::BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, 1001, 1, 0x10, 65535,
                                      nullptr, 0, payload, sizeof(payload));
            uint8_t* f = &m_frames[size_t(i) * kFrame];
            WriteEthHeader(f, MacAddress{0x02, 0xd5, 0, 0, 0, 1}, MacAddress{0x02, 0, 0, 0, 0, 1},
                           kEtherIpv4);
            std::memcpy(f + kEthHeader, ip.data(), ip.size());
        }
        m_sessions = sessions;
        m_cursor = 0;
    }

    void Prime()
    {
        for (unsigned i = 0; i < kInFlight; ++i)
        {
            rte_mbuf* m = rte_pktmbuf_alloc(m_pool);
            if (m == nullptr || rte_pktmbuf_append(m, kFrame) == nullptr)
            {
                throw std::runtime_error("mbuf pool too small");
            }
            Fill(m);
            rte_ring_enqueue(m_hostRx, m);
        }
    }

    void Fill(rte_mbuf* m)
    {
        std::memcpy(rte_pktmbuf_mtod(m, uint8_t*), &m_frames[m_cursor * kFrame], kFrame);
        m->data_len = kFrame;
        m->pkt_len = kFrame;
        m_cursor = m_cursor + 1 == m_sessions ? 0 : m_cursor + 1;
    }

    /// Frames the agent sent become the next frames it receives.
    unsigned Generate()
    {
        rte_mbuf* b[kBurst];
        const unsigned n =
            rte_ring_dequeue_burst(m_netTx, reinterpret_cast<void**>(b), kBurst, nullptr);
        for (unsigned i = 0; i < n; ++i)
        {
            Fill(b[i]);
        }
        rte_ring_enqueue_burst(m_hostRx, reinterpret_cast<void**>(b), n, nullptr);
        return n;
    }

    void Bare()
    {
        rte_mbuf* b[kBurst];
        const uint16_t n = m_host.Receive(b, kBurst);
        const MacAddress peer = kBroadcastMac;
        const MacAddress own = m_net.Mac();
        for (uint16_t i = 0; i < n; ++i)
        {
            WriteEthHeader(rte_pktmbuf_mtod(b[i], uint8_t*), peer, own, kEtherIpv4);
        }
        m_net.Send(b, n);
    }

    void Drain()
    {
        for (rte_ring* r : {m_hostRx, m_hostTx, m_netRx, m_netTx})
        {
            rte_mbuf* m;
            while (rte_ring_dequeue(r, reinterpret_cast<void**>(&m)) == 0)
            {
                rte_pktmbuf_free(m);
            }
        }
    }

    rte_mempool* m_pool;
    rte_ring* m_hostRx;
    rte_ring* m_hostTx;
    rte_ring* m_netRx;
    rte_ring* m_netTx;
    EthPort m_host;
    EthPort m_net;
    std::vector<uint8_t> m_frames;
    size_t m_sessions = 1;
    size_t m_cursor = 0;
};

Options
Parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i)
    {
        const std::string a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--sessions" && hasValue)
        {
            o.sessions.clear();
            std::istringstream in(argv[++i]);
            std::string item;
            while (std::getline(in, item, ','))
            {
                const unsigned long n = std::strtoul(item.c_str(), nullptr, 10);
                if (n == 0 || n > 4000000)
                {
                    throw std::invalid_argument("--sessions: expected counts 1..4000000");
                }
                o.sessions.push_back(uint32_t(n));
            }
        }
        else if (a == "--seconds" && hasValue)
        {
            o.seconds = std::strtod(argv[++i], nullptr);
            if (!(o.seconds > 0 && o.seconds <= 600))
            {
                throw std::invalid_argument("--seconds: expected 0 < S <= 600");
            }
        }
        else if (a == "--mode" && hasValue)
        {
            const std::string m = argv[++i];
            if (m != "agent" && m != "bare" && m != "both")
            {
                throw std::invalid_argument("--mode: expected agent, bare or both");
            }
            o.agent = m != "bare";
            o.bare = m != "agent";
        }
        else if (a == "--general")
        {
            o.general = true;
        }
        else
        {
            throw std::invalid_argument("unknown or incomplete option '" + a + "'");
        }
    }
    return o;
}

} // namespace

int
main(int argc, char** argv)
{
    Options opt;
    try
    {
        opt = Parse(argc, argv);
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr,
                     "dyscosim-dpdk-bench: %s\nusage: dyscosim-dpdk-bench [--sessions N[,N...]] "
                     "[--seconds S] [--mode agent|bare|both] [--general]\n",
                     e.what());
        return 2;
    }
    bool allVerified = true;
    try
    {
        Eal eal({"dyscosim-dpdk-bench", "-l", "0", "--no-huge", "-m", "256", "--no-pci",
                 "--no-shconf", "--no-telemetry", "--log-level=lib.eal:error"},
                16384);
        Bench bench(eal.Pool());
        std::fprintf(stderr, "%-6s %10s %12s %8s %10s\n", "mode", "sessions", "packets", "Mpps",
                     "ns/packet");
        for (uint32_t n : opt.sessions)
        {
            for (int mode = 0; mode < 3; ++mode) // agent, bare, general
            {
                if ((mode == 0 && !opt.agent) || (mode == 1 && !opt.bare) ||
                    (mode == 2 && !opt.general))
                {
                    continue;
                }
                Result r = bench.Run(mode != 1, mode != 2, n, opt.seconds);
                const double mpps = double(r.packets) / r.seconds / 1e6;
                const double ns = r.packets ? r.seconds * 1e9 / double(r.packets) : 0;
                allVerified = allVerified && r.verified;
                std::fprintf(stderr, "%-6s %10u %12llu %8.2f %10.2f%s%s\n", r.mode.c_str(),
                             r.sessions, (unsigned long long)r.packets, mpps, ns,
                             r.verified ? "" : "  NOT VERIFIED: ", r.note.c_str());
                std::printf("{\"bench\":\"dpdk_net_ring\",\"mode\":\"%s\",\"sessions\":%u,"
                            "\"frame_bytes\":%zu,\"burst\":%u,\"packets\":%llu,\"seconds\":%.3f,"
                            "\"mpps\":%.3f,\"ns_per_packet\":%.2f,\"verified\":%s}\n",
                            r.mode.c_str(), r.sessions, kFrame, unsigned(kBurst),
                            (unsigned long long)r.packets, r.seconds, mpps, ns,
                            r.verified ? "true" : "false");
                std::fflush(stdout);
            }
        }
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr, "dyscosim-dpdk-bench: %s\n", e.what());
        return 1;
    }
    return allVerified ? 0 : 1;
}
