// Policy distribution messages (model/core policy_message.h). A datagram that decodes
// re-encodes to the same bytes (one encoding per value); a value that encodes decodes back.
#include "core/policy_message.h"

#include "core/bytes.h"
#include "harness.h"

namespace dysco
{
namespace fuzz
{
namespace
{

bool
Same(const PolicyMessage& a, const PolicyMessage& b)
{
    if (a.type != b.type || a.version != b.version || a.policies.size() != b.policies.size())
    {
        return false;
    }
    if (a.type == PolicyMessageType::kAck)
    {
        return true;
    }
    for (size_t i = 0; i < a.policies.size(); ++i)
    {
        const Predicate& p = a.policies[i].predicate;
        const Predicate& q = b.policies[i].predicate;
        if (a.policies[i].name != b.policies[i].name ||
            a.policies[i].slots != b.policies[i].slots || p.src.address != q.src.address ||
            p.src.length != q.src.length || p.dst.address != q.dst.address ||
            p.dst.length != q.dst.length || p.srcPorts.low != q.srcPorts.low ||
            p.srcPorts.high != q.srcPorts.high || p.dstPorts.low != q.dstPorts.low ||
            p.dstPorts.high != q.dstPorts.high || p.protocol != q.protocol)
        {
            return false;
        }
    }
    return a.strategy == b.strategy;
}

/// The input read as a value: 5 bytes of header, then 12 bytes per policy.
void
CheckEncode(const uint8_t* data, size_t size)
{
    if (size < 5)
    {
        return;
    }
    PolicyMessage m;
    m.version = Load32(data);
    m.type = (data[4] & 2) != 0 ? PolicyMessageType::kAck : PolicyMessageType::kUpdate;
    m.strategy = PolicyStrategy(data[4] & 1);
    for (size_t at = 5; at + 12 <= size && m.type == PolicyMessageType::kUpdate; at += 12)
    {
        const uint8_t* b = data + at;
        PolicyEntry e;
        e.name.assign(b[0] % 40, char('a' + b[0] % 26));
        e.predicate.src = {Load32(b + 1), uint8_t(b[5] % 40)}; // lengths > 32: encode refuses
        e.predicate.dstPorts = {Load16(b + 6), Load16(b + 8)};
        for (size_t s = 0; s < size_t(b[10] % 4); ++s)
        {
            e.slots.emplace_back(size_t(b[11] % 4), Load32(b + 1) + uint32_t(s));
        }
        m.policies.push_back(e);
    }
    const std::vector<uint8_t> out = EncodePolicyMessage(m);
    FUZZ_CHECK(out.size() <= kPolicyMessageMaxBytes, "encoded past the bound");
    if (out.empty())
    {
        return;
    }
    PolicyMessage back;
    FUZZ_CHECK(DecodePolicyMessage(out.data(), out.size(), &back) == PolicyDecodeError::kNone,
               "an encoded message does not decode");
    FUZZ_CHECK(Same(m, back), "decode(encode(x)) != x");
}

} // namespace

int
FuzzPolicyMessage(const uint8_t* data, size_t size)
{
    const std::vector<uint8_t> in(data, data + size); // exact size: ASan sees overreads
    PolicyMessage m;
    const PolicyDecodeError e = DecodePolicyMessage(in.data(), in.size(), &m);
    FUZZ_CHECK(ToString(e) != nullptr, "no name for a decode error");
    if (e == PolicyDecodeError::kNone)
    {
        FUZZ_CHECK(EncodePolicyMessage(m) == in, "encode(decode(bytes)) != bytes");
    }
    CheckEncode(in.data(), in.size());
    return 0;
}

} // namespace fuzz
} // namespace dysco
