#include "campaign_merge.h"

#include "figure_fig14.h"
#include "summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace dyscosim
{

namespace fs = std::filesystem;
using nlohmann::json;

namespace
{

/// Two-sided 95 % Student's t quantiles for 1..30 degrees of freedom.
double
TQuantile(size_t dof)
{
    static const double t[] = {12.706, 4.303, 2.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                               2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                               2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                               2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
    return dof == 0 ? 0 : dof <= 30 ? t[dof - 1] : 1.96;
}

bool
ReadJson(const std::string& file, json* out)
{
    std::ifstream in(file);
    if (!in)
    {
        return false;
    }
    try
    {
        in >> *out;
        return true;
    }
    catch (const json::exception&)
    {
        return false;
    }
}

/// "timing.connect_ms.mean" in a summary; false if absent or not a number.
bool
Lookup(const json& doc, const std::string& path, double* out)
{
    const json* node = &doc;
    std::stringstream ss(path);
    std::string step;
    while (std::getline(ss, step, '.'))
    {
        if (!node->is_object() || !node->contains(step))
        {
            return false;
        }
        node = &(*node)[step];
    }
    if (!node->is_number())
    {
        return false;
    }
    *out = node->get<double>();
    return true;
}

std::vector<std::string>
SplitCsv(const std::string& line)
{
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ','))
    {
        cells.push_back(cell);
    }
    if (!line.empty() && line.back() == ',')
    {
        cells.emplace_back();
    }
    return cells;
}

/// Values of `column` in a run's CSV file, from rows matching every `where` cell.
void
ReadCdfSamples(const std::string& file, const json& cdf, std::vector<double>* out)
{
    std::ifstream in(file);
    std::string line;
    if (!std::getline(in, line))
    {
        return;
    }
    const std::vector<std::string> header = SplitCsv(line);
    auto column = [&](const std::string& name) -> long
    {
        auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? -1 : long(it - header.begin());
    };
    const long col = column(cdf["column"].get<std::string>());
    if (col < 0)
    {
        throw MergeError(file + ": no column \"" + cdf["column"].get<std::string>() + "\"");
    }
    std::vector<std::pair<long, std::string>> where;
    if (cdf.contains("where"))
    {
        for (const auto& [k, v] : cdf["where"].items())
        {
            where.emplace_back(column(k), v.get<std::string>());
        }
    }
    while (std::getline(in, line))
    {
        const std::vector<std::string> cells = SplitCsv(line);
        bool ok = size_t(col) < cells.size() && !cells[size_t(col)].empty();
        for (const auto& [c, v] : where)
        {
            ok = ok && c >= 0 && size_t(c) < cells.size() && cells[size_t(c)] == v;
        }
        if (ok)
        {
            out->push_back(std::stod(cells[size_t(col)]));
        }
    }
}

std::string
Num(double v)
{
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.6g", v);
    return buf;
}

} // namespace

Stat
MakeStat(const std::vector<double>& values)
{
    Stat s;
    s.values = values;
    s.n = values.size();
    if (s.n == 0)
    {
        return s;
    }
    double sum = 0;
    for (double v : values)
    {
        sum += v;
    }
    s.mean = sum / double(s.n);
    double sq = 0;
    for (double v : values)
    {
        sq += (v - s.mean) * (v - s.mean);
    }
    s.sd = s.n > 1 ? std::sqrt(sq / double(s.n - 1)) : 0;
    s.ci95 = s.n > 1 ? TQuantile(s.n - 1) * s.sd / std::sqrt(double(s.n)) : 0;
    return s;
}

