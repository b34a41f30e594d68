// SYN payload codec: round trips, the exact wire format, and strict rejection.
#include "core/bytes.h"
#include "core/syn_payload.h"
#include "test_random.h"

#include <gtest/gtest.h>
#include <memory>
#include <vector>

namespace
{

using namespace dysco;
using namespace dysco::test;

uint32_t
RandomAddress(std::mt19937& rng)
{
    uint32_t a;
    do
    {
        a = rng();
    } while (a == 0 || a == 0xFFFFFFFFu);
    return a;
}

/// A random payload with n addresses, with a new-path marker if `marker`.
SynPayload
RandomPayload(std::mt19937& rng, size_t n, bool marker = false)
{
    SynPayload p;
    p.session = FiveTuple{uint32_t(rng()), uint32_t(rng()), uint16_t(rng()), uint16_t(rng()),
                          uint8_t(rng())};
    for (size_t i = 0; i < n; ++i)
    {
        p.addresses.push_back(RandomAddress(rng));
    }
    if (marker)
    {
        p.markerLeftAnchor = RandomAddress(rng);
        p.markerRequestId = uint32_t(rng());
    }
    return p;
}

std::vector<uint8_t>
Encode(const SynPayload& p)
{
    std::vector<uint8_t> out;
    EXPECT_GT(EncodeSynPayload(p, out), 0u);
    return out;
}

/// Decodes from an exactly sized heap copy, so a sanitizer build catches any read past len.
SynPayloadError
DecodeExact(const std::vector<uint8_t>& bytes, size_t len, SynPayload* out)
{
    std::unique_ptr<uint8_t[]> copy(new uint8_t[len == 0 ? 1 : len]);
    std::copy(bytes.begin(), bytes.begin() + len, copy.get());
    return DecodeSynPayload(len == 0 ? nullptr : copy.get(), len, out);
}

bool
Same(const SynPayload& a, const SynPayload& b)
{
    return a.session == b.session && a.addresses == b.addresses &&
           a.markerLeftAnchor == b.markerLeftAnchor && a.markerRequestId == b.markerRequestId;
}

TEST(SynPayload, KnownEncoding)
{
    SynPayload p{FiveTuple{0x0A000001u, 0x0A000302u, 49153, 80, kProtoTcp},
                 {0xAC100001u, 0x0A000302u}};
    std::vector<uint8_t> out{0xEE}; // existing bytes are kept
    ASSERT_EQ(EncodeSynPayload(p, out), 26u);
    const std::vector<uint8_t> expect{0xEE, 'D',  'y',  1, 2, 10,  0,  0, 1, 10, 0, 3, 2, 0xC0,
                                      0x01, 0x00, 0x50, 6, 0, 172, 16, 0, 1, 10, 0, 3, 2};
    EXPECT_EQ(out, expect);
}

TEST(SynPayload, RandomRoundTrips)
{
    std::mt19937 rng(TestSeed());
    for (int iter = 0; iter < 5000; ++iter)
    {
        const size_t n = Uniform(rng, 1, kMaxChainAddresses);
        const bool marker = iter % 3 == 0;
        const SynPayload p = RandomPayload(rng, n, marker);
        std::vector<uint8_t> out = RandomBytes(rng, Uniform(rng, 0, 5));
        const std::vector<uint8_t> prefix = out;
        const size_t written = EncodeSynPayload(p, out);
        ASSERT_EQ(written, kSynPayloadHeaderSize + 4 * n + (marker ? 8 : 0));
        ASSERT_EQ(out.size(), prefix.size() + written);
        ASSERT_TRUE(std::equal(prefix.begin(), prefix.end(), out.begin()));
        const std::vector<uint8_t> enc(out.begin() + prefix.size(), out.end());
        ASSERT_TRUE(LooksLikeSynPayload(enc.data(), enc.size()));
        SynPayload q;
        ASSERT_EQ(DecodeExact(enc, enc.size(), &q), SynPayloadError::kOk);
        ASSERT_TRUE(Same(p, q)) << "n=" << n << " marker=" << marker;
    }
}

TEST(SynPayload, EncodeRejectsBadLists)
{
    std::mt19937 rng(TestSeed());
    std::vector<uint8_t> out{1, 2, 3};
    EXPECT_EQ(EncodeSynPayload(RandomPayload(rng, 0), out), 0u);
    for (size_t n = kMaxChainAddresses + 1; n <= 255; ++n)
    {
        EXPECT_EQ(EncodeSynPayload(RandomPayload(rng, n), out), 0u) << n;
    }
    for (uint32_t bad : {0u, 0xFFFFFFFFu})
    {
        SynPayload p = RandomPayload(rng, 3);
        p.addresses[1] = bad;
        EXPECT_EQ(EncodeSynPayload(p, out), 0u);
    }
    EXPECT_EQ(out, (std::vector<uint8_t>{1, 2, 3}));
}

TEST(SynPayload, TruncationAtEveryLengthIsRejected)
{
    std::mt19937 rng(TestSeed());
    for (size_t n : {size_t(1), size_t(3), kMaxChainAddresses, size_t(1), size_t(16)})
    {
        const bool marker = Uniform(rng, 0, 1) == 1;
        const auto enc = Encode(RandomPayload(rng, n, marker));
        for (size_t len = 0; len < enc.size(); ++len)
        {
            SynPayload out;
            out.addresses = {42};
            const SynPayloadError e = DecodeExact(enc, len, &out);
            EXPECT_EQ(e, len < kSynPayloadHeaderSize ? SynPayloadError::kTooShort
                                                     : SynPayloadError::kBadLength)
                << "n=" << n << " marker=" << marker << " len=" << len;
            EXPECT_EQ(out.addresses, std::vector<uint32_t>{42}) << "output written on failure";
        }
        // Trailing bytes are a length error too.
        auto longer = enc;
        longer.push_back(0);
        EXPECT_EQ(DecodeExact(longer, longer.size(), nullptr), SynPayloadError::kBadLength);
    }
}

TEST(SynPayload, BadHeaderFieldsAreRejected)
{
    std::mt19937 rng(TestSeed());
    const auto enc = Encode(RandomPayload(rng, 4));
    for (size_t i = 0; i < 2; ++i)
    {
        auto b = enc;
        b[i] ^= 0x20; // 'd' instead of 'D', 'Y' instead of 'y'
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadMagic);
        EXPECT_FALSE(LooksLikeSynPayload(b.data(), b.size()));
    }
    for (uint8_t version : {0, 2, 255})
    {
        auto b = enc;
        b[2] = version;
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadVersion);
        EXPECT_FALSE(LooksLikeSynPayload(b.data(), b.size()));
    }
    {
        auto b = enc;
        b[3] = 0;
        b.resize(kSynPayloadHeaderSize);
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadCount);
    }
    for (uint8_t count : {1, 3, 5, 16})
    {
        auto b = enc;
        b[3] = count; // the length no longer matches the count
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadLength) << +count;
    }
    for (uint8_t reserved : {4, 0x80, 0xFF})
    {
        auto b = enc;
        b[17] = reserved;
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadReserved);
    }
}

