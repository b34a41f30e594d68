// BM_CoreDataPath/<sessions>: the agent core's per-packet data-path cost (session lookup +
// header rewrite + incremental checksums) with packets spread over all sessions.
// Each iteration copies a 40-byte header (as a NIC would DMA it) and runs Agent::Process.
#include "core/agent.h"
#include "core/bytes.h"
#include "core/packet_edit.h"

#include <benchmark/benchmark.h>
#include <cstring>
#include <numeric>
#include <random>
#include <vector>

namespace
{

using namespace dysco;

constexpr uint32_t kClientBase = 0x0A000000; // 10.0.0.0/8: one address per 60k sessions
constexpr uint32_t kServer = 0xC0A80001;     // 192.168.0.1
constexpr uint32_t kMiddlebox = 0xAC100001;  // 172.16.0.1
constexpr uint32_t kAgentAddress = 0x0A000001;

FiveTuple
SessionTuple(uint32_t i)
{
    return FiveTuple{kClientBase + 1 + i / 60000, kServer, uint16_t(1024 + i % 60000), 80,
                     kProtoTcp};
}

struct Bed
{
    explicit Bed(uint32_t sessions)
    {
        AgentConfig cfg;
        cfg.address = kAgentAddress;
        cfg.maxSessions = sessions + 1;
        agent = std::make_unique<Agent>(cfg);
        Policy p;
        p.chain = {kMiddlebox};
        agent->Policies().Add(p);
        std::vector<uint8_t> buf;
        headers.resize(size_t(sessions) * 40);
        order.resize(sessions);
        std::iota(order.begin(), order.end(), 0u);
        std::mt19937 rng(1);
        std::shuffle(order.begin(), order.end(), rng);
        for (uint32_t i = 0; i < sessions; ++i)
        {
            FiveTuple t = SessionTuple(i);
            buf = BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, 1000, 0, 0x02, 65535,
                                 nullptr, 0, nullptr, 0);
            agent->Process(Direction::kEgress, buf, 0);
            const uint8_t payload[8] = {};
            buf = BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, 1001, 1, 0x10, 65535,
                                 nullptr, 0, payload, sizeof(payload));
            // Claim a full-size segment: the core only sees the headers.
            Store16(&buf[2], 1500);
            std::memcpy(&headers[size_t(order[i]) * 40], buf.data(), 40);
        }
    }
    std::unique_ptr<Agent> agent;
    /// Packet k of the stream belongs to a random session; stored in stream order so the
    /// benchmark's own reads stay sequential and only the core's lookups are random.
    std::vector<uint8_t> headers;
    std::vector<uint32_t> order;
};

void
BM_CoreDataPath(benchmark::State& state)
{
    const uint32_t sessions = uint32_t(state.range(0));
    Bed bed(sessions);
    if (bed.agent->SessionCount() != sessions)
    {
        state.SkipWithError("not every session was set up");
        return;
    }
    std::vector<uint8_t> pkt(40);
    size_t i = 0;
    uint64_t before = bed.agent->Counters().rewritten;
    for (auto _ : state)
    {
        std::memcpy(pkt.data(), &bed.headers[i * 40], 40);
        benchmark::DoNotOptimize(bed.agent->Process(Direction::kEgress, pkt, 1));
        i = (i + 1 == sessions) ? 0 : i + 1;
    }
    if (bed.agent->Counters().rewritten - before != uint64_t(state.iterations()))
    {
        state.SkipWithError("a data packet was not rewritten");
    }
    state.SetItemsProcessed(state.iterations());
    state.counters["sessions"] = sessions;
}
BENCHMARK(BM_CoreDataPath)->Arg(1000)->Arg(100000)->Arg(1000000)->Unit(benchmark::kNanosecond);

} // namespace

namespace
{

/// The same work in bursts of 32, the way a DPDK rx loop hands packets over.
void
BM_CoreDataPathBurst(benchmark::State& state)
{
    constexpr size_t kBurst = 32;
    const uint32_t sessions = uint32_t(state.range(0));
    Bed bed(sessions);
    std::vector<std::vector<uint8_t>> pkts(kBurst, std::vector<uint8_t>(40));
    std::vector<std::vector<uint8_t>*> ptrs;
    for (auto& p : pkts)
    {
        ptrs.push_back(&p);
    }
    Verdict verdicts[kBurst];
    size_t i = 0;
    uint64_t before = bed.agent->Counters().rewritten;
    for (auto _ : state)
    {
        for (size_t k = 0; k < kBurst; ++k)
        {
            std::memcpy(pkts[k].data(), &bed.headers[i * 40], 40);
            i = (i + 1 == sessions) ? 0 : i + 1;
        }
        bed.agent->ProcessBurst(Direction::kEgress, ptrs.data(), kBurst, verdicts, 1);
        benchmark::DoNotOptimize(verdicts);
    }
    if (bed.agent->Counters().rewritten - before != state.iterations() * kBurst)
    {
        state.SkipWithError("a data packet was not rewritten");
    }
    state.SetItemsProcessed(state.iterations() * kBurst);
    state.counters["ns_per_packet"] =
        benchmark::Counter(double(state.iterations() * kBurst),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["sessions"] = sessions;
}
BENCHMARK(BM_CoreDataPathBurst)->Arg(1000)->Arg(100000)->Arg(1000000);

} // namespace
