#include "summary.h"

#include "migration_report.h"
#include "timing_summary.h"

#include <algorithm>
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

/// Rounds a duration in milliseconds to a microsecond.
double
Round3(double v)
{
    return std::round(v * 1e3) / 1e3;
}

uint64_t
Sum(const RunResult& r, const std::string& counter)
{
    uint64_t sum = 0;
    for (const auto& a : r.agents)
    {
        auto it = a.counters.find(counter);
        sum += it != a.counters.end() ? it->second : 0;
    }
    return sum;
}

/// attempted / succeeded / aborted as the left anchors counted them, plus what the records
/// add: refused requests, unfinished ones, and the durations of the successful ones.
nlohmann::ordered_json
ReconfigSummary(const RunResult& r)
{
    uint64_t refused = 0;
    uint64_t unfinished = 0;
    std::vector<double> durations;
    for (const auto& rc : r.reconfigurations)
    {
        refused += rc.outcome == "refused" ? 1 : 0;
        unfinished += rc.outcome == "unfinished" ? 1 : 0;
        if (rc.outcome == "succeeded" && rc.DurationMs() >= 0)
        {
            durations.push_back(rc.DurationMs());
        }
    }
    nlohmann::ordered_json j = {{"attempted", Sum(r, "reconfig_attempted")},
                                {"succeeded", Sum(r, "reconfig_succeeded")},
                                {"aborted", Sum(r, "reconfig_aborted")},
                                {"nacked", Sum(r, "reconfig_nacked")},
                                {"refused", refused},
                                {"unfinished", unfinished}};
    nlohmann::ordered_json d = {{"count", durations.size()}};
    if (!durations.empty())
    {
        std::sort(durations.begin(), durations.end());
        double total = 0;
        for (double v : durations)
        {
            total += v;
        }
        d["min"] = Round3(durations.front());
        d["median"] = Round3(durations[durations.size() / 2]);
        d["mean"] = Round3(total / double(durations.size()));
        d["max"] = Round3(durations.back());
    }
    j["duration_ms"] = d;
    return j;
}

std::string
Fixed6(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6f", v);
    return buf;
}

} // namespace

ordered_json
MakeSummary(const RunResult& r, const CheckOutcome& check, const std::string& gitDescribe)
{
    uint64_t completed = 0;
    uint64_t endedEarly = 0;
    uint64_t written = 0;
    uint64_t delivered = 0;
    uint64_t reverseWritten = 0;
    uint64_t reverseDelivered = 0;
    for (const auto& s : r.sessions)
    {
        completed += s.Completed() ? 1 : 0;
        endedEarly += !s.injected.empty() && s.cutShort ? 1 : 0;
        written += s.bytesWritten;
        delivered += s.bytesDelivered;
        reverseWritten += s.reverseWritten;
        reverseDelivered += s.reverseDelivered;
    }

    ordered_json j;
    j["scenario"] = r.scenario;
    j["seed"] = r.seed;
    j["quick"] = r.quick;
    j["git_describe"] = gitDescribe;
    j["sim_time_s"] = Round6(r.simTimeS);
    j["wall_time_s"] = std::round(r.wallTimeS * 1000) / 1000;
    j["sessions"] = {
        {"total", r.sessions.size()}, {"completed", completed}, {"ended_early", endedEarly}};
    // Both directions; the reverse (server -> client) share is broken out.
    j["bytes"] = {{"written", written + reverseWritten},
                  {"delivered", delivered + reverseDelivered},
                  {"reverse_written", reverseWritten},
                  {"reverse_delivered", reverseDelivered}};
    j["reconfigurations"] = ReconfigSummary(r);
    j["control"] = {{"sent", Sum(r, "control_sent")},
                    {"received", Sum(r, "control_received")},
                    {"dropped", Sum(r, "control_dropped")}};
    j["timing"] = TimingSummary(r);

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
    ordered_json failures = ordered_json::object();
    for (const auto& [name, value] : r.failures)
    {
        failures[name] = value;
    }
    j["failures"] = failures;
    if (!r.migrations.empty())
    {
        j["migrations"] = MigrationSummary(r);
    }
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
                      "completed,close_time_s,reverse_written,reverse_delivered,"
                      "reverse_first_mismatch,injected\n";
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
               closeTime + "," + std::to_string(s.reverseWritten) + "," +
               std::to_string(s.reverseDelivered) + "," + std::to_string(s.reverseMismatch) + "," +
               s.injected + "\n";
    }
    return out;
}

std::string
ReconfigurationsCsv(const RunResult& r)
{
    std::string out = "left_anchor,request_id,stream_id,right_anchor,middleboxes,entry,attempt,"
                      "trigger_s,start_s,end_s,duration_ms,outcome,reason,c2s_seq_at_start,"
                      "s2c_seq_at_start\n";
    for (const auto& rc : r.reconfigurations)
    {
        std::string boxes;
        for (const auto& m : rc.middleboxes)
        {
            boxes += (boxes.empty() ? "" : ";") + m;
        }
        char duration[32] = "";
        if (rc.DurationMs() >= 0)
        {
            std::snprintf(duration, sizeof(duration), "%.3f", rc.DurationMs());
        }
        out += rc.leftAnchor + "," + std::to_string(rc.requestId) + "," +
               std::to_string(rc.streamId) + "," + rc.rightAnchor + "," + boxes + "," +
               std::to_string(rc.entry) + "," + std::to_string(rc.attempt) + "," +
               (rc.triggerS >= 0 ? Fixed6(rc.triggerS) : "") + "," +
               (rc.startS >= 0 ? Fixed6(rc.startS) : "") + "," +
               (rc.endS >= 0 ? Fixed6(rc.endS) : "") + "," + duration + "," + rc.outcome + "," +
               rc.reason + "," + (rc.hasSeq ? std::to_string(rc.seqAtStart[0]) : "") + "," +
               (rc.hasSeq ? std::to_string(rc.seqAtStart[1]) : "") + "\n";
    }
    return out;
}

} // namespace dyscosim