TEST(SynPayload, OversizedListsAreRejectedEvenWithMatchingLength)
{
    std::mt19937 rng(TestSeed());
    const auto enc = Encode(RandomPayload(rng, kMaxChainAddresses));
    for (size_t n = kMaxChainAddresses + 1; n <= 255; ++n)
    {
        auto b = enc;
        b[3] = uint8_t(n);
        while (b.size() < kSynPayloadHeaderSize + 4 * n)
        {
            const uint32_t a = RandomAddress(rng);
            b.insert(b.end(), {uint8_t(a >> 24), uint8_t(a >> 16), uint8_t(a >> 8), uint8_t(a)});
        }
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadCount) << n;
    }
}

TEST(SynPayload, BadAddressesAreRejectedAtEveryPosition)
{
    std::mt19937 rng(TestSeed());
    const size_t n = 6;
    const auto enc = Encode(RandomPayload(rng, n));
    for (size_t i = 0; i < n; ++i)
    {
        for (uint32_t bad : {0u, 0xFFFFFFFFu})
        {
            auto b = enc;
            Store32(&b[kSynPayloadHeaderSize + 4 * i], bad);
            EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadAddress) << i;
        }
    }
}

TEST(SynPayload, KnownEncodingWithMarker)
{
    SynPayload p{FiveTuple{0x0A000001u, 0x0A000302u, 49153, 80, kProtoTcp}, {0x0A000302u}};
    p.markerLeftAnchor = 0xAC100001u;
    p.markerRequestId = 0x01020304u;
    std::vector<uint8_t> out;
    ASSERT_EQ(EncodeSynPayload(p, out), 30u);
    const std::vector<uint8_t> expect{'D', 'y', 1,    1,    10,   0,    0, 1, 10, 0,
                                      3,   2,   0xC0, 0x01, 0x00, 0x50, 6, 1, 10, 0,
                                      3,   2,   172,  16,   0,    1,    1, 2, 3,  4};
    EXPECT_EQ(out, expect);
}

