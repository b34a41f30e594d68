// The protected wire format: nonce and MAC trailer of control messages, the nonce in the SYN
// payload, the MAC's coverage, and the control channel's replay window.
#include "core/bytes.h"
#include "core/control.h"
#include "core/control_channel.h"
#include "core/syn_payload.h"
#include "core/test_random.h"

#include <set>

using namespace dysco;
using namespace dysco::test;

namespace
{

KeyRing
Keys()
{
    KeyRing k;
    std::vector<uint8_t> key(32);
    for (size_t i = 0; i < key.size(); ++i)
    {
        key[i] = uint8_t(i * 7 + 1);
    }
    EXPECT_TRUE(k.Add(3, key));
    return k;
}

ControlMessage
Sample(std::mt19937& rng, uint8_t protection)
{
    ControlMessage m;
    m.type = ControlType(1 + rng() % 7);
    m.serial = rng();
    m.subsession =
        FiveTuple{uint32_t(rng()), uint32_t(rng()), uint16_t(rng()), uint16_t(rng()), kProtoTcp};
    m.leftAnchor = rng();
    m.rightAnchor = rng();
    m.requestId = rng();
    m.delta = SeqDelta(rng());
    m.flags = uint8_t(rng() % 4);
    m.addresses.resize(rng() % 5);
    for (auto& a : m.addresses)
    {
        a = rng();
    }
    m.protection = protection;
    if (protection & kProtectNonce)
    {
        m.nonce = (uint64_t(rng()) << 32) | rng();
    }
    if (protection & kProtectMac)
    {
        m.keyId = 3;
    }
    return m;
}

/// The UDP payload of a control packet.
std::vector<uint8_t>
PayloadOf(const std::vector<uint8_t>& pkt)
{
    return std::vector<uint8_t>(pkt.begin() + 28, pkt.end());
}

} // namespace

TEST(ControlCodec, ProtectedMessagesRoundTripAndTheMacCoversEveryByte)
{
    std::mt19937 rng(TestSeed());
    const KeyRing keys = Keys();
    for (uint8_t protection : {0, 1, 2, 3})
    {
        for (int i = 0; i < 50; ++i)
        {
            const ControlMessage m = Sample(rng, uint8_t(protection));
            const auto wire = PayloadOf(BuildControlPacket(1, 2, m, &keys));
            const size_t expect = kControlHeaderSize + 4 * m.addresses.size() +
                                  ((protection & 1) ? 8 : 0) + ((protection & 2) ? 20 : 0);
            ASSERT_EQ(wire.size(), expect);
            ControlMessage back;
            ASSERT_EQ(DecodeControl(wire.data(), wire.size(), &back), ControlError::kOk);
            EXPECT_EQ(back.nonce, m.nonce);
            EXPECT_EQ(back.keyId, m.keyId);
            EXPECT_EQ(back.protection, m.protection);
            EXPECT_TRUE(VerifyControlMac(wire.data(), wire.size(), back, keys));
            if (!(protection & kProtectMac))
            {
                EXPECT_EQ(back, m);
                continue;
            }
            // Any single flipped bit: the message no longer decodes or its MAC fails.
            for (size_t at = 0; at < wire.size(); ++at)
            {
                auto bad = wire;
                bad[at] ^= uint8_t(1u << (rng() % 8));
                ControlMessage out;
                if (DecodeControl(bad.data(), bad.size(), &out) == ControlError::kOk)
                {
                    EXPECT_FALSE(VerifyControlMac(bad.data(), bad.size(), out, keys)) << at;
                }
            }
            // Another key, or an unknown key id.
            KeyRing other;
            other.Add(3, std::vector<uint8_t>(32, 9));
            EXPECT_FALSE(VerifyControlMac(wire.data(), wire.size(), back, other));
            EXPECT_FALSE(VerifyControlMac(wire.data(), wire.size(), back, KeyRing{}));
        }
    }
}

TEST(ControlCodec, UnknownProtectionBitsAndWrongTrailerLengthsAreRejected)
{
    std::mt19937 rng(TestSeed());
    const auto good = PayloadOf(BuildControlPacket(1, 2, Sample(rng, 1)));
    ControlMessage out;
    for (uint8_t bits : {4, 8, 0x80})
    {
        auto bad = good;
        bad[40] |= bits;
        EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadReserved);
    }
    auto bad = good;
    bad[40] = 3; // says a MAC follows, but it does not
    EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadLength);
    bad = good;
    bad[40] = 0; // a nonce follows, unannounced
    EXPECT_EQ(DecodeControl(bad.data(), bad.size(), &out), ControlError::kBadLength);
    KeyRing k;
    EXPECT_FALSE(k.Add(0, std::vector<uint8_t>(32, 1)));
    EXPECT_FALSE(k.Add(1, std::vector<uint8_t>(15, 1))); // too short to be a key
    EXPECT_TRUE(k.Empty());
}

