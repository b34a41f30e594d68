// Control-message codec: round trips, strict rejection, and valid UDP framing.
#include "core/bytes.h"
#include "core/checksum.h"
#include "core/control.h"
#include "core/syn_payload.h"
#include "test_random.h"

using namespace dysco;

namespace
{

ControlMessage
RandomMessage(std::mt19937& rng)
{
    ControlMessage m;
    m.type = ControlType(1 + rng() % 8);
    m.serial = rng();
    m.subsession =
        FiveTuple{uint32_t(rng()), uint32_t(rng()), uint16_t(rng()), uint16_t(rng()), kProtoTcp};
    m.leftAnchor = rng();
    m.rightAnchor = rng();
    m.requestId = rng();
    m.delta = SeqDelta(rng());
    m.flags = uint8_t(rng());
    m.addresses.resize(rng() % (kMaxChainAddresses + 1));
    for (auto& a : m.addresses)
    {
        a = rng();
    }
    return m;
}

} // namespace

TEST(Control, RandomMessagesRoundTrip)
{
    std::mt19937 rng(test::TestSeed());
    for (int i = 0; i < 2000; ++i)
    {
        ControlMessage m = RandomMessage(rng);
        std::vector<uint8_t> bytes;
        ASSERT_EQ(EncodeControl(m, bytes), kControlHeaderSize + 4 * m.addresses.size());
        ControlMessage back;
        ASSERT_EQ(DecodeControl(bytes.data(), bytes.size(), &back), ControlError::kOk);
        EXPECT_EQ(back, m);
    }
}

TEST(Control, NegativeDeltaSurvivesTheWire)
{
    ControlMessage m;
    m.delta = -123456;
    std::vector<uint8_t> bytes;
    EncodeControl(m, bytes);
    EXPECT_EQ(Load32(&bytes[34]), uint32_t(-123456));
    ControlMessage back;
    ASSERT_EQ(DecodeControl(bytes.data(), bytes.size(), &back), ControlError::kOk);
    EXPECT_EQ(back.delta, -123456);
}

TEST(Control, MalformedMessagesAreRejected)
{
    ControlMessage m;
    m.addresses = {1, 2, 3};
    std::vector<uint8_t> good;
    EncodeControl(m, good);
    ControlMessage out;
    for (size_t len = 0; len < good.size(); ++len)
    {
        EXPECT_NE(DecodeControl(good.data(), len, &out), ControlError::kOk) << len;
    }
    auto bad = good;
    bad[0] = 'X';
    EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadMagic);
    bad = good;
    bad[2] = 9;
    EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadVersion);
    for (uint8_t t : {uint8_t(0), uint8_t(9), uint8_t(255)})
    {
        bad = good;
        bad[3] = t;
        EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadType);
    }
    bad = good;
    bad[39] = 17;
    bad.resize(kControlHeaderSize + 4 * 17);
    EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadCount);
    bad = good;
    bad.push_back(0);
    EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadLength);
    bad = good;
    bad[41] = 1;
    EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadReserved);
    m.addresses.assign(kMaxChainAddresses + 1, 7);
    std::vector<uint8_t> none;
    EXPECT_EQ(EncodeControl(m, none), 0u);
    EXPECT_TRUE(none.empty());
}

TEST(Control, PacketIsValidUdpToTheControlPort)
{
    ControlMessage m;
    m.type = ControlType::kAckLock;
    m.addresses = {0x0A000001};
    auto pkt = BuildControlPacket(0x0A000001, 0x0A000101, m);
    ASSERT_EQ(pkt.size(), 20u + 8u + kControlHeaderSize + 4u);
    EXPECT_EQ(Ipv4HeaderChecksum(pkt.data(), 20), Load16(&pkt[10]));
    // Verify the UDP checksum independently: sum over pseudo-header + datagram is 0xFFFF.
    const size_t udpLen = pkt.size() - 20;
    uint32_t sum = ChecksumAccumulate(&pkt[20], udpLen);
    sum += ChecksumAccumulate(&pkt[12], 8) + kProtoUdp + uint32_t(udpLen);
    EXPECT_EQ(ChecksumFinish(sum), 0);
    const uint8_t* payload = nullptr;
    size_t len = 0;
    ASSERT_TRUE(IsControlPacket(pkt, &payload, &len));
    ControlMessage back;
    ASSERT_EQ(DecodeControl(payload, len, &back), ControlError::kOk);
    EXPECT_EQ(back, m);
    // A truncated datagram is still recognised, and then fails to decode.
    pkt.resize(40);
    ASSERT_TRUE(IsControlPacket(pkt, &payload, &len));
    EXPECT_NE(DecodeControl(payload, len, &back), ControlError::kOk);
}