TEST(SynPayload, MarkerIsDecodedStrictly)
{
    std::mt19937 rng(TestSeed());
    const auto plain = Encode(RandomPayload(rng, 2));
    const auto marked = Encode(RandomPayload(rng, 2, true));
    ASSERT_EQ(marked.size(), plain.size() + 8);
    // Flag without the 8 marker bytes, and marker bytes without the flag.
    auto b = plain;
    b[17] = 1;
    EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadLength);
    b = marked;
    b[17] = 0;
    EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadLength);
    // Unknown flag bits, with or without the marker.
    for (uint8_t flags : {4, 5, 0x81})
    {
        b = (flags & 1) ? marked : plain;
        b[17] = flags;
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadReserved) << +flags;
    }
    // The left anchor must be a usable address; the request id may be anything.
    for (uint32_t anchor : {0u, 0xFFFFFFFFu})
    {
        b = marked;
        Store32(&b[b.size() - 8], anchor);
        EXPECT_EQ(DecodeExact(b, b.size(), nullptr), SynPayloadError::kBadAddress) << anchor;
    }
    b = marked;
    Store32(&b[b.size() - 4], 0);
    SynPayload out;
    ASSERT_EQ(DecodeExact(b, b.size(), &out), SynPayloadError::kOk);
    EXPECT_EQ(out.markerRequestId, 0u);
    EXPECT_NE(out.markerLeftAnchor, 0u);
    // The encoder refuses what the decoder would reject.
    SynPayload bad = RandomPayload(rng, 2, true);
    bad.markerLeftAnchor = 0xFFFFFFFFu;
    std::vector<uint8_t> none;
    EXPECT_EQ(EncodeSynPayload(bad, none), 0u);
    EXPECT_TRUE(none.empty());
}

TEST(SynPayload, LooksLikeSynPayloadNeedsMagicAndVersionOnly)
{
    const uint8_t prefix[] = {'D', 'y', kSynPayloadVersion};
    EXPECT_TRUE(LooksLikeSynPayload(prefix, 3));
    EXPECT_FALSE(LooksLikeSynPayload(prefix, 2));
    EXPECT_FALSE(LooksLikeSynPayload(prefix, 0));
    EXPECT_FALSE(LooksLikeSynPayload(nullptr, 0));
    EXPECT_EQ(DecodeSynPayload(prefix, 3, nullptr), SynPayloadError::kTooShort);
}

TEST(SynPayload, RandomGarbageNeverDecodesToSomethingElse)
{
    std::mt19937 rng(TestSeed());
    size_t decoded = 0;
    for (int iter = 0; iter < 50000; ++iter)
    {
        // Start from a valid encoding and damage it, or use pure noise.
        std::vector<uint8_t> b;
        if (iter % 4 == 0)
        {
            b = RandomBytes(rng, Uniform(rng, 0, 90));
        }
        else
        {
            b = Encode(RandomPayload(rng, Uniform(rng, 1, kMaxChainAddresses), iter % 3 == 0));
            for (uint32_t k = Uniform(rng, 0, 3); k > 0; --k)
            {
                b[Uniform(rng, 0, uint32_t(b.size() - 1))] = uint8_t(rng());
            }
            b.resize(Uniform(rng, 0, uint32_t(b.size() + 2)), 0);
        }
        SynPayload p;
        if (DecodeExact(b, b.size(), &p) == SynPayloadError::kOk)
        {
            ++decoded;
            // Strict decoding means the encoding is canonical: re-encoding gives the input.
            std::vector<uint8_t> again;
            ASSERT_EQ(EncodeSynPayload(p, again), b.size());
            ASSERT_EQ(again, b);
        }
    }
    EXPECT_GT(decoded, 0u);
}

TEST(SynPayload, ErrorNamesAreDistinct)
{
    std::vector<std::string> names;
    for (int e = int(SynPayloadError::kOk); e <= int(SynPayloadError::kBadAddress); ++e)
    {
        const std::string name = ToString(SynPayloadError(e));
        EXPECT_FALSE(name.empty());
        EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name;
        names.push_back(name);
    }
}

} // namespace
