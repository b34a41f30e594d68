// The policy distribution codec (core/policy_message.h): random sets round trip bit-exact,
// every truncation and every out-of-range field is rejected, oversize sets are refused.
#include "core/bytes.h"
#include "core/policy_message.h"
#include "test_random.h"

using namespace dysco;
using dysco::test::TestSeed;
using dysco::test::Uniform;

namespace
{

Predicate
RandomPredicate(std::mt19937& rng)
{
    Predicate p;
    p.src = {uint32_t(rng()), uint8_t(Uniform(rng, 0, 32))};
    p.dst = {uint32_t(rng()), uint8_t(Uniform(rng, 0, 32))};
    const uint16_t a = uint16_t(rng());
    const uint16_t b = uint16_t(rng());
    p.srcPorts = {std::min(a, b), std::max(a, b)};
    p.dstPorts = {uint16_t(Uniform(rng, 0, 80)), uint16_t(Uniform(rng, 80, 65535))};
    p.protocol = uint8_t(rng());
    return p;
}

PolicyMessage
RandomUpdate(std::mt19937& rng)
{
    PolicyMessage m;
    m.version = Uniform(rng, 1, 0xFFFFFFFF);
    m.strategy = PolicyStrategy(Uniform(rng, 0, 1));
    const size_t policies = Uniform(rng, 0, 5);
    for (size_t i = 0; i < policies; ++i)
    {
        PolicyEntry e;
        e.name = std::string(Uniform(rng, 0, 20), char('a' + Uniform(rng, 0, 25)));
        e.predicate = RandomPredicate(rng);
        const size_t slots = Uniform(rng, 0, 4);
        for (size_t s = 0; s < slots; ++s)
        {
            std::vector<uint32_t> slot(Uniform(rng, 1, 4));
            for (auto& a : slot)
            {
                a = rng();
            }
            e.slots.push_back(slot);
        }
        m.policies.push_back(e);
    }
    return m;
}

bool
SamePredicate(const Predicate& a, const Predicate& b)
{
    return a.src.address == b.src.address && a.src.length == b.src.length &&
           a.dst.address == b.dst.address && a.dst.length == b.dst.length &&
           a.srcPorts.low == b.srcPorts.low && a.srcPorts.high == b.srcPorts.high &&
           a.dstPorts.low == b.dstPorts.low && a.dstPorts.high == b.dstPorts.high &&
           a.protocol == b.protocol;
}

void
ExpectSame(const PolicyMessage& a, const PolicyMessage& b)
{
    EXPECT_EQ(a.type, b.type);
    EXPECT_EQ(a.version, b.version);
    EXPECT_EQ(a.strategy, b.strategy);
    ASSERT_EQ(a.policies.size(), b.policies.size());
    for (size_t i = 0; i < a.policies.size(); ++i)
    {
        EXPECT_EQ(a.policies[i].name, b.policies[i].name);
        EXPECT_TRUE(SamePredicate(a.policies[i].predicate, b.policies[i].predicate));
        EXPECT_EQ(a.policies[i].slots, b.policies[i].slots);
    }
}

PolicyDecodeError
Decode(const std::vector<uint8_t>& b)
{
    PolicyMessage m;
    return DecodePolicyMessage(b.data(), b.size(), &m);
}

/// A fixed update: one policy "web" (dst 10.0.3.0/24, port 80) -> [{m1, m2}, {scrub}].
PolicyMessage
WebUpdate()
{
    PolicyMessage m;
    m.version = 7;
    PolicyEntry e;
    e.name = "web";
    e.predicate.dst = {0x0A000300, 24};
    e.predicate.dstPorts = {80, 80};
    e.slots = {{0x0A000101, 0x0A000201}, {0x0A000401}};
    m.policies.push_back(e);
    return m;
}

// Offsets in WebUpdate()'s encoding.
constexpr size_t kNameAt = 9;                  // 8 header bytes, the name length at 8
constexpr size_t kPredicateAt = kNameAt + 3;   // after "web"
constexpr size_t kSlotsAt = kPredicateAt + 19; // the slot count

} // namespace

TEST(PolicyMessage, RandomUpdatesAndAcksRoundTrip)
{
    std::mt19937 rng(TestSeed());
    for (int i = 0; i < 500; ++i)
    {
        PolicyMessage m = RandomUpdate(rng);
        if (i % 5 == 0)
        {
            m = PolicyMessage();
            m.type = PolicyMessageType::kAck;
            m.version = Uniform(rng, 1, 0xFFFFFFFF);
        }
        const auto bytes = EncodePolicyMessage(m);
        ASSERT_FALSE(bytes.empty()) << "message " << i;
        PolicyMessage back;
        ASSERT_EQ(DecodePolicyMessage(bytes.data(), bytes.size(), &back), PolicyDecodeError::kNone)
            << "message " << i;
        ExpectSame(m, back);
        EXPECT_EQ(EncodePolicyMessage(back), bytes);
    }
}

