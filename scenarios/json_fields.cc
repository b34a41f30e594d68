#include "json_fields.h"

#include "scenario_error.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace dyscosim
{

using nlohmann::json;

std::string
DescribeJson(const json& v)
{
    switch (v.type())
    {
    case json::value_t::null:
        return "null";
    case json::value_t::object:
        return "an object";
    case json::value_t::array:
        return "an array";
    case json::value_t::string:
    {
        std::string s = v.dump();
        return "string " + (s.size() > 40 ? s.substr(0, 37) + "...\"" : s);
    }
    case json::value_t::boolean:
        return std::string("boolean ") + (v.get<bool>() ? "true" : "false");
    default:
        return "number " + v.dump();
    }
}

namespace
{

size_t
EditDistance(const std::string& a, const std::string& b)
{
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
    {
        row[j] = j;
    }
    for (size_t i = 1; i <= a.size(); ++i)
    {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j)
        {
            size_t up = row[j];
            size_t cost = std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
            diag = up;
        }
    }
    return row[b.size()];
}

bool
IsIntegral(const json& v)
{
    if (v.is_number_unsigned() || v.is_number_integer())
    {
        return true;
    }
    return v.is_number_float() && std::isfinite(v.get<double>()) &&
           std::floor(v.get<double>()) == v.get<double>();
}

} // namespace

std::string
FormatNumber(double d)
{
    if (std::isfinite(d) && std::fabs(d) < 1e15 && std::floor(d) == d)
    {
        return std::to_string(int64_t(d));
    }
    return json(d).dump();
}

std::string
ClosestKey(const std::string& key, const std::vector<std::string>& known)
{
    std::string best;
    size_t bestDistance = std::max<size_t>(2, key.size() / 3) + 1;
    for (const auto& k : known)
    {
        size_t d = EditDistance(key, k);
        if (d < bestDistance)
        {
            best = k;
            bestDistance = d;
        }
    }
    return best;
}

std::string
JsonToString(const std::string& file, const std::string& path, const json& v,
             const std::string& expected)
{
    if (!v.is_string())
    {
        throw ScenarioError(file, path, "expected " + expected + ", got " + DescribeJson(v));
    }
    return v.get<std::string>();
}

uint64_t
JsonToUnsigned(const std::string& file, const std::string& path, const json& v, uint64_t min,
               uint64_t max, const std::string& expected)
{
    if (!IsIntegral(v))
    {
        throw ScenarioError(file, path, "expected " + expected + ", got " + DescribeJson(v));
    }
    bool negative = v.is_number_integer() ? v.get<int64_t>() < 0 : v.get<double>() < 0;
    if (negative)
    {
        throw ScenarioError(file, path,
                            "expected " + expected + ", got negative " + DescribeJson(v));
    }
    uint64_t u = v.is_number_float()
                     ? (v.get<double>() >= 1.8e19 ? UINT64_MAX : uint64_t(v.get<double>()))
                     : v.get<uint64_t>();
    if (u < min || u > max)
    {
        throw ScenarioError(file, path,
                            "expected " + expected + " (" + std::to_string(min) + " to " +
                                std::to_string(max) + "), got " + DescribeJson(v));
    }
    return u;
}

double
JsonToNumber(const std::string& file, const std::string& path, const json& v, double min,
             double max, bool maxOpen, const std::string& expected)
{
    if (!v.is_number())
    {
        throw ScenarioError(file, path, "expected " + expected + ", got " + DescribeJson(v));
    }
    double d = v.get<double>();
    if (!(d >= min) || d > max || (maxOpen && d == max))
    {
        std::string range = "at least " + FormatNumber(min) + " and " +
                            (maxOpen ? "below " : "at most ") + FormatNumber(max);
        throw ScenarioError(file, path,
                            "expected " + expected + " (" + range + "), got " + DescribeJson(v));
    }
    return d;
}

