// Window scaling across a splice (§4.2): a window counted in the sender's scale leaves in the
// scale the receiver was told.
#include "core/options.h"
#include "core/packet_edit.h"

#include <gtest/gtest.h>

using namespace dysco;

namespace
{

uint16_t
Rescaled(uint16_t field, uint8_t from, uint8_t to)
{
    auto pkt = BuildTcpPacket(1, 2, 3, 4, 100, 7, 0x10, field, nullptr, 0, nullptr, 0);
    PacketView v(pkt.data(), pkt.size());
    EXPECT_EQ(v.Parse(), ParseError::kOk);
    RescaleWindow(v, from, to);
    EXPECT_TRUE(v.ChecksumsValid());
    return v.Window();
}

} // namespace

TEST(OptionsWindow, ShiftOfSynOptions)
{
    const uint8_t ns3Syn[] = {8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 3, 3, 4, 4, 2}; // TS, WS 4, SACK-ok
    EXPECT_EQ(WindowShiftOf(ns3Syn, sizeof(ns3Syn)), 4);
    const uint8_t nopsFirst[] = {1, 1, 3, 3, 7};
    EXPECT_EQ(WindowShiftOf(nopsFirst, sizeof(nopsFirst)), 7);
    const uint8_t tooBig[] = {3, 3, 20};
    EXPECT_EQ(WindowShiftOf(tooBig, sizeof(tooBig)), 14); // RFC 7323 caps it
    const uint8_t none[] = {2, 4, 5, 180};
    EXPECT_EQ(WindowShiftOf(none, sizeof(none)), 0);
    const uint8_t truncated[] = {3, 3};
    EXPECT_EQ(WindowShiftOf(truncated, sizeof(truncated)), 0);
    const uint8_t zeroLength[] = {8, 0, 3, 3, 5};
    EXPECT_EQ(WindowShiftOf(zeroLength, sizeof(zeroLength)), 0); // malformed: stop
}

TEST(OptionsWindow, RescalesBothWays)
{
    EXPECT_EQ(Rescaled(1000, 4, 0), 16000); // 16000 bytes in scale 0
    EXPECT_EQ(Rescaled(16000, 0, 4), 1000);
    EXPECT_EQ(Rescaled(1001, 0, 2), 250);    // rounded down
    EXPECT_EQ(Rescaled(32768, 4, 0), 65535); // capped
    EXPECT_EQ(Rescaled(3, 0, 4), 1);         // an open window stays open
    EXPECT_EQ(Rescaled(0, 0, 4), 0);         // a closed one stays closed
    EXPECT_EQ(Rescaled(1234, 3, 3), 1234);
}
