#include "regress_compare.h"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

namespace dyscosim
{

using nlohmann::json;
using nlohmann::ordered_json;

Tolerances
DefaultTolerances()
{
    Tolerances t;
    // Durations of reconfigurations (trigger to teardown) vary with any timing change; 1 %
    // still catches a protocol change that adds a round trip (a few ms of tens).
    t.relative = {{"reconfigurations.duration_ms.*", 0.01}};
    // Machine-dependent: wall time, the build's name, the checker's own timing, and Z3
    // queries that hit their time limit (their scan results stand).
    t.ignore = {"wall_time_s", "git_describe", "check.trace.*seconds*", "check.trace.*_s",
                "check.trace.z3.unknown"};
    return t;
}

bool
MatchesPattern(const std::string& pattern, const std::string& name)
{
    // Classic wildcard match with backtracking to the last '*'.
    size_t p = 0;
    size_t n = 0;
    size_t star = std::string::npos;
    size_t mark = 0;
    while (n < name.size())
    {
        if (p < pattern.size() && pattern[p] == '*')
        {
            star = p++;
            mark = n;
        }
        else if (p < pattern.size() && pattern[p] == name[n])
        {
            ++p;
            ++n;
        }
        else if (star != std::string::npos)
        {
            p = star + 1;
            n = ++mark;
        }
        else
        {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
    {
        ++p;
    }
    return p == pattern.size();
}

Tolerances
LoadTolerances(const std::string& path)
{
    Tolerances t = DefaultTolerances();
    std::ifstream in(path);
    if (!in)
    {
        return t;
    }
    json doc;
    try
    {
        doc = json::parse(in);
    }
    catch (const json::exception& e)
    {
        throw RegressInputError(path + ": not valid JSON: " + e.what());
    }
    if (!doc.is_object())
    {
        throw RegressInputError(path +
                                ": expected an object {\"relative\": {...}, \"ignore\": [...]}");
    }
    std::vector<std::pair<std::string, double>> relative;
    for (const auto& [key, value] : doc.items())
    {
        if (key == "relative")
        {
            if (!value.is_object())
            {
                throw RegressInputError(path + ": $.relative: expected an object of pattern: "
                                               "relative tolerance");
            }
            for (const auto& [pattern, tol] : value.items())
            {
                if (!tol.is_number() || tol.get<double>() < 0)
                {
                    throw RegressInputError(path + ": $.relative." + pattern +
                                            ": expected a number >= 0 (0.05 = 5 %), got " +
                                            tol.dump());
                }
                relative.emplace_back(pattern, tol.get<double>());
            }
        }
        else if (key == "ignore")
        {
            if (!value.is_array())
            {
                throw RegressInputError(path + ": $.ignore: expected an array of patterns");
            }
            for (const auto& pattern : value)
            {
                if (!pattern.is_string())
                {
                    throw RegressInputError(path + ": $.ignore: expected pattern strings, got " +
                                            pattern.dump());
                }
                t.ignore.push_back(pattern.get<std::string>());
            }
        }
        else if (key != "comment")
        {
            throw RegressInputError(path + ": $." + key +
                                    ": unknown key; expected relative, ignore or comment");
        }
    }
    relative.insert(relative.end(), t.relative.begin(), t.relative.end());
    t.relative = relative;
    return t;
}

namespace
{

bool
Ignored(const Tolerances& t, const std::string& name)
{
    for (const auto& p : t.ignore)
    {
        if (MatchesPattern(p, name))
        {
            return true;
        }
    }
    return false;
}

void
Flatten(const json& v, const std::string& prefix, const Tolerances& t,
        std::map<std::string, json>& out)
{
    if (v.is_object() || v.is_array())
    {
        size_t i = 0;
        for (const auto& [key, child] : v.items())
        {
            std::string name = prefix.empty() ? key : prefix + "." + key;
            Flatten(child, name, t, out);
            ++i;
        }
        if (i == 0 && !prefix.empty() && !Ignored(t, prefix))
        {
            out[prefix] = v; // an empty object or array is a value of its own
        }
        return;
    }
    if (!Ignored(t, prefix))
    {
        out[prefix] = v;
    }
}

std::string
Show(const ordered_json& metrics, const std::string& name)
{
    auto it = metrics.find(name);
    return it == metrics.end() ? "(absent)" : it->dump();
}

std::string
Percent(double fraction)
{
    std::ostringstream s;
    s << fraction * 100 << " %";
    return s.str();
}

} // namespace

ordered_json
FlattenSummary(const json& summary, const Tolerances& t)
{
    std::map<std::string, json> flat; // name order, so baselines diff well
    Flatten(summary, "", t, flat);
    ordered_json out = ordered_json::object();
    for (const auto& [name, value] : flat)
    {
        out[name] = value;
    }
    return out;
}

std::vector<MetricDiff>
CompareMetrics(const ordered_json& old, const ordered_json& now, const Tolerances& t)
{
    std::map<std::string, int> names;
    for (const auto& [name, v] : old.items())
    {
        names[name] |= 1;
    }
    for (const auto& [name, v] : now.items())
    {
        names[name] |= 2;
    }
    std::vector<MetricDiff> diffs;
    for (const auto& [name, where] : names)
    {
        if (Ignored(t, name))
        {
            continue;
        }
        double tolerance = -1;
        for (const auto& [pattern, rel] : t.relative)
        {
            if (MatchesPattern(pattern, name))
            {
                tolerance = rel;
                break;
            }
        }
        MetricDiff d{name, Show(old, name), Show(now, name),
                     tolerance < 0 ? "exact" : Percent(tolerance)};
        if (where != 3)
        {
            diffs.push_back(d);
            continue;
        }
        const auto& a = old.at(name);
        const auto& b = now.at(name);
        if (tolerance >= 0 && a.is_number() && b.is_number())
        {
            double x = a.get<double>();
            double y = b.get<double>();
            if (std::fabs(y - x) > tolerance * std::fabs(x))
            {
                diffs.push_back(d);
            }
        }
        else if (a != b)
        {
            diffs.push_back(d);
        }
    }
    return diffs;
}

} // namespace dyscosim
