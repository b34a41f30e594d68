// Strict, path-aware access to a JSON object: every read knows its JSON path
// ("$.links[2].rate") and every failure throws a ScenarioError that names it together with
// what was expected and what was found. Unknown keys are errors (with a "did you mean"),
// because a misspelt optional key would otherwise be silently ignored.
#ifndef DYSCOSIM_JSON_FIELDS_H
#define DYSCOSIM_JSON_FIELDS_H

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dyscosim
{

/// A short description of a JSON value for messages: `string "fast"`, `number -3`, `an array`.
std::string DescribeJson(const nlohmann::json& v);

/// A number for messages: integral values without a fraction ("2", "1000000"), others
/// in the shortest form that reads back exactly ("0.05").
std::string FormatNumber(double d);

/// The known key closest to `key` by edit distance, or "" when none is plausibly meant.
std::string ClosestKey(const std::string& key, const std::vector<std::string>& known);

/// Values the scenario format and the DPDK configuration share, and what a message says
/// was expected instead.
constexpr const char* kNodeNameExpected =
    "a node name (a letter, then letters, digits, '_', '-' or '.')";
constexpr const char* kPrefixExpected =
    "an IPv4 prefix like \"10.0.0.0/8\", an address like \"10.0.1.2\", or a node name";
constexpr const char* kPortsExpected =
    "a port like 80 or \"80\", or an inclusive range like \"1000-2000\"";

/// A letter, then letters, digits, '_', '-' or '.'; at most 64 characters.
bool ValidNodeName(const std::string& name);

class JsonObject
{
public:
    /// Fails unless `value` is an object. `expected` words what the object should be.
    JsonObject(const std::string& file, std::string path, const nlohmann::json& value,
               const std::string& expected);

    /// Fails on the first key not in `allowed`.
    void AllowOnly(std::initializer_list<const char*> allowed) const;
    void AllowOnly(const std::vector<std::string>& allowed) const;

    bool Has(const std::string& key) const { return m_value.contains(key); }
    std::string PathOf(const std::string& key) const { return m_path + "." + key; }
    const std::string& Path() const { return m_path; }
    const std::string& File() const { return m_file; }

    /// The raw value; fails with "missing; expected <expected>" when absent.
    const nlohmann::json& Require(const std::string& key, const std::string& expected) const;

    std::string String(const std::string& key, const std::string& expected) const;
    std::string String(const std::string& key, const std::string& expected,
                       const std::string& fallback) const;
    /// An integer in [min, max]; integral floats such as 2e6 are accepted.
    uint64_t Unsigned(const std::string& key, uint64_t min, uint64_t max,
                      const std::string& expected) const;
    uint64_t Unsigned(const std::string& key, uint64_t min, uint64_t max,
                      const std::string& expected, uint64_t fallback) const;
    /// A number in [min, max] (maxOpen: the upper bound itself is refused).
    double Number(const std::string& key, double min, double max, bool maxOpen,
                  const std::string& expected) const;
    double Number(const std::string& key, double min, double max, bool maxOpen,
                  const std::string& expected, double fallback) const;
    bool Bool(const std::string& key, bool fallback) const;
    /// An array (possibly empty); fails when the key is present with another type.
    const nlohmann::json& Array(const std::string& key, const std::string& expected,
                                bool required) const;

    [[noreturn]] void Fail(const std::string& key, const std::string& message) const;

private:
    std::string m_file;
    std::string m_path;
    const nlohmann::json& m_value;
};

/// Value checks usable on array elements as well as on object members.
std::string JsonToString(const std::string& file, const std::string& path, const nlohmann::json& v,
                         const std::string& expected);
uint64_t JsonToUnsigned(const std::string& file, const std::string& path, const nlohmann::json& v,
                        uint64_t min, uint64_t max, const std::string& expected);
double JsonToNumber(const std::string& file, const std::string& path, const nlohmann::json& v,
                    double min, double max, bool maxOpen, const std::string& expected);

} // namespace dyscosim

#endif
