#include "check_report.h"

#include <cstdio>

namespace dysco
{
namespace verify
{

namespace
{
constexpr size_t kJsonViolations = 100;
constexpr size_t kTextViolationsPerProperty = 10;

std::string
SessionText(const Trace& trace, uint32_t sid)
{
    for (const Event& e : trace.events)
    {
        if (e.kind == EventKind::kSession && e.session == sid)
        {
            const auto& d = std::get<SessionDecl>(e.payload);
            return "session " + std::to_string(sid) + " (" + FiveTupleText(d.tuple) + ", client " +
                   trace.NodeName(e.node) + ", server " + trace.NodeName(d.server) + ")";
        }
    }
    return "session " + std::to_string(sid);
}

std::string
Seconds(double s)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.3f", s);
    return buf;
}

} // namespace

const char*
StatusName(PropertyStatus s)
{
    switch (s)
    {
    case PropertyStatus::kPass:
        return "pass";
    case PropertyStatus::kFail:
        return "fail";
    case PropertyStatus::kNotApplicable:
        return "not_applicable";
    }
    return "?";
}

nlohmann::json
CheckReport::ToJson() const
{
    nlohmann::ordered_json j;
    j["verdict"] = pass ? "pass" : "fail";
    nlohmann::ordered_json props;
    for (size_t i = 0; i < kPropertyCount; ++i)
    {
        props[PropertyKey(PropertyId(i))] = StatusName(status[i]);
    }
    j["properties"] = props;
    nlohmann::ordered_json counts;
    for (size_t i = 0; i < kPropertyCount; ++i)
    {
        counts[PropertyKey(PropertyId(i))] = violationCount[i];
    }
    j["violation_counts"] = counts;
    j["events"] = events;
    j["sessions"] = sessions;
    j["z3"] = {{"sessions", z3Sessions},
               {"flagged", flaggedSessions},
               {"sampled", sampledSessions},
               {"full", full},
               {"seed", seed},
               {"queries", z3Queries},
               {"unknown", z3Unknown},
               {"disagreements", disagreements.size()}};
    nlohmann::ordered_json vs = nlohmann::ordered_json::array();
    for (size_t i = 0; i < violations.size() && i < kJsonViolations; ++i)
    {
        const auto& rv = violations[i];
        nlohmann::ordered_json v;
        v["property"] = PropertyKey(rv.violation.property);
        v["session"] = rv.violation.session;
        v["event"] = uint64_t(rv.violation.event) + 1; // event ids are 1-based record numbers
        v["line"] = rv.line;
        v["time_s"] = double(rv.timeNs) * 1e-9;
        v["text"] = rv.violation.text;
        v["z3_confirmed"] = rv.z3Confirmed;
        vs.push_back(v);
    }
    j["violations"] = vs;
    return nlohmann::json::parse(j.dump());
}

std::string
CheckReport::ToText(const Trace& trace) const
{
    std::string out;
    out += "trace " + trace.source + ": " + std::to_string(events) + " events, " +
           std::to_string(sessions) + " sessions\n";
    out += "Z3 ran on " + std::to_string(z3Sessions) + " sessions (" +
           std::to_string(flaggedSessions) + " flagged by the scan, " +
           (full ? std::string("all others: --full")
                 : std::to_string(sampledSessions) + " sampled with seed " + std::to_string(seed)) +
           "); scan " + Seconds(scanSeconds) + " s, Z3 " + Seconds(z3Seconds) + " s\n";
    for (size_t i = 0; i < kPropertyCount; ++i)
    {
        char line[160];
        std::snprintf(line, sizeof(line), "  %-20s %-15s", PropertyKey(PropertyId(i)),
                      StatusName(status[i]));
        out += line;
        if (violationCount[i])
        {
            out += std::to_string(violationCount[i]) + " violation" +
                   (violationCount[i] == 1 ? "" : "s");
        }
        out += "\n";
    }
    std::array<size_t, kPropertyCount> shown{};
    for (const auto& rv : violations)
    {
        size_t p = size_t(rv.violation.property);
        if (shown[p]++ >= kTextViolationsPerProperty)
        {
            continue;
        }
        out += "\nVIOLATION of " + std::string(PropertyKey(rv.violation.property)) + " (" +
               PropertyTitle(rv.violation.property) + ")\n";
        out += "  in " + SessionText(trace, rv.violation.session) + "\n";
        out += "  at " + EventRef(trace, rv.violation.event) + ":\n";
        out += "  " + rv.violation.text + "\n";
        for (uint32_t r : rv.violation.related)
        {
            if (r != rv.violation.event)
            {
                out += "  see " + EventRef(trace, r) + "\n";
            }
        }
        if (rv.z3Confirmed)
        {
            out += "  Z3 confirms: first offending event of this session is " +
                   EventId(trace, rv.violation.event) +
                   (rv.z3Detail.empty() ? "" : " (" + rv.z3Detail + ")") + "\n";
        }
    }
    for (size_t p = 0; p < kPropertyCount; ++p)
    {
        if (shown[p] > kTextViolationsPerProperty)
        {
            out += "\n(" + std::to_string(violationCount[p] - kTextViolationsPerProperty) +
                   " more " + PropertyKey(PropertyId(p)) + " violations not shown; --json lists " +
                   "up to 100)\n";
        }
    }
    for (const auto& d : disagreements)
    {
        out += "\nCHECKER DISAGREEMENT (a checker bug; please report it with this trace): " +
               std::string(PropertyKey(d.property)) + " in " + SessionText(trace, d.session) +
               ": scan " +
               (d.scanViolated ? "flags " + EventId(trace, d.scanEvent) : std::string("passes")) +
               ", Z3 " +
               (d.z3.status == Z3Result::Status::kViolated
                    ? "names " + EventId(trace, d.z3.event) +
                          (d.z3.detail.empty() ? "" : " (" + d.z3.detail + ")")
                    : std::string(d.z3.status == Z3Result::Status::kHolds ? "proves it holds"
                                                                          : "unknown")) +
               "\n";
    }
    if (z3Unknown)
    {
        out += "\nwarning: Z3 returned unknown on " + std::to_string(z3Unknown) +
               " queries (timeout); their scan results stand\n";
    }
    out += std::string("\nverdict: ") + (pass ? "pass" : "FAIL") + "\n";
    return out;
}

} // namespace verify
} // namespace dysco
