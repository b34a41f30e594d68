// SYN address-list payload (model/core syn_payload.h). A payload that decodes re-encodes to
// the same bytes (the format has one encoding per value); a value that encodes decodes back.
#include "core/syn_payload.h"

#include "core/bytes.h"
#include "harness.h"

namespace dysco
{
namespace fuzz
{
namespace
{

/// The input read as a value: 13 bytes of tuple and marker, then up to 20 addresses.
void
CheckEncode(const uint8_t* data, size_t size)
{
    if (size < 21)
    {
        return;
    }
    SynPayload p;
    p.session =
        FiveTuple{Load32(data), Load32(data + 4), Load16(data + 8), Load16(data + 10), data[12]};
    p.markerLeftAnchor = (data[13] & 1) != 0 ? Load32(data + 13) : 0;
    p.markerRequestId = Load32(data + 17);
    for (size_t at = 21; at + 4 <= size && p.addresses.size() < 20; at += 4)
    {
        p.addresses.push_back(Load32(data + at));
    }
    std::vector<uint8_t> out{0xEE}; // Encode appends: the byte before must stay
    const size_t n = EncodeSynPayload(p, out);
    FUZZ_CHECK(out.size() == 1 + n && out[0] == 0xEE, "encode wrote other than it reported");
    if (n == 0)
    {
        return;
    }
    SynPayload back;
    FUZZ_CHECK(DecodeSynPayload(out.data() + 1, n, &back) == SynPayloadError::kOk,
               "an encoded payload does not decode");
    FUZZ_CHECK(back.session == p.session && back.addresses == p.addresses &&
                   back.markerLeftAnchor == p.markerLeftAnchor &&
                   back.markerRequestId == (p.markerLeftAnchor != 0 ? p.markerRequestId : 0),
               "decode(encode(x)) != x");
}

} // namespace

int
FuzzSynPayload(const uint8_t* data, size_t size)
{
    const std::vector<uint8_t> in(data, data + size); // exact size: ASan sees overreads
    SynPayload p;
    const SynPayloadError e = DecodeSynPayload(in.data(), in.size(), &p);
    FUZZ_CHECK(ToString(e) != nullptr, "no name for a decode error");
    const bool looks = LooksLikeSynPayload(in.data(), in.size());
    if (e == SynPayloadError::kOk)
    {
        FUZZ_CHECK(looks, "a valid payload does not look like one");
        std::vector<uint8_t> out;
        FUZZ_CHECK(EncodeSynPayload(p, out) == in.size() && out == in,
                   "encode(decode(bytes)) != bytes");
    }
    CheckEncode(in.data(), in.size());
    return 0;
}

} // namespace fuzz
} // namespace dysco
