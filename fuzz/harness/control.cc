// Control-message codec and framing (model/core control.h). The input is tried as a UDP
// payload and as a whole IPv4/UDP packet. A message that decodes re-encodes to the same
// bytes; any message of a known type encodes, frames, unframes and decodes back unchanged.
#include "core/control.h"

#include "core/bytes.h"
#include "core/syn_payload.h"
#include "harness.h"

namespace dysco
{
namespace fuzz
{
namespace
{

void
CheckDecode(const uint8_t* p, size_t len)
{
    ControlMessage m;
    const ControlError e = DecodeControl(p, len, &m);
    FUZZ_CHECK(ToString(e) != nullptr, "no name for a decode error");
    if (e != ControlError::kOk)
    {
        return;
    }
    FUZZ_CHECK(ToString(m.type) != nullptr, "no name for a control type");
    std::vector<uint8_t> out;
    FUZZ_CHECK(EncodeControl(m, out) == len && std::equal(out.begin(), out.end(), p),
               "encode(decode(bytes)) != bytes");
}

/// The input read as a message value; framed between two addresses from the input.
void
CheckFraming(const uint8_t* d, size_t size)
{
    if (size < 34)
    {
        return;
    }
    ControlMessage m;
    m.type = ControlType(1 + d[0] % 8);
    m.serial = Load32(d + 1);
    m.subsession = FiveTuple{Load32(d + 5), Load32(d + 9), Load16(d + 13), Load16(d + 15), d[17]};
    m.leftAnchor = Load32(d + 18);
    m.rightAnchor = Load32(d + 22);
    m.requestId = Load32(d + 26);
    m.delta = SeqDelta(Load32(d + 30));
    m.flags = d[0];
    for (size_t at = 34; at + 4 <= size && m.addresses.size() <= kMaxChainAddresses; at += 4)
    {
        m.addresses.push_back(Load32(d + at));
    }
    std::vector<uint8_t> enc;
    const size_t n = EncodeControl(m, enc);
    if (m.addresses.size() > kMaxChainAddresses)
    {
        FUZZ_CHECK(n == 0 && enc.empty(), "an over-long address list was encoded");
        return;
    }
    const std::vector<uint8_t> pkt = BuildControlPacket(Load32(d + 5), Load32(d + 9), m);
    const uint8_t* payload = nullptr;
    size_t len = 0;
    FUZZ_CHECK(IsControlPacket(pkt, &payload, &len), "a built control packet is not one");
    FUZZ_CHECK(len == n, "framed payload length differs from the encoding");
    ControlMessage back;
    FUZZ_CHECK(DecodeControl(payload, len, &back) == ControlError::kOk && back == m,
               "decode(frame(encode(x))) != x");
}

} // namespace

int
FuzzControl(const uint8_t* data, size_t size)
{
    const std::vector<uint8_t> in(data, data + size); // exact size: ASan sees overreads
    CheckDecode(in.data(), in.size());
    const uint8_t* payload = nullptr;
    size_t len = 0;
    if (IsControlPacket(in, &payload, &len))
    {
        FUZZ_CHECK(payload >= in.data() && payload + len <= in.data() + in.size(),
                   "control payload outside the packet");
        CheckDecode(payload, len);
    }
    CheckFraming(in.data(), in.size());
    return 0;
}

} // namespace fuzz
} // namespace dysco
