#include "socks-request.h"

namespace ns3
{

const char*
ToString(SocksError e)
{
    switch (e)
    {
    case SocksError::kOk:
        return "ok";
    case SocksError::kTruncated:
        return "truncated";
    case SocksError::kBadVersion:
        return "bad_version";
    case SocksError::kBadCommand:
        return "bad_command";
    case SocksError::kBadReserved:
        return "bad_reserved";
    case SocksError::kBadAddressType:
        return "bad_address_type";
    case SocksError::kBadAddress:
        return "bad_address";
    }
    return "?";
}

SocksStatus
StatusFor(SocksError e)
{
    switch (e)
    {
    case SocksError::kOk:
        return SocksStatus::kSucceeded;
    case SocksError::kBadCommand:
        return SocksStatus::kCommandNotSupported;
    case SocksError::kBadAddressType:
        return SocksStatus::kAddressTypeNotSupported;
    default:
        return SocksStatus::kGeneralFailure;
    }
}

void
SocksMessage::Serialize(std::vector<uint8_t>& out) const
{
    const uint8_t b[kSocksMessageSize] = {kSocksVersion,
                                          code,
                                          0,
                                          kSocksIpv4,
                                          uint8_t(ipv4 >> 24),
                                          uint8_t(ipv4 >> 16),
                                          uint8_t(ipv4 >> 8),
                                          uint8_t(ipv4),
                                          uint8_t(port >> 8),
                                          uint8_t(port)};
    out.insert(out.end(), b, b + kSocksMessageSize);
}

namespace
{
SocksError
Parse(const uint8_t* d, size_t n, SocksMessage* m)
{
    if (n < kSocksMessageSize)
    {
        return SocksError::kTruncated;
    }
    if (d[0] != kSocksVersion)
    {
        return SocksError::kBadVersion;
    }
    if (d[2] != 0)
    {
        return SocksError::kBadReserved;
    }
    if (d[3] != kSocksIpv4)
    {
        return SocksError::kBadAddressType;
    }
    m->code = d[1];
    m->ipv4 = uint32_t(d[4]) << 24 | uint32_t(d[5]) << 16 | uint32_t(d[6]) << 8 | d[7];
    m->port = uint16_t(d[8] << 8 | d[9]);
    return SocksError::kOk;
}
} // namespace

SocksError
SocksMessage::DeserializeRequest(const uint8_t* data, size_t n)
{
    SocksMessage m;
    SocksError e = Parse(data, n, &m);
    if (e == SocksError::kOk && m.code != kSocksConnect)
    {
        e = SocksError::kBadCommand;
    }
    if (e == SocksError::kOk && (m.ipv4 == 0 || m.port == 0))
    {
        e = SocksError::kBadAddress;
    }
    if (e == SocksError::kOk)
    {
        *this = m;
    }
    return e;
}

SocksError
SocksMessage::DeserializeReply(const uint8_t* data, size_t n)
{
    SocksMessage m;
    const SocksError e = Parse(data, n, &m);
    if (e == SocksError::kOk)
    {
        *this = m;
    }
    return e;
}

} // namespace ns3
