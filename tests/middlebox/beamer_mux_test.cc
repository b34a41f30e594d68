// The Beamer-style load balancer on raw packets: the mux sends each session to the backend
// of its bucket (computed here independently: FNV-1a of the five-tuple, bucket b starting at
// backend b mod n), keeps no per-session state, and the backends daisy-chain packets of
// sessions they do not know to the bucket's previous backend.
#include "core/packet.h"
#include "core/packet_edit.h"
#include "ns3/dysco-beamer-daisy.h"
#include "ns3/dysco-beamer-mux.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <random>

using namespace ns3;
using dysco::FiveTuple;
namespace tcpflag = dysco::tcpflag;

namespace
{

constexpr uint32_t kVip = 0x0A000101; // 10.0.1.1
const std::vector<uint32_t> kBackends{0x0A000202, 0x0A000302, 0x0A000402};
constexpr uint32_t kSeed = 20261123;

std::vector<uint8_t>
Raw(const FiveTuple& t, uint8_t flags, uint32_t len = 0)
{
    std::vector<uint8_t> data(len, 0x5A);
    return dysco::BuildTcpPacket(t.srcIp, t.dstIp, t.srcPort, t.dstPort, 1000, 2000, flags, 65535,
                                 nullptr, 0, data.data(), data.size());
}

FiveTuple
TupleOf(const std::vector<uint8_t>& p)
{
    std::vector<uint8_t> copy = p;
    dysco::PacketView v(copy.data(), copy.size());
    EXPECT_EQ(v.Parse(), dysco::ParseError::kOk);
    EXPECT_TRUE(v.ChecksumsValid());
    return v.Tuple();
}

/// FNV-1a over the header fields in network byte order, written out field by field.
uint32_t
ExpectedBucket(const FiveTuple& t, uint32_t buckets)
{
    uint32_t h = 0x811C9DC5;
    auto mix = [&h](uint64_t value, int bytes)
    {
        for (int i = bytes - 1; i >= 0; --i)
        {
            h ^= uint8_t(value >> (8 * i));
            h *= 0x01000193;
        }
    };
    mix(t.srcIp, 4);
    mix(t.dstIp, 4);
    mix(t.srcPort, 2);
    mix(t.dstPort, 2);
    mix(t.protocol, 1);
    return h % buckets;
}

/// Client sessions to the VIP from random addresses and ports (seeded).
std::vector<FiveTuple>
Sessions(size_t n, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::vector<FiveTuple> out;
    for (size_t i = 0; i < n; ++i)
    {
        out.push_back(FiveTuple{0x0A640000u | uint32_t(rng() & 0xFFFF), kVip,
                                uint16_t(1024 + rng() % 64000), 80, dysco::kProtoTcp});
    }
    return out;
}

Ptr<DyscoBeamerMux>
Mux(std::shared_ptr<BeamerBucketTable> table)
{
    Ptr<DyscoBeamerMux> mux = CreateObject<DyscoBeamerMux>();
    mux->SetTable(std::move(table));
    return mux;
}

} // namespace

TEST(BeamerMux, EachSessionGoesToItsBucketsBackendAndRepliesComeFromTheVip)
{
    std::cout << "seed " << kSeed << "\n";
    constexpr uint32_t kBuckets = 16;
    auto table = std::make_shared<BeamerBucketTable>(kVip, kBackends, kBuckets);
    Ptr<DyscoBeamerMux> mux = Mux(table);
    std::vector<int> perBackend(kBackends.size(), 0);
    for (const FiveTuple& t : Sessions(2000, kSeed))
    {
        const uint32_t bucket = ExpectedBucket(t, kBuckets);
        ASSERT_EQ(table->BucketOf(t), bucket);
        FiveTuple expected = t;
        expected.dstIp = kBackends[bucket % kBackends.size()];
        for (uint8_t flags : {tcpflag::kSyn, uint8_t(tcpflag::kAck | tcpflag::kPsh)})
        {
            auto p = Raw(t, flags, flags == tcpflag::kSyn ? 0 : 100);
            ASSERT_TRUE(mux->Process(p, nullptr));
            ASSERT_EQ(TupleOf(p), expected);
        }
        auto reply = Raw(expected.Reversed(), tcpflag::kAck, 50);
        ASSERT_TRUE(mux->Process(reply, nullptr));
        ASSERT_EQ(TupleOf(reply), t.Reversed());
        ++perBackend[bucket % kBackends.size()];
    }
    for (int n : perBackend)
    {
        EXPECT_GT(n, 400); // the hash spreads sessions over every backend
    }
    EXPECT_EQ(mux->GetSteeredCount(), 4000u);
    EXPECT_EQ(mux->GetRepliesCount(), 2000u);

    // After a move, every packet of the bucket (old sessions too) goes to the new backend.
    const FiveTuple t = Sessions(1, kSeed + 1)[0];
    const uint32_t bucket = ExpectedBucket(t, kBuckets);
    const int to = int((bucket + 1) % kBackends.size());
    table->Move(bucket, to);
    auto p = Raw(t, tcpflag::kAck, 10);
    mux->Process(p, nullptr);
    EXPECT_EQ(TupleOf(p).dstIp, kBackends[size_t(to)]);
}

