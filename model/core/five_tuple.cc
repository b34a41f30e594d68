#include "five_tuple.h"

namespace dysco
{

std::string
Ipv4ToString(uint32_t ip)
{
    char buf[16];
    int n = 0;
    for (int shift = 24; shift >= 0; shift -= 8)
    {
        unsigned octet = (ip >> shift) & 0xFF;
        if (octet >= 100)
        {
            buf[n++] = char('0' + octet / 100);
        }
        if (octet >= 10)
        {
            buf[n++] = char('0' + octet / 10 % 10);
        }
        buf[n++] = char('0' + octet % 10);
        if (shift > 0)
        {
            buf[n++] = '.';
        }
    }
    return std::string(buf, size_t(n));
}

bool
ParseIpv4(const std::string& text, uint32_t* ip)
{
    // Strict: exactly four octets of 1..3 decimal digits, no leading zeros (which some parsers
    // read as octal), no sign, whitespace or trailing characters.
    uint32_t value = 0;
    size_t pos = 0;
    for (int octet = 0; octet < 4; ++octet)
    {
        if (octet > 0)
        {
            if (pos >= text.size() || text[pos] != '.')
            {
                return false;
            }
            ++pos;
        }
        size_t start = pos;
        unsigned v = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 3)
        {
            v = v * 10 + unsigned(text[pos] - '0');
            ++pos;
        }
        const size_t digits = pos - start;
        if (digits == 0 || v > 255 || (digits > 1 && text[start] == '0'))
        {
            return false;
        }
        value = (value << 8) | v;
    }
    if (pos != text.size())
    {
        return false;
    }
    if (ip != nullptr)
    {
        *ip = value;
    }
    return true;
}

std::string
FiveTuple::ToString() const
{
    return Ipv4ToString(srcIp) + ":" + std::to_string(srcPort) + "->" + Ipv4ToString(dstIp) + ":" +
           std::to_string(dstPort) + "/" + std::to_string(protocol);
}

} // namespace dysco