JsonObject::JsonObject(const std::string& file, std::string path, const json& value,
                       const std::string& expected)
    : m_file(file)
    , m_path(std::move(path))
    , m_value(value)
{
    if (!value.is_object())
    {
        throw ScenarioError(m_file, m_path,
                            "expected " + expected + ", got " + DescribeJson(value));
    }
}

void
JsonObject::AllowOnly(std::initializer_list<const char*> allowed) const
{
    AllowOnly(std::vector<std::string>(allowed.begin(), allowed.end()));
}

void
JsonObject::AllowOnly(const std::vector<std::string>& known) const
{
    for (const auto& item : m_value.items())
    {
        if (std::find(known.begin(), known.end(), item.key()) != known.end())
        {
            continue;
        }
        std::string message = "unknown key";
        std::string guess = ClosestKey(item.key(), known);
        if (!guess.empty())
        {
            message += " (did you mean \"" + guess + "\"?)";
        }
        message += "; expected one of:";
        for (size_t i = 0; i < known.size(); ++i)
        {
            message += (i ? ", " : " ") + known[i];
        }
        throw ScenarioError(m_file, PathOf(item.key()), message);
    }
}

void
JsonObject::Fail(const std::string& key, const std::string& message) const
{
    throw ScenarioError(m_file, key.empty() ? m_path : PathOf(key), message);
}

const json&
JsonObject::Require(const std::string& key, const std::string& expected) const
{
    auto it = m_value.find(key);
    if (it == m_value.end())
    {
        Fail(key, "missing; expected " + expected);
    }
    return *it;
}

std::string
JsonObject::String(const std::string& key, const std::string& expected) const
{
    return JsonToString(m_file, PathOf(key), Require(key, expected), expected);
}

std::string
JsonObject::String(const std::string& key, const std::string& expected,
                   const std::string& fallback) const
{
    return Has(key) ? String(key, expected) : fallback;
}

uint64_t
JsonObject::Unsigned(const std::string& key, uint64_t min, uint64_t max,
                     const std::string& expected) const
{
    return JsonToUnsigned(m_file, PathOf(key), Require(key, expected), min, max, expected);
}

uint64_t
JsonObject::Unsigned(const std::string& key, uint64_t min, uint64_t max,
                     const std::string& expected, uint64_t fallback) const
{
    return Has(key) ? Unsigned(key, min, max, expected) : fallback;
}

double
JsonObject::Number(const std::string& key, double min, double max, bool maxOpen,
                   const std::string& expected) const
{
    return JsonToNumber(m_file, PathOf(key), Require(key, expected), min, max, maxOpen, expected);
}

double
JsonObject::Number(const std::string& key, double min, double max, bool maxOpen,
                   const std::string& expected, double fallback) const
{
    return Has(key) ? Number(key, min, max, maxOpen, expected) : fallback;
}

bool
JsonObject::Bool(const std::string& key, bool fallback) const
{
    if (!Has(key))
    {
        return fallback;
    }
    const json& v = m_value.at(key);
    if (!v.is_boolean())
    {
        Fail(key, "expected true or false, got " + DescribeJson(v));
    }
    return v.get<bool>();
}

const json&
JsonObject::Array(const std::string& key, const std::string& expected, bool required) const
{
    static const json kEmpty = json::array();
    if (!Has(key))
    {
        if (required)
        {
            Fail(key, "missing; expected " + expected);
        }
        return kEmpty;
    }
    const json& v = m_value.at(key);
    if (!v.is_array())
    {
        Fail(key, "expected " + expected + ", got " + DescribeJson(v));
    }
    return v;
}

bool
ValidNodeName(const std::string& name)
{
    if (name.empty() || name.size() > 64 || !std::isalpha(static_cast<unsigned char>(name[0])))
    {
        return false;
    }
    for (char c : name)
    {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
        {
            return false;
        }
    }
    return true;
}

} // namespace dyscosim
