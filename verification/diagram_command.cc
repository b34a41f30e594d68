#include "diagram_command.h"

#include "checker.h"
#include "diagram_layout.h"
#include "diagram_model.h"
#include "diagram_svg.h"
#include "trace_reader.h"

#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <string_view>

namespace dysco
{
namespace verify
{

namespace
{

constexpr const char* kUsage =
    "usage: dyscosim diagram TRACE [--session S] [--out FILE.svg] [--mark EVENT_ID,...]\n"
    "                              [--mark-violations]\n"
    "  Draws a session's reconfiguration as a message sequence chart (SVG): one lifeline per\n"
    "  node, control messages as arrows (tx to rx), lock states and phases on the lifelines,\n"
    "  new path up / old path teardown as bands, time flowing down.\n"
    "  --session S         the session to draw (default: the first one with a\n"
    "                      reconfiguration, or the one of the first marked event)\n"
    "  --out FILE.svg      write there (default: stdout)\n"
    "  --mark ID,...       draw these events (ids as `dyscosim check` prints them) in red\n"
    "  --mark-violations   run the checker and mark the events of its violations\n"
    "  exit: 0 written, 2 bad input or usage\n";

int
Fail(const std::string& message, bool usage = false)
{
    std::cerr << "dyscosim diagram: " << message << "\n";
    if (usage)
    {
        std::cerr << kUsage;
    }
    return 2;
}

bool
ParseU64(std::string_view s, uint64_t* v)
{
    auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
    return !s.empty() && r.ec == std::errc() && r.ptr == s.data() + s.size();
}

/// "12,57" -> {12, 57}; false on anything else.
bool
ParseIds(std::string_view s, std::vector<uint64_t>* ids)
{
    size_t start = 0;
    while (start <= s.size())
    {
        const size_t comma = s.find(',', start);
        const size_t end = comma == std::string_view::npos ? s.size() : comma;
        uint64_t id = 0;
        if (!ParseU64(s.substr(start, end - start), &id))
        {
            return false;
        }
        ids->push_back(id);
        start = end + 1;
    }
    return true;
}

/// Caption lines of at most about this many characters (the chart stays ~900 px wide).
constexpr size_t kCaptionChars = 130;

/// `text` cut at spaces into lines of at most `width` characters (longer words stay whole).
std::vector<std::string>
Wrap(const std::string& text, size_t width)
{
    std::vector<std::string> lines;
    std::string line;
    size_t start = 0;
    while (start < text.size())
    {
        size_t end = text.find(' ', start);
        end = end == std::string::npos ? text.size() : end;
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > width)
        {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
        start = end + 1;
    }
    if (!line.empty())
    {
        lines.push_back(line);
    }
    return lines;
}

} // namespace

int
RunDiagramCommand(int argc, char** argv)
{
    std::string path;
    std::string outPath;
    bool haveSession = false;
    uint64_t session = 0;
    std::vector<uint64_t> markIds;
    bool markViolations = false;
    for (int i = 1; i < argc; ++i)
    {
        const std::string_view a = argv[i];
        const bool hasValue = i + 1 < argc;
        if (a == "--help" || a == "-h")
        {
            std::cout << kUsage;
            return 0;
        }
        else if (a == "--session")
        {
            if (!hasValue || !ParseU64(argv[i + 1], &session) || session > 0xFFFFFFFFu)
            {
                return Fail("--session needs a session id (unsigned 32-bit)", true);
            }
            haveSession = true;
            ++i;
        }
        else if (a == "--out")
        {
            if (!hasValue || std::string_view(argv[i + 1]).empty())
            {
                return Fail("--out needs a file name", true);
            }
            outPath = argv[++i];
        }
        else if (a == "--mark")
        {
            if (!hasValue || !ParseIds(argv[i + 1], &markIds))
            {
                return Fail("--mark needs event ids separated by commas (e.g. --mark 12,57)", true);
            }
            ++i;
        }
        else if (a == "--mark-violations")
        {
            markViolations = true;
        }
        else if (!a.empty() && a[0] == '-')
        {
            return Fail("unknown option " + std::string(a), true);
        }
        else if (path.empty())
        {
            path = std::string(a);
        }
        else
        {
            return Fail("more than one trace given (" + path + ", " + std::string(a) + ")", true);
        }
    }
    if (path.empty())
    {
        return Fail("no trace file given", true);
    }

    Trace trace;
    std::string error;
    if (!TraceReader::ReadFile(path, &trace, &error))
    {
        return Fail("bad trace: " + error);
    }

    // Marked events: ids as given, then the checker's, each checked against the trace.
    std::set<uint32_t> marked;
    std::vector<uint32_t> markOrder;
    std::vector<ReportedViolation> violations;
    for (uint64_t id : markIds)
    {
        if (id == 0 || id > trace.events.size())
        {
            return Fail(path + ": --mark: no event #" + std::to_string(id) + " (the trace has " +
                        std::to_string(trace.events.size()) + " events)");
        }
        marked.insert(uint32_t(id - 1));
        markOrder.push_back(uint32_t(id - 1));
    }
    if (markViolations)
    {
        CheckReport report = RunChecker(trace, CheckOptions{});
        for (const ReportedViolation& v : report.violations)
        {
            if (haveSession && v.violation.session != session)
            {
                continue;
            }
            marked.insert(v.violation.event);
            markOrder.push_back(v.violation.event);
            marked.insert(v.violation.related.begin(), v.violation.related.end());
            violations.push_back(v);
        }
        std::fprintf(stderr, "dyscosim diagram: the checker reports %zu violation(s)%s\n",
                     report.violations.size(),
                     report.violations.empty() ? "" : "; marking their events");
    }

    if (!haveSession)
    {
        const std::vector<uint32_t> reconfigured = ReconfiguredSessions(trace);
        if (!markOrder.empty())
        {
            session = trace.events[markOrder.front()].session;
        }
        else if (!reconfigured.empty())
        {
            session = reconfigured.front();
        }
        else if (!trace.events.empty())
        {
            session = trace.events.front().session;
        }
        else
        {
            return Fail(path + ": the trace has no events");
        }
        if (reconfigured.size() > 1)
        {
            std::fprintf(stderr,
                         "dyscosim diagram: drawing session %llu of %zu with reconfigurations "
                         "(--session S for another)\n",
                         (unsigned long long)session, reconfigured.size());
        }
    }
    for (uint64_t id : markIds)
    {
        const uint32_t owner = trace.events[id - 1].session;
        if (owner != session)
        {
            return Fail(path + ": --mark: event #" + std::to_string(id) + " belongs to session " +
                        std::to_string(owner) + ", not to session " + std::to_string(session));
        }
    }

    SequenceChart chart;
    if (!BuildChart(trace, uint32_t(session), marked, &chart))
    {
        return Fail(path + ": no session " + std::to_string(session) + " in the trace");
    }
    for (const ReportedViolation& v : violations)
    {
        if (v.violation.session == session)
        {
            const std::string text =
                std::string(PropertyKey(v.violation.property)) + " violated at event #" +
                std::to_string(v.violation.event + 1) + ": " + v.violation.text;
            for (const std::string& line : Wrap(text, kCaptionChars))
            {
                chart.captions.push_back(line);
            }
        }
    }
    const ChartLayout layout = LayoutChart(trace, chart);
    const std::string svg = RenderSvg(trace, chart, layout);

    if (outPath.empty())
    {
        std::fwrite(svg.data(), 1, svg.size(), stdout);
        return 0;
    }
    std::ofstream out(outPath, std::ios::binary);
    out << svg;
    out.close();
    if (!out)
    {
        return Fail("cannot write " + outPath);
    }
    std::fprintf(stderr,
                 "dyscosim diagram: session %llu: %zu lifelines, %zu control messages, %zu "
                 "marked events -> %s\n",
                 (unsigned long long)session, chart.lifelines.size(), chart.messages.size(),
                 chart.marked.size(), outPath.c_str());
    return 0;
}

} // namespace verify
} // namespace dysco
