// BM_PacketRewrite: the per-packet header rewrite of the data path (five-tuple, seq and ack,
// both checksums updated incrementally) on a 40-byte header-only view; the target is ~10 ns.
// BM_PacketParseRewrite adds Parse() with a timestamp option, as the agent runs it.
#include "core/packet.h"
#include "core/packet_edit.h"

#include <benchmark/benchmark.h>
#include <vector>

namespace
{

using namespace dysco;

std::vector<uint8_t>
DataSegmentHeaders(bool timestamps)
{
    const uint8_t ts[] = {1, 1, 8, 10, 0, 0, 1, 0, 0, 0, 2, 0};
    auto pkt = BuildTcpPacket(0x0A000001, 0xC0A80001, 40000, 80, 1000, 2000, 0x10, 65535, ts,
                              timestamps ? sizeof(ts) : 0, nullptr, 0);
    Store16(&pkt[2], 1500); // a full-size segment of which only the headers are present
    return pkt;
}

const FiveTuple kTuples[2] = {{0x0A000001, 0xAC100001, 1024, 1025, kProtoTcp},
                              {0x0A000001, 0xC0A80001, 40000, 80, kProtoTcp}};

void
BM_PacketRewrite(benchmark::State& state)
{
    auto pkt = DataSegmentHeaders(false);
    PacketView v(pkt.data(), pkt.size());
    v.Parse();
    uint32_t i = 0;
    for (auto _ : state)
    {
        v.SetTuple(kTuples[i & 1]);
        v.SetSeqNumber(v.SeqNumber() + 1448);
        v.SetAckNumber(v.AckNumber() + 1);
        benchmark::DoNotOptimize(pkt.data());
        benchmark::ClobberMemory();
        ++i;
    }
}
BENCHMARK(BM_PacketRewrite);

void
BM_PacketParseRewrite(benchmark::State& state)
{
    auto pkt = DataSegmentHeaders(true);
    uint32_t i = 0;
    for (auto _ : state)
    {
        PacketView v(pkt.data(), pkt.size());
        if (v.Parse() != ParseError::kOk)
        {
            state.SkipWithError("parse failed");
            break;
        }
        v.SetTuple(kTuples[i & 1]);
        v.SetSeqNumber(v.SeqNumber() + 1448);
        v.SetAckNumber(v.AckNumber() + 1);
        benchmark::DoNotOptimize(pkt.data());
        benchmark::ClobberMemory();
        ++i;
    }
}
BENCHMARK(BM_PacketParseRewrite);

} // namespace
