#include "app_prefix.h"

#include <string>

namespace dyscosim
{

namespace
{
constexpr const char* kTextExpected = "a non-empty string of at most 256 bytes";
constexpr const char* kHexExpected = "an even number (2 to 512) of hex digits, like \"16030100\"";

int
HexDigit(char c)
{
    if (c >= '0' && c <= '9')
    {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f')
    {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F')
    {
        return c - 'A' + 10;
    }
    return -1;
}
} // namespace

std::vector<uint8_t>
ReadAppPrefix(const JsonObject& o)
{
    if (o.Has("prefix") && o.Has("prefix_hex"))
    {
        o.Fail("prefix_hex", "give either prefix or prefix_hex, not both");
    }
    if (o.Has("prefix"))
    {
        const std::string text = o.String("prefix", kTextExpected);
        if (text.empty() || text.size() > kMaxAppPrefix)
        {
            o.Fail("prefix", std::string("expected ") + kTextExpected + ", got " +
                                 std::to_string(text.size()) + " bytes");
        }
        return std::vector<uint8_t>(text.begin(), text.end());
    }
    if (!o.Has("prefix_hex"))
    {
        return {};
    }
    const std::string hex = o.String("prefix_hex", kHexExpected);
    if (hex.empty() || hex.size() % 2 != 0 || hex.size() > 2 * kMaxAppPrefix)
    {
        o.Fail("prefix_hex", std::string("expected ") + kHexExpected + ", got " +
                                 std::to_string(hex.size()) + " digits");
    }
    std::vector<uint8_t> bytes;
    for (size_t i = 0; i < hex.size(); i += 2)
    {
        const int hi = HexDigit(hex[i]);
        const int lo = HexDigit(hex[i + 1]);
        if (hi < 0 || lo < 0)
        {
            o.Fail("prefix_hex", std::string("expected ") + kHexExpected + "; character " +
                                     std::to_string(hi < 0 ? i : i + 1) + " is not one");
        }
        bytes.push_back(uint8_t(hi * 16 + lo));
    }
    return bytes;
}

} // namespace dyscosim
