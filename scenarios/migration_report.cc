#include "migration_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dyscosim
{

namespace
{
std::string
Time6(double s)
{
    if (s < 0)
    {
        return "";
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6f", s);
    return buf;
}

double
Round3(double v)
{
    return std::round(v * 1000) / 1000;
}

/// Commas and quotes would break the CSV row.
std::string
CsvText(std::string s)
{
    std::replace(s.begin(), s.end(), ',', ';');
    std::replace(s.begin(), s.end(), '"', '\'');
    return s;
}
} // namespace

std::string
MigrationsCsv(const RunResult& r)
{
    std::string out = "id,stream_id,entry,from,to,mode,trigger_s,reconfigured_s,new_path_up_s,"
                      "exported_s,installed_s,ended_s,duration_ms,state_bytes,reordered,"
                      "max_gap_ms,outcome,error\n";
    for (const auto& m : r.migrations)
    {
        char duration[32] = "";
        if (m.DurationMs() >= 0)
        {
            std::snprintf(duration, sizeof(duration), "%.3f", m.DurationMs());
        }
        char gap[32];
        std::snprintf(gap, sizeof(gap), "%.3f", m.maxGapMs);
        out += std::to_string(m.id) + "," + std::to_string(m.streamId) + "," +
               std::to_string(m.entry) + "," + m.from + "," + m.to + "," + m.mode + "," +
               Time6(m.triggerS) + "," + Time6(m.reconfiguredS) + "," + Time6(m.newPathUpS) + "," +
               Time6(m.exportedS) + "," + Time6(m.installedS) + "," + Time6(m.endedS) + "," +
               duration + "," + std::to_string(m.stateBytes) + "," + std::to_string(m.reordered) +
               "," + gap + "," + m.outcome + "," + CsvText(m.error) + "\n";
    }
    return out;
}

nlohmann::ordered_json
MigrationSummary(const RunResult& r)
{
    nlohmann::ordered_json j;
    uint64_t migrated = 0;
    uint64_t refused = 0;
    for (const auto& m : r.migrations)
    {
        migrated += m.outcome == "migrated" ? 1 : 0;
        refused += m.outcome == "state_refused" ? 1 : 0;
    }
    j["total"] = r.migrations.size();
    j["migrated"] = migrated;
    j["state_refused"] = refused;
    j["other"] = r.migrations.size() - migrated - refused;
    for (const char* mode : {"buffered", "unbuffered"})
    {
        std::vector<double> durations;
        uint64_t count = 0;
        uint64_t reordered = 0;
        double gap = 0;
        for (const auto& m : r.migrations)
        {
            if (m.mode != mode)
            {
                continue;
            }
            ++count;
            reordered += m.reordered;
            gap = std::max(gap, m.maxGapMs);
            if (m.outcome == "migrated")
            {
                durations.push_back(m.DurationMs());
            }
        }
        if (count == 0)
        {
            continue;
        }
        std::sort(durations.begin(), durations.end());
        nlohmann::ordered_json d = nlohmann::ordered_json::object();
        if (!durations.empty())
        {
            d["min"] = Round3(durations.front());
            d["median"] = Round3(durations[durations.size() / 2]);
            d["max"] = Round3(durations.back());
        }
        j[mode] = {{"count", count},
                   {"duration_ms", d},
                   {"reordered", reordered},
                   {"max_gap_ms", Round3(gap)}};
    }
    return j;
}

} // namespace dyscosim
