#include "trace_check.h"

#include "checker.h"
#include "diagram_command.h"
#include "trace_reader.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

namespace dyscosim
{

namespace v = dysco::verify;

TraceCheck
CheckTrace(const std::string& path, uint64_t seed)
{
    const auto start = std::chrono::steady_clock::now();
    TraceCheck out;
    v::Trace trace;
    if (!v::TraceReader::ReadFile(path, &trace, &out.error))
    {
        return out;
    }
    out.read = true;
    v::CheckOptions options;
    options.seed = seed;
    // Every session gets the linear scans and every flagged one Z3; Z3's cross-check of
    // sessions the scans passed costs ~35 us per event, so a run samples within a budget
    // (`dyscosim check TRACE [--sample N | --full]` does more).
    options.sample = kRunCheckSample;
    options.sampleEvents = kRunCheckSampleEvents;
    out.report = v::RunChecker(trace, options);
    out.text = out.report.ToText(trace);
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

bool
MergedPass(const CheckOutcome& delivery, const TraceCheck& trace)
{
    return delivery.pass && trace.read && trace.report.pass;
}

nlohmann::ordered_json
MergedCheck(const CheckOutcome& delivery, const TraceCheck& trace)
{
    nlohmann::ordered_json properties = nlohmann::ordered_json::object();
    for (size_t i = 0; i < v::kPropertyCount; ++i)
    {
        const char* key = v::PropertyKey(v::PropertyId(i));
        std::string status = trace.read ? v::StatusName(trace.report.status[i]) : "not_checked";
        for (const auto& [name, verdict] : delivery.properties)
        {
            if (name == key && verdict == "fail")
            {
                status = "fail";
            }
            else if (name == key && verdict == "pass" && status != "fail")
            {
                status = "pass"; // the run's own check applies even where the trace has nothing
            }
        }
        properties[key] = status;
    }
    nlohmann::ordered_json violations = delivery.violations;
    if (!trace.read)
    {
        violations.push_back("trace: " + trace.error);
    }
    for (const auto& rv : trace.report.violations)
    {
        char when[32];
        std::snprintf(when, sizeof(when), "%.9f", double(rv.timeNs) * 1e-9);
        violations.push_back(std::string(v::PropertyKey(rv.violation.property)) + ": session " +
                             std::to_string(rv.violation.session) + ", event #" +
                             std::to_string(rv.violation.event + 1) + " at " + when +
                             " s: " + rv.violation.text);
    }
    nlohmann::ordered_json j;
    j["verdict"] = MergedPass(delivery, trace) ? "pass" : "fail";
    j["properties"] = properties;
    j["violations"] = violations;
    if (trace.read)
    {
        nlohmann::json report = trace.report.ToJson();
        nlohmann::ordered_json t;
        for (const char* key : {"events", "sessions", "violation_counts", "z3", "violations"})
        {
            t[key] = report[key];
        }
        j["trace"] = t;
    }
    return j;
}

std::vector<std::string>
WriteCounterexampleDiagrams(const std::string& tracePath, const dysco::verify::CheckReport& report,
                            const std::string& outDir)
{
    std::vector<std::string> written;
    std::set<uint32_t> sessions;
    for (const auto& v : report.violations)
    {
        if (sessions.size() == kCounterexampleDiagrams)
        {
            break;
        }
        if (!sessions.insert(v.violation.session).second)
        {
            continue;
        }
        const std::string session = std::to_string(v.violation.session);
        const std::string file = outDir + "/counterexample-s" + session + ".svg";
        // The diagram command re-reads the trace and marks this session's violations.
        std::vector<std::string> args = {"diagram",           tracePath, "--session", session,
                                         "--mark-violations", "--out",   file};
        std::vector<char*> argv;
        for (std::string& a : args)
        {
            argv.push_back(a.data());
        }
        if (dysco::verify::RunDiagramCommand(int(argv.size()), argv.data()) == 0 &&
            std::filesystem::exists(file))
        {
            written.push_back(file);
        }
    }
    return written;
}

} // namespace dyscosim
