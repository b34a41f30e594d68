// Text forms of the agent's security settings, as ns-3 attributes and scenario files give
// them: chain keys ("7:00112233...,8:...": key id, then 16 or more key bytes in hex) and
// prefix allow-lists ("10.0.0.0/8,192.168.1.0/24"). Header-only, so the scenario loader
// (which links no core) validates with the same rules the agent applies.
#ifndef DYSCO_CORE_SECURITY_TEXT_H
#define DYSCO_CORE_SECURITY_TEXT_H

#include "control_auth.h"
#include "policy.h"

#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace dysco
{

/// True for "off", "nonce" and "hmac" (ParseControlProtection's names).
inline bool
IsControlProtectionName(const std::string& s)
{
    return s == "off" || s == "nonce" || s == "hmac";
}

namespace detail
{
inline std::vector<std::string>
SplitComma(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        out.push_back(item);
    }
    return out;
}

inline bool
ParseUnsigned(const std::string& s, uint64_t max, uint64_t* out)
{
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos)
    {
        return false;
    }
    *out = std::strtoull(s.c_str(), nullptr, 10);
    return *out <= max;
}
} // namespace detail

inline bool
ParseHexBytes(const std::string& hex, std::vector<uint8_t>* out)
{
    if (hex.size() % 2 != 0 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    {
        return false;
    }
    out->clear();
    for (size_t i = 0; i < hex.size(); i += 2)
    {
        out->push_back(uint8_t(std::strtoul(hex.substr(i, 2).c_str(), nullptr, 16)));
    }
    return true;
}

inline bool
ParseChainKeys(const std::string& text, KeyRing* keys, std::string* error)
{
    KeyRing ring;
    for (const std::string& item :
         text.empty() ? std::vector<std::string>{} : detail::SplitComma(text))
    {
        const size_t colon = item.find(':');
        uint64_t id = 0;
        std::vector<uint8_t> key;
        if (colon == std::string::npos ||
            !detail::ParseUnsigned(item.substr(0, colon), 0xFFFFFFFFu, &id) || id == 0)
        {
            *error = "expected KEYID:HEX with a key id from 1 to 4294967295, got \"" + item + "\"";
            return false;
        }
        if (!ParseHexBytes(item.substr(colon + 1), &key) || key.size() < 16)
        {
            *error = "key " + std::to_string(id) + ": expected at least 32 hex digits";
            return false;
        }
        ring.Add(uint32_t(id), std::move(key));
    }
    *keys = std::move(ring);
    return true;
}

inline bool
ParsePrefixList(const std::string& text, std::vector<Prefix>* out, std::string* error)
{
    std::vector<Prefix> list;
    for (const std::string& item :
         text.empty() ? std::vector<std::string>{} : detail::SplitComma(text))
    {
        const size_t slash = item.find('/');
        uint64_t len = 0;
        uint32_t addr = 0;
        std::stringstream ss(item.substr(0, slash));
        std::string octet;
        int octets = 0;
        bool ok =
            slash != std::string::npos && detail::ParseUnsigned(item.substr(slash + 1), 32, &len);
        while (ok && std::getline(ss, octet, '.'))
        {
            uint64_t v = 0;
            ok = detail::ParseUnsigned(octet, 255, &v) && ++octets <= 4;
            addr = (addr << 8) | uint32_t(v);
        }
        if (!ok || octets != 4)
        {
            *error = "expected an IPv4 prefix a.b.c.d/len, got \"" + item + "\"";
            return false;
        }
        list.push_back(Prefix{addr, uint8_t(len)});
    }
    *out = std::move(list);
    return true;
}

} // namespace dysco

#endif