TEST(BeamerMux, KeepsNoPerSessionState)
{
    std::cout << "seed " << kSeed << "\n";
    auto table = std::make_shared<BeamerBucketTable>(kVip, kBackends, 64);
    const size_t stateBefore = table->StateBytes();
    EXPECT_EQ(stateBefore, 64 * 2 * sizeof(int) + kBackends.size() * sizeof(uint32_t));
    Ptr<DyscoBeamerMux> mux = Mux(table);
    std::vector<FiveTuple> sessions = Sessions(5000, kSeed);
    std::vector<std::vector<uint8_t>> seen;
    for (const FiveTuple& t : sessions)
    {
        auto p = Raw(t, tcpflag::kSyn);
        mux->Process(p, nullptr);
        seen.push_back(p);
    }
    EXPECT_EQ(table->StateBytes(), stateBefore);
    // A mux that saw none of those sessions treats each packet the same, in any order:
    // nothing it learnt from earlier packets changes its answer.
    Ptr<DyscoBeamerMux> fresh = Mux(std::make_shared<BeamerBucketTable>(kVip, kBackends, 64));
    std::vector<size_t> order(sessions.size());
    for (size_t i = 0; i < order.size(); ++i)
    {
        order[i] = i;
    }
    std::shuffle(order.begin(), order.end(), std::mt19937(kSeed));
    for (size_t i : order)
    {
        auto p = Raw(sessions[i], tcpflag::kSyn);
        fresh->Process(p, nullptr);
        ASSERT_EQ(p, seen[i]) << "session " << i;
    }
}

TEST(BeamerBucketTable, AMoveRecordsThePreviousBackend)
{
    BeamerBucketTable table(kVip, kBackends, 6);
    EXPECT_EQ(table.At(4).current, 1);
    EXPECT_EQ(table.At(4).previous, BeamerBucketTable::kNone);
    table.Move(4, 2);
    EXPECT_EQ(table.At(4).current, 2);
    EXPECT_EQ(table.At(4).previous, 1);
    table.Move(4, 2); // already there: the previous backend stays
    EXPECT_EQ(table.At(4).previous, 1);
    table.Move(4, 0);
    EXPECT_EQ(table.At(4).current, 0);
    EXPECT_EQ(table.At(4).previous, 2);
    EXPECT_EQ(table.BackendIndex(kBackends[2]), 2);
    EXPECT_EQ(table.BackendIndex(kVip), BeamerBucketTable::kNone);
}

TEST(BeamerDaisy, UnknownSessionsOfAMovedBucketGoToThePreviousBackend)
{
    auto table = std::make_shared<BeamerBucketTable>(kVip, kBackends, 8);
    std::vector<Ptr<DyscoBeamerDaisy>> daisy;
    for (size_t i = 0; i < kBackends.size(); ++i)
    {
        daisy.push_back(CreateObject<DyscoBeamerDaisy>());
        daisy.back()->SetTable(table, int(i));
    }
    // Two sessions of one bucket that starts at backend 0.
    std::vector<FiveTuple> inBucket;
    for (const FiveTuple& t : Sessions(500, kSeed))
    {
        if (ExpectedBucket(t, 8) == 3)
        {
            inBucket.push_back(t);
        }
    }
    ASSERT_GE(inBucket.size(), 2u);
    const FiveTuple old = inBucket[0];
    const FiveTuple young = inBucket[1];
    auto at = [](FiveTuple t, size_t backend)
    {
        t.dstIp = kBackends[backend];
        return t;
    };
    ASSERT_EQ(table->At(3).current, 0);
    auto syn = Raw(at(old, 0), tcpflag::kSyn);
    daisy[0]->Process(syn, nullptr);
    EXPECT_EQ(daisy[0]->GetSessionCount(), 1u);

    table->Move(3, 2);
    // The new backend accepts the bucket's new session and keeps its packets.
    syn = Raw(at(young, 2), tcpflag::kSyn);
    daisy[2]->Process(syn, nullptr);
    EXPECT_EQ(TupleOf(syn), at(young, 2));
    auto data = Raw(at(young, 2), tcpflag::kAck, 1000);
    daisy[2]->Process(data, nullptr);
    EXPECT_EQ(TupleOf(data), at(young, 2));
    // It passes the old session's packets on to backend 0, which keeps them.
    data = Raw(at(old, 2), tcpflag::kAck, 1000);
    daisy[2]->Process(data, nullptr);
    EXPECT_EQ(TupleOf(data), at(old, 0));
    EXPECT_EQ(daisy[2]->GetDaisyForwardedCount(), 1u);
    daisy[0]->Process(data, nullptr);
    EXPECT_EQ(TupleOf(data), at(old, 0));
    EXPECT_EQ(daisy[0]->GetDaisyForwardedCount(), 0u);
    // A packet no backend knows, arriving at a backend the bucket left, stays (TCP resets it).
    data = Raw(at(young, 0), tcpflag::kAck, 10);
    daisy[0]->Process(data, nullptr);
    EXPECT_EQ(TupleOf(data), at(young, 0));
    // Without daisy chaining the new backend keeps the old session's packets.
    daisy[2]->SetDaisyChaining(false);
    data = Raw(at(old, 2), tcpflag::kAck, 1000);
    daisy[2]->Process(data, nullptr);
    EXPECT_EQ(TupleOf(data), at(old, 2));
}
