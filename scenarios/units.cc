#include "units.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace dyscosim
{

namespace
{

std::string
Lower(std::string s)
{
    for (auto& c : s)
    {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    return s;
}

/// Splits "12.5Mbps" into 12.5 and "Mbps". The number must be plain decimal: strtod alone
/// would also take "inf", "nan", hex floats and leading spaces.
bool
SplitNumber(const std::string& text, double* value, std::string* unit)
{
    size_t i = 0;
    bool digits = false;
    bool dot = false;
    while (i < text.size())
    {
        char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c)))
        {
            digits = true;
        }
        else if (c == '.' && !dot)
        {
            dot = true;
        }
        else
        {
            break;
        }
        ++i;
    }
    if (!digits)
    {
        return false;
    }
    *value = std::strtod(text.substr(0, i).c_str(), nullptr);
    *unit = text.substr(i);
    return std::isfinite(*value);
}

bool
ParseUnsigned(const std::string& text, uint64_t max, uint64_t* out)
{
    if (text.empty() || text.size() > 10)
    {
        return false;
    }
    uint64_t v = 0;
    for (char c : text)
    {
        if (!std::isdigit(static_cast<unsigned char>(c)))
        {
            return false;
        }
        v = v * 10 + uint64_t(c - '0');
    }
    if (v > max)
    {
        return false;
    }
    *out = v;
    return true;
}

} // namespace

bool
ParseRate(const std::string& text, uint64_t* bps)
{
    double value = 0;
    std::string unit;
    if (!SplitNumber(text, &value, &unit))
    {
        return false;
    }
    unit = Lower(unit);
    double scale = 0;
    if (unit == "bps")
    {
        scale = 1;
    }
    else if (unit == "kbps")
    {
        scale = 1e3;
    }
    else if (unit == "mbps")
    {
        scale = 1e6;
    }
    else if (unit == "gbps")
    {
        scale = 1e9;
    }
    else
    {
        return false;
    }
    double r = std::round(value * scale);
    // Above 1 Tbps ns-3's serialization times round to zero; refuse rather than mislead.
    if (r < 1 || r > 1e12)
    {
        return false;
    }
    *bps = uint64_t(r);
    return true;
}

bool
ParseDelay(const std::string& text, uint64_t* ns)
{
    double value = 0;
    std::string unit;
    if (!SplitNumber(text, &value, &unit))
    {
        return false;
    }
    double scale = 0;
    if (unit == "s")
    {
        scale = 1e9;
    }
    else if (unit == "ms")
    {
        scale = 1e6;
    }
    else if (unit == "us")
    {
        scale = 1e3;
    }
    else if (unit == "ns")
    {
        scale = 1;
    }
    else
    {
        return false;
    }
    double d = std::round(value * scale);
    if (d > 3600e9) // an hour of one-way delay is a typo, not a scenario
    {
        return false;
    }
    *ns = uint64_t(d);
    return true;
}

bool
ParseIpv4Address(const std::string& text, uint32_t* ip)
{
    uint32_t result = 0;
    size_t start = 0;
    for (int part = 0; part < 4; ++part)
    {
        size_t end = text.find('.', start);
        if ((part < 3) != (end != std::string::npos))
        {
            return false;
        }
        std::string piece = text.substr(start, end == std::string::npos ? end : end - start);
        uint64_t v = 0;
        if (piece.size() > 3 || (piece.size() > 1 && piece[0] == '0') ||
            !ParseUnsigned(piece, 255, &v))
        {
            return false;
        }
        result = (result << 8) | uint32_t(v);
        start = end + 1;
    }
    *ip = result;
    return true;
}

PrefixParse
ParsePrefix(const std::string& text, uint32_t* address, uint8_t* length)
{
    size_t slash = text.find('/');
    uint32_t ip = 0;
    uint64_t len = 32;
    if (!ParseIpv4Address(text.substr(0, slash), &ip))
    {
        return PrefixParse::kMalformed;
    }
    if (slash != std::string::npos && !ParseUnsigned(text.substr(slash + 1), 32, &len))
    {
        return PrefixParse::kMalformed;
    }
    uint32_t mask = len == 0 ? 0 : ~uint32_t(0) << (32 - len);
    *address = ip & mask;
    *length = uint8_t(len);
    return (ip & ~mask) != 0 ? PrefixParse::kHostBitsSet : PrefixParse::kOk;
}

bool
ParsePortRange(const std::string& text, uint16_t* low, uint16_t* high)
{
    size_t dash = text.find('-');
    uint64_t lo = 0;
    uint64_t hi = 0;
    if (!ParseUnsigned(text.substr(0, dash), 65535, &lo))
    {
        return false;
    }
    hi = lo;
    if (dash != std::string::npos && !ParseUnsigned(text.substr(dash + 1), 65535, &hi))
    {
        return false;
    }
    if (lo > hi)
    {
        return false;
    }
    *low = uint16_t(lo);
    *high = uint16_t(hi);
    return true;
}

std::string
FormatIpv4(uint32_t ip)
{
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
           std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255);
}

std::string
FormatRate(uint64_t bps)
{
    static const struct
    {
        uint64_t scale;
        const char* unit;
    } kUnits[] = {{1000000000, "Gbps"}, {1000000, "Mbps"}, {1000, "kbps"}, {1, "bps"}};
    for (const auto& u : kUnits)
    {
        if (bps >= u.scale)
        {
            double v = double(bps) / double(u.scale);
            char buf[32];
            std::snprintf(buf, sizeof(buf), "%g%s", v, u.unit);
            return buf;
        }
    }
    return "0bps";
}

} // namespace dyscosim