TEST(ControlCodec, SynPayloadCarriesTheNonceAndKeyId)
{
    SynPayload p{FiveTuple{1, 2, 3, 4, kProtoTcp}, {5, 6}, 7, 8, 0x0102030405060708ull, 9};
    std::vector<uint8_t> b;
    ASSERT_EQ(EncodeSynPayload(p, b), kSynPayloadHeaderSize + 8 + 8 + 12);
    SynPayload back;
    ASSERT_EQ(DecodeSynPayload(b.data(), b.size(), &back), SynPayloadError::kOk);
    EXPECT_EQ(back.nonce, p.nonce);
    EXPECT_EQ(back.keyId, 9u);
    EXPECT_EQ(back.markerRequestId, 8u);
    // A zero nonce announced by the flag is refused (it would re-encode as none).
    Store32(&b[b.size() - 12], 0);
    Store32(&b[b.size() - 8], 0);
    EXPECT_EQ(DecodeSynPayload(b.data(), b.size(), &back), SynPayloadError::kBadReserved);
    b.resize(b.size() - 12); // flag set, trailer gone
    EXPECT_EQ(DecodeSynPayload(b.data(), b.size(), &back), SynPayloadError::kBadLength);
}

TEST(ControlCodec, NoncesAreNonZeroDistinctAndReproducibleWhenSeeded)
{
    NonceSource a(5), b(5), r(0);
    std::set<uint64_t> seen;
    for (int i = 0; i < 10000; ++i)
    {
        const uint64_t x = a.Next();
        EXPECT_EQ(x, b.Next());
        EXPECT_NE(x, 0u);
        seen.insert(x);
        const uint64_t y = r.Next();
        EXPECT_NE(y, 0u);
        seen.insert(y);
    }
    EXPECT_EQ(seen.size(), 20000u);
}

TEST(ControlChannel, TheReplayWindowAcceptsReorderingAndRejectsOldSerials)
{
    using A = ControlChannel::Arrival;
    ControlChannel ch;
    std::vector<std::vector<uint8_t>> out;
    auto recv = [&](uint32_t from, uint32_t serial)
    {
        ControlMessage m;
        m.type = ControlType::kRequestLock;
        m.serial = serial;
        return ch.Receive(9, from, m, 0, out);
    };
    const uint32_t w = ControlChannel::kReplayWindow;
    // Serials near the wrap, out of order, duplicated.
    const uint32_t base = 0xFFFFFF00u;
    EXPECT_EQ(recv(1, base), A::kNew);
    EXPECT_EQ(recv(1, base + 300), A::kNew); // wraps past zero
    EXPECT_EQ(recv(1, base + 5), A::kNew);   // late, inside the window
    EXPECT_EQ(recv(1, base + 5), A::kDuplicate);
    EXPECT_EQ(recv(1, base), A::kDuplicate);
    EXPECT_EQ(recv(2, base), A::kNew); // per peer
    EXPECT_EQ(out.size(), 6u);         // everything but nothing else acked
    // Slide by more than a word, and by more than the window.
    EXPECT_EQ(recv(1, base + 300 + 100), A::kNew);
    EXPECT_EQ(recv(1, base + 300), A::kDuplicate);
    EXPECT_EQ(recv(1, base + 301), A::kNew);
    EXPECT_EQ(recv(1, base + 400 + w - 1), A::kNew);
    EXPECT_EQ(recv(1, base + 400), A::kDuplicate); // the window's oldest slot remembers
    EXPECT_EQ(recv(1, base + 399), A::kReplay);    // just below it
    EXPECT_EQ(recv(1, base + 5), A::kReplay);
    EXPECT_EQ(recv(1, base + 400 + 3 * w), A::kNew);
    EXPECT_EQ(recv(1, base + 400 + w - 1), A::kReplay);
    EXPECT_EQ(ch.Replays(), 3u);
    EXPECT_EQ(ch.Duplicates(), 4u);
    // Random arrivals checked against a set-based model of the window.
    std::mt19937 rng(TestSeed());
    ControlChannel ch2;
    std::set<uint32_t> seen;
    uint32_t high = 0;
    bool any = false;
    for (int i = 0; i < 20000; ++i)
    {
        const uint32_t s = any ? high + uint32_t(int32_t(rng() % 20000) - 15000) : 100;
        ControlMessage m;
        m.serial = s;
        const A got = ch2.Receive(9, 1, m, 0, out);
        A want;
        if (!any || int32_t(s - high) > 0)
        {
            want = A::kNew;
        }
        else if (high - s >= w)
        {
            want = A::kReplay;
        }
        else
        {
            want = seen.count(s) ? A::kDuplicate : A::kNew;
        }
        ASSERT_EQ(got, want) << "serial " << s << " high " << high << " step " << i;
        if (want == A::kNew)
        {
            seen.insert(s);
            if (!any || int32_t(s - high) > 0)
            {
                high = s;
            }
            any = true;
        }
        out.clear();
    }
}
