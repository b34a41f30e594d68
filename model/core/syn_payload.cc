#include "syn_payload.h"

#include "bytes.h"

namespace dysco
{

namespace
{

constexpr uint8_t kMagic0 = 'D';
constexpr uint8_t kMagic1 = 'y';

bool
AddressOk(uint32_t a)
{
    return a != 0 && a != 0xFFFFFFFFu;
}

} // namespace

const char*
ToString(SynPayloadError e)
{
    switch (e)
    {
    case SynPayloadError::kOk:
        return "ok";
    case SynPayloadError::kTooShort:
        return "too short";
    case SynPayloadError::kBadMagic:
        return "bad magic";
    case SynPayloadError::kBadVersion:
        return "bad version";
    case SynPayloadError::kBadCount:
        return "bad address count";
    case SynPayloadError::kBadLength:
        return "bad length";
    case SynPayloadError::kBadReserved:
        return "bad reserved byte";
    case SynPayloadError::kBadAddress:
        return "bad address";
    }
    return "unknown";
}

size_t
EncodeSynPayload(const SynPayload& p, std::vector<uint8_t>& out)
{
    const size_t n = p.addresses.size();
    if (n == 0 || n > kMaxChainAddresses)
    {
        return 0;
    }
    for (uint32_t a : p.addresses)
    {
        if (!AddressOk(a))
        {
            return 0;
        }
    }
    const bool marker = p.markerLeftAnchor != 0;
    if (marker && !AddressOk(p.markerLeftAnchor))
    {
        return 0;
    }
    const bool secured = p.nonce != 0;
    const size_t size = kSynPayloadHeaderSize + 4 * n + (marker ? 8 : 0) + (secured ? 12 : 0);
    const size_t start = out.size();
    out.resize(start + size);
    uint8_t* b = out.data() + start;
    b[0] = kMagic0;
    b[1] = kMagic1;
    b[2] = kSynPayloadVersion;
    b[3] = uint8_t(n);
    Store32(b + 4, p.session.srcIp);
    Store32(b + 8, p.session.dstIp);
    Store16(b + 12, p.session.srcPort);
    Store16(b + 14, p.session.dstPort);
    b[16] = p.session.protocol;
    b[17] = uint8_t((marker ? 1 : 0) | (secured ? 2 : 0));
    for (size_t i = 0; i < n; ++i)
    {
        Store32(b + kSynPayloadHeaderSize + 4 * i, p.addresses[i]);
    }
    if (marker)
    {
        Store32(b + kSynPayloadHeaderSize + 4 * n, p.markerLeftAnchor);
        Store32(b + kSynPayloadHeaderSize + 4 * n + 4, p.markerRequestId);
    }
    if (secured)
    {
        uint8_t* t = b + kSynPayloadHeaderSize + 4 * n + (marker ? 8 : 0);
        Store32(t, uint32_t(p.nonce >> 32));
        Store32(t + 4, uint32_t(p.nonce));
        Store32(t + 8, p.keyId);
    }
    return size;
}

SynPayloadError
DecodeSynPayload(const uint8_t* data, size_t len, SynPayload* out)
{
    if (data == nullptr || len < kSynPayloadHeaderSize)
    {
        return SynPayloadError::kTooShort;
    }
    if (data[0] != kMagic0 || data[1] != kMagic1)
    {
        return SynPayloadError::kBadMagic;
    }
    if (data[2] != kSynPayloadVersion)
    {
        return SynPayloadError::kBadVersion;
    }
    const size_t n = data[3];
    if (n == 0 || n > kMaxChainAddresses)
    {
        return SynPayloadError::kBadCount;
    }
    if ((data[17] & ~3u) != 0)
    {
        return SynPayloadError::kBadReserved;
    }
    const bool marker = (data[17] & 1) != 0;
    const bool secured = (data[17] & 2) != 0;
    if (len != kSynPayloadHeaderSize + 4 * n + (marker ? 8 : 0) + (secured ? 12 : 0))
    {
        return SynPayloadError::kBadLength;
    }
    uint32_t addresses[kMaxChainAddresses];
    for (size_t i = 0; i < n; ++i)
    {
        addresses[i] = Load32(data + kSynPayloadHeaderSize + 4 * i);
        if (!AddressOk(addresses[i]))
        {
            return SynPayloadError::kBadAddress;
        }
    }
    // A marker's left anchor is an address too; a zero one would decode as "no marker" and
    // re-encode differently.
    if (marker && !AddressOk(Load32(data + kSynPayloadHeaderSize + 4 * n)))
    {
        return SynPayloadError::kBadAddress;
    }
    const uint8_t* t = data + kSynPayloadHeaderSize + 4 * n + (marker ? 8 : 0);
    const uint64_t nonce = secured ? (uint64_t(Load32(t)) << 32) | Load32(t + 4) : 0;
    if (secured && nonce == 0)
    {
        return SynPayloadError::kBadReserved; // a zero nonce would re-encode as none
    }
    if (out != nullptr)
    {
        out->session = FiveTuple{Load32(data + 4), Load32(data + 8), Load16(data + 12),
                                 Load16(data + 14), data[16]};
        out->addresses.assign(addresses, addresses + n);
        out->markerLeftAnchor = marker ? Load32(data + kSynPayloadHeaderSize + 4 * n) : 0;
        out->markerRequestId = marker ? Load32(data + kSynPayloadHeaderSize + 4 * n + 4) : 0;
        out->nonce = nonce;
        out->keyId = secured ? Load32(t + 8) : 0;
    }
    return SynPayloadError::kOk;
}

bool
LooksLikeSynPayload(const uint8_t* data, size_t len)
{
    return data != nullptr && len >= 3 && data[0] == kMagic0 && data[1] == kMagic1 &&
           data[2] == kSynPayloadVersion;
}

} // namespace dysco
