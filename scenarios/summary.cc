#include "summary.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace dyscosim
{

using nlohmann::ordered_json;

namespace
{

/// Rounds to a microsecond so floating-point noise does not leak into the contract.
double
Round6(double v)
{
    return std::round(v * 1e6) / 1e6;
}

} // namespace

ordered_json
MakeSummary(const RunResult& r, const CheckOutcome& check, const std::string& gitDescribe)
{
    uint64_t completed = 0;
    uint64_t written = 0;
    uint64_t delivered = 0;
    for (const auto& s : r.sessions)
    {
        completed += s.Completed() ? 1 : 0;
        written += s.bytesWritten;
        delivered += s.bytesDelivered;
    }

    ordered_json j;
    j["scenario"] = r.scenario;
    j["seed"] = r.seed;
    j["quick"] = r.quick;
    j["git_describe"] = gitDescribe;
    j["sim_time_s"] = Round6(r.simTimeS);
    j["wall_time_s"] = std::round(r.wallTimeS * 1000) / 1000;
    j["sessions"] = {{"total", r.sessions.size()}, {"completed", completed}};
    j["bytes"] = {{"written", written}, {"delivered", delivered}};
    // No reconfiguration scenarios yet: the fields exist so readers need no special case.
    j["reconfigurations"] = {{"attempted", 0}, {"succeeded", 0}, {"aborted", 0}};

    ordered_json properties = ordered_json::object();
    for (const auto& [name, verdict] : check.properties)
    {
        properties[name] = verdict;
    }
    j["check"] = {{"verdict", check.pass ? "pass" : "fail"},
                  {"properties", properties},
                  {"violations", check.violations}};

    uint64_t left = 0;
    ordered_json perNode = ordered_json::object();
    ordered_json totals = ordered_json::object();
    for (const auto& a : r.agents)
    {
        left += a.sessionsLeft;
        perNode[a.node] = a.sessionsLeft;
        for (const auto& [name, value] : a.counters)
        {
            uint64_t sum = totals.contains(name) ? totals[name].get<uint64_t>() : 0;
            totals[name] = sum + value;
        }
    }
    j["agent_state_left"] = {{"total", left}, {"per_node", perNode}};
    j["agent_counters"] = totals;

    ordered_json boxes = ordered_json::object();
    for (const auto& m : r.middleboxes)
    {
        ordered_json box = {{"kind", m.kind}};
        for (const auto& [name, value] : m.counters)
        {
            box[name] = value;
        }
        boxes[m.node] = box;
    }
    j["middleboxes"] = boxes;
    return j;
}

void
WriteTextFile(const std::string& path, const std::string& text)
{
    std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out)
        {
            throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(errno));
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
    {
        throw std::runtime_error("cannot rename " + tmp + " to " + path + ": " +
                                 std::strerror(errno));
    }
}

void
WriteSummary(const std::string& path, const ordered_json& summary)
{
    WriteTextFile(path, summary.dump(2) + "\n");
}

std::string
SessionsCsv(const RunResult& r)
{
    std::string out = "stream_id,from,to,bytes_written,bytes_delivered,first_mismatch,"
                      "completed,close_time_s\n";
    for (const auto& s : r.sessions)
    {
        char closeTime[32] = "";
        if (s.closed && s.closeTimeS >= 0)
        {
            std::snprintf(closeTime, sizeof(closeTime), "%.6f", s.closeTimeS);
        }
        out += std::to_string(s.streamId) + "," + s.from + "," + s.to + "," +
               std::to_string(s.bytesWritten) + "," + std::to_string(s.bytesDelivered) + "," +
               std::to_string(s.firstMismatch) + "," + (s.Completed() ? "1" : "0") + "," +
               closeTime + "\n";
    }
    return out;
}

} // namespace dyscosim
