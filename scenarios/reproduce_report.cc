#include "reproduce_report.h"

#include "figure_fig14.h"
#include "figure_timeseries.h"
#include "summary.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>

namespace dyscosim
{

using nlohmann::json;

namespace
{

std::string
Num(double v, int digits = 4)
{
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.*g", digits, v);
    return buf;
}

const MetricSpec*
Metric(const CampaignSpec& spec, const std::string& name)
{
    for (const auto& m : spec.metrics)
    {
        if (m.name == name)
        {
            return &m;
        }
    }
    return nullptr;
}

bool
Get(const MergeResult& m, const std::string& series, double x, const std::string& metric, Stat* out)
{
    const MergedPoint* p = FindPoint(m, series, x);
    if (!p || !p->metrics.count(metric) || p->metrics.at(metric).n == 0)
    {
        return false;
    }
    *out = p->metrics.at(metric);
    return true;
}

std::string
Quote(const std::string& s)
{
    return "'" + s + "'";
}

} // namespace

bool
WritePlot(const CampaignSpec& spec, const MergeResult& m, const std::string& dir, ReportInfo* info)
{
    if (spec.plot == "timeseries")
    {
        return WriteTimeseriesPlot(spec, dir, info);
    }
    std::string gp = "set terminal png size 900,560 font ',11'\n"
                     "set output " +
                     Quote(dir + "/" + spec.name + ".png") + "\nset title " + Quote(spec.title) +
                     "\nset key outside right top\nset grid\n";
    std::vector<std::string> plots;
    if (spec.plot == "cdf")
    {
        gp += "set xlabel " + Quote(spec.cdf.value("label", std::string("value"))) +
              "\nset ylabel 'fraction'\nset yrange [0:1.02]\n";
        if (spec.cdf.value("log", false))
        {
            gp += "set logscale x\n";
        }
        for (const auto& [series, samples] : m.cdf)
        {
            plots.push_back(Quote(dir + "/cdf_" + series + ".csv") +
                            " using 1:2 every ::1 with steps lw 2 title " +
                            Quote(series + " (" + std::to_string(samples.size()) + ")"));
        }
        gp += "set datafile separator ','\n";
    }
    else if (spec.plot == "bundles")
    {
        gp += BundleGoodputGnuplot(spec, m, dir, &plots);
    }
    else
    {
        const MetricSpec* y = Metric(spec, spec.yMetric);
        gp += "set xlabel " + Quote(spec.xLabel) + "\nset ylabel " +
              Quote(y ? y->label : spec.yMetric) + "\n";
        if (spec.xLog)
        {
            gp += "set logscale x\n";
        }
        gp += "set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\n";
        for (const auto& series : spec.series)
        {
            std::string data = "# x mean ci95\n";
            for (const auto& p : m.points)
            {
                if (p.series == series.name && p.metrics.count(spec.yMetric))
                {
                    const Stat& st = p.metrics.at(spec.yMetric);
                    data += Num(p.x, 10) + " " + Num(st.mean, 10) + " " + Num(st.ci95, 10) + "\n";
                }
            }
            const std::string file = dir + "/plot_" + series.name + ".dat";
            WriteTextFile(file, data);
            plots.push_back(Quote(file) + " using 1:2:3 with yerrorlines lw 2 title " +
                            Quote(series.name));
        }
    }
    if (plots.empty())
    {
        info->plotError = "nothing to plot";
        return false;
    }
    gp += "plot ";
    for (size_t i = 0; i < plots.size(); ++i)
    {
        gp += (i ? ", \\\n     " : "") + plots[i];
    }
    gp += "\n";
    const std::string script = dir + "/" + spec.name + ".gp";
    WriteTextFile(script, gp);
    const std::string cmd = "gnuplot " + Quote(script) + " 2>" + Quote(dir + "/gnuplot.log");
    int rc = std::system(cmd.c_str());
    if (rc != 0)
    {
        info->plotError = "gnuplot failed (exit " + std::to_string(WEXITSTATUS(rc)) + "; see " +
                          dir + "/gnuplot.log; Debian package gnuplot-nox)";
        return false;
    }
    return true;
}

std::vector<ComparisonRow>
Compare(const CampaignSpec& spec, const MergeResult& m)
{
    std::vector<ComparisonRow> rows;
    if (!spec.paper.contains("comparisons"))
    {
        return rows;
    }
    for (const auto& c : spec.paper["comparisons"])
    {
        ComparisonRow r;
        r.what = c.value("what", std::string());
        r.paperText = c.value("paper_text", std::string());
        r.hasPaper = c.contains("paper") && c["paper"].is_number();
        r.paper = r.hasPaper ? c["paper"].get<double>() : 0;
        r.unit = c.value("unit", std::string());
        r.why = c.value("why", std::string());
        const std::string kind = c.value("kind", std::string("value"));
        const std::string metric = c.value("metric", spec.yMetric);
        const std::string a = c.value("a", std::string());
        const std::string b = c.value("b", std::string());
        std::vector<double> xs;
        if (c.contains("x"))
        {
            xs.push_back(c["x"].get<double>());
        }
        else
        {
            for (const auto& p : spec.points)
            {
                xs.push_back(p.x);
            }
        }
        Stat sa;
        Stat sb;
        if (kind == "cdf_at")
        {
            auto it = m.cdf.find(a);
            if (it != m.cdf.end() && !it->second.empty())
            {
                const double t = c.value("threshold", 0.0);
                const auto& v = it->second;
                r.ours =
                    double(std::upper_bound(v.begin(), v.end(), t) - v.begin()) / double(v.size());
                r.hasOurs = true;
            }
        }
        else if (kind == "value" || kind == "diff" || kind == "rel_pct" || kind == "ratio")
        {
            const double x = xs.front();
            const bool haveA = Get(m, a, x, metric, &sa);
            const bool haveB = kind == "value" || Get(m, b, x, metric, &sb);
            if (haveA && haveB)
            {
                r.hasOurs = true;
                if (kind == "value")
                {
                    r.ours = sa.mean;
                    r.ci = sa.ci95;
                }
                else if (kind == "diff")
                {
                    r.ours = sa.mean - sb.mean;
                    r.ci = std::sqrt(sa.ci95 * sa.ci95 + sb.ci95 * sb.ci95);
                }
                else if (kind == "ratio")
                {
                    r.ours = sb.mean != 0 ? sa.mean / sb.mean : 0;
                }
                else
                {
                    r.ours = sb.mean != 0 ? 100 * (sa.mean - sb.mean) / sb.mean : 0;
                }
            }
        }
        else if (kind == "max_abs_diff" || kind == "max_abs_rel_pct")
        {
            for (double x : xs)
            {
                if (Get(m, a, x, metric, &sa) && Get(m, b, x, metric, &sb))
                {
                    double d = std::fabs(sa.mean - sb.mean);
                    if (kind == "max_abs_rel_pct")
                    {
                        d = sb.mean != 0 ? 100 * d / std::fabs(sb.mean) : 0;
                    }
                    r.ours = r.hasOurs ? std::max(r.ours, d) : d;
                    r.hasOurs = true;
                }
            }
        }
        rows.push_back(r);
    }
    return rows;
}

void
WriteComparison(const CampaignSpec& spec, const MergeResult& m, const ReportInfo& info,
                const std::string& dir)
{
    std::string md = "# " + spec.name + ": " + spec.title + "\n\n";
    md += "Produced by `" + info.command + "` (" + info.preset + " preset, " +
          std::to_string(spec.seeds.size()) + " seed(s) per point, " +
          std::to_string(m.points.empty() ? 0 : m.points.size()) + " points, " +
          Num(info.wallS, 3) + " s wall) at " +
          (m.gitDescribes.size() == 1 ? m.gitDescribes[0] : std::string("mixed versions")) +
          ". Plot: `" + spec.name +
          ".png`; numbers: `merged.json`, `merged.csv`; runs: "
          "`runs/<series>_<param><value>_seed<S>/`.\n\n";
    if (!info.plotError.empty())
    {
        md += "**No plot**: " + info.plotError + "\n\n";
    }
    if (spec.paper.contains("setting"))
    {
        md += "## Setting\n\n" + spec.paper["setting"].get<std::string>() + "\n\n";
    }
    if (spec.plot != "cdf" || !m.points.empty())
    {
        md += "## Our numbers (mean ± 95 % CI over seeds)\n\n| series | " + spec.xLabel + " |";
        std::vector<std::string> names;
        for (const auto& metric : spec.metrics)
        {
            names.push_back(metric.name);
            md += " " + metric.label + " |";
        }
        md += " CPU s | peak RSS MB | checks |\n|---|---|";
        for (size_t i = 0; i < names.size() + 3; ++i)
        {
            md += "---|";
        }
        md += "\n";
        for (const auto& p : m.points)
        {
            md += "| " + p.series + " | " + p.xText + " |";
            for (const auto& name : names)
            {
                auto it = p.metrics.find(name);
                md += it == p.metrics.end() || it->second.n == 0
                          ? std::string(" – |")
                          : " " + Num(it->second.mean) + " ± " + Num(it->second.ci95, 2) + " |";
            }
            for (const char* cost : {"cpu_s", "peak_rss_mb"})
            {
                auto it = p.metrics.find(cost);
                md += it == p.metrics.end() ? std::string(" – |")
                                            : " " + Num(it->second.mean, 3) + " |";
            }
            md += " " + std::to_string(p.runs - p.failed) + "/" + std::to_string(p.runs) +
                  " pass |\n";
        }
        md += "\n";
    }
    if (!m.cdf.empty())
    {
        md += "## Distribution\n\n| series | samples | median | 80th pct | 98.7th pct | max |\n"
              "|---|---|---|---|---|---|\n";
        for (const auto& [series, samples] : m.cdf)
        {
            const auto& v = samples; // lambdas cannot capture structured bindings in C++17
            if (v.empty())
            {
                continue;
            }
            auto pct = [&](double q)
            {
                size_t rank = size_t(std::ceil(q * double(v.size())));
                return v[std::min(v.size() - 1, rank > 0 ? rank - 1 : 0)];
            };
            md += "| " + series + " | " + std::to_string(v.size()) + " | " + Num(pct(0.5)) + " | " +
                  Num(pct(0.8)) + " | " + Num(pct(0.987)) + " | " + Num(v.back()) + " |\n";
        }
        md += "\n";
    }
    if (spec.plot == "bundles")
    {
        md += BundleGoodputTable(spec, m);
    }
    const auto rows = Compare(spec, m);
    if (!rows.empty())
    {
        md += "## Beside the paper\n\n| what | paper | ours | ours / paper | why they differ |\n"
              "|---|---|---|---|---|\n";
        for (const auto& r : rows)
        {
            std::string ours = r.hasOurs ? Num(r.ours) + (r.ci > 0 ? " ± " + Num(r.ci, 2) : "") +
                                               (r.unit.empty() ? "" : " " + r.unit)
                                         : "no data";
            std::string ratio =
                r.hasOurs && r.hasPaper && r.paper != 0 ? Num(r.ours / r.paper, 3) : "–";
            md += "| " + r.what + " | " + r.paperText + " | " + ours + " | " + ratio + " | " +
                  r.why + " |\n";
        }
        md += "\n";
    }
    if (spec.paper.contains("notes"))
    {
        md += "## Where and why we differ\n\n";
        for (const auto& n : spec.paper["notes"])
        {
            md += "- " + n.get<std::string>() + "\n";
        }
        md += "\n";
    }
    if (!m.missing.empty())
    {
        md += "**Missing runs** (no summary.json): " + std::to_string(m.missing.size()) + "\n";
    }
    WriteTextFile(dir + "/comparison.md", md);
}

} // namespace dyscosim