TEST(PolicyMessage, TheLayoutIsTheDocumentedOne)
{
    const auto b = EncodePolicyMessage(WebUpdate());
    // 8 header + 1 + 3 name + 19 predicate + 1 slot count + (1 + 8) + (1 + 4)
    ASSERT_EQ(b.size(), 46u);
    EXPECT_EQ(b[0], kPolicyFormat);
    EXPECT_EQ(b[1], uint8_t(PolicyMessageType::kUpdate));
    EXPECT_EQ(Load32(&b[2]), 7u);
    EXPECT_EQ(b[6], 0); // round robin
    EXPECT_EQ(b[7], 1); // one policy
    EXPECT_EQ(b[8], 3);
    EXPECT_EQ(std::string(b.begin() + kNameAt, b.begin() + kNameAt + 3), "web");
    EXPECT_EQ(Load32(&b[kPredicateAt + 5]), 0x0A000300u);
    EXPECT_EQ(b[kPredicateAt + 9], 24);
    EXPECT_EQ(Load16(&b[kPredicateAt + 14]), 80);
    EXPECT_EQ(b[kSlotsAt], 2);
    EXPECT_EQ(b[kSlotsAt + 1], 2);
    EXPECT_EQ(Load32(&b[kSlotsAt + 6]), 0x0A000201u);
    PolicyMessage ack;
    ack.type = PolicyMessageType::kAck;
    ack.version = 7;
    EXPECT_EQ(EncodePolicyMessage(ack), (std::vector<uint8_t>{1, 2, 0, 0, 0, 7}));
}

TEST(PolicyMessage, EveryTruncationIsRejected)
{
    std::mt19937 rng(TestSeed());
    for (int i = 0; i < 50; ++i)
    {
        const auto bytes = EncodePolicyMessage(i == 0 ? WebUpdate() : RandomUpdate(rng));
        for (size_t n = 0; n < bytes.size(); ++n)
        {
            const std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
            EXPECT_EQ(Decode(cut), PolicyDecodeError::kTruncated)
                << "message " << i << " cut to " << n << " of " << bytes.size() << " bytes";
        }
    }
}

TEST(PolicyMessage, BadFieldsAreRejected)
{
    const auto good = EncodePolicyMessage(WebUpdate());
    ASSERT_EQ(Decode(good), PolicyDecodeError::kNone);
    auto with = [&](size_t at, uint8_t v)
    {
        auto b = good;
        b[at] = v;
        return Decode(b);
    };
    EXPECT_EQ(with(0, 0), PolicyDecodeError::kBadFormat);
    EXPECT_EQ(with(0, 2), PolicyDecodeError::kBadFormat);
    EXPECT_EQ(with(1, 0), PolicyDecodeError::kBadType);
    EXPECT_EQ(with(1, 3), PolicyDecodeError::kBadType);
    auto zero = good;
    Store32(&zero[2], 0);
    EXPECT_EQ(Decode(zero), PolicyDecodeError::kBadVersion);
    EXPECT_EQ(with(6, 2), PolicyDecodeError::kBadStrategy);
    EXPECT_EQ(with(kPredicateAt + 4, 33), PolicyDecodeError::kBadPredicate); // src length
    EXPECT_EQ(with(kPredicateAt + 9, 40), PolicyDecodeError::kBadPredicate); // dst length
    EXPECT_EQ(with(kPredicateAt + 17, 0), PolicyDecodeError::kBadPredicate); // 80..0
    EXPECT_EQ(with(kSlotsAt + 1, 0), PolicyDecodeError::kEmptySlot);
    // Counts that claim more than is there are truncations; less leaves trailing bytes.
    EXPECT_EQ(with(7, 2), PolicyDecodeError::kTruncated);
    EXPECT_EQ(with(7, 0), PolicyDecodeError::kTrailing);
    EXPECT_EQ(with(kSlotsAt, 1), PolicyDecodeError::kTrailing);
    auto longer = good;
    longer.push_back(0);
    EXPECT_EQ(Decode(longer), PolicyDecodeError::kTrailing);
    EXPECT_EQ(Decode(std::vector<uint8_t>(kPolicyMessageMaxBytes + 1, 1)),
              PolicyDecodeError::kTooLong);
}

TEST(PolicyMessage, EncodeRefusesWhatTheFormatCannotCarry)
{
    PolicyMessage m = WebUpdate();
    m.version = 0;
    EXPECT_TRUE(EncodePolicyMessage(m).empty());
    m = WebUpdate();
    m.policies[0].slots.push_back({});
    EXPECT_TRUE(EncodePolicyMessage(m).empty());
    m = WebUpdate();
    m.policies[0].name = std::string(256, 'x');
    EXPECT_TRUE(EncodePolicyMessage(m).empty());
    m = WebUpdate();
    m.policies[0].predicate.dst.length = 33;
    EXPECT_TRUE(EncodePolicyMessage(m).empty());
    // Bounded to one datagram: 40 policies of 8 instances (40 x 56 bytes) do not fit.
    m = WebUpdate();
    m.policies.assign(40, m.policies[0]);
    for (auto& p : m.policies)
    {
        p.slots = {std::vector<uint32_t>(8, 0x0A000101)};
    }
    EXPECT_TRUE(EncodePolicyMessage(m).empty());
    m.policies.resize(20);
    const auto fits = EncodePolicyMessage(m);
    EXPECT_FALSE(fits.empty());
    EXPECT_LE(fits.size(), kPolicyMessageMaxBytes);
}
