#include "policy_message.h"

#include "bytes.h"

namespace dysco
{

const char*
ToString(PolicyDecodeError e)
{
    switch (e)
    {
    case PolicyDecodeError::kNone:
        return "none";
    case PolicyDecodeError::kTruncated:
        return "truncated";
    case PolicyDecodeError::kBadFormat:
        return "bad_format";
    case PolicyDecodeError::kBadType:
        return "bad_type";
    case PolicyDecodeError::kBadVersion:
        return "bad_version";
    case PolicyDecodeError::kBadStrategy:
        return "bad_strategy";
    case PolicyDecodeError::kBadPredicate:
        return "bad_predicate";
    case PolicyDecodeError::kEmptySlot:
        return "empty_slot";
    case PolicyDecodeError::kTrailing:
        return "trailing_bytes";
    case PolicyDecodeError::kTooLong:
        return "too_long";
    }
    return "?";
}

namespace
{

constexpr size_t kCountMax = 255;

class Writer
{
public:
    void U8(uint8_t v) { m_out.push_back(v); }
    void U16(uint16_t v)
    {
        m_out.resize(m_out.size() + 2);
        Store16(&m_out[m_out.size() - 2], v);
    }
    void U32(uint32_t v)
    {
        m_out.resize(m_out.size() + 4);
        Store32(&m_out[m_out.size() - 4], v);
    }
    void Bytes(const std::string& s) { m_out.insert(m_out.end(), s.begin(), s.end()); }
    std::vector<uint8_t>& Out() { return m_out; }

private:
    std::vector<uint8_t> m_out;
};

/// Reads fields in order; the first read past the end sets `ok` false for good.
class Reader
{
public:
    Reader(const uint8_t* data, size_t size)
        : m_p(data)
        , m_left(size)
    {
    }
    bool ok = true;
    size_t Left() const { return m_left; }
    uint8_t U8() { return Take(1) ? m_p[-1] : 0; }
    uint16_t U16() { return Take(2) ? Load16(m_p - 2) : 0; }
    uint32_t U32() { return Take(4) ? Load32(m_p - 4) : 0; }
    std::string Bytes(size_t n)
    {
        return Take(n) ? std::string(reinterpret_cast<const char*>(m_p - n), n) : std::string();
    }

private:
    bool Take(size_t n)
    {
        if (!ok || m_left < n)
        {
            ok = false;
            return false;
        }
        m_p += n;
        m_left -= n;
        return true;
    }
    const uint8_t* m_p;
    size_t m_left;
};

void
WritePredicate(Writer& w, const Predicate& p)
{
    w.U32(p.src.address);
    w.U8(p.src.length);
    w.U32(p.dst.address);
    w.U8(p.dst.length);
    w.U16(p.srcPorts.low);
    w.U16(p.srcPorts.high);
    w.U16(p.dstPorts.low);
    w.U16(p.dstPorts.high);
    w.U8(p.protocol);
}

bool
ValidPredicate(const Predicate& p)
{
    return p.src.length <= 32 && p.dst.length <= 32 && p.srcPorts.low <= p.srcPorts.high &&
           p.dstPorts.low <= p.dstPorts.high;
}

Predicate
ReadPredicate(Reader& r)
{
    Predicate p;
    p.src.address = r.U32();
    p.src.length = r.U8();
    p.dst.address = r.U32();
    p.dst.length = r.U8();
    p.srcPorts.low = r.U16();
    p.srcPorts.high = r.U16();
    p.dstPorts.low = r.U16();
    p.dstPorts.high = r.U16();
    p.protocol = r.U8();
    return p;
}

bool
Encodable(const PolicyMessage& m)
{
    if (m.version == 0 || m.policies.size() > kCountMax)
    {
        return false;
    }
    for (const auto& p : m.policies)
    {
        if (p.name.size() > kCountMax || p.slots.size() > kCountMax || !ValidPredicate(p.predicate))
        {
            return false;
        }
        for (const auto& slot : p.slots)
        {
            if (slot.empty() || slot.size() > kCountMax)
            {
                return false;
            }
        }
    }
    return true;
}

PolicyDecodeError
ReadUpdate(Reader& r, PolicyMessage* out)
{
    const uint8_t strategy = r.U8();
    if (r.ok && strategy > uint8_t(PolicyStrategy::kLeastLoaded))
    {
        return PolicyDecodeError::kBadStrategy;
    }
    out->strategy = PolicyStrategy(strategy);
    const size_t policies = r.U8();
    for (size_t i = 0; i < policies && r.ok; ++i)
    {
        PolicyEntry e;
        e.name = r.Bytes(r.U8());
        e.predicate = ReadPredicate(r);
        if (r.ok && !ValidPredicate(e.predicate))
        {
            return PolicyDecodeError::kBadPredicate;
        }
        const size_t slots = r.U8();
        for (size_t s = 0; s < slots && r.ok; ++s)
        {
            const size_t n = r.U8();
            if (r.ok && n == 0)
            {
                return PolicyDecodeError::kEmptySlot;
            }
            std::vector<uint32_t> slot;
            for (size_t k = 0; k < n && r.ok; ++k)
            {
                slot.push_back(r.U32());
            }
            e.slots.push_back(std::move(slot));
        }
        out->policies.push_back(std::move(e));
    }
    return PolicyDecodeError::kNone;
}

} // namespace

std::vector<uint8_t>
EncodePolicyMessage(const PolicyMessage& m)
{
    if (!Encodable(m))
    {
        return {};
    }
    Writer w;
    w.U8(kPolicyFormat);
    w.U8(uint8_t(m.type));
    w.U32(m.version);
    if (m.type == PolicyMessageType::kUpdate)
    {
        w.U8(uint8_t(m.strategy));
        w.U8(uint8_t(m.policies.size()));
        for (const auto& p : m.policies)
        {
            w.U8(uint8_t(p.name.size()));
            w.Bytes(p.name);
            WritePredicate(w, p.predicate);
            w.U8(uint8_t(p.slots.size()));
            for (const auto& slot : p.slots)
            {
                w.U8(uint8_t(slot.size()));
                for (uint32_t a : slot)
                {
                    w.U32(a);
                }
            }
        }
    }
    if (w.Out().size() > kPolicyMessageMaxBytes)
    {
        return {};
    }
    return std::move(w.Out());
}

PolicyDecodeError
DecodePolicyMessage(const uint8_t* data, size_t size, PolicyMessage* out)
{
    if (size > kPolicyMessageMaxBytes)
    {
        return PolicyDecodeError::kTooLong;
    }
    *out = PolicyMessage();
    Reader r(data, size);
    const uint8_t format = r.U8();
    if (r.ok && format != kPolicyFormat)
    {
        return PolicyDecodeError::kBadFormat;
    }
    const uint8_t type = r.U8();
    if (r.ok && type != uint8_t(PolicyMessageType::kUpdate) &&
        type != uint8_t(PolicyMessageType::kAck))
    {
        return PolicyDecodeError::kBadType;
    }
    out->type = PolicyMessageType(type);
    out->version = r.U32();
    if (r.ok && out->version == 0)
    {
        return PolicyDecodeError::kBadVersion;
    }
    if (out->type == PolicyMessageType::kUpdate)
    {
        const PolicyDecodeError e = ReadUpdate(r, out);
        if (e != PolicyDecodeError::kNone)
        {
            return e;
        }
    }
    if (!r.ok)
    {
        return PolicyDecodeError::kTruncated;
    }
    return r.Left() == 0 ? PolicyDecodeError::kNone : PolicyDecodeError::kTrailing;
}

} // namespace dysco
