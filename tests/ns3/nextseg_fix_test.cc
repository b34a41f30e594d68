// The ns-3.37 NextSeg fix (model/ns3/ns3-nextseg-fix.h): a receiver window that ends exactly
// at the highest byte sent must mean "nothing new to send", not an empty segment (which
// crashes ns-3 in TcpRateLinux::SkbSent).
#include "ns3/callback.h"
#include "ns3/ns3-nextseg-fix.h"
#include "ns3/packet.h"
#include "ns3/tcp-tx-buffer.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

namespace
{

using ns3::SequenceNumber32;

constexpr uint32_t kSegment = 1000;
uint32_t g_rWnd = 0;

uint32_t
ReceiverWindow()
{
    return g_rWnd;
}

/// A buffer holding 10 segments of application data, the first `sent` of them sent.
ns3::Ptr<ns3::TcpTxBuffer>
BufferWithSent(uint32_t sent)
{
    auto tx = ns3::CreateObject<ns3::TcpTxBuffer>();
    tx->SetSegmentSize(kSegment);
    tx->SetHeadSequence(SequenceNumber32(1));
    tx->SetRWndCallback(ns3::MakeCallback(&ReceiverWindow));
    EXPECT_TRUE(tx->Add(ns3::Create<ns3::Packet>(10 * kSegment)));
    for (uint32_t i = 0; i < sent; ++i)
    {
        EXPECT_NE(tx->CopyFromSequence(kSegment, SequenceNumber32(1 + i * kSegment)), nullptr);
    }
    return tx;
}

TEST(Ns3NextSegFix, IsTheFunctionNs3sTcpCalls)
{
    EXPECT_TRUE(ns3::DyscoNextSegFixActive());
}

TEST(Ns3NextSegFix, AFullReceiverWindowMeansNothingToSend)
{
    auto tx = BufferWithSent(5);
    g_rWnd = 5 * kSegment; // SND.UNA + RWND == HighData
    SequenceNumber32 seq;
    SequenceNumber32 high;
    const uint64_t before = ns3::DyscoNextSegFixCount();
    EXPECT_FALSE(tx->NextSeg(&seq, &high, false));
    EXPECT_EQ(ns3::DyscoNextSegFixCount(), before + 1);
}

TEST(Ns3NextSegFix, Ns3ItselfReturnsTheEmptyRange)
{
    // Why the fix exists: ns-3.37's own function, reached past ours.
    using NextSegFn = bool (*)(const ns3::TcpTxBuffer*, SequenceNumber32*, SequenceNumber32*, bool);
    auto original = reinterpret_cast<NextSegFn>(
        dlsym(RTLD_NEXT, "_ZNK3ns311TcpTxBuffer7NextSegEPNS_14SequenceNumberIjiEES3_b"));
    ASSERT_NE(original, nullptr);
    auto tx = BufferWithSent(5);
    g_rWnd = 5 * kSegment;
    SequenceNumber32 seq;
    SequenceNumber32 high;
    ASSERT_TRUE(original(PeekPointer(tx), &seq, &high, false));
    EXPECT_EQ(seq, SequenceNumber32(1 + 5 * kSegment));
    EXPECT_EQ(high, seq);
}

TEST(Ns3NextSegFix, OtherAnswersPassUnchanged)
{
    auto tx = BufferWithSent(5);
    SequenceNumber32 seq;
    SequenceNumber32 high;
    const uint64_t before = ns3::DyscoNextSegFixCount();
    g_rWnd = 5 * kSegment + 400; // room for part of a segment: new data, 400 bytes
    ASSERT_TRUE(tx->NextSeg(&seq, &high, false));
    EXPECT_EQ(seq, SequenceNumber32(1 + 5 * kSegment));
    EXPECT_EQ(high - seq, 400);
    g_rWnd = 20 * kSegment; // a whole segment
    ASSERT_TRUE(tx->NextSeg(&seq, &high, false));
    EXPECT_EQ(high - seq, int32_t(kSegment));
    g_rWnd = 4 * kSegment; // window below what is in flight: ns-3 says no
    EXPECT_FALSE(tx->NextSeg(&seq, &high, false));
    EXPECT_EQ(ns3::DyscoNextSegFixCount(), before);
}

} // namespace