MergeResult
MergeRuns(const CampaignSpec& spec, const std::vector<JobSpec>& jobs, bool allowMixed)
{
    MergeResult m;
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::vector<double>>>
        values;
    std::map<std::pair<std::string, std::string>, MergedPoint> points;
    std::map<std::string, size_t> versions;
    std::map<std::string, std::vector<std::vector<std::vector<double>>>> bundleBins;
    size_t found = 0;
    for (const auto& j : jobs)
    {
        json summary;
        if (!ReadJson(j.dir + "/summary.json", &summary))
        {
            m.missing.push_back(j.dir);
            continue;
        }
        ++found;
        versions[summary.value("git_describe", std::string("unknown"))]++;
        auto key = std::make_pair(j.series, j.point.xText);
        MergedPoint& p = points[key];
        p.series = j.series;
        p.x = j.point.x;
        p.xText = j.point.xText;
        ++p.runs;
        std::string verdict;
        if (summary.contains("check") && summary["check"].contains("verdict"))
        {
            verdict = summary["check"]["verdict"].get<std::string>();
        }
        p.failed += verdict == "pass" ? 0 : 1;
        for (const auto& metric : spec.metrics)
        {
            double v = 0;
            if (Lookup(summary, metric.path, &v))
            {
                values[key][metric.name].push_back(v * metric.scale);
            }
        }
        json cost;
        if (ReadJson(j.dir + "/cost.json", &cost))
        {
            for (const char* name : {"cpu_s", "wall_s", "peak_rss_mb"})
            {
                double v = 0;
                if (Lookup(cost, name, &v))
                {
                    values[key][name].push_back(v);
                }
            }
        }
        if (spec.plot == "bundles")
        {
            ReadBundleGoodput(spec, j, &values[key], &bundleBins);
        }
        if (!spec.cdf.is_null())
        {
            ReadCdfSamples(j.dir + "/" + spec.cdf["file"].get<std::string>(), spec.cdf,
                           &m.cdf[j.series]);
        }
    }
    if (found == 0)
    {
        throw MergeError("no run has a summary.json yet (" + std::to_string(jobs.size()) +
                         " runs expected, e.g. " +
                         (jobs.empty() ? std::string("none") : jobs.front().dir) + ")");
    }
    for (const auto& [v, n] : versions)
    {
        m.gitDescribes.push_back(v);
    }
    if (versions.size() > 1 && !allowMixed)
    {
        std::string list;
        for (const auto& [v, n] : versions)
        {
            list += (list.empty() ? "" : ", ") + v + " (" + std::to_string(n) + " runs)";
        }
        throw MergeError("results of different code versions: " + list +
                         "; rerun them, or pass --allow-mixed to merge anyway");
    }
    // Points in spec order: series, then x.
    for (const auto& series : spec.series)
    {
        for (const auto& point : spec.points)
        {
            auto key = std::make_pair(series.name, point.xText);
            auto it = points.find(key);
            if (it == points.end())
            {
                continue;
            }
            for (const auto& [name, vals] : values[key])
            {
                it->second.metrics[name] = MakeStat(vals);
            }
            m.points.push_back(it->second);
        }
    }
    for (auto& [series, samples] : m.cdf)
    {
        std::sort(samples.begin(), samples.end());
    }
    if (spec.plot == "bundles")
    {
        m.bundles = MeanBundleGoodput(spec, bundleBins);
    }
    return m;
}

const MergedPoint*
FindPoint(const MergeResult& m, const std::string& series, double x)
{
    for (const auto& p : m.points)
    {
        if (p.series == series && p.x == x)
        {
            return &p;
        }
    }
    return nullptr;
}

void
WriteMerged(const CampaignSpec& spec, const MergeResult& m, const std::string& outDir)
{
    nlohmann::ordered_json j;
    j["campaign"] = spec.name;
    j["git_describe"] = m.gitDescribes.size() == 1 ? json(m.gitDescribes[0]) : json(m.gitDescribes);
    j["missing_runs"] = m.missing;
    nlohmann::ordered_json pts = nlohmann::ordered_json::array();
    std::string csv = "series,x,metric,n,mean,sd,ci95\n";
    for (const auto& p : m.points)
    {
        nlohmann::ordered_json pj;
        pj["series"] = p.series;
        pj["x"] = p.x;
        pj["runs"] = p.runs;
        pj["failed_checks"] = p.failed;
        nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
        for (const auto& [name, st] : p.metrics)
        {
            metrics[name] = {{"n", st.n},
                             {"mean", st.mean},
                             {"sd", st.sd},
                             {"ci95", st.ci95},
                             {"values", st.values}};
            csv += p.series + "," + p.xText + "," + name + "," + std::to_string(st.n) + "," +
                   Num(st.mean) + "," + Num(st.sd) + "," + Num(st.ci95) + "\n";
        }
        pj["metrics"] = metrics;
        pts.push_back(pj);
    }
    j["points"] = pts;
    for (const auto& [series, samples] : m.cdf)
    {
        std::string cdf = "value,fraction\n";
        for (size_t i = 0; i < samples.size(); ++i)
        {
            cdf += Num(samples[i]) + "," + Num(double(i + 1) / double(samples.size())) + "\n";
        }
        WriteTextFile(outDir + "/cdf_" + series + ".csv", cdf);
        j["cdf_samples"][series] = samples.size();
    }
    if (spec.plot == "bundles")
    {
        j["bundles"] = m.bundles;
        WriteBundleGoodputCsv(m, outDir);
    }
    WriteSummary(outDir + "/merged.json", j);
    WriteTextFile(outDir + "/merged.csv", csv);
}

} // namespace dyscosim
