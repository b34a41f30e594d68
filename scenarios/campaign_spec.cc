#include "campaign_spec.h"

#include "figure_fig14.h"
#include "json_fields.h"
#include "scenario_error.h"
#include "strict_json.h"
#include "summary.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dyscosim
{

namespace fs = std::filesystem;
using nlohmann::json;

namespace
{

std::string
ReadAll(const std::string& file)
{
    std::ifstream in(file);
    if (!in)
    {
        throw ScenarioError(file, "", "cannot read the file");
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string
XText(const json& v)
{
    return v.is_string() ? v.get<std::string>() : FormatNumber(v.get<double>());
}

std::vector<PointSpec>
ParsePoints(const JsonObject& o, const json& doc, const std::string& key)
{
    std::vector<PointSpec> out;
    const json& a = o.Array(key, "an array of points {x, set}", true);
    for (size_t i = 0; i < a.size(); ++i)
    {
        JsonObject p(o.File(), o.PathOf(key) + "[" + std::to_string(i) + "]", a[i],
                     "a point {x, set}");
        p.AllowOnly({"x", "set"});
        PointSpec point;
        point.x = p.Number("x", -1e18, 1e18, false, "the point's x value");
        point.xText = XText(a[i].at("x"));
        if (p.Has("set"))
        {
            if (!a[i]["set"].is_object())
            {
                p.Fail("set", "expected an object of scenario settings, e.g. "
                              "{\"traffic[*].sessions\": 25}");
            }
            point.set = a[i]["set"];
        }
        out.push_back(point);
    }
    (void)doc;
    if (out.empty())
    {
        o.Fail(key, "expected at least one point");
    }
    return out;
}

std::vector<uint32_t>
ParseSeeds(const JsonObject& o, const std::string& key)
{
    std::vector<uint32_t> seeds;
    const json& a = o.Array(key, "an array of seeds", true);
    for (size_t i = 0; i < a.size(); ++i)
    {
        seeds.push_back(
            uint32_t(JsonToUnsigned(o.File(), o.PathOf(key) + "[" + std::to_string(i) + "]", a[i],
                                    1, UINT32_MAX, "a seed")));
    }
    if (seeds.empty())
    {
        o.Fail(key, "expected at least one seed");
    }
    return seeds;
}

/// Splits "traffic[*].sessions" into steps: "traffic", "[*]", "sessions".
std::vector<std::string>
SplitPath(const std::string& path)
{
    std::vector<std::string> steps;
    std::string cur;
    for (size_t i = 0; i < path.size(); ++i)
    {
        char c = path[i];
        if (c == '.' || c == '[')
        {
            if (!cur.empty())
            {
                steps.push_back(cur);
            }
            cur.clear();
            if (c == '[')
            {
                size_t end = path.find(']', i);
                if (end == std::string::npos)
                {
                    throw std::invalid_argument("unclosed '[' in \"" + path + "\"");
                }
                steps.push_back(path.substr(i, end - i + 1));
                i = end;
            }
            continue;
        }
        cur += c;
    }
    if (!cur.empty())
    {
        steps.push_back(cur);
    }
    return steps;
}

void
Apply(json* node, const std::vector<std::string>& steps, size_t k, const json& value,
      const std::string& path)
{
    if (k == steps.size())
    {
        *node = value;
        return;
    }
    const std::string& step = steps[k];
    if (step.front() == '[')
    {
        if (!node->is_array())
        {
            throw std::invalid_argument("\"" + path + "\": not an array at " + step);
        }
        std::string inner = step.substr(1, step.size() - 2);
        if (inner == "*")
        {
            for (auto& e : *node)
            {
                Apply(&e, steps, k + 1, value, path);
            }
            return;
        }
        size_t idx = std::stoul(inner);
        if (idx >= node->size())
        {
            throw std::invalid_argument("\"" + path + "\": index " + inner + " out of range");
        }
        Apply(&(*node)[idx], steps, k + 1, value, path);
        return;
    }
    if (!node->is_object() || (!node->contains(step) && k + 1 < steps.size()))
    {
        throw std::invalid_argument("\"" + path + "\": no \"" + step + "\" in the scenario");
    }
    Apply(&(*node)[step], steps, k + 1, value, path);
}

} // namespace

void
ApplySetting(json* doc, const std::string& path, const json& value)
{
    Apply(doc, SplitPath(path), 0, value, path);
}

CampaignSpec
LoadCampaignSpec(const std::string& file, bool quick)
{
    const json doc = ParseJsonStrict(ReadAll(file), file);
    JsonObject top(file, "$", doc, "a campaign spec object (see scenarios/figures/README.md)");
    top.AllowOnly({"name", "title", "x", "metrics", "y", "series", "points", "seeds", "quick",
                   "plot", "cdf", "bundles", "trace", "paper", "timeseries"});
    CampaignSpec s;
    s.file = file;
    s.raw = doc;
    s.name = top.String("name", "a campaign name", fs::path(file).stem().string());
    s.title = top.String("title", "a title", s.name);
    if (top.Has("x"))
    {
        JsonObject x(file, top.PathOf("x"), doc["x"], "an x-axis object {key, label, log}");
        x.AllowOnly({"key", "label", "log"});
        s.xKey = x.String("key", "a short parameter name", "x");
        s.xLabel = x.String("label", "an axis label", s.xKey);
        s.xLog = x.Bool("log", false);
    }
    const json& metrics = top.Array("metrics", "an array of metrics {name, path, scale}", true);
    for (size_t i = 0; i < metrics.size(); ++i)
    {
        JsonObject m(file, top.PathOf("metrics") + "[" + std::to_string(i) + "]", metrics[i],
                     "a metric {name, path, scale, label}");
        m.AllowOnly({"name", "path", "scale", "label"});
        MetricSpec ms;
        ms.name = m.String("name", "a metric name");
        ms.path = m.String("path", "a dotted path into summary.json, e.g. timing.goodput_bps");
        ms.scale = m.Number("scale", -1e18, 1e18, false, "a scale factor", 1.0);
        ms.label = m.String("label", "a label", ms.name);
        s.metrics.push_back(ms);
    }
    s.yMetric =
        top.String("y", "the plotted metric's name", s.metrics.empty() ? "" : s.metrics[0].name);
    s.plot =
        top.String("plot", "\"lines\", \"bars\", \"cdf\", \"bundles\" or \"timeseries\"", "lines");
    bool known = false;
    for (const auto& m : s.metrics)
    {
        known = known || m.name == s.yMetric;
    }
    if (s.plot != "lines" && s.plot != "bars" && s.plot != "cdf" && s.plot != "bundles" &&
        s.plot != "timeseries")
    {
        top.Fail("plot",
                 "expected \"lines\", \"bars\", \"cdf\", \"bundles\" or \"timeseries\", got \"" +
                     s.plot + "\"");
    }
    if (s.plot == "timeseries")
    {
        // Figures 11 and 13 (figure_timeseries.h): bins of goodput.csv around the splices.
        const json tsDoc = top.Has("timeseries") ? doc["timeseries"] : json::object();
        JsonObject ts(file, top.PathOf("timeseries"), tsDoc, "an object {bin_s, window_s}");
        ts.AllowOnly({"bin_s", "window_s", "bin_s_by_series"});
        ts.Number("bin_s", 0.001, 1e6, false, "a bin width in seconds", 1.0);
        ts.Number("window_s", 0.001, 1e6, false, "a window in seconds", 1.0);
    }
    if (!known && s.plot != "cdf" && s.plot != "bundles")
    {
        top.Fail("y", "expected the name of one of $.metrics, got \"" + s.yMetric + "\"");
    }
    if (s.plot == "bundles")
    {
        s.bundles = ParseBundlesSpec(top, doc);
    }
    // A "bundles" plot may pool a distribution too (Figure 14: the migration times).
    if (s.plot == "cdf" || (s.plot == "bundles" && top.Has("cdf")))
    {
        if (!top.Has("cdf") || !doc["cdf"].is_object() || !doc["cdf"].contains("file") ||
            !doc["cdf"].contains("column"))
        {
            top.Fail("cdf", "a \"cdf\" plot needs {\"file\": \"x.csv\", \"column\": \"name\"}");
        }
        s.cdf = doc["cdf"];
    }
    const json& series = top.Array("series", "an array of series {name, scenario}", true);
    for (size_t i = 0; i < series.size(); ++i)
    {
        JsonObject o(file, top.PathOf("series") + "[" + std::to_string(i) + "]", series[i],
                     "a series {name, scenario}");
        o.AllowOnly({"name", "scenario"});
        SeriesSpec ss{o.String("name", "a series name"), o.String("scenario", "a scenario file")};
        if (ss.name.empty() || ss.name.find_first_of("/ _") != std::string::npos)
        {
            o.Fail("name", "expected a non-empty name without '/', ' ' or '_'");
        }
        s.series.push_back(ss);
    }
    if (s.series.empty())
    {
        top.Fail("series", "expected at least one series");
    }
    s.points = ParsePoints(top, doc, "points");
    s.seeds = ParseSeeds(top, "seeds");
    s.trace = top.Bool("trace", false);
    s.paper = top.Has("paper") ? doc["paper"] : json::object();
    if (quick && top.Has("quick"))
    {
        JsonObject q(file, top.PathOf("quick"), doc["quick"], "an object {points, seeds}");
        q.AllowOnly({"points", "seeds"});
        if (q.Has("points"))
        {
            s.points = ParsePoints(q, doc["quick"], "points");
        }
        if (q.Has("seeds"))
        {
            s.seeds = ParseSeeds(q, "seeds");
        }
    }
    return s;
}

std::vector<JobSpec>
ExpandJobs(const CampaignSpec& spec, const std::string& outDir)
{
    std::vector<JobSpec> jobs;
    const fs::path root = fs::absolute(outDir);
    for (const auto& series : spec.series)
    {
        for (const auto& point : spec.points)
        {
            for (uint32_t seed : spec.seeds)
            {
                JobSpec j;
                j.series = series.name;
                j.point = point;
                j.seed = seed;
                std::string name =
                    series.name + "_" + spec.xKey + point.xText + "_seed" + std::to_string(seed);
                j.dir = (root / "runs" / name).string();
                j.scenario = j.dir + "/scenario.json";
                jobs.push_back(j);
            }
        }
    }
    return jobs;
}

void
WriteJobScenarios(const CampaignSpec& spec, const std::vector<JobSpec>& jobs)
{
    const fs::path base = fs::path(spec.file).parent_path();
    for (const auto& j : jobs)
    {
        const SeriesSpec* series = nullptr;
        for (const auto& s : spec.series)
        {
            series = s.name == j.series ? &s : series;
        }
        std::string rel = series->scenario;
        for (size_t at; (at = rel.find("{x}")) != std::string::npos;)
        {
            rel.replace(at, 3, j.point.xText);
        }
        const std::string file = (base / rel).string();
        json doc = ParseJsonStrict(ReadAll(file), file);
        for (const auto& [path, value] : j.point.set.items())
        {
            try
            {
                ApplySetting(&doc, path, value);
            }
            catch (const std::invalid_argument& e)
            {
                throw ScenarioError(spec.file, "$.points",
                                    "point x=" + j.point.xText + " of series " + j.series + ": " +
                                        e.what() + " (" + file + ")");
            }
        }
        doc["name"] = fs::path(j.dir).filename().string();
        fs::create_directories(j.dir);
        WriteTextFile(j.scenario, doc.dump(1) + "\n");
    }
}

std::string
JobCommand(const CampaignSpec& spec, const JobSpec& job, const std::string& dyscosim)
{
    return "'" + dyscosim + "' run '" + job.scenario + "' --seed " + std::to_string(job.seed) +
           " --out '" + job.dir + "'" + (spec.trace ? "" : " --no-trace") + " >'" + job.dir +
           "/stdout.txt' 2>'" + job.dir + "/stderr.txt'";
}

} // namespace dyscosim
